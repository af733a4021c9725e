"""Divergences between a teacher distribution ``p`` and a student distribution ``q``.

All functions reduce the last axis and broadcast over leading axes. Conventions:

* ``0 * log 0 = 0``: classes where the weighting distribution is exactly zero contribute nothing.
* A KL term ``p * log(p / q)`` with ``p > 0`` and ``q == 0`` is ``+inf`` (that is its true value);
  it is returned as ``inf``, never ``nan``. Softmax outputs are positive unless they underflow, and
  :func:`pycore.kd_loss` works from log-probabilities, so it stays finite even then.
* KL-type values are clipped at 0 to hide rounding of order 1e-17 (they are never negative).

Sources: forward KL as the distillation loss, Hinton et al. 2015 (arXiv 1503.02531); reverse KL,
MiniLLM, Gu et al. 2024 (arXiv 2306.08543); skew KL and skew reverse KL, DistiLLM, Ko et al. 2024
(arXiv 2402.03898); generalized JSD, GKD, Agarwal et al. 2024 (arXiv 2306.13649).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .distributions import safe_log

__all__ = [
    "DIVERGENCES",
    "divergence",
    "divergence_and_logit_grad",
    "forward_kl",
    "generalized_jsd",
    "reverse_kl",
    "skew_kl",
    "skew_reverse_kl",
    "tvd",
]

Array = NDArray[np.float64]


def _weight(name: str, w: float) -> float:
    w = float(w)
    if not 0.0 <= w <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {w!r}")
    return w


def _kl(p: Array, log_p: Array, log_r: Array) -> Array:
    """Σ p (log p − log r) over the last axis, with 0 log 0 = 0 (rounding clipped at 0)."""
    with np.errstate(invalid="ignore"):
        terms = np.where(p > 0, p * (log_p - log_r), 0.0)
    return np.maximum(np.sum(terms, axis=-1), 0.0)


def _log_mix(w: float, log_a: Array, log_b: Array) -> Array:
    """log(w·a + (1−w)·b) computed from log a and log b (stable for tiny a, b).

    Where a == b the mixture is a itself, returned exactly so that D(p, p) is exactly 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        mixed = np.logaddexp(np.log(w) + log_a, np.log(1.0 - w) + log_b)
    return np.where(log_a == log_b, log_a, mixed)


def _softmax_chain(q: Array, h: Array) -> Array:
    """Gradient wrt logits s of a loss with ∂L/∂q = h, for q = softmax(s): q ⊙ (h − ⟨h, q⟩)."""
    with np.errstate(invalid="ignore"):
        h = np.where(q > 0, h, 0.0)
    return q * (h - np.sum(q * h, axis=-1, keepdims=True))


def _probs(p: ArrayLike, q: ArrayLike) -> tuple[Array, Array]:
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if p.shape[-1:] != q.shape[-1:]:
        raise ValueError(f"teacher and student must share the last axis, got {p.shape}, {q.shape}")
    if np.any(p < 0) or np.any(q < 0):
        raise ValueError("probabilities must be non-negative")
    return p, q


# Each rule takes (p, log p, q, log q, options) and returns (value, ∂value/∂s) where the student
# is q = softmax(s). The gradients are derived by hand; tests check them by finite differences.


def _forward_rule(p, lp, q, lq, opts):
    # ∂/∂q_i = −p_i/q_i, so the chain rule gives q_i·(−p_i/q_i) + q_i·Σp = q − p.
    return _kl(p, lp, lq), q - p


def _reverse_rule(p, lp, q, lq, opts):
    # ∂/∂q_i = log q_i − log p_i + 1 (the constant drops out of the softmax chain).
    with np.errstate(invalid="ignore"):
        return _kl(q, lq, lp), _softmax_chain(q, lq - lp)


