"""Compute functions of the browser tests' site: small, real, built on pycore."""

from __future__ import annotations

import numpy as np

from pycore.distributions import entropy, softmax

CITIES = ["Paris", "Lyon", "Marseille", "Bordeaux", "Nice", "London", "Berlin", "Rome"]
LOGITS = np.array([6.0, 2.6, 2.4, 1.7, 1.3, -0.8, -1.3, -1.6])


def teacher(T: float) -> dict[str, float]:
    """The eight cities at temperature T (precomputed: 46 states)."""
    return dict(zip(CITIES, softmax(LOGITS, T=T).tolist(), strict=True))


def sharpened(T: float, k: float) -> list[tuple[str, float]]:
    """The same with the logits scaled by k: 46 x 11 states, beyond the precompute limit."""
    return list(zip(CITIES, softmax(k * LOGITS, T=T).tolist(), strict=True))


def summary(T: float, view: str = "entropy") -> dict[str, float]:
    """Entropy (nats) and top probability of the teacher at T."""
    p = softmax(LOGITS, T=T)
    top = float(p.max())
    return {"entropy": float(entropy(p)), "top": top if view == "entropy" else 1 - top}


def curve(T: float) -> dict:
    """p(Paris) against temperature, and a flat line at p(Paris) at T; four frames sweep in."""
    grid = np.linspace(0.5, 5.0, 10)
    paris = [float(softmax(LOGITS, T=t)[0]) for t in grid]
    mark = [float(softmax(LOGITS, T=T)[0])] * len(grid)
    frames = [{"p(Paris)": paris, "at T": [m * i / 4 for m in mark]} for i in range(4)]
    return {
        "x": grid.tolist(),
        "series": {"p(Paris)": paris, "at T": mark},
        "frames": frames,
        "xlabel": "T",
        "ylabel": "probability",
    }


def fragile(T: float, k: float) -> dict[str, float]:
    """Fails in the browser's range above T = 4 (live: 46 x 11 states)."""
    if T > 4:
        raise ValueError(f"T = {T} is too hot for this function")
    return {"k·T": k * T}


def stored(T: float, k: float) -> dict[str, float]:
    """Builds under CPython; in Pyodide, whose sqlite3 is a package of its own that the worker does
    not load, the import fails as ``import scipy`` does."""
    import sqlite3

    return {"k·T": k * T, "sqlite": float(bool(sqlite3.sqlite_version))}


def runtime() -> dict[str, float]:
    """1 under Pyodide (sys.platform 'emscripten'), 0 under CPython."""
    import sys

    return {"pyodide": float(sys.platform == "emscripten")}


def grid(T: float) -> dict:
    """The four likeliest cities (rows) at T/2, T and 2T (columns): a heatmap."""
    temps = [T / 2, T, 2 * T]
    z = np.array([softmax(LOGITS, T=t)[:4] for t in temps]).T
    return {
        "z": z,
        "rows": CITIES[:4],
        "cols": [f"T={t:g}" for t in temps],
        "xlabel": "temperature",
        "ylabel": "city",
    }


def against(T: float) -> dict:
    """Each city's probability at T against the same at T = 1: a scatter on log axes."""
    return {
        "series": {
            "at T": {"x": softmax(LOGITS, T=1.0), "y": softmax(LOGITS, T=T)},
            "at 2T": {"x": softmax(LOGITS, T=1.0), "y": softmax(LOGITS, T=2 * T)},
        },
        "xlabel": "p at T = 1",
        "ylabel": "p",
    }


def spread(T: float) -> dict:
    """200 fixed normal draws scaled by T, in 12 bins: a histogram."""
    draws = np.random.default_rng(0).normal(size=200)
    return {"values": {"draws × T": draws * T}, "bins": 12, "xlabel": "value"}


def ranked(T: float) -> dict:
    """The teacher's probabilities by rank at T and at T = 1 (a log axis shows the tail)."""
    return {
        "x": list(range(1, 9)),
        "series": {"at T": softmax(LOGITS, T=T), "at T = 1": softmax(LOGITS, T=1.0)},
        "xlabel": "rank",
        "ylabel": "p",
    }
