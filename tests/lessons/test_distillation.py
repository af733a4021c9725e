"""The compute functions of the distillation lesson, checked against the seed and by hand."""

from __future__ import annotations

import doctest
import json
import math

import numpy as np
import pytest

import pycore
from pycore.lessons import distillation as d

SEED_TEACHER = [60.9, 11.1, 10.1, 7.1, 5.8, 2.1, 1.6, 1.4]
SEED_STUDENT = [62.0, 10.8, 9.8, 6.9, 5.6, 2.1, 1.5, 1.3]


def shown(bars: dict[str, float]) -> list[float]:
    """Percentages as the lesson shows them: one decimal."""
    return [float(f"{100 * p:.1f}") for p in bars.values()]


def test_seed_figure_at_T2() -> None:
    assert list(d.teacher(2.0)) == list(d.CITIES)
    assert shown(d.teacher(2.0)) == SEED_TEACHER
    assert shown(d.student(2.0)) == SEED_STUDENT


@pytest.mark.parametrize("fn", [d.teacher, d.student])
def test_temperature_sharpens_and_flattens(fn) -> None:
    cold, hot = fn(1.0), fn(5.0)
    assert cold["Paris"] > 0.9
    assert all(p < 0.035 for city, p in cold.items() if city != "Paris")  # runner-ups nearly gone
    assert hot["Lyon"] > 0.14 and hot["Lyon"] > 0.4 * hot["Paris"]  # a real candidate
    for T in (0.5, 1.0, 2.0, 5.0):
        assert math.isclose(sum(fn(T).values()), 1.0, rel_tol=1e-12)


def test_kd_terms_by_hand() -> None:
    s, t = np.array(d.EARLY_STUDENT_LOGITS), np.array(d.TEACHER_LOGITS)
    alpha, T = 0.3, 2.5
    q1 = np.exp(s) / np.exp(s).sum()
    p, q = np.exp(t / T) / np.exp(t / T).sum(), np.exp(s / T) / np.exp(s / T).sum()
    terms = d.kd_terms(alpha, T)
    assert terms["hard term α·CE"] == pytest.approx(alpha * -np.log(q1[0]), rel=1e-12)
    soft = (1 - alpha) * T**2 * np.sum(p * np.log(p / q))
    assert terms["soft term (1−α)·T²·KL"] == pytest.approx(soft, rel=1e-12)
    assert terms["L_KD"] == pytest.approx(terms["hard term α·CE"] + soft, rel=1e-12)
    # Gradient of T²·KL with respect to the student logits: T·(q − p).
    assert terms["‖∇ T²·KL‖ (with T²)"] == pytest.approx(np.linalg.norm(T * (q - p)), rel=1e-12)
    assert terms["‖∇ KL‖ (without T²)"] == pytest.approx(np.linalg.norm((q - p) / T), rel=1e-12)


def test_t_squared_keeps_the_gradient_scale() -> None:
    with_t2 = [d.kd_terms(0.5, T)["‖∇ T²·KL‖ (with T²)"] for T in (1.0, 2.0, 3.0, 5.0)]
    without = [d.kd_terms(0.5, T)["‖∇ KL‖ (without T²)"] for T in (1.0, 2.0, 3.0, 5.0)]
    assert max(with_t2) / min(with_t2) < 1.5
    assert without[0] / without[-1] > 15  # close to 5² = 25


def test_two_teachers() -> None:
    assert d.mixed_teacher(1.0, "arithmetic") == pytest.approx(d.teacher_8b(), rel=1e-12)
    assert d.mixed_teacher(0.0, "geometric") == pytest.approx(d.teacher_70b(), rel=1e-12)
    assert d.teacher_8b() == d.teacher(2.0)
    # They disagree on the runner-up: the 8B prefers Lyon, the 70B Marseille.
    assert d.teacher_8b()["Lyon"] > d.teacher_8b()["Marseille"]
    assert d.teacher_70b()["Marseille"] > 2 * d.teacher_70b()["Lyon"]
    gap = d.teacher_disagreement()
    assert max(gap, key=gap.get) == "Marseille"
    assert gap["Lyon"] == pytest.approx(d.teacher_8b()["Lyon"] - d.teacher_70b()["Lyon"])
    half = d.mixed_teacher(0.5, "arithmetic")
    assert half["Lyon"] == pytest.approx((d.teacher_8b()["Lyon"] + d.teacher_70b()["Lyon"]) / 2)
    geo = d.mixed_teacher(0.5, "geometric")
    assert geo["London"] < half["London"]  # a product of experts drops what one teacher rejects
    gap = d.teacher_gap(0.5, "arithmetic")
    assert gap["TVD(mix, 8B)"] == pytest.approx(gap["TVD(8B, 70B)"] / 2)
    assert d.teacher_gap(1.0, "geometric")["TVD(mix, 8B)"] == pytest.approx(0.0, abs=1e-12)


