"""softmax, log_softmax, entropy, cross_entropy: hand-worked values, properties, extremes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycore_strategies import FEW, logit_pairs

from pycore import cross_entropy, entropy, log_softmax, plogq, safe_log, softmax

EXTREME_T = (0.05, 1.0, 100.0)


def test_softmax_by_hand():
    # e^0 : e^{log 3} = 1 : 3
    np.testing.assert_allclose(softmax([0.0, math.log(3.0)]), [0.25, 0.75], rtol=1e-15)
    # at T = 2 the logits are halved first
    np.testing.assert_allclose(softmax([0.0, 2 * math.log(3.0)], T=2.0), [0.25, 0.75], rtol=1e-15)
    np.testing.assert_allclose(log_softmax([0.0, 0.0, 0.0, 0.0]), [-math.log(4)] * 4, rtol=1e-15)


def test_temperature_limits():
    z = np.array([3.0, 1.0, 0.5, -2.0])
    np.testing.assert_allclose(softmax(z, T=0.05), [1.0, 0.0, 0.0, 0.0], rtol=0, atol=1e-17)
    np.testing.assert_allclose(softmax(z, T=1e6), np.full(4, 0.25), rtol=1e-5)
    # higher T never lowers the entropy
    h = [float(entropy(softmax(z, T=T))) for T in (0.5, 1.0, 2.0, 5.0, 20.0)]
    assert h == sorted(h)


@FEW
@given(logit_pairs(), st.floats(0.05, 100.0), st.floats(-50.0, 50.0))
def test_softmax_properties(pair, T, shift):
    z, _ = pair
    p = softmax(z, T)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-13)
    assert np.all(p >= 0)
    np.testing.assert_allclose(softmax(z + shift, T), p, rtol=1e-9, atol=1e-300)  # shift-invariant
    np.testing.assert_allclose(np.exp(log_softmax(z, T)), p, rtol=1e-12, atol=1e-300)


def test_vectorized_over_leading_axes():
    z = np.sin(np.arange(2 * 3 * 5)).reshape(2, 3, 5) * 4
    rows = np.array([softmax(r, T=1.5) for r in z.reshape(6, 5)]).reshape(2, 3, 5)
    np.testing.assert_array_equal(softmax(z, T=1.5), rows)
    np.testing.assert_allclose(softmax(z, axis=0).sum(0), 1.0, rtol=1e-15)


@pytest.mark.parametrize("T", EXTREME_T)
def test_extreme_logits_stay_finite(T):
    z = np.array([[1e4, -1e4, 0.0, 5e3], [-1e4, -1e4, -1e4, -1e4], [1e4, 1e4, -1e4, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p, lp = softmax(z, T), log_softmax(z, T)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(lp))
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(p[1], 0.25)


def test_bad_temperature():
    for T in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="temperature"):
            softmax([1.0, 2.0], T=T)


def test_entropy_and_zero_log_zero():
    assert float(entropy([0.25] * 4)) == pytest.approx(math.log(4), rel=1e-15)
    assert float(entropy([1.0, 0.0, 0.0])) == 0.0
    assert float(entropy([0.5, 0.5, 0.0])) == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_array_equal(safe_log([0.0, 1.0]), [-np.inf, 0.0])
    np.testing.assert_array_equal(plogq([0.0, 0.5], [-np.inf, 0.0]), [0.0, 0.0])


def test_cross_entropy_by_hand():
    z = np.array([[0.0, 0.0, 0.0, 0.0], [math.log(3.0), 0.0, -np.inf, -np.inf]])
    z[1, 2:] = -1e4  # effectively zero probability
    np.testing.assert_allclose(cross_entropy(z, [2, 0]), [math.log(4), math.log(4 / 3)], rtol=1e-14)
    with pytest.raises(ValueError, match="labels"):
        cross_entropy(z, [0, 4])
    with pytest.raises(TypeError, match="integer"):
        cross_entropy(z, [0.0, 1.0])
