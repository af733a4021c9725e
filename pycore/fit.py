"""Fitting a capacity-limited student (one Gaussian) to a teacher: mean- vs mode-seeking.

A teacher with two separated modes cannot be matched by one Gaussian. Which compromise the
student finds depends on the divergence: forward KL ("mean-seeking") spreads over both modes,
reverse KL ("mode-seeking", MiniLLM, arXiv 2306.08543) settles on one of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .distributions import log_softmax, safe_log, softmax
from .divergences import _RULES, divergence_and_logit_grad

__all__ = ["discretized_gaussian", "fit_gaussian_student", "gaussian_mixture"]


def discretized_gaussian(grid: ArrayLike, mean: float, std: float) -> NDArray[np.float64]:
    r"""A Gaussian's density evaluated on ``grid`` and normalized to sum to 1.

    .. math:: q_i = \frac{\exp(-(x_i-\mu)^2 / 2\sigma^2)}{\sum_j \exp(-(x_j-\mu)^2 / 2\sigma^2)}

    Parameters
    ----------
    grid : array_like, shape (G,)
        Points ``x_i``.
    mean, std : float
        ``μ`` and ``σ > 0``.

    Returns
    -------
    ndarray, shape (G,)

    Examples
    --------
    >>> import numpy as np
    >>> np.round(discretized_gaussian([-1.0, 0.0, 1.0], 0.0, 1.0), 4)
    array([0.2741, 0.4519, 0.2741])
    """
    x = np.asarray(grid, dtype=np.float64)
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    return softmax(-0.5 * ((x - mean) / std) ** 2)


def gaussian_mixture(
    grid: ArrayLike,
    means: ArrayLike,
    stds: ArrayLike,
    weights: ArrayLike | None = None,
) -> NDArray[np.float64]:
    r"""A mixture of discretized Gaussians on ``grid`` (a multi-modal teacher).

    .. math:: p = \sum_k w_k\, \mathcal{N}_\text{grid}(\mu_k, \sigma_k)

    Parameters
    ----------
    grid : array_like, shape (G,)
        Points.
    means, stds : array_like, shape (K,)
        Component means and standard deviations.
    weights : array_like, shape (K,), optional
        Component weights (normalized here); equal weights by default.

    Returns
    -------
    ndarray, shape (G,)
        Sums to 1.

    Examples
    --------
    >>> p = gaussian_mixture([-2.0, 0.0, 2.0], [-2.0, 2.0], [0.5, 0.5])
    >>> [round(v, 3) for v in p.tolist()]
    [0.5, 0.0, 0.5]
    """
    means = np.atleast_1d(np.asarray(means, dtype=np.float64))
    stds = np.broadcast_to(np.asarray(stds, dtype=np.float64), means.shape)
    w = np.ones_like(means) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != means.shape or np.any(w < 0) or not np.sum(w) > 0:
        raise ValueError("weights must be non-negative, one per component, not all zero")
    parts = [discretized_gaussian(grid, m, s) for m, s in zip(means, stds, strict=True)]
    return np.sum(w[:, None] * np.array(parts), axis=0) / np.sum(w)


def fit_gaussian_student(
    teacher_p: ArrayLike,
    grid: ArrayLike,
    divergence: str = "reverse",
    steps: int = 300,
    lr: float = 0.05,
    init: tuple[float, float] | None = None,
    record_every: int = 10,
    *,
    skew_alpha: float = 0.1,
    beta: float = 0.5,
) -> dict[str, Any]:
    r"""Fit a one-Gaussian student to a teacher on a grid by gradient descent on a divergence.

    The student is ``q = softmax(s)`` with logits ``s_i = −(x_i − μ)² / 2σ²``: a discretized
    Gaussian with two parameters, a mean ``μ`` and a log-std ``log σ``. Each step computes the
    divergence ``D(p, q)`` and its exact gradient by the chain rule (no autograd):

    .. math:: \frac{\partial D}{\partial \mu} = \sum_i \frac{\partial D}{\partial s_i}
              \frac{x_i-\mu}{\sigma^2}, \qquad
              \frac{\partial D}{\partial \log\sigma} = \sum_i \frac{\partial D}{\partial s_i}
              \frac{(x_i-\mu)^2}{\sigma^2}

    and takes an Adam step. Parameters are measured in units of the teacher's own spread (its
    mean ``c`` and standard deviation ``d``), so ``lr`` does not depend on the grid's scale.

    Parameters
    ----------
    teacher_p : array_like, shape (G,)
        Teacher probabilities on the grid (normalized here).
    grid : array_like, shape (G,)
        The points ``x_i``.
    divergence : str
        A name of :data:`pycore.DIVERGENCES`: ``"forward"``, ``"reverse"``, ``"skew"``,
        ``"skew_reverse"``, ``"jsd"`` or ``"tvd"``.
    steps : int
        Number of gradient steps.
    lr : float
        Adam step size, in units of the teacher's standard deviation.
    init : (float, float), optional
        Starting ``(mean, std)``. Default: ``(c + 0.25·d, 0.25·d)``: narrow, and slightly off the
        teacher's mean, so that on a symmetric two-mode teacher the student does not start on
        reverse KL's saddle point between the modes. (From a start much wider than one mode,
        reverse KL can also stay stuck covering both modes: a local minimum worth showing.)
    record_every : int
        Keep a snapshot of the student distribution every this many steps (and the last).
    skew_alpha, beta : float
        Options of ``"skew"``/``"skew_reverse"`` and ``"jsd"``, as in :func:`pycore.kd_loss`.

    Returns
    -------
    dict
        Plain lists, ready for JSON: ``mean``, ``std``, ``loss`` (length ``steps + 1``: before
        each step and after the last), ``student`` (final distribution), ``snapshots`` (list of
        distributions) with ``snapshot_steps``, and ``grid``, ``teacher``, ``divergence``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-6, 6, 201)
    >>> p = gaussian_mixture(x, [-2.0, 2.0], [0.6, 0.6])
    >>> wide = fit_gaussian_student(p, x, "forward")
    >>> sharp = fit_gaussian_student(p, x, "reverse")
    >>> round(wide["std"][-1], 1), round(sharp["std"][-1], 1)  # spread vs one mode
    (2.1, 0.6)
    """
    p = np.asarray(teacher_p, dtype=np.float64)
    x = np.asarray(grid, dtype=np.float64)
    if p.ndim != 1 or p.shape != x.shape or p.size < 2:
        raise ValueError(
            f"teacher_p and grid must be 1-D of the same length, got {p.shape}, {x.shape}"
        )
    if divergence not in _RULES:
        raise ValueError(f"unknown divergence {divergence!r}; choose one of {sorted(_RULES)}")
    if np.any(p < 0) or not np.sum(p) > 0:
        raise ValueError("teacher_p must be non-negative with a positive sum")
    if divergence == "reverse" and np.any(p == 0):
        raise ValueError(
            "reverse KL is infinite where the teacher is exactly 0 and the Gaussian is not; "
            "smooth the teacher or use 'skew_reverse'"
        )
    steps, record_every = int(steps), max(1, int(record_every))
    p = p / np.sum(p)
    log_p = safe_log(p)
    c = float(np.sum(p * x))
    d = float(np.sqrt(np.sum(p * (x - c) ** 2))) or float(np.ptp(x)) / p.size
    mean0, std0 = (c + 0.25 * d, 0.25 * d) if init is None else (float(init[0]), float(init[1]))
    if not std0 > 0:
        raise ValueError(f"init std must be > 0, got {std0!r}")

    theta = np.array([(mean0 - c) / d, np.log(std0 / d)])  # (mean, log std) in teacher units
    m1, m2 = np.zeros(2), np.zeros(2)
    b1, b2, eps = 0.9, 0.999, 1e-8
    out: dict[str, Any] = {"mean": [], "std": [], "loss": [], "snapshots": [], "snapshot_steps": []}
    for step in range(steps + 1):
        mu, sigma = c + d * theta[0], d * np.exp(theta[1])
        z = (x - mu) / sigma
        log_q = log_softmax(-0.5 * z * z)
        q = np.exp(log_q)
        loss, grad_s = divergence_and_logit_grad(
            divergence, p, log_p, q, log_q, skew_alpha=skew_alpha, beta=beta
        )
        out["mean"].append(float(mu))
        out["std"].append(float(sigma))
        out["loss"].append(float(loss))
        if step % record_every == 0 or step == steps:
            out["snapshots"].append(q.tolist())
            out["snapshot_steps"].append(step)
        if step == steps:
            break
        g = np.array([np.sum(grad_s * z) * d / sigma, np.sum(grad_s * z * z)])
        m1 = b1 * m1 + (1 - b1) * g
        m2 = b2 * m2 + (1 - b2) * g * g
        t = step + 1
        theta -= lr * (m1 / (1 - b1**t)) / (np.sqrt(m2 / (1 - b2**t)) + eps)
    out.update(student=q.tolist(), grid=x.tolist(), teacher=p.tolist(), divergence=divergence)
    return out
