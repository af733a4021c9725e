"""Combining two teachers' distributions into one target (e.g. an 8B and a 70B teacher)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .distributions import safe_log
from .divergences import _weight

__all__ = ["mix_teachers"]


def _scaled_log(w: float, p: NDArray[np.float64]) -> NDArray[np.float64]:
    """w·log p with 0·log 0 = 0 (a teacher with weight 0 cannot veto a token)."""
    if w == 0.0:
        return np.zeros_like(p)
    return w * safe_log(p)


def mix_teachers(
    p_a: ArrayLike, p_b: ArrayLike, weight: float, mode: str = "arithmetic"
) -> NDArray[np.float64]:
    r"""Mix two teacher distributions over the same vocabulary into one.

    Arithmetic mixture (a teacher that says "either of us"):

    .. math:: m = w\,p_a + (1-w)\,p_b

    Geometric mixture (a product of experts; a token needs both teachers' support):

    .. math:: m_i = \frac{p_{a,i}^{\,w}\,p_{b,i}^{\,1-w}}{\sum_j p_{a,j}^{\,w}\,p_{b,j}^{\,1-w}}

    Parameters
    ----------
    p_a, p_b : array_like, shape (..., V)
        The two teachers' probabilities.
    weight : float
        ``w`` in [0, 1], the weight of teacher ``a``.
    mode : str
        ``"arithmetic"`` or ``"geometric"``.

    Returns
    -------
    ndarray of float64, shape (..., V)
        A distribution (sums to 1 along the last axis). The geometric mixture is computed in
        log space; it raises ``ValueError`` if the teachers share no token at a position.

    Examples
    --------
    >>> import numpy as np
    >>> mix_teachers([0.8, 0.2], [0.2, 0.8], 0.5).tolist()
    [0.5, 0.5]
    >>> np.round(mix_teachers([0.9, 0.1], [0.5, 0.5], 0.5, mode="geometric"), 4)
    array([0.75, 0.25])
    """
    w = _weight("weight", weight)
    p_a = np.asarray(p_a, dtype=np.float64)
    p_b = np.asarray(p_b, dtype=np.float64)
    if p_a.shape[-1:] != p_b.shape[-1:]:
        raise ValueError(f"teachers must share the vocabulary axis, got {p_a.shape}, {p_b.shape}")
    if mode == "arithmetic":
        return w * p_a + (1.0 - w) * p_b
    if mode != "geometric":
        raise ValueError(f"mode must be 'arithmetic' or 'geometric', got {mode!r}")
    log_m = _scaled_log(w, p_a) + _scaled_log(1.0 - w, p_b)
    top = np.max(log_m, axis=-1, keepdims=True)
    if not np.all(np.isfinite(top)):
        raise ValueError("geometric mixture undefined: the teachers share no token at a position")
    e = np.exp(log_m - top)
    return e / np.sum(e, axis=-1, keepdims=True)
