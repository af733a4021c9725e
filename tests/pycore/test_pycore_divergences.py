"""The divergences: formulas worked by hand, definitions, properties, exact zeros."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycore_strategies import FEW, distributions

import pycore
from pycore import (
    DIVERGENCES,
    divergence,
    forward_kl,
    generalized_jsd,
    reverse_kl,
    skew_kl,
    skew_reverse_kl,
    tvd,
)

LOG2 = math.log(2.0)


def kl_by_definition(p, q):
    """Σ p log(p/q) written out term by term (strictly positive inputs)."""
    return sum(pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True))


def test_by_hand():
    p, q = [0.5, 0.5], [0.25, 0.75]
    assert float(forward_kl(p, q)) == pytest.approx(0.5 * LOG2 + 0.5 * math.log(2 / 3), rel=1e-14)
    assert float(reverse_kl(p, q)) == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    # skew: KL(p ‖ 0.5p + 0.5q) with m = [0.375, 0.625]
    m = [0.375, 0.625]
    assert float(skew_kl(p, q, alpha=0.5)) == pytest.approx(kl_by_definition(p, m), rel=1e-14)
    # skew reverse: KL(q ‖ 0.5p + 0.5q), same m
    assert float(skew_reverse_kl(p, q, alpha=0.5)) == pytest.approx(kl_by_definition(q, m))
    # disjoint one-hots: JSD = log 2, skew = log(1/α), TVD = 1
    a, b = [1.0, 0.0], [0.0, 1.0]
    assert float(generalized_jsd(a, b)) == pytest.approx(LOG2, rel=1e-15)
    assert float(skew_kl(a, b, alpha=0.1)) == pytest.approx(math.log(10), rel=1e-15)
    assert float(skew_reverse_kl(a, b, alpha=0.25)) == pytest.approx(math.log(4), rel=1e-15)
    assert float(tvd(a, b)) == 1.0
    assert float(tvd([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])) == 0.5


@FEW
@given(st.integers(2, 10).flatmap(lambda v: st.tuples(distributions(v), distributions(v))))
def test_each_divergence_against_its_definition(pq):
    p, q = pq
    b, a = 0.3, 0.2
    m_jsd = b * p + (1 - b) * q
    expected = {
        "forward": kl_by_definition(p, q),
        "reverse": kl_by_definition(q, p),
        "skew": kl_by_definition(p, a * p + (1 - a) * q),
        "skew_reverse": kl_by_definition(q, (1 - a) * p + a * q),
        "jsd": b * kl_by_definition(p, m_jsd) + (1 - b) * kl_by_definition(q, m_jsd),
        "tvd": 0.5 * sum(abs(pi - qi) for pi, qi in zip(p, q, strict=True)),
    }
    for name, value in expected.items():
        got = float(divergence(name, p, q, skew_alpha=a, beta=b))
        assert got == pytest.approx(max(value, 0.0), rel=1e-9, abs=1e-15), name
    assert float(skew_kl(p, q, alpha=a)) == float(divergence("skew", p, q, skew_alpha=a))
    assert float(generalized_jsd(p, q, beta=b)) == float(divergence("jsd", p, q, beta=b))


@FEW
@given(st.integers(2, 10).flatmap(lambda v: st.tuples(distributions(v), distributions(v))))
def test_nonnegative_and_zero_iff_equal(pq):
    p, q = pq
    for name, fn in DIVERGENCES.items():
        assert float(fn(p, q)) >= 0.0, name
        assert float(fn(p, p)) == 0.0, name
        if np.max(np.abs(p - q)) > 1e-3:
            assert float(fn(p, q)) > 0.0, name


@FEW
@given(st.integers(2, 10).flatmap(lambda v: st.tuples(distributions(v), distributions(v))))
def test_bounds_and_special_cases(pq):
    p, q = pq
    assert float(skew_kl(p, q, alpha=0.1)) <= math.log(10) + 1e-12
    assert float(skew_reverse_kl(p, q, alpha=0.1)) <= math.log(10) + 1e-12
    assert float(generalized_jsd(p, q)) <= LOG2 + 1e-12
    assert float(generalized_jsd(p, q)) == pytest.approx(float(generalized_jsd(q, p)), abs=1e-15)
    assert 0.0 <= float(tvd(p, q)) <= 1.0
    assert float(tvd(p, q)) == float(tvd(q, p))
    assert float(skew_kl(p, q, alpha=0.0)) == pytest.approx(float(forward_kl(p, q)), rel=1e-12)
    assert float(skew_reverse_kl(p, q, alpha=0.0)) == pytest.approx(float(reverse_kl(p, q)))
    assert float(reverse_kl(p, q)) == float(forward_kl(q, p))
    assert float(skew_kl(p, q, alpha=1.0)) == 0.0
    assert float(generalized_jsd(p, q, beta=0.0)) == 0.0


def test_exact_zeros():
    p = np.array([0.5, 0.0, 0.5, 0.0])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = {name: float(fn(p, q)) for name, fn in DIVERGENCES.items()}
        values |= {f"{name}/swapped": float(fn(q, p)) for name, fn in DIVERGENCES.items()}
    assert values["forward"] == pytest.approx(LOG2)  # 0 log 0 = 0
    assert values["reverse/swapped"] == pytest.approx(LOG2)
    # KL(q ‖ p) with p = 0 where q > 0 is truly infinite; it comes out as inf, not nan
    assert values["reverse"] == math.inf and values["forward/swapped"] == math.inf
    finite = {k: v for k, v in values.items() if k not in ("reverse", "forward/swapped")}
    assert all(math.isfinite(v) for v in finite.values()), finite


def test_vectorized_and_validated():
    p = pycore.softmax(np.sin(np.arange(24.0)).reshape(2, 3, 4))
    q = pycore.softmax(np.cos(np.arange(24.0)).reshape(2, 3, 4))
    for fn in DIVERGENCES.values():
        rows = np.array([fn(a, b) for a, b in zip(p.reshape(6, 4), q.reshape(6, 4), strict=True)])
        np.testing.assert_allclose(fn(p, q), rows.reshape(2, 3), rtol=1e-15)
    with pytest.raises(ValueError, match="unknown divergence"):
        divergence("kl", p, q)
    with pytest.raises(ValueError, match="alpha"):
        skew_kl(p, q, alpha=1.5)
    with pytest.raises(ValueError, match="last axis"):
        forward_kl([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="non-negative"):
        tvd([1.5, -0.5], [0.5, 0.5])
