r"""The knowledge-distillation loss and its analytic gradient (Hinton et al., arXiv 1503.02531).

.. math::

    L = \frac1N \sum_{n=1}^{N} \Big[\alpha\,\mathrm{CE}(\mathrm{softmax}(z_n), y_n)
        + (1-\alpha)\,T^2\,D\big(\mathrm{softmax}(t_n/T),\ \mathrm{softmax}(z_n/T)\big)\Big]

with student logits ``z``, teacher logits ``t``, hard labels ``y``, and ``D`` one of
:data:`pycore.DIVERGENCES` (teacher first). Why ``T²``: for forward KL the soft term's gradient
is ``(q_T − p_T)/T``, and ``q_T − p_T`` itself shrinks like ``1/T`` as both distributions flatten,
so without the factor the gradient would shrink like ``1/T²`` (Hinton et al. 2015, section 2).
The other KL-type divergences behave the same way; TVD shrinks only like ``1/T``, so with ``T²``
its gradient grows like ``T``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .distributions import _check_temperature, cross_entropy, log_softmax, softmax
from .divergences import _weight, divergence_and_logit_grad

__all__ = ["kd_loss", "kd_loss_grad"]


def _kd(student_logits, teacher_logits, labels, alpha, T, divergence, skew_alpha, beta):
    """Shared forward pass: returns (loss, gradient wrt student logits)."""
    z = np.asarray(student_logits, dtype=np.float64)
    t = np.asarray(teacher_logits, dtype=np.float64)
    if z.shape != t.shape or z.ndim == 0:
        raise ValueError(
            f"student and teacher logits must share a shape (..., V): {z.shape}, {t.shape}"
        )
    alpha = _weight("alpha", alpha)
    T = _check_temperature(T)
    n = z.size // z.shape[-1]

    log_q = log_softmax(z, T)
    log_p = log_softmax(t, T)
    soft, soft_grad_s = divergence_and_logit_grad(
        divergence, np.exp(log_p), log_p, np.exp(log_q), log_q, skew_alpha=skew_alpha, beta=beta
    )
    # s = z / T, so ∂/∂z = (1/T)·∂/∂s; with the T² factor the soft gradient carries a factor T.
    loss = (1.0 - alpha) * T * T * np.sum(soft)
    grad = (1.0 - alpha) * T * soft_grad_s

    if alpha > 0:
        if labels is None:
            raise ValueError("labels are required when alpha > 0")
        labels = np.asarray(labels)
        loss += alpha * np.sum(cross_entropy(z, labels))  # also validates the labels
        hard_grad = softmax(z)  # ∂CE/∂z = softmax(z) − onehot(y)
        at_label = np.take_along_axis(hard_grad, labels[..., None], axis=-1)
        np.put_along_axis(hard_grad, labels[..., None], at_label - 1.0, axis=-1)
        grad += alpha * hard_grad
    return float(loss / n), grad / n


def kd_loss(
    student_logits: ArrayLike,
    teacher_logits: ArrayLike,
    labels: ArrayLike | None,
    alpha: float = 0.5,
    T: float = 2.0,
    divergence: str = "forward",
    *,
    skew_alpha: float = 0.1,
    beta: float = 0.5,
) -> float:
    r"""Distillation loss: hard-label cross-entropy mixed with a temperature-softened divergence.

    .. math:: L = \mathrm{mean}_n\big[\alpha\,\mathrm{CE}(\mathrm{softmax}(z_n), y_n)
              + (1-\alpha)\,T^2 D(\mathrm{softmax}(t_n/T), \mathrm{softmax}(z_n/T))\big]

    The cross-entropy uses ``T = 1``; the divergence compares the teacher's and the student's
    distributions at temperature ``T`` (Hinton et al. 2015, arXiv 1503.02531).

    Parameters
    ----------
    student_logits : array_like, shape (..., V)
        Student logits ``z``; every leading index is one position.
    teacher_logits : array_like, shape (..., V)
        Teacher logits ``t``.
    labels : array_like of int, shape (...), or None
        Correct class per position; may be ``None`` only when ``alpha == 0``.
    alpha : float
        Weight of the hard-label term, in [0, 1].
    T : float
        Temperature of the soft term, > 0.
    divergence : str
        ``"forward"`` KL(p‖q), ``"reverse"`` KL(q‖p), ``"skew"``, ``"skew_reverse"``
        (DistiLLM, arXiv 2402.03898), ``"jsd"`` (GKD, arXiv 2306.13649) or ``"tvd"``.
    skew_alpha : float
        The α of ``"skew"`` / ``"skew_reverse"`` (keyword only; default 0.1).
    beta : float
        The β of ``"jsd"`` (keyword only; default 0.5).

    Returns
    -------
    float
        The loss averaged over positions.

    Examples
    --------
    >>> student = [[1.0, 0.0, -1.0]]
    >>> round(kd_loss(student, student, [0], alpha=0.0), 12)  # same logits: no soft loss
    0.0
    >>> round(kd_loss([[0.0, 0.0]], [[0.0, 0.0]], [1], alpha=1.0), 6)  # log 2
    0.693147
    """
    return _kd(student_logits, teacher_logits, labels, alpha, T, divergence, skew_alpha, beta)[0]


def kd_loss_grad(
    student_logits: ArrayLike,
    teacher_logits: ArrayLike,
    labels: ArrayLike | None,
    alpha: float = 0.5,
    T: float = 2.0,
    divergence: str = "forward",
    *,
    skew_alpha: float = 0.1,
    beta: float = 0.5,
) -> NDArray[np.float64]:
    r"""Analytic gradient of :func:`kd_loss` with respect to the student logits.

    For forward KL it is the familiar

    .. math:: \frac{\partial L}{\partial z_n} = \frac1N\Big[\alpha\,(\mathrm{softmax}(z_n)
              - \mathrm{onehot}(y_n)) + (1-\alpha)\,T\,(q_n^T - p_n^T)\Big]

    and for the other divergences ``(1−α)·T·q ⊙ (h − ⟨h, q⟩)`` with ``h = ∂D/∂q``. As ``T``
    grows, ``T·(q − p)`` tends to ``((z − z̄) − (t − t̄))/V``: the ``T²`` factor keeps it O(1).

    Parameters
    ----------
    student_logits, teacher_logits, labels, alpha, T, divergence, skew_alpha, beta
        As for :func:`kd_loss`.

    Returns
    -------
    ndarray of float64, same shape as ``student_logits``

    Examples
    --------
    >>> import numpy as np
    >>> g = kd_loss_grad([[0.0, 0.0]], [[0.0, 0.0]], [1], alpha=1.0)
    >>> np.round(g, 6)  # softmax − onehot
    array([[ 0.5, -0.5]])
    """
    return _kd(student_logits, teacher_logits, labels, alpha, T, divergence, skew_alpha, beta)[1]
