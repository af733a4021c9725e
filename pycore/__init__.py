"""pycore: the numpy math behind Microscale's lessons; runs unchanged in CPython and Pyodide.

Everything is float64, vectorized over leading axes, and numpy-only (numpy >= 2.0; Pyodide 0.27.7
ships numpy 2.0.2). Distributions live on the last axis.
"""

from .distributions import cross_entropy, entropy, log_softmax, plogq, safe_log, softmax
from .divergences import (
    DIVERGENCES,
    divergence,
    divergence_and_logit_grad,
    forward_kl,
    generalized_jsd,
    reverse_kl,
    skew_kl,
    skew_reverse_kl,
    tvd,
)
from .fit import discretized_gaussian, fit_gaussian_student, gaussian_mixture
from .kd import kd_loss, kd_loss_grad
from .teachers import mix_teachers
from .topk import TopK, logit_cache_bytes, topk_forward_kl, topk_teacher

__all__ = [
    "DIVERGENCES",
    "TopK",
    "cross_entropy",
    "discretized_gaussian",
    "divergence",
    "divergence_and_logit_grad",
    "entropy",
    "fit_gaussian_student",
    "forward_kl",
    "gaussian_mixture",
    "generalized_jsd",
    "kd_loss",
    "kd_loss_grad",
    "log_softmax",
    "logit_cache_bytes",
    "mix_teachers",
    "plogq",
    "reverse_kl",
    "safe_log",
    "skew_kl",
    "skew_reverse_kl",
    "softmax",
    "topk_forward_kl",
    "topk_teacher",
    "tvd",
]
