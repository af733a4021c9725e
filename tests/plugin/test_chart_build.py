"""Charts at build time: axes and ticks, the same in Python and in the browser's chart.js (run
under Node), results of the new outputs (``lesson_plugins/results.py``), and every chart option
an author can get wrong failing the build with ``file:line``."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from lesson_plugins.blocks import chart
from lesson_plugins.errors import DirectiveError
from lesson_plugins.results import ResultError, normalize

ASSETS = Path(chart.__file__).parents[1] / "assets"

# Node: every case through chart.js's axis, position and coord, and util.js's formatNumber.
RUNNER = """
import { readFileSync } from "node:fs";
import { axis, coord, position } from "./chart.js";
import { formatNumber } from "./util.js";
const cases = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([values, spec]) => {
  const a = axis(values, spec);
  return { ...a, labels: a.ticks.map((t) => formatNumber(t, a.format)),
           at: values.map((v) => coord(position(a, v) * 1000)) };
})));
"""


def python_side(values: list[float], spec: dict) -> dict:
    a = chart.axis(values, spec["fixed"], spec["log"], spec["extend"])
    return {
        **a,
        "labels": [format(t, a["format"]) for t in a["ticks"]],
        "at": [chart.x_at(a, v) for v in values],
    }


def cases() -> list[tuple[list[float], dict]]:
    rng = random.Random(19)
    out = []
    for _ in range(400):
        scale = 10 ** rng.uniform(-6, 7)
        values = [rng.uniform(-1, 1) * scale + rng.choice([0, scale * 3]) for _ in range(5)]
        log = rng.random() < 0.3
        if log:
            values = [abs(v) + scale * 1e-3 for v in values]
        fixed = None
        if rng.random() < 0.3:
            low = min(values)
            fixed = [low, low + rng.choice([1, 2.5, 16, 0.3, 1e-3]) * scale]
        out.append((values, {"fixed": fixed, "log": log, "extend": rng.random() < 0.7}))
    out += [([0.5, 0.5], {"fixed": None, "log": False, "extend": True})]  # one value
    out += [([1e-5, 2e-5], {"fixed": None, "log": True, "extend": True})]  # within a decade
    out += [([0.1, 0.93], {"fixed": None, "log": False, "extend": True})]
    return out


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")
def test_python_and_chart_js_agree_on_every_axis(tmp_path: Path):
    for name in ("chart.js", "util.js"):
        shutil.copy(ASSETS / name, tmp_path / name)
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "run.js").write_text(RUNNER)
    all_cases = cases()
    done = subprocess.run(
        ["node", "run.js"],
        cwd=tmp_path,
        input=json.dumps(all_cases),
        capture_output=True,
        text=True,
        check=True,
    )
    for (values, spec), js in zip(all_cases, json.loads(done.stdout), strict=True):
        assert js == python_side(values, spec), (values, spec)


def mantissa(x: float) -> float:
    return round(float(f"{abs(x):.12e}".split("e")[0]), 9)


def test_ticks_are_nice_numbers_inside_the_axis():
    for values, spec in cases():
        a = chart.axis(values, spec["fixed"], spec["log"], spec["extend"])
        ticks = a["ticks"]
        assert 2 <= len(ticks) <= 12, (values, spec, a)
        assert all(
            a["lo"] - 1e-9 * abs(a["lo"]) <= t <= a["hi"] + 1e-9 * abs(a["hi"]) for t in ticks
        )
        if a["log"] and {mantissa(t) for t in ticks} <= {1.0, 2.0, 3.0, 5.0}:
            continue  # 1, 2, 3 or 5 times a power of ten
        else:  # evenly spaced by 1, 2 or 5 times a power of ten (also a narrow log axis)
            steps = np.diff(ticks)
            assert np.allclose(steps, steps[0]), a
            assert np.isclose(mantissa(steps[0]), [1, 2, 5, 10], rtol=1e-6).any(), a


def test_an_axis_from_the_data_ends_on_ticks_and_starts_at_zero_for_positive_values():
    a = chart.axis([0.1, 0.93], None, False, True)
    assert (a["lo"], a["hi"], a["format"]) == (0.0, 1.0, ".1f")
    assert [format(t, a["format"]) for t in a["ticks"]] == [
        "0.0",
        "0.2",
        "0.4",
        "0.6",
        "0.8",
        "1.0",
    ]
    log = chart.axis([0.003, 0.9], None, True, True)
    assert (log["lo"], log["hi"], log["ticks"]) == (0.001, 1.0, [0.001, 0.01, 0.1, 1.0])
    fixed = chart.axis([5.0], [0.0, 16.0], False, True)
    assert (fixed["lo"], fixed["hi"], fixed["ticks"]) == (0.0, 16.0, [0.0, 5.0, 10.0, 15.0])


@pytest.mark.parametrize("bins", [1, 3, 10, 37])
def test_hist_bins_as_numpy_histogram(bins):
    sample = np.random.default_rng(bins).normal(size=500)
    counts, edges = np.histogram(sample, bins=bins)
    result = normalize("hist", {"values": sample, "bins": bins})
    assert result["counts"] == {"count": counts.astype(float).tolist()}
    assert np.allclose(result["edges"], edges)
    given = normalize("hist", {"values": {"a": [0, 1, 1, 3]}, "bins": [0, 1, 2, 3]})
    assert given["counts"] == {"a": [1.0, 2.0, 1.0]}  # the last bin holds its right edge


def test_scatter_and_heatmap_results():
    assert normalize("scatter", {"x": np.arange(2), "y": [3, 4], "xlabel": "x"}) == {
        "series": {"points": {"x": [0.0, 1.0], "y": [3.0, 4.0]}},
        "xlabel": "x",
    }
    assert normalize("heatmap", {"z": np.eye(2), "cols": ["a", "b"]}) == {
        "z": [[1.0, 0.0], [0.0, 1.0]],
        "rows": ["0", "1"],
        "cols": ["a", "b"],
    }


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("heatmap", {"z": [[1, 2], [3]]}, "every row as long as the first"),
        ("heatmap", {"z": [[1]], "rows": ["a", "b"]}, "rows has 2 labels for 1 rows"),
        ("heatmap", {"z": [[1]], "colour": 1}, "unknown key(s) 'colour'"),
        ("scatter", {"x": [1, 2], "y": [1]}, "has 2 x and 1 y"),
        ("scatter", {"series": {"a": [1, 2]}}, "series['a'] must be a mapping with 'x' and 'y'"),
        ("hist", {"values": [1, float("nan")]}, "values['count'][1] is nan"),
        ("hist", {"values": [1], "bins": [2, 1]}, "at least 2 increasing edges"),
        ("hist", {"values": [1], "bins": 0}, "give a count from 1 to 200"),
    ],
)
def test_wrong_results_are_named(kind, value, message):
    with pytest.raises(ResultError) as caught:
        normalize(kind, value)
    assert message in str(caught.value)


LAB = """
import numpy as np

