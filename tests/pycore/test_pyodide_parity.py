"""pycore inside real Pyodide 0.27.7 (numpy 2.0.2, hosted by Node 20) agrees with CPython.

``pyodide_run.mjs`` runs ``pycore_parity_cases.py`` in Pyodide; the same module runs here under
CPython; every number must agree to 1e-12 relative (exact zeros, infinities and ints exactly).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import pycore_parity_cases
import pytest

import pycore

HERE = Path(__file__).parent
DIST = os.environ.get("PYODIDE_DIST")
NODE = shutil.which("node") or "/usr/bin/node"

needs_dist = pytest.mark.skipif(
    not DIST, reason="PYODIDE_DIST is not set: export it to a local Pyodide 0.27.7 to run this"
)


def run_in_pyodide(script: Path) -> str:
    """Run ``script`` in Pyodide with this checkout's pycore; return what it printed."""
    if not Path(DIST, "pyodide.mjs").is_file():
        pytest.fail(f"PYODIDE_DIST={DIST} holds no pyodide.mjs")
    proc = subprocess.run(
        [NODE, str(HERE / "pyodide_run.mjs"), str(script)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYODIDE_DIST": DIST},
        check=False,
    )
    assert proc.returncode == 0, f"Pyodide run failed:\n{proc.stderr[-4000:]}"
    return proc.stdout


def mismatches(cpython, pyodide, path: str = "") -> list[str]:
    """Every place where the two nested results differ by more than 1e-12 relative."""
    if isinstance(cpython, dict):
        if cpython.keys() != pyodide.keys():
            return [f"{path}: keys {sorted(cpython)} != {sorted(pyodide)}"]
        return [m for k in cpython for m in mismatches(cpython[k], pyodide[k], f"{path}/{k}")]
    if isinstance(cpython, list):
        if not isinstance(pyodide, list) or len(cpython) != len(pyodide):
            return [f"{path}: length differs"]
        return [
            m
            for i, (a, b) in enumerate(zip(cpython, pyodide, strict=True))
            for m in mismatches(a, b, f"{path}[{i}]")
        ]
    if isinstance(cpython, int) or math.isinf(cpython) or cpython == 0:
        return (
            []
            if cpython == pyodide and type(cpython) is type(pyodide)
            else [f"{path}: {cpython!r} != {pyodide!r}"]
        )
    if math.isclose(cpython, pyodide, rel_tol=1e-12, abs_tol=1e-300):
        return []
    return [f"{path}: {cpython!r} != {pyodide!r}"]


@pytest.fixture(scope="module")
def pyodide_output() -> dict:
    out = run_in_pyodide(HERE / "pycore_parity_cases.py")
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.pyodide
@needs_dist
def test_pyodide_runs_python_3_12_and_numpy_2_0_2(pyodide_output):
    assert pyodide_output["runtime"] == {"python": [3, 12], "numpy": "2.0.2"}


@pytest.mark.pyodide
@needs_dist
def test_every_public_function_is_covered(pyodide_output):
    covered = {key.split("/")[0] for key in pyodide_output["results"]}
    assert set(pycore.__all__) - {"TopK"} <= covered


@pytest.mark.pyodide
@needs_dist
def test_pyodide_matches_cpython(pyodide_output):
    cpython = json.loads(json.dumps(pycore_parity_cases.run()))
    problems = mismatches(cpython, pyodide_output["results"])
    assert not problems, "\n".join(problems[:20])


def test_the_comparison_catches_differences():
    base = {"a": [1.0, 0.0, float("inf")], "b": 3}
    assert mismatches(base, {"a": [1.0 + 1e-13, 0.0, float("inf")], "b": 3}) == []
    assert mismatches(base, {"a": [1.0 + 1e-11, 0.0, float("inf")], "b": 3}) == [
        "/a[0]: 1.0 != 1.00000000001"
    ]
    assert mismatches(base, {"a": [1.0, 1e-300, float("inf")], "b": 3}) != []
    assert mismatches(base, {"a": [1.0, 0.0, float("inf")], "b": 3.0}) != []
    assert mismatches(base, {"a": [1.0, 0.0], "b": 3}) != []
