"""mix_teachers: arithmetic and geometric mixtures of two teachers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycore_strategies import FEW, distributions

from pycore import mix_teachers


def test_by_hand():
    a, b = [0.9, 0.1], [0.5, 0.5]
    np.testing.assert_allclose(mix_teachers(a, b, 0.25), [0.6, 0.4], rtol=1e-15)
    # geometric, w = ½: √(0.45), √(0.05) → 3 : 1
    np.testing.assert_allclose(mix_teachers(a, b, 0.5, mode="geometric"), [0.75, 0.25], rtol=1e-14)


def test_geometric_zeros_veto_unless_weight_zero():
    a, b = [0.5, 0.5, 0.0], [0.2, 0.3, 0.5]
    np.testing.assert_allclose(mix_teachers(a, b, 0.5, mode="geometric")[2], 0.0)
    np.testing.assert_allclose(mix_teachers(a, b, 0.0, mode="geometric"), b, rtol=1e-14)
    np.testing.assert_allclose(mix_teachers(b, a, 1.0, mode="geometric"), b, rtol=1e-14)
    with pytest.raises(ValueError, match="share no token"):
        mix_teachers([1.0, 0.0], [0.0, 1.0], 0.5, mode="geometric")


@FEW
@given(
    st.integers(2, 8).flatmap(lambda v: st.tuples(distributions(v, zeros=True), distributions(v))),
    st.floats(0.0, 1.0),
)
def test_mixtures_are_distributions_between_the_teachers(pq, w):
    a, b = pq
    for mode in ("arithmetic", "geometric"):
        m = mix_teachers(a, b, w, mode=mode)
        assert np.all(m >= 0)
        np.testing.assert_allclose(m.sum(-1), 1.0, rtol=1e-13)
    np.testing.assert_allclose(mix_teachers(a, b, 1.0), a, rtol=1e-15)
    np.testing.assert_allclose(mix_teachers(a, b, 0.0), b, rtol=1e-15)


def test_validation_and_vectorization():
    with pytest.raises(ValueError, match="weight"):
        mix_teachers([0.5, 0.5], [0.5, 0.5], 1.5)
    with pytest.raises(ValueError, match="mode"):
        mix_teachers([0.5, 0.5], [0.5, 0.5], 0.5, mode="harmonic")
    a = np.array([[0.9, 0.1], [0.2, 0.8]])
    b = np.array([[0.5, 0.5], [0.6, 0.4]])
    rows = [mix_teachers(x, y, 0.3, mode="geometric") for x, y in zip(a, b, strict=True)]
    np.testing.assert_allclose(mix_teachers(a, b, 0.3, mode="geometric"), rows, rtol=1e-15)