def curve(T: float) -> dict:
    return {"x": [0, 1, 2], "series": {"p": [0.0, T, 1.0]}}

def grid(T: float) -> dict:
    return {"z": [[0, T], [T, 1]]}

def points(T: float) -> dict:
    return {"x": [0, T], "y": [1, 2]}

def broken(T: float) -> dict:
    return {"z": [[0, T], [T]]}
"""
SLIDER = "/// slider | T\n    min: 0.5\n    max: 2\n    step: 0.5\n    value: 1\n///\n\n"


@pytest.mark.parametrize(
    ("block", "options", "message"),
    [
        (
            "plot",
            "y: [1, 0]",
            "plot: option 'y': expected auto, all or [low, high] with low < high",
        ),
        ("plot", "yscale: logarithmic", "plot: option 'yscale': expected linear or log"),
        ("plot", "legend: left", "plot: option 'legend': expected one of top, bottom, right, none"),
        ("plot", "yscale: log", "plot: yscale: log needs values > 0, got 0.0"),
        ("plot", "y: all\n    precompute: false", "plot: y: all needs every state computed"),
        ("scatter", "x: all\n    precompute: false", "scatter: x: all needs every state computed"),
        ("scatter", "xscale: log", "scatter: xscale: log needs values > 0, got 0.0"),
        ("heatmap", "range: all\n    precompute: false", "heatmap: range: all needs every state"),
        ("heatmap", "colours: viridis", "heatmap: unknown option 'colours'"),
        ("hist", "yscale: log", "hist: unknown option 'yscale'"),
    ],
)
def test_chart_mistakes_fail_the_build_at_their_line(build_pages, block, options, message):
    compute = {"plot": "lab:curve", "scatter": "lab:points"}.get(block, "lab:grid")
    markdown = (
        f"# Page\n\n{SLIDER}/// {block} | chart\n    compute: {compute}\n    {options}\n///\n"
    )
    with pytest.raises(DirectiveError) as caught:
        build_pages(
            {"index.md": markdown}, files={"lab.py": LAB}, plugin_options={"modules": ["lab.py"]}
        )
    assert str(caught.value).startswith(f"docs/index.md:10: {message}"), str(caught.value)


def test_a_wrong_heatmap_result_names_the_call(build_pages):
    markdown = f"# Page\n\n{SLIDER}/// heatmap | chart\n    compute: lab:broken\n///\n"
    with pytest.raises(
        DirectiveError,
        match=r"docs/index.md:10: heatmap: lab:broken\(T=0.5\) returned a wrong result: z must",
    ):
        build_pages(
            {"index.md": markdown}, files={"lab.py": LAB}, plugin_options={"modules": ["lab.py"]}
        )


def test_a_live_output_may_have_a_log_axis(build_pages):
    """Not precomputed, only the prerendered state is checked at build time (the browser says
    in the widget when a live state has a value <= 0)."""
    markdown = (
        f"# Page\n\n{SLIDER}/// scatter | chart\n    compute: lab:points\n    yscale: log\n///\n"
    )
    site = build_pages(
        {"index.md": markdown},
        files={"lab.py": LAB},
        plugin_options={"modules": ["lab.py"], "precompute_limit": 0},
    )
    assert 'class="ms-dots ms-c0"' in (site / "index.html").read_text()
