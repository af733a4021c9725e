"""Fixed inputs for every public pycore function; run under CPython and under Pyodide.

``run()`` returns a dict of plain JSON values. Run as a script it prints that dict as JSON, with
the Python and numpy versions (``pyodide_run.mjs`` does this inside Pyodide). The inputs come
from closed formulas, not a random generator, so both runtimes see bit-identical inputs.
"""

from __future__ import annotations

import json

import numpy as np

import pycore


def _logits(shape: tuple[int, ...], scale: float, phase: float) -> np.ndarray:
    n = int(np.prod(shape))
    return (
        scale * np.sin(1.7 * np.arange(n) + phase) + 0.3 * np.cos(0.37 * np.arange(n) ** 1.3)
    ).reshape(shape)


def _plain(x):
    if hasattr(x, "_asdict"):  # NamedTuple such as pycore.TopK
        return _plain(x._asdict())
    if isinstance(x, tuple | list):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, np.ndarray | np.generic):
        return x.tolist()
    return x


def run() -> dict:
    s = _logits((3, 8), 2.0, 0.1)
    t = _logits((3, 8), 3.0, 1.3)
    huge = np.array([[1e4, -1e4, 0.0, 5e3, -3e3, 1.0, 2.0, -1e4]])
    labels = np.array([0, 3, 7])
    p, q = pycore.softmax(t, T=2.0), pycore.softmax(s, T=2.0)
    p0 = np.array([0.5, 0.0, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0])
    out: dict = {
        "softmax": pycore.softmax(s, T=0.7),
        "softmax/huge": [pycore.softmax(huge, T=T) for T in (0.05, 1.0, 100.0)],
        "log_softmax": pycore.log_softmax(s, T=3.0),
        "log_softmax/huge": [pycore.log_softmax(huge, T=T) for T in (0.05, 1.0, 100.0)],
        "entropy": pycore.entropy(p),
        "cross_entropy": pycore.cross_entropy(s, labels),
        "forward_kl": pycore.forward_kl(p, q),
        "reverse_kl": pycore.reverse_kl(p, q),
        "skew_kl": pycore.skew_kl(p, q, alpha=0.3),
        "skew_reverse_kl": pycore.skew_reverse_kl(p, q, alpha=0.3),
        "generalized_jsd": pycore.generalized_jsd(p, q, beta=0.3),
        "tvd": pycore.tvd(p, q),
        "DIVERGENCES/zeros": {name: fn(p0, q[0]) for name, fn in pycore.DIVERGENCES.items()},
        "mix_teachers/arithmetic": pycore.mix_teachers(p, q, 0.3),
        "mix_teachers/geometric": pycore.mix_teachers(p, q, 0.3, mode="geometric"),
        "topk_teacher": pycore.topk_teacher(t, k=3, T=2.0),
        "topk_forward_kl": pycore.topk_forward_kl(pycore.topk_teacher(t, k=3, T=2.0), s, T=2.0),
        "safe_log": pycore.safe_log(p0),
        "plogq": pycore.plogq(p0, np.log(q[0])),
        "divergence": pycore.divergence("skew", p, q, skew_alpha=0.2),
        "divergence_and_logit_grad": pycore.divergence_and_logit_grad(
            "skew_reverse", p, np.log(p), q, np.log(q), skew_alpha=0.2
        ),
        "discretized_gaussian": pycore.discretized_gaussian(np.linspace(-3, 3, 13), 0.4, 0.9),
        "logit_cache_bytes": [
            pycore.logit_cache_bytes(1, 128_256),
            pycore.logit_cache_bytes(4096, 128_256, k=64),
            pycore.logit_cache_bytes(10, 50_257, k=20, value_bytes=4, index_bits=16),
        ],
    }
    for name in pycore.DIVERGENCES:
        for T in (0.5, 2.0):
            args = (s, t, labels, 0.3, T, name)
            opts = {"skew_alpha": 0.2, "beta": 0.4}
            out[f"kd_loss/{name}/{T}"] = pycore.kd_loss(*args, **opts)
            out[f"kd_loss_grad/{name}/{T}"] = pycore.kd_loss_grad(*args, **opts)
        out[f"kd_loss_grad/huge/{name}"] = pycore.kd_loss_grad(huge, -huge, [1], 0.5, 0.05, name)
    grid = np.linspace(-6.0, 6.0, 201)
    teacher = pycore.gaussian_mixture(grid, [-2.0, 2.0], [0.6, 0.6])
    out["gaussian_mixture"] = teacher
    for name in ("forward", "reverse"):
        fit = pycore.fit_gaussian_student(teacher, grid, name, steps=60, record_every=20)
        out[f"fit_gaussian_student/{name}"] = {
            k: fit[k] for k in ("mean", "std", "loss", "student", "snapshots")
        }
    return _plain(out)


if __name__ == "__main__":
    import sys

    runtime = {"python": list(sys.version_info[:2]), "numpy": np.__version__}
    print(json.dumps({"runtime": runtime, "results": run()}))