def _skew_rule(p, lp, q, lq, opts):
    # m = αp + (1−α)q;  ∂/∂q_i = −(1−α)·p_i/m_i, so q_i·∂_i = −(1−α)·exp(log p + log q − log m).
    a = opts["skew_alpha"]
    lm = _log_mix(a, lp, lq)
    with np.errstate(invalid="ignore"):
        r = np.where((p > 0) & (q > 0), -(1.0 - a) * np.exp(lp + lq - lm), 0.0)
    return _kl(p, lp, lm), r - q * np.sum(r, axis=-1, keepdims=True)


def _skew_reverse_rule(p, lp, q, lq, opts):
    # m = (1−α)p + αq;  ∂/∂q_i = log(q_i/m_i) + 1 − α·q_i/m_i.
    a = opts["skew_alpha"]
    lm = _log_mix(1.0 - a, lp, lq)
    with np.errstate(invalid="ignore"):
        h = lq - lm - a * np.exp(lq - lm)
    return _kl(q, lq, lm), _softmax_chain(q, h)


def _jsd_rule(p, lp, q, lq, opts):
    # m = βp + (1−β)q;  the terms through m cancel and ∂/∂q_i = (1−β)·log(q_i/m_i).
    b = opts["beta"]
    lm = _log_mix(b, lp, lq)
    value = b * _kl(p, lp, lm) + (1.0 - b) * _kl(q, lq, lm)
    with np.errstate(invalid="ignore"):
        return value, (1.0 - b) * _softmax_chain(q, lq - lm)


def _tvd_rule(p, lp, q, lq, opts):
    # ∂/∂q_i = ½·sign(q_i − p_i) (a subgradient: 0 where q_i = p_i).
    return 0.5 * np.sum(np.abs(p - q), axis=-1), _softmax_chain(q, 0.5 * np.sign(q - p))


_RULES: dict[str, Callable] = {
    "forward": _forward_rule,
    "reverse": _reverse_rule,
    "skew": _skew_rule,
    "skew_reverse": _skew_reverse_rule,
    "jsd": _jsd_rule,
    "tvd": _tvd_rule,
}


def divergence_and_logit_grad(
    name: str,
    p: ArrayLike,
    log_p: ArrayLike,
    q: ArrayLike,
    log_q: ArrayLike,
    *,
    skew_alpha: float = 0.1,
    beta: float = 0.5,
) -> tuple[Array, Array]:
    """Value of the divergence ``name`` and its gradient wrt the student's logits.

    The student is ``q = softmax(s)``; the gradient is ``∂D(p, q)/∂s``, computed analytically:
    if ``h = ∂D/∂q`` then ``∂D/∂s = q ⊙ (h − Σ_j q_j h_j)``. Passing log-probabilities taken
    from :func:`pycore.log_softmax` keeps everything finite even where ``p`` or ``q`` underflow.

    Parameters
    ----------
    name : str
        One of ``"forward"``, ``"reverse"``, ``"skew"``, ``"skew_reverse"``, ``"jsd"``, ``"tvd"``.
    p, log_p : array_like, shape (..., V)
        Teacher probabilities and their logs.
    q, log_q : array_like, shape (..., V)
        Student probabilities and their logs.
    skew_alpha : float
        The α of ``"skew"`` and ``"skew_reverse"``, in [0, 1].
    beta : float
        The β of ``"jsd"``, in [0, 1].

    Returns
    -------
    value : ndarray, shape (...)
        The divergence per position.
    grad : ndarray, shape (..., V)
        Its gradient with respect to the student logits ``s``.

    Examples
    --------
    >>> import numpy as np
    >>> from pycore import log_softmax
    >>> lp, lq = log_softmax([2.0, 0.0]), log_softmax([0.0, 0.0])
    >>> v, g = divergence_and_logit_grad("forward", np.exp(lp), lp, np.exp(lq), lq)
    >>> np.round(g, 4)  # q − p
    array([-0.3808,  0.3808])
    """
    if name not in _RULES:
        raise ValueError(f"unknown divergence {name!r}; choose one of {sorted(_RULES)}")
    opts = {"skew_alpha": _weight("skew_alpha", skew_alpha), "beta": _weight("beta", beta)}
    arrays = [np.asarray(x, dtype=np.float64) for x in (p, log_p, q, log_q)]
    return _RULES[name](*arrays, opts)


