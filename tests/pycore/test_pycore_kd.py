"""kd_loss, kd_loss_grad: the definition, gradients vs finite differences, the T² factor."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycore_strategies import FEW, logit_pairs

from pycore import DIVERGENCES, cross_entropy, divergence, kd_loss, kd_loss_grad, softmax

OPTS = {"skew_alpha": 0.25, "beta": 0.3}
SMOOTH = ("forward", "reverse", "skew", "skew_reverse", "jsd")  # all but tvd


def central_differences(f, z, h=1e-6):
    grad = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        e = np.zeros_like(z)
        e[i] = h
        grad[i] = (f(z + e) - f(z - e)) / (2 * h)
    return grad


@pytest.mark.parametrize("name", list(DIVERGENCES))
def test_loss_is_its_definition(name):
    z = np.sin(np.arange(15.0)).reshape(3, 5) * 3
    t = np.cos(np.arange(15.0) * 0.7).reshape(3, 5) * 2
    y = np.array([4, 0, 2])
    alpha, T = 0.3, 2.5
    soft = divergence(name, softmax(t, T), softmax(z, T), **OPTS)
    expected = alpha * cross_entropy(z, y).mean() + (1 - alpha) * T**2 * soft.mean()
    assert kd_loss(z, t, y, alpha, T, name, **OPTS) == pytest.approx(expected, rel=1e-13)


def test_forward_gradient_by_hand():
    # N = 1: α(softmax(z) − onehot) + (1 − α)·T·(q_T − p_T)
    z, t, y, alpha, T = np.array([[1.0, 0.0, -1.0]]), np.array([[0.0, 2.0, 0.0]]), [1], 0.4, 3.0
    expected = alpha * (softmax(z) - [0, 1, 0]) + (1 - alpha) * T * (softmax(z, T) - softmax(t, T))
    np.testing.assert_allclose(kd_loss_grad(z, t, y, alpha, T), expected, rtol=1e-12)


@pytest.mark.parametrize("name", list(DIVERGENCES))
@pytest.mark.parametrize("T", [0.5, 3.0])
@FEW
@given(pair=logit_pairs(max_vocab=6), seed=st.integers(0, 2**16))
def test_gradient_matches_finite_differences(name, T, pair, seed):
    z, t = pair
    z, t = z / 4, t / 4  # keep the loss O(1) so differences resolve the gradient well
    y = np.random.default_rng(seed).integers(0, z.shape[-1], size=z.shape[0])
    if name == "tvd" and np.min(np.abs(softmax(z, T) - softmax(t, T))) < 1e-4:
        return  # too close to a kink of |q − p| for a finite difference
    analytic = kd_loss_grad(z, t, y, 0.3, T, name, **OPTS)
    numeric = central_differences(lambda x: kd_loss(x, t, y, 0.3, T, name, **OPTS), z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


Z = np.array([[2.0, -1.0, 0.5, 3.0, -2.0, 0.0]])
TEACHER = np.array([[1.0, 0.5, -1.5, 4.0, 0.0, -0.5]])


def soft_grad_without_t_squared(name, T):
    """∂/∂z D(softmax(t/T), softmax(z/T)) by finite differences of the public functions."""
    return central_differences(
        lambda z: float(divergence(name, softmax(TEACHER, T), softmax(z, T), **OPTS)[0]), Z, h=1e-3
    )


@pytest.mark.parametrize("name", SMOOTH)
def test_t_squared_keeps_the_soft_gradient_order_one(name):
    norms_without, norms_with = [], []
    for T in (10.0, 20.0, 40.0):
        norms_without.append(np.linalg.norm(soft_grad_without_t_squared(name, T)))
        norms_with.append(np.linalg.norm(kd_loss_grad(Z, TEACHER, None, 0.0, T, name, **OPTS)))
    # without T² the gradient shrinks like 1/T²: doubling T divides it by about 4
    ratios = np.array(norms_without[:-1]) / np.array(norms_without[1:])
    np.testing.assert_allclose(ratios, 4.0, rtol=0.05)
    # with T² it settles at a constant of order one
    np.testing.assert_allclose(norms_with[1:], norms_with[:-1], rtol=0.05)
    np.testing.assert_allclose(
        np.array(norms_with) / np.array(norms_without) / [1e2, 4e2, 16e2], 1.0, rtol=1e-3
    )


def test_t_squared_is_made_for_kl_not_tvd():
    # TVD shrinks like 1/T, not 1/T², so with the T² factor its gradient grows like T
    norms = [np.linalg.norm(kd_loss_grad(Z, TEACHER, None, 0.0, T, "tvd")) for T in (20.0, 40.0)]
    assert norms[1] / norms[0] == pytest.approx(2.0, rel=0.05)


def test_high_temperature_limit_of_the_forward_gradient():
    # T·(q_T − p_T) → ((z − z̄) − (t − t̄)) / V as T → ∞ (first order in 1/T)
    V = Z.shape[-1]
    limit = ((Z - Z.mean()) - (TEACHER - TEACHER.mean())) / V
    np.testing.assert_allclose(kd_loss_grad(Z, TEACHER, None, 0.0, 1000.0), limit, atol=2e-3)


@pytest.mark.parametrize("name", list(DIVERGENCES))
@pytest.mark.parametrize("T", [0.05, 1.0, 100.0])
def test_extreme_logits_stay_finite(name, T):
    z = np.array([[1e4, -1e4, 0.0, 5e3], [-1e4, -1e4, -1e4, -1e4], [1e4, 1e4, -1e4, 1e4]])
    t = -z[::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = kd_loss(z, t, [0, 1, 2], 0.5, T, name)
        grad = kd_loss_grad(z, t, [0, 1, 2], 0.5, T, name)
    assert math.isfinite(loss) and np.all(np.isfinite(grad))


def test_vectorized_over_positions():
    z = np.sin(np.arange(30.0)).reshape(2, 3, 5) * 2
    t = np.cos(np.arange(30.0)).reshape(2, 3, 5) * 2
    y = np.arange(6).reshape(2, 3) % 5
    for name in DIVERGENCES:
        flat = kd_loss(z.reshape(6, 5), t.reshape(6, 5), y.reshape(6), 0.2, 1.5, name)
        assert kd_loss(z, t, y, 0.2, 1.5, name) == pytest.approx(flat, rel=1e-14)
        g = kd_loss_grad(z, t, y, 0.2, 1.5, name)
        np.testing.assert_allclose(
            g.reshape(6, 5),
            kd_loss_grad(z.reshape(6, 5), t.reshape(6, 5), y.reshape(6), 0.2, 1.5, name),
            rtol=1e-14,
        )


def test_bad_arguments():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="labels are required"):
        kd_loss(z, z, None, alpha=0.5)
    assert kd_loss(z, z, None, alpha=0.0) == 0.0
    with pytest.raises(ValueError, match="labels must"):
        kd_loss(z, z, [0, 3])
    with pytest.raises(ValueError, match="share a shape"):
        kd_loss(z, np.zeros((2, 4)), [0, 1])
    with pytest.raises(ValueError, match="unknown divergence"):
        kd_loss_grad(z, z, [0, 1], divergence="kl")
    with pytest.raises(ValueError, match="alpha"):
        kd_loss(z, z, [0, 1], alpha=2.0)
