"""Top-k distillation: keep only the teacher's k most likely tokens per position, plus a tail.

Storing a full teacher distribution over a 128k vocabulary costs about 256 KB per token in bf16;
keeping the top k probabilities, their token ids and one "everything else" bucket costs a few
hundred bytes. The student is then trained on a forward KL over k + 1 buckets.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .distributions import log_softmax, plogq, safe_log

__all__ = ["TopK", "logit_cache_bytes", "topk_forward_kl", "topk_teacher"]


class TopK(NamedTuple):
    """The top-k part of a teacher distribution, per position.

    Attributes
    ----------
    indices : ndarray of int64, shape (..., k)
        Token ids, most likely first (ties: lower id first).
    probs : ndarray of float64, shape (..., k)
        Their probabilities at the chosen temperature.
    tail : ndarray of float64, shape (...)
        The probability of all other tokens, ``1 − probs.sum(-1)`` (summed directly, so it is
        exactly 0 when ``k`` equals the vocabulary).
    """

    indices: NDArray[np.int64]
    probs: NDArray[np.float64]
    tail: NDArray[np.float64]


def topk_teacher(teacher_logits: ArrayLike, k: int, T: float = 1.0) -> TopK:
    r"""The teacher's ``k`` most likely tokens per position, their probabilities and the tail mass.

    .. math:: \text{tail} = 1 - \sum_{i \in \text{top-}k} p_i, \quad p = \mathrm{softmax}(t/T)

    Parameters
    ----------
    teacher_logits : array_like, shape (..., V)
        Teacher logits.
    k : int
        How many tokens to keep, 1 ≤ k ≤ V.
    T : float
        Temperature of the teacher softmax.

    Returns
    -------
    TopK
        ``(indices, probs, tail)``, see :class:`TopK`.

    Examples
    --------
    >>> top = topk_teacher([0.0, 2.0, 1.0, -1.0], k=2)
    >>> top.indices.tolist(), [round(x, 4) for x in top.probs.tolist()], round(float(top.tail), 4)
    ([1, 2], [0.6439, 0.2369], 0.1192)
    """
    t = np.asarray(teacher_logits, dtype=np.float64)
    V = t.shape[-1]
    k = int(k)
    if not 1 <= k <= V:
        raise ValueError(f"k must lie in [1, {V}] (the vocabulary size), got {k}")
    p = np.exp(log_softmax(t, T))
    order = np.argsort(-t, axis=-1, kind="stable")
    p_sorted = np.take_along_axis(p, order, axis=-1)
    return TopK(order[..., :k], p_sorted[..., :k], np.sum(p_sorted[..., k:], axis=-1))


def _logsumexp_masked(x: NDArray[np.float64], keep: NDArray[np.bool_]) -> NDArray[np.float64]:
    """log Σ exp(x) over the last axis, counting only entries where ``keep``; −inf if none."""
    x = np.where(keep, x, -np.inf)
    m = np.max(x, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return (m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))[..., 0]


def topk_forward_kl(topk: TopK, student_logits: ArrayLike, T: float = 1.0) -> NDArray[np.float64]:
    r"""Forward KL over the teacher's top-k tokens plus one tail bucket.

    .. math:: \sum_{i \in \text{top-}k} p_i \log\frac{p_i}{q_i}
              + p_\text{tail} \log\frac{p_\text{tail}}{q_\text{tail}}

    where ``q = softmax(student_logits / T)`` and ``q_tail`` is the student's mass outside the
    top-k. With ``k = V`` the tail is empty and this is the full forward KL.

    Parameters
    ----------
    topk : TopK
        From :func:`topk_teacher` (same temperature ``T``).
    student_logits : array_like, shape (..., V)
        Student logits.
    T : float
        Temperature of the student softmax.

    Returns
    -------
    ndarray, shape (...)
        ≥ 0 (a lower bound of the full forward KL, by the log-sum inequality).

    Examples
    --------
    >>> from pycore import forward_kl, softmax
    >>> t, s = [0.0, 2.0, 1.0, -1.0], [1.0, 1.0, 0.0, 0.0]
    >>> full = float(forward_kl(softmax(t), softmax(s)))
    >>> abs(float(topk_forward_kl(topk_teacher(t, k=4), s)) - full) < 1e-12
    True
    >>> float(topk_forward_kl(topk_teacher(t, k=2), s)) <= full
    True
    """
    idx, p_top, p_tail = (np.asarray(a) for a in topk)
    log_q = log_softmax(student_logits, T)
    if log_q.shape[:-1] != idx.shape[:-1]:
        raise ValueError(f"student logits {log_q.shape} do not match the top-k {idx.shape}")
    log_q_top = np.take_along_axis(log_q, idx, axis=-1)
    outside = np.ones(log_q.shape, dtype=bool)
    np.put_along_axis(outside, idx, False, axis=-1)
    log_q_tail = _logsumexp_masked(log_q, outside)
    with np.errstate(invalid="ignore"):
        head = np.sum(plogq(p_top, safe_log(p_top) - log_q_top), axis=-1)
        tail = plogq(p_tail, safe_log(p_tail) - log_q_tail)
    return np.maximum(head + tail, 0.0)


def logit_cache_bytes(
    num_tokens: int,
    vocab_size: int,
    k: int | None = None,
    value_bytes: int = 2,
    index_bits: int | None = None,
) -> int:
    r"""Bytes needed to store teacher outputs for ``num_tokens`` tokens, full or top-k.

    Full cache (``k=None``): ``num_tokens · vocab_size · value_bytes``.
    Top-k cache: per token, ``k`` token ids packed at ``index_bits`` bits each (rounded up to
    whole bytes per token), ``k`` values and one tail mass at ``value_bytes`` each:

    .. math:: \text{bytes} = N\,\big(\lceil k\,b_\text{idx}/8\rceil + (k+1)\,b_\text{val}\big)

    Parameters
    ----------
    num_tokens : int
        Number of token positions ``N``.
    vocab_size : int
        Vocabulary size ``V`` (Llama 3: 128,256).
    k : int or None
        Tokens kept per position, or ``None`` for the full distribution.
    value_bytes : int
        Bytes per stored probability/logit (2 for bf16/fp16, 4 for fp32).
    index_bits : int or None
        Bits per token id; default ``ceil(log2(vocab_size))`` (17 for 128,256).

    Returns
    -------
    int
        Total bytes.

    Examples
    --------
    >>> logit_cache_bytes(1, 128_256)  # full bf16: about 256.5 KB per token
    256512
    >>> logit_cache_bytes(1, 128_256, k=64)  # 64 ids at 17 bits = 136 B, 65 bf16 values = 130 B
    266
    """
    num_tokens, vocab_size, value_bytes = int(num_tokens), int(vocab_size), int(value_bytes)
    if num_tokens < 0 or vocab_size < 1 or value_bytes < 1:
        raise ValueError("num_tokens must be >= 0, vocab_size and value_bytes >= 1")
    if k is None:
        return num_tokens * vocab_size * value_bytes
    k = int(k)
    if not 1 <= k <= vocab_size:
        raise ValueError(f"k must lie in [1, {vocab_size}], got {k}")
    bits = max(1, math.ceil(math.log2(vocab_size))) if index_bits is None else int(index_bits)
    if bits < 1:
        raise ValueError(f"index_bits must be >= 1, got {bits}")
    per_token = -(-k * bits // 8) + (k + 1) * value_bytes
    return num_tokens * per_token
