"""Probability distributions from logits: softmax at a temperature, its log, entropy.

Everything works on the last axis and broadcasts over any leading axes (positions, batch).
Inputs are converted to float64.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["cross_entropy", "entropy", "log_softmax", "plogq", "safe_log", "softmax"]


def _check_temperature(T: float) -> float:
    T = float(T)
    if not T > 0 or not np.isfinite(T):
        raise ValueError(f"temperature T must be a positive finite number, got {T!r}")
    return T


def log_softmax(logits: ArrayLike, T: float = 1.0, axis: int = -1) -> NDArray[np.float64]:
    r"""Log-probabilities of the softmax at temperature ``T``, computed without overflow.

    .. math:: \log p_i = z_i/T - \log \sum_j e^{z_j/T}

    The largest scaled logit is subtracted before exponentiating (the log-sum-exp trick), so
    logits of size 1e4 at ``T = 0.05`` (scaled logits of 2e5) stay finite.

    Parameters
    ----------
    logits : array_like
        Unnormalized scores ``z``; the distribution runs along ``axis``.
    T : float
        Temperature, > 0. ``T > 1`` flattens the distribution, ``T < 1`` sharpens it.
    axis : int
        The axis that holds the classes (vocabulary).

    Returns
    -------
    ndarray of float64
        Same shape as ``logits``; every entry is finite for finite logits.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(log_softmax([1.0, 2.0, 3.0]), 4)
    array([-2.4076, -1.4076, -0.4076])
    """
    T = _check_temperature(T)
    z = np.asarray(logits, dtype=np.float64) / T
    z = z - np.max(z, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def softmax(logits: ArrayLike, T: float = 1.0, axis: int = -1) -> NDArray[np.float64]:
    r"""Turn logits into probabilities at temperature ``T`` (Hinton et al. 2015, arXiv 1503.02531).

    .. math:: p_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}

    High ``T`` flattens the distribution and lifts the runner-up classes (the teacher's
    "dark knowledge"); ``T -> 0`` approaches the argmax (one-hot).

    Parameters
    ----------
    logits : array_like
        Unnormalized scores ``z``; the distribution runs along ``axis``.
    T : float
        Temperature, > 0.
    axis : int
        The axis that holds the classes.

    Returns
    -------
    ndarray of float64
        Non-negative, sums to 1 along ``axis``. Very unlikely classes may underflow to exactly 0.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(softmax([2.0, 1.0, 0.0]), 4)
    array([0.6652, 0.2447, 0.09  ])
    >>> np.round(softmax([2.0, 1.0, 0.0], T=4.0), 4)
    array([0.4192, 0.3265, 0.2543])
    """
    T = _check_temperature(T)
    z = np.asarray(logits, dtype=np.float64) / T
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def safe_log(p: ArrayLike) -> NDArray[np.float64]:
    """Natural log that returns ``-inf`` for exact zeros without a warning.

    Parameters
    ----------
    p : array_like
        Non-negative numbers (probabilities).

    Returns
    -------
    ndarray of float64
        ``log(p)``, with ``-inf`` where ``p == 0``.

    Examples
    --------
    >>> safe_log([1.0, 0.0])
    array([  0., -inf])
    """
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(p, dtype=np.float64))


def plogq(p: ArrayLike, log_q: ArrayLike) -> NDArray[np.float64]:
    """``p * log_q`` elementwise with ``0 * log 0 = 0`` (like ``scipy.special.xlogy``).

    Parameters
    ----------
    p : array_like
        Weights (probabilities); where ``p == 0`` the result is exactly 0.
    log_q : array_like
        Logarithms, may be ``-inf``.

    Returns
    -------
    ndarray of float64
        Broadcast shape of the inputs.

    Examples
    --------
    >>> plogq([0.5, 0.0], [-2.0, -np.inf])
    array([-1.,  0.])
    """
    p = np.asarray(p, dtype=np.float64)
    log_q = np.asarray(log_q, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(p > 0, p * log_q, 0.0)


def entropy(p: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    r"""Shannon entropy in nats, with ``0 log 0 = 0``.

    .. math:: H(p) = -\sum_i p_i \log p_i

    Parameters
    ----------
    p : array_like
        Probabilities along ``axis`` (may contain exact zeros).
    axis : int
        The axis that holds the classes.

    Returns
    -------
    ndarray of float64
        Shape of ``p`` without ``axis``; ``log(V)`` for the uniform distribution over ``V`` classes.

    Examples
    --------
    >>> round(float(entropy([0.5, 0.5, 0.0])), 6)
    0.693147
    """
    p = np.asarray(p, dtype=np.float64)
    return -np.sum(plogq(p, safe_log(p)), axis=axis)


def cross_entropy(logits: ArrayLike, labels: ArrayLike) -> NDArray[np.float64]:
    r"""Cross-entropy of hard labels under ``softmax(logits)`` (the usual next-token loss).

    .. math:: \mathrm{CE}(z, y) = -\log \mathrm{softmax}(z)_y

    Parameters
    ----------
    logits : array_like, shape (..., V)
        Student logits per position.
    labels : array_like of int, shape (...)
        Index of the correct class at each position.

    Returns
    -------
    ndarray of float64, shape (...)
        The loss at each position (not averaged).

    Examples
    --------
    >>> round(float(cross_entropy([0.0, 0.0, 0.0, 0.0], 2)), 6)  # log 4
    1.386294
    """
    log_q = log_softmax(logits)
    labels = np.asarray(labels)
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integer class indices, got dtype {labels.dtype}")
    if labels.shape != log_q.shape[:-1]:
        raise ValueError(
            f"labels shape {labels.shape} must equal the logits shape without the last axis "
            f"{log_q.shape[:-1]}"
        )
    V = log_q.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= V):
        raise ValueError(f"labels must lie in [0, {V - 1}]")
    return -np.take_along_axis(log_q, labels[..., None], axis=-1)[..., 0]
