"""Compute functions of the lesson "Distillation & dark knowledge" (docs/act-4/distillation.md).

Each function feeds one widget of the page. Its parameter names are the names of the page's
sliders and choices; it returns plain data: a mapping label -> probability for bars, a mapping
name -> number for a readout, ``{"x": [...], "series": {...}}`` for a plot. The same code runs at
build time under CPython and in the reader's browser under Pyodide.

The example is one next-token prediction over eight cities. The teacher's and the student's logits
were chosen so that at ``T = 2`` their distributions, shown to one decimal, read exactly like the
figure the lesson started from: teacher 60.9, 11.1, 10.1, 7.1, 5.8, 2.1, 1.6, 1.4 percent; student
62.0, 10.8, 9.8, 6.9, 5.6, 2.1, 1.5, 1.3. They differ in one logit only: the student is a little
more sure of Paris.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

import pycore

CITIES = ("Paris", "Lyon", "Marseille", "Bordeaux", "Nice", "London", "Berlin", "Rome")
#: Next-token logits of a teacher that knows the answer is Paris and that the runner-ups are French.
TEACHER_LOGITS = (5.0, 1.6, 1.4, 0.7, 0.3, -1.7, -2.3, -2.6)
#: The student's logits: the teacher's, with Paris 0.1 higher.
STUDENT_LOGITS = (5.1, 1.6, 1.4, 0.7, 0.3, -1.7, -2.3, -2.6)
#: The correct next token (Paris) for the hard-label term.
LABEL = 0
#: A student early in training, still far from the teacher: the loss widget's example.
EARLY_STUDENT_LOGITS = (2.0, 1.0, 1.2, 0.6, 0.9, 0.8, 0.4, 0.5)

#: Two made-up teachers for the same position: an "8B" (the lesson's teacher) and a "70B" that
#: ranks Marseille well above Lyon and gives the foreign capitals much less mass.
TEACHER_8B_LOGITS = TEACHER_LOGITS
TEACHER_70B_LOGITS = (5.2, 0.4, 2.6, 0.8, 0.6, -4.0, -4.5, -4.8)
#: Temperature at which the two-teacher widget shows its distributions.
MIX_T = 2.0

#: The temperatures of the heatmap that shows a whole sweep at once.
SWEEP_T = (0.5, 1.0, 2.0, 4.0, 8.0)

#: Llama 3's vocabulary size (tokens), used for the logit-cache sizes.
LLAMA3_VOCAB = 128_256
#: Bytes per stored value for each precision the cache widget offers.
PRECISION_BYTES = {"fp32": 4, "bf16": 2, "fp8": 1}

#: The fit widget's teacher: two well-separated modes on a grid.
FIT_GRID = np.linspace(-6.0, 6.0, 121)
FIT_TEACHER = pycore.gaussian_mixture(FIT_GRID, [-2.0, 2.0], [0.6, 0.6])
FIT_STEPS = 300
#: Keep a snapshot of the student every this many steps, for the plot to animate through.
FIT_RECORD_EVERY = 20


def _bars(probs: np.ndarray) -> dict[str, float]:
    return {city: float(p) for city, p in zip(CITIES, probs, strict=True)}


def teacher(T: float = 2.0) -> dict[str, float]:
    """The teacher's next-token distribution at temperature ``T``: softmax(logits / T).

    >>> round(teacher(2.0)["Paris"] * 100, 1)
    60.9
    """
    return _bars(pycore.softmax(TEACHER_LOGITS, T))


def student(T: float = 2.0) -> dict[str, float]:
    """The student's next-token distribution at temperature ``T``.

    >>> round(student(2.0)["Paris"] * 100, 1)
    62.0
    """
    return _bars(pycore.softmax(STUDENT_LOGITS, T))


def temperature_sweep() -> dict[str, Any]:
    """The teacher's distribution at each temperature of ``SWEEP_T``, side by side.

    Column ``j`` is ``softmax(z / T_j)`` for the teacher's logits ``z``; row ``i`` follows one
    city across the temperatures. For a heatmap.

    Returns
    -------
    dict
        ``{"z": [[p_i(T_j) for each T_j] for each city i], "rows": CITIES, "cols": ["T = 0.5",
        ...], "xlabel": "temperature", "ylabel": "city"}``.

    Examples
    --------
    >>> sweep = temperature_sweep()
    >>> sweep["cols"]
    ['T = 0.5', 'T = 1', 'T = 2', 'T = 4', 'T = 8']
    >>> [round(p * 100, 1) for p in sweep["z"][0]]  # Paris
    [99.8, 92.1, 60.9, 33.5, 21.5]
    >>> [round(p * 100, 1) for p in sweep["z"][1]]  # Lyon: up, then slowly down towards 1/8
    [0.1, 3.1, 11.1, 14.3, 14.1]
    >>> [round(p * 100, 1) for p in sweep["z"][7]]  # Rome
    [0.0, 0.0, 1.4, 5.0, 8.3]
    """
    z = np.array([pycore.softmax(TEACHER_LOGITS, T) for T in SWEEP_T]).T
    return {
        "z": z.tolist(),
        "rows": list(CITIES),
        "cols": [f"T = {T:g}" for T in SWEEP_T],
        "xlabel": "temperature",
        "ylabel": "city",
    }


def by_rank(T: float = 2.0) -> dict[str, Any]:
    """Teacher and student probabilities at temperature ``T``, city by city in the teacher's order.

    For a plot with a log axis: the small probabilities, invisible on a linear axis, are the dark
    knowledge.

    Examples
    --------
    >>> result = by_rank(2.0)
    >>> result["x"][:3], round(result["series"]["teacher"][0], 3)
    ([1, 2, 3], 0.609)
    """
    return {
        "x": list(range(1, len(CITIES) + 1)),
        "series": {
            "teacher": pycore.softmax(TEACHER_LOGITS, T).tolist(),
            "student": pycore.softmax(STUDENT_LOGITS, T).tolist(),
        },
        "xlabel": "rank of the city for the teacher",
        "ylabel": "probability",
    }


def teacher_vs_student(T: float = 2.0) -> dict[str, Any]:
    """Each city's probability under the teacher (x) and the student (y) at temperature ``T``.

    For a scatter: a student that matched the teacher would put every point on the diagonal. This
    one is a little more sure of Paris, so Paris lies just above it and the seven others just
    below (the student's probabilities sum to one too).

    Examples
    --------
    >>> points = teacher_vs_student(2.0)["series"]
    >>> [len(p["x"]) for p in points.values()]
    [1, 7]
    >>> p = points["the other cities"]
    >>> all(y < x for x, y in zip(p["x"], p["y"]))
    True
    """
    p = pycore.softmax(TEACHER_LOGITS, T)
    q = pycore.softmax(STUDENT_LOGITS, T)
    return {
        "series": {
            "Paris": {"x": p[:1].tolist(), "y": q[:1].tolist()},
            "the other cities": {"x": p[1:].tolist(), "y": q[1:].tolist()},
        },
        "xlabel": "teacher's probability",
        "ylabel": "student's probability",
    }


#: The random teachers of :func:`entropy_spread`: logits drawn from a normal distribution with
#: standard deviation 3, eight per teacher, with a fixed seed.
RANDOM_TEACHER_LOGITS = np.random.default_rng(0).normal(scale=3.0, size=(500, 8))


def entropy_spread(T: float = 2.0) -> dict[str, Any]:
    """The entropies (in nats) of 500 random eight-way teachers at temperature ``T``.

    For a histogram. An eight-way distribution has an entropy between 0 (certain) and
    ln 8 ≈ 2.079 (uniform); a higher temperature moves every teacher towards the uniform end.
    The bins are fixed: 20 equal bins from 0 to ln 8.

    Examples
    --------
    >>> cold, hot = entropy_spread(0.5)["values"], entropy_spread(4.0)["values"]
    >>> len(cold), bool(cold.mean() < hot.mean() < np.log(8))
    (500, True)
    """
    h = pycore.entropy(pycore.softmax(RANDOM_TEACHER_LOGITS, T, axis=-1), axis=-1)
    return {"values": h, "bins": np.linspace(0.0, np.log(8), 21), "xlabel": "entropy (nats)"}


def kd_terms(alpha: float = 0.5, temperature: float = 2.0) -> dict[str, float]:
    """The two terms of the distillation loss for a student early in training; gradient sizes.

    L_KD = α·CE(student, Paris) + (1 − α)·T²·KL(p_T^teacher ‖ p_T^student), from
    :func:`pycore.kd_loss`. The gradient sizes are Euclidean norms, over the eight student logits,
    of the gradient of the soft term T²·KL (from :func:`pycore.kd_loss_grad` with α = 0) and of
    the bare KL (the same divided by T²): the first stays of one size as T grows, the second
    shrinks like 1/T².

    >>> terms = kd_terms(0.5, 2.0)
    >>> abs(terms["hard term α·CE"] + terms["soft term (1−α)·T²·KL"] - terms["L_KD"]) < 1e-12
    True
    """
    args = ([EARLY_STUDENT_LOGITS], [TEACHER_LOGITS], [LABEL])
    hard = alpha * pycore.kd_loss(*args, alpha=1.0, T=temperature)
    soft = (1.0 - alpha) * pycore.kd_loss(*args, alpha=0.0, T=temperature)
    grad = float(np.linalg.norm(pycore.kd_loss_grad(*args, alpha=0.0, T=temperature)))
    return {
        "hard term α·CE": hard,
        "soft term (1−α)·T²·KL": soft,
        "L_KD": pycore.kd_loss(*args, alpha=alpha, T=temperature),
        "‖∇ T²·KL‖ (with T²)": grad,
        "‖∇ KL‖ (without T²)": grad / temperature**2,
    }


def teacher_8b() -> dict[str, float]:
    """The "8B" teacher at T = 2 (the lesson's teacher)."""
    return _bars(pycore.softmax(TEACHER_8B_LOGITS, MIX_T))


def teacher_70b() -> dict[str, float]:
    """The "70B" teacher at T = 2."""
    return _bars(pycore.softmax(TEACHER_70B_LOGITS, MIX_T))


def teacher_disagreement() -> dict[str, float]:
    """Where the two teachers disagree: |p_8B − p_70B| for each city, at T = 2."""
    gap = np.abs(
        pycore.softmax(TEACHER_8B_LOGITS, MIX_T) - pycore.softmax(TEACHER_70B_LOGITS, MIX_T)
    )
    return _bars(gap)


def mixed_teacher(weight: float = 0.5, mode: str = "arithmetic") -> dict[str, float]:
    """The target a student would learn from: ``weight`` of the 8B mixed with the 70B.

    ``mode`` is "arithmetic" (w·p_8B + (1 − w)·p_70B) or "geometric" (normalized
    p_8B^w · p_70B^(1 − w)), see :func:`pycore.mix_teachers`.
    """
    p_8b = pycore.softmax(TEACHER_8B_LOGITS, MIX_T)
    p_70b = pycore.softmax(TEACHER_70B_LOGITS, MIX_T)
    return _bars(pycore.mix_teachers(p_8b, p_70b, weight, mode))


def teacher_gap(weight: float = 0.5, mode: str = "arithmetic") -> dict[str, float]:
    """How far the mixed target is from each teacher (total variation distance, in [0, 1])."""
    p_8b = pycore.softmax(TEACHER_8B_LOGITS, MIX_T)
    p_70b = pycore.softmax(TEACHER_70B_LOGITS, MIX_T)
    mixed = pycore.mix_teachers(p_8b, p_70b, weight, mode)
    return {
        "TVD(8B, 70B)": float(pycore.tvd(p_8b, p_70b)),
        "TVD(mix, 8B)": float(pycore.tvd(p_8b, mixed)),
        "TVD(mix, 70B)": float(pycore.tvd(p_70b, mixed)),
    }


def cache_per_token(k: int = 64, precision: str = "bf16") -> dict[str, float]:
    """Bytes per token of a logit cache over Llama 3's 128,256-token vocabulary, full vs top-k.

    >>> cache_per_token(64, "bf16")["full (bytes/token)"]
    256512.0
    """
    value_bytes = PRECISION_BYTES[precision]
    full = pycore.logit_cache_bytes(1, LLAMA3_VOCAB, value_bytes=value_bytes)
    top = pycore.logit_cache_bytes(1, LLAMA3_VOCAB, k=int(k), value_bytes=value_bytes)
    return {
        "full (bytes/token)": float(full),
        "top-k (bytes/token)": float(top),
        "full ÷ top-k": full / top,
    }


def cache_total(tokens: int = 100, k: int = 64, precision: str = "bf16") -> dict[str, float]:
    """Total size, in terabytes (10¹² bytes), of a cache for ``tokens`` billion training tokens."""
    n, value_bytes = int(tokens) * 10**9, PRECISION_BYTES[precision]
    return {
        "full (TB)": pycore.logit_cache_bytes(n, LLAMA3_VOCAB, value_bytes=value_bytes) / 1e12,
        "top-k (TB)": pycore.logit_cache_bytes(n, LLAMA3_VOCAB, k=int(k), value_bytes=value_bytes)
        / 1e12,
    }


def topk_mass(k: int = 64) -> dict[str, float]:
    """The share of the teacher's probability that a top-k cache keeps on the eight-city example.

    The example has only eight tokens, so any k ≥ 8 keeps everything.

    >>> topk_mass(1)["kept at T = 1"] > 0.9
    True
    """
    k = min(int(k), len(CITIES))
    return {
        f"kept at T = {T:g}": 1.0 - float(pycore.topk_teacher(TEACHER_LOGITS, k, T).tail)
        for T in (1.0, 2.0)
    }


@lru_cache(maxsize=32)
def _fit(divergence: str, skew_alpha: float) -> dict[str, Any]:
    """One fit of the Gaussian student, shared by the two plots that show it."""
    return pycore.fit_gaussian_student(
        FIT_TEACHER,
        FIT_GRID,
        divergence,
        steps=FIT_STEPS,
        record_every=FIT_RECORD_EVERY,
        skew_alpha=skew_alpha,
    )


def fit_student(divergence: str = "reverse", skew_alpha: float = 0.1) -> dict[str, Any]:
    """The two-mode teacher and the Gaussian student fitted to it by ``divergence``.

    ``frames`` holds the student every ``FIT_RECORD_EVERY`` steps of training (next to the fixed
    teacher), for the plot to animate through.

    >>> result = fit_student("reverse")
    >>> sorted(result["series"]), len(result["x"])
    (['student', 'teacher'], 121)
    """
    fit = _fit(divergence, float(skew_alpha))
    teacher = fit["teacher"]
    return {
        "x": FIT_GRID.tolist(),
        "series": {"teacher": teacher, "student": fit["student"]},
        "frames": [{"teacher": teacher, "student": q} for q in fit["snapshots"]],
        "xlabel": "x",
        "ylabel": "probability",
    }


def fit_loss(divergence: str = "reverse", skew_alpha: float = 0.1) -> dict[str, Any]:
    """The divergence between teacher and student after each training step of the same fit."""
    fit = _fit(divergence, float(skew_alpha))
    return {
        "x": list(range(len(fit["loss"]))),
        "series": {"loss": fit["loss"]},
        "xlabel": "training step",
        "ylabel": "divergence",
    }


# Exercises (docs/act-4/distillation.md): the references the reader's code is checked against. They
# are the functions that draw the teacher and student bars and the loss readout above, with the
# parameter names the exercises give the reader.


def softmax_T(z: list[float], T: float) -> np.ndarray:
    """softmax(z / T): the reference of the exercise "Softmax with a temperature".

    >>> softmax_T([1000.0, -1000.0, 0.0], 1.0).round(3).tolist()
    [1.0, 0.0, 0.0]
    """
    return pycore.softmax(z, T)


def soft_term(teacher_logits: list[float], student_logits: list[float], T: float) -> float:
    """T²·KL(p_T^teacher ‖ p_T^student) for one position: the distillation loss at α = 0, from
    :func:`pycore.kd_loss` (the reference of the exercise "The soft term and its T²").

    >>> round(soft_term(TEACHER_LOGITS, TEACHER_LOGITS, 2.0), 12)
    0.0
    """
    return pycore.kd_loss([student_logits], [teacher_logits], None, alpha=0.0, T=T)


def soft_term_cases() -> list[dict[str, Any]]:
    """The cases of that exercise: the eight cities' teacher against the early student and the
    lesson's student, at the temperatures the readout offers."""
    cases: list[dict[str, Any]] = []
    for student_logits in (EARLY_STUDENT_LOGITS, STUDENT_LOGITS):
        for T in (1.0, 2.0, 4.0):
            cases.append(
                {
                    "teacher_logits": list(TEACHER_LOGITS),
                    "student_logits": list(student_logits),
                    "T": T,
                }
            )
    return cases