def test_cache_sizes() -> None:
    per = d.cache_per_token(64, "bf16")
    assert per["full (bytes/token)"] == 128_256 * 2
    assert per["top-k (bytes/token)"] == math.ceil(64 * 17 / 8) + 65 * 2
    assert per["full ÷ top-k"] == pytest.approx(256_512 / 266)
    assert d.cache_per_token(8, "fp32")["top-k (bytes/token)"] == 17 + 9 * 4
    total = d.cache_total(1000, 64, "fp8")
    assert total["full (TB)"] == pytest.approx(1000e9 * 128_256 / 1e12)
    assert total["top-k (TB)"] == pytest.approx(1000e9 * (136 + 65) / 1e12)


def test_topk_mass() -> None:
    kept = [d.topk_mass(k)["kept at T = 1"] for k in range(1, 9)]
    assert kept == sorted(kept) and kept[-1] == 1.0 and d.topk_mass(64)["kept at T = 2"] == 1.0
    assert kept[0] == pytest.approx(d.teacher(1.0)["Paris"])
    assert d.topk_mass(3)["kept at T = 2"] < d.topk_mass(3)["kept at T = 1"]


def test_fit_mode_seeking_vs_mean_seeking() -> None:
    reverse = d.fit_student("reverse", 0.1)
    forward = d.fit_student("forward", 0.1)
    x = np.array(reverse["x"])

    def mean_std(q: list[float]) -> tuple[float, float]:
        q = np.array(q)
        m = float(np.sum(q * x))
        return m, float(np.sqrt(np.sum(q * (x - m) ** 2)))

    m, s = mean_std(reverse["series"]["student"])
    assert abs(abs(m) - 2.0) < 0.2 and s < 0.8  # one mode
    m, s = mean_std(forward["series"]["student"])
    assert abs(m) < 0.3 and s > 1.8  # spread over both
    assert len(reverse["frames"]) == d.FIT_STEPS // d.FIT_RECORD_EVERY + 1
    assert reverse["frames"][-1]["student"] == reverse["series"]["student"]
    loss = d.fit_loss("reverse", 0.1)
    assert len(loss["x"]) == len(loss["series"]["loss"]) == d.FIT_STEPS + 1
    assert loss["series"]["loss"][-1] < loss["series"]["loss"][0]


def test_fit_is_computed_once_for_both_plots(monkeypatch) -> None:
    calls = []
    real = pycore.fit_gaussian_student

    def counting(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(pycore, "fit_gaussian_student", counting)
    d._fit.cache_clear()
    d.fit_student("skew", 0.3)
    d.fit_loss("skew", 0.3)
    assert calls == ["skew"]
    d._fit.cache_clear()


OUTPUTS = [
    (d.teacher, {"T": 0.5}),
    (d.student, {"T": 5.0}),
    (d.kd_terms, {"alpha": 0.0, "temperature": 0.5}),
    (d.kd_terms, {"alpha": 1.0, "temperature": 5.0}),
    (d.teacher_8b, {}),
    (d.teacher_70b, {}),
    (d.teacher_disagreement, {}),
    (d.mixed_teacher, {"weight": 0.0, "mode": "geometric"}),
    (d.teacher_gap, {"weight": 1.0, "mode": "arithmetic"}),
    (d.cache_per_token, {"k": 1, "precision": "fp8"}),
    (d.cache_total, {"tokens": 9000, "k": 64, "precision": "fp32"}),
    (d.topk_mass, {"k": 1}),
    (d.fit_student, {"divergence": "skew_reverse", "skew_alpha": 0.9}),
    (d.fit_loss, {"divergence": "forward", "skew_alpha": 0.1}),
]


@pytest.mark.parametrize(("fn", "kwargs"), OUTPUTS, ids=lambda v: getattr(v, "__name__", ""))
def test_outputs_are_plain_finite_json(fn, kwargs) -> None:
    result = fn(**kwargs)
    text = json.dumps(result, allow_nan=False)  # plain data, no nan/inf
    assert json.loads(text) == result


def test_docstring_examples() -> None:
    assert doctest.testmod(d).failed == 0
