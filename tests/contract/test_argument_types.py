"""A compute function gets the same argument types at build time (CPython) and in the reader's
browser (the site's own worker.js on real Pyodide): a slider's value is a float, whole or not, a
choice's value a str. JSON carries 2.0 as 2, so without ``results.arguments`` the browser would
pass an int and a label ``f"k={k}"`` would change from ``k=2.0`` to ``k=2`` once Python loads.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lesson_plugins import pagedata
from lesson_plugins.widgets import Call

HERE = Path(__file__).parent
LAB = '''
def probe(k: float, mode: str) -> dict:
    """What the function received, as labels (a readout's values are numbers)."""
    return {f"k={k}": 1.0, repr(type(k)): 2.0, f"mode={mode}": 3.0, repr(type(mode)): 4.0}
'''
PAGE = """# Types

/// slider | k
    min: 1
    max: 3
    step: 0.5
    value: 2
///

/// choice | mode
    options: [a, b]
///

/// readout | what the function got
    compute: lab:probe
///
"""
FLOAT, STR = "<class 'float'>", "<class 'str'>"


def probe(k: float, mode: str) -> dict:
    return {f"k={k}": 1.0, repr(type(k)): 2.0, f"mode={mode}": 3.0, repr(type(mode)): 4.0}


def test_the_build_passes_floats_whatever_it_is_given() -> None:
    call = Call("lab:probe", "readout", ["k", "mode"], (2.0, "a"), None)
    for k in (2, 2.0):  # an int too, as JSON would give one
        assert call.evaluate(probe, (k, "a"))["labels"] == ["k=2.0", FLOAT, "mode=a", STR]


@pytest.mark.pyodide
def test_build_and_pyodide_pass_the_same_types(build_pages, pyodide_dist, tmp_path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node (20 or later) to run the worker")
    site = build_pages(
        {"index.md": PAGE}, files={"lab.py": LAB}, plugin_options={"modules": ["lab.py"]}
    )
    text = pagedata.read(site / "index.html")  # its precomputed states put back
    built = re.findall(r'class="ms-item" data-label="([^"]*)"', text)
    assert [html_lib.unescape(label) for label in built] == ["k=2.0", FLOAT, "mode=a", STR]
    template = re.search(r'<template class="ms-data"[^>]*>(.*?)</template>', text, re.S)
    states = json.loads(html_lib.unescape(template.group(1)))["states"]
    table = [{**states["common"], **each} for each in states["each"]]  # k, then mode
    assert [s["labels"][0] for s in table[::2]] == ["k=1.0", "k=1.5", "k=2.0", "k=2.5", "k=3.0"]

    # What the site serves next to worker.js: results.py and the sources archive.
    folder = tmp_path / "served"
    folder.mkdir()
    (version,) = [p for p in (site / "assets/microscale").iterdir() if (p / "worker.js").exists()]
    shutil.copy(version / "results.py", folder / "results.py")
    (sources,) = (site / "assets/microscale/python").glob("sources-*.zip")
    shutil.copy(sources, folder / "sources.zip")
    # As widgets.js sends them: Number(range.value) of "2", "2.5", "1"; the choice's value.
    sent = [{"k": 2, "mode": "a"}, {"k": 2.5, "mode": "b"}, {"k": 1, "mode": "b"}]
    calls = [{"fn": "lab:probe", "kind": "readout", "args": args} for args in sent]
    proc = subprocess.run(
        [node, str(HERE / "worker_run.mjs"), str(pyodide_dist), str(folder), json.dumps(calls)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    ready, *replies = json.loads(proc.stdout.strip().splitlines()[-1])
    assert ready == {"type": "ready"}, ready
    assert [r["type"] for r in replies] == ["result"] * 3, replies
    live = [r["value"] for r in replies]
    assert live[0]["labels"] == ["k=2.0", FLOAT, "mode=a", STR]
    # Each live answer is the build's precomputed state for the same controls.
    assert live == [table[2 * 2], table[2 * 3 + 1], table[2 * 0 + 1]]