def _value(name: str, p: ArrayLike, q: ArrayLike, **opts: float) -> Array:
    p, q = _probs(p, q)
    return divergence_and_logit_grad(name, p, safe_log(p), q, safe_log(q), **opts)[0]


def forward_kl(teacher_p: ArrayLike, student_q: ArrayLike) -> Array:
    r"""Forward KL divergence KL(p ‖ q), the classic distillation loss (Hinton et al. 2015).

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i}

    "Mean-seeking": the student pays wherever the teacher has mass and it has little, so a
    small student spreads itself over all the teacher's modes.

    Parameters
    ----------
    teacher_p : array_like, shape (..., V)
        Teacher probabilities ``p`` (zeros allowed: 0 log 0 = 0).
    student_q : array_like, shape (..., V)
        Student probabilities ``q``.

    Returns
    -------
    ndarray, shape (...)
        ≥ 0, and 0 exactly when ``p == q``; ``inf`` if ``q_i == 0 < p_i`` for some ``i``.

    Examples
    --------
    >>> round(float(forward_kl([0.5, 0.5], [0.25, 0.75])), 6)  # ½ log 2 + ½ log(2/3)
    0.143841
    """
    return _value("forward", teacher_p, student_q)


def reverse_kl(teacher_p: ArrayLike, student_q: ArrayLike) -> Array:
    r"""Reverse KL divergence KL(q ‖ p), used by MiniLLM (Gu et al. 2024, arXiv 2306.08543).

    .. math:: \mathrm{KL}(q \,\|\, p) = \sum_i q_i \log \frac{q_i}{p_i}

    "Mode-seeking": the student pays only where it puts mass the teacher does not, so it may
    drop teacher modes it cannot represent and sit sharply on one.

    Parameters
    ----------
    teacher_p : array_like, shape (..., V)
        Teacher probabilities ``p``.
    student_q : array_like, shape (..., V)
        Student probabilities ``q`` (zeros allowed).

    Returns
    -------
    ndarray, shape (...)
        ≥ 0; ``inf`` if ``p_i == 0 < q_i`` for some ``i``.

    Examples
    --------
    >>> round(float(reverse_kl([0.5, 0.5], [0.25, 0.75])), 6)
    0.130812
    """
    return _value("reverse", teacher_p, student_q)


def skew_kl(teacher_p: ArrayLike, student_q: ArrayLike, alpha: float = 0.1) -> Array:
    r"""Skew KL divergence of DistiLLM (Ko et al. 2024, arXiv 2402.03898).

    .. math:: \mathrm{SKL}_\alpha(p, q) = \mathrm{KL}(p \,\|\, \alpha p + (1-\alpha) q)

    Mixing a little of the teacher into the student keeps the log-ratio bounded
    (by ``log(1/α)``), which tames the gradient where the student is near zero.

    Parameters
    ----------
    teacher_p, student_q : array_like, shape (..., V)
        Teacher ``p`` and student ``q`` probabilities.
    alpha : float
        Skew, in [0, 1]; 0 gives forward KL, 1 gives 0.

    Returns
    -------
    ndarray, shape (...)
        ≥ 0 and at most ``log(1/α)``.

    Examples
    --------
    >>> round(float(skew_kl([1.0, 0.0], [0.0, 1.0], alpha=0.1)), 6)  # log(1/0.1)
    2.302585
    """
    return _value("skew", teacher_p, student_q, skew_alpha=alpha)


