"""Top-k distillation and the logit-cache arithmetic."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycore_strategies import FEW, logit_pairs

from pycore import (
    TopK,
    log_softmax,
    logit_cache_bytes,
    softmax,
    topk_forward_kl,
    topk_teacher,
)


def test_topk_teacher_by_hand():
    top = topk_teacher([0.0, math.log(3.0), math.log(2.0), 0.0], k=2)  # p = [1, 3, 2, 1] / 7
    assert top.indices.tolist() == [1, 2]
    np.testing.assert_allclose(top.probs, [3 / 7, 2 / 7], rtol=1e-15)
    assert float(top.tail) == pytest.approx(2 / 7, rel=1e-15)
    assert isinstance(top, TopK)
    # ties: the lower token id first
    assert topk_teacher([1.0, 1.0, 1.0], k=2).indices.tolist() == [0, 1]


def test_topk_forward_kl_by_hand():
    # teacher [1,3,2,1]/7, k = 2: buckets {1}, {2}, tail {0, 3}; student uniform: 1/4, 1/4, 1/2
    t = [0.0, math.log(3.0), math.log(2.0), 0.0]
    expected = 3 / 7 * math.log(12 / 7) + 2 / 7 * math.log(8 / 7) + 2 / 7 * math.log(4 / 7)
    got = float(topk_forward_kl(topk_teacher(t, k=2), [0.0] * 4))
    assert got == pytest.approx(expected, rel=1e-14)


@FEW
@given(logit_pairs(max_vocab=10), st.floats(0.05, 100.0), st.data())
def test_topk_properties(pair, T, data):
    t, s = pair
    V = t.shape[-1]
    # The reference in log space: from probabilities, a student probability that underflows to 0
    # (exp(-750) at T = 0.05) would make the true, finite KL look infinite.
    p = softmax(t, T)
    full = np.sum(p * (log_softmax(t, T) - log_softmax(s, T)), axis=-1)
    # k = V: no tail, exactly the full forward KL
    np.testing.assert_allclose(
        topk_forward_kl(topk_teacher(t, V, T), s, T), full, rtol=1e-10, atol=1e-13
    )
    k = data.draw(st.integers(1, V))
    top = topk_teacher(t, k, T)
    assert top.indices.shape == top.probs.shape == (t.shape[0], k)
    np.testing.assert_allclose(top.probs.sum(-1) + top.tail, 1.0, rtol=1e-13)
    assert np.all(np.diff(top.probs, axis=-1) <= 0)  # most likely first
    # merging classes into one bucket can only lose information (log-sum inequality)
    assert np.all(topk_forward_kl(top, s, T) <= full * (1 + 1e-12) + 1e-15)


@pytest.mark.parametrize("T", [0.05, 1.0, 100.0])
def test_topk_extremes(T):
    t = np.array([[1e4, -1e4, 0.0, 5e3, -3e3], [-1e4] * 5])
    s = -t
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k in (1, 3, 5):
            assert np.all(np.isfinite(topk_forward_kl(topk_teacher(t, k, T), s, T)))


def test_topk_validation():
    with pytest.raises(ValueError, match="k must"):
        topk_teacher([1.0, 2.0], k=3)
    with pytest.raises(ValueError, match="do not match"):
        topk_forward_kl(topk_teacher([[1.0, 2.0]], k=1), [[1.0, 2.0], [0.0, 0.0]])


def test_logit_cache_bytes_llama3_vocabulary():
    V = 128_256
    full = logit_cache_bytes(1, V)
    assert full == 256_512  # bf16: 2 bytes × 128,256 ≈ 256.5 KB per token
    assert full / 1000 == pytest.approx(256.5, abs=0.05)
    assert logit_cache_bytes(1000, V, value_bytes=4) == 1000 * V * 4
    # top-64: 64 ids × 17 bits = 1088 bits = 136 bytes, plus 65 bf16 values = 130 bytes
    assert math.ceil(math.log2(V)) == 17
    assert logit_cache_bytes(1, V, k=64) == 136 + 130
    assert logit_cache_bytes(4096, V, k=64) == 4096 * 266
    # explicit 32-bit ids and fp32 values
    assert logit_cache_bytes(2, V, k=10, value_bytes=4, index_bits=32) == 2 * (40 + 44)
    # k = 1 at 17 bits still takes 3 whole bytes
    assert logit_cache_bytes(1, V, k=1) == 3 + 4
    assert logit_cache_bytes(0, V, k=8) == 0


def test_logit_cache_bytes_validation():
    with pytest.raises(ValueError, match="k must"):
        logit_cache_bytes(1, 100, k=101)
    with pytest.raises(ValueError):
        logit_cache_bytes(-1, 100)
    with pytest.raises(ValueError, match="index_bits"):
        logit_cache_bytes(1, 100, k=5, index_bits=0)
