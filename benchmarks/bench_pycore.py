"""Benchmark the lesson math in CPython and in Pyodide (not a test; prints a table).

    python benchmarks/bench_pycore.py                 # CPython only
    PYODIDE_DIST=../shared/pyodide/0.27.7 python benchmarks/bench_pycore.py   # and Pyodide

Two workloads, each timed as the median of several repeats:

* slider step: what one move of the temperature slider costs: softmax of the teacher's and the
  student's 8 logits at T, plus their forward KL;
* 300-step fit: ``fit_gaussian_student`` on a two-mode teacher over a 201-point grid.

The same file runs inside Pyodide (through ``tests/pycore/pyodide_run.mjs`` under Node 20), where
it only measures and prints JSON; the ratio column is Pyodide time / CPython time from this run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import pycore

TEACHER = np.array([5.0, 1.6, 1.4, 0.7, 0.3, -1.7, -2.3, -2.6])
STUDENT = np.array([5.1, 1.6, 1.4, 0.7, 0.3, -1.7, -2.3, -2.6])
GRID = np.linspace(-6.0, 6.0, 201)


def slider_step(T: float = 2.0) -> float:
    p, q = pycore.softmax(TEACHER, T), pycore.softmax(STUDENT, T)
    return float(pycore.forward_kl(p, q))


def gaussian_fit() -> dict:
    teacher = pycore.gaussian_mixture(GRID, [-2.0, 2.0], [0.6, 0.6])
    return pycore.fit_gaussian_student(teacher, GRID, "reverse", steps=300)


def median_seconds(fn, number: int, repeat: int = 7) -> float:
    """Median over ``repeat`` runs of the time per call, each run averaging ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return float(np.median(times))


def measure() -> dict:
    return {
        "slider step (µs)": median_seconds(slider_step, 500) * 1e6,
        "300-step fit (ms)": median_seconds(gaussian_fit, 3) * 1e3,
    }


def measure_in_pyodide() -> tuple[dict, float] | None:
    if not os.environ.get("PYODIDE_DIST"):
        return None
    runner = Path(__file__).resolve().parents[1] / "tests" / "pycore" / "pyodide_run.mjs"
    start = time.perf_counter()
    proc = subprocess.run(
        ["node", str(runner), __file__], capture_output=True, text=True, timeout=600, check=True
    )
    wall = time.perf_counter() - start
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def main() -> None:
    cpython = measure()
    pyodide = measure_in_pyodide()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"{'workload':<20}{'CPython':>12}{'Pyodide':>12}{'ratio':>8}")
    for key, value in cpython.items():
        if pyodide:
            other = pyodide[0][key]
            print(f"{key:<20}{value:>12.1f}{other:>12.1f}{other / value:>7.1f}x")
        else:
            print(f"{key:<20}{value:>12.1f}{'-':>12}{'-':>8}")
    if pyodide:
        print(f"Pyodide process (boot, numpy, both workloads): {pyodide[1]:.1f} s")
    else:
        print("Pyodide skipped: set PYODIDE_DIST to a local Pyodide 0.27.7 distribution")


if __name__ == "__main__":
    if sys.platform == "emscripten":  # inside Pyodide: measure only
        print(json.dumps(measure()))
    else:
        main()