def skew_reverse_kl(teacher_p: ArrayLike, student_q: ArrayLike, alpha: float = 0.1) -> Array:
    r"""Skew reverse KL divergence of DistiLLM (Ko et al. 2024, arXiv 2402.03898).

    .. math:: \mathrm{SRKL}_\alpha(p, q) = \mathrm{KL}(q \,\|\, (1-\alpha) p + \alpha q)

    The mode-seeking counterpart of :func:`skew_kl`: reverse KL against a target that holds a
    little of the student itself, so the student is not punished without bound for mass where
    the teacher has almost none.

    Parameters
    ----------
    teacher_p, student_q : array_like, shape (..., V)
        Teacher ``p`` and student ``q`` probabilities.
    alpha : float
        Skew, in [0, 1]; 0 gives reverse KL, 1 gives 0.

    Returns
    -------
    ndarray, shape (...)
        ≥ 0 and at most ``log(1/α)``.

    Examples
    --------
    >>> round(float(skew_reverse_kl([1.0, 0.0], [0.0, 1.0], alpha=0.1)), 6)
    2.302585
    """
    return _value("skew_reverse", teacher_p, student_q, skew_alpha=alpha)


def generalized_jsd(teacher_p: ArrayLike, student_q: ArrayLike, beta: float = 0.5) -> Array:
    r"""Generalized Jensen-Shannon divergence of GKD (Agarwal et al. 2024, arXiv 2306.13649).

    .. math:: \mathrm{JSD}_\beta(p, q) = \beta\,\mathrm{KL}(p \,\|\, m)
              + (1-\beta)\,\mathrm{KL}(q \,\|\, m), \quad m = \beta p + (1-\beta) q

    Parameters
    ----------
    teacher_p, student_q : array_like, shape (..., V)
        Teacher ``p`` and student ``q`` probabilities.
    beta : float
        Interpolation weight in [0, 1]. ``beta = 0.5`` is the ordinary JSD (at most ``log 2``).
        At exactly 0 or 1 the formula is 0; GKD's limits towards forward and reverse KL
        appear only after dividing by β(1 − β), which this function does not do.

    Returns
    -------
    ndarray, shape (...)
        ≥ 0, always finite.

    Examples
    --------
    >>> round(float(generalized_jsd([1.0, 0.0], [0.0, 1.0])), 6)  # log 2
    0.693147
    """
    return _value("jsd", teacher_p, student_q, beta=beta)


def tvd(teacher_p: ArrayLike, student_q: ArrayLike) -> Array:
    r"""Total variation distance, half the L1 distance between two distributions.

    .. math:: \mathrm{TVD}(p, q) = \tfrac12 \sum_i |p_i - q_i|

    Parameters
    ----------
    teacher_p, student_q : array_like, shape (..., V)
        The two distributions.

    Returns
    -------
    ndarray, shape (...)
        In [0, 1]; symmetric in its arguments.

    Examples
    --------
    >>> round(float(tvd([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])), 6)
    0.5
    """
    return _value("tvd", teacher_p, student_q)


#: The divergences by the names that ``kd_loss`` and ``fit_gaussian_student`` accept.
DIVERGENCES: dict[str, Callable[..., Array]] = {
    "forward": forward_kl,
    "reverse": reverse_kl,
    "skew": skew_kl,
    "skew_reverse": skew_reverse_kl,
    "jsd": generalized_jsd,
    "tvd": tvd,
}


def divergence(
    name: str,
    teacher_p: ArrayLike,
    student_q: ArrayLike,
    *,
    skew_alpha: float = 0.1,
    beta: float = 0.5,
) -> Array:
    """Any divergence of :data:`DIVERGENCES` by name, with the keyword names ``kd_loss`` uses.

    Parameters
    ----------
    name : str
        A key of :data:`DIVERGENCES`.
    teacher_p, student_q : array_like, shape (..., V)
        Teacher and student probabilities.
    skew_alpha : float
        α of ``"skew"`` / ``"skew_reverse"``.
    beta : float
        β of ``"jsd"``.

    Returns
    -------
    ndarray, shape (...)
        The divergence per position.

    Examples
    --------
    >>> round(float(divergence("jsd", [1.0, 0.0], [0.0, 1.0], beta=0.5)), 6)
    0.693147
    """
    if name not in _RULES:
        raise ValueError(f"unknown divergence {name!r}; choose one of {sorted(_RULES)}")
    return _value(name, teacher_p, student_q, skew_alpha=skew_alpha, beta=beta)
