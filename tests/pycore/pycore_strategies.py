"""Hypothesis strategies and settings shared by the pycore tests (few examples: 2 shared cores)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

#: Applied per test (a global profile would change other suites' settings too).
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

finite_logits = st.floats(-30.0, 30.0, allow_nan=False, allow_infinity=False)


@st.composite
def logit_pairs(draw, max_vocab: int = 8, max_rows: int = 3):
    """Two logit arrays of one shape (rows, V)."""
    rows = draw(st.integers(1, max_rows))
    vocab = draw(st.integers(2, max_vocab))
    a = draw(arrays(np.float64, (rows, vocab), elements=finite_logits))
    b = draw(arrays(np.float64, (rows, vocab), elements=finite_logits))
    return a, b


@st.composite
def distributions(draw, vocab: int, zeros: bool = False):
    """A probability vector over ``vocab`` classes, optionally with exact zeros."""
    w = draw(arrays(np.float64, vocab, elements=st.floats(0.0 if zeros else 1e-3, 1.0)))
    if not w.sum() > 0:
        w[0] = 1.0
    return w / w.sum()
