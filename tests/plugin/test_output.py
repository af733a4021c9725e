"""What the plugin writes into a built site: prerendered and precomputed numbers equal to
CPython's, accessible markup, the assets and Python sources the browser needs, byte budgets."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lesson_plugins import browser, pagedata, results
from lesson_plugins.browser import ASSET_DIR, SITE_DIR
from lesson_plugins.bundle import bundle

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "browser" / "site"
sys.path.insert(0, str(SITE))
import widgetlab  # noqa: E402


@pytest.fixture(scope="module")
def site(build_site) -> Path:
    return build_site(SITE / "mkdocs.yml", plugin_options={"pyodide_dist": ""})


class Figures(HTMLParser):
    """The ms-data JSON and the data-value attributes of each output figure of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self.in_data = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and "ms-output" in a.get("class", ""):
            self.figures.append({"class": a["class"], "values": {}, "cells": []})
        elif self.figures and a.get("data-label") is not None:
            self.figures[-1]["values"][a["data-label"]] = a["data-value"]
        elif self.figures and tag == "td" and "data-value" in a:
            self.figures[-1]["cells"].append(a["data-value"])
        self.in_data = tag == "template" and a.get("class") == "ms-data"

    def handle_data(self, data):
        if self.in_data:
            self.figures[-1]["data"] = json.loads(data)
            self.in_data = False


def figures(path: Path) -> list[dict]:
    """The figures of a built page, with the states and rows of its data file put back."""
    parser = Figures()
    parser.feed(pagedata.read(path))
    return parser.figures


def test_bars_are_prerendered_and_precomputed_exactly(site):
    bars = figures(site / "index.html")[0]
    assert bars["values"] == {k: repr(v) for k, v in widgetlab.teacher(2.0).items()}
    states = bars["data"]["states"]
    assert len(states["each"]) == 46  # T from 0.5 to 5 in steps of 0.1
    for k, state in enumerate(states["each"]):
        expected = results.normalize("bars", widgetlab.teacher(float(f"{0.5 + k / 10:.1f}")))
        assert {**states["common"], **state} == expected


def test_two_controls_precompute_row_major(site):
    readout = figures(site / "index.html")[1]
    assert readout["data"]["params"] == ["T", "view"]
    each = readout["data"]["states"]["each"]
    assert len(each) == 92
    # state index = position(T) * 2 + position(view): T = 1.2 is position 7, "rest" position 1
    assert each[7 * 2 + 1]["values"] == list(widgetlab.summary(1.2, "rest").values())


def test_beyond_the_limit_outputs_are_live_but_prerendered(site):
    bars, readout = figures(site / "other" / "index.html")
    assert bars["data"]["states"] is None and readout["data"]["states"] is None
    assert bars["values"] == {k: repr(v) for k, v in widgetlab.sharpened(2.0, 1.0)}
    assert bars["data"]["fn"] == "widgetlab:sharpened" and bars["data"]["params"] == ["T", "k"]


def test_plot_has_a_table_of_exact_values(site):
    plot = figures(site / "index.html")[2]
    expected = widgetlab.curve(2.0)
    first_row = [expected["x"][0], *(s[0] for s in expected["series"].values())]
    assert plot["cells"][:3] == [repr(v) for v in first_row]


def test_controls_are_native_and_labelled(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    slider = re.search(r"<input [^>]*type=\"range\"[^>]*>", html).group(0)
    for attribute in (
        'id="ms-T"',
        'min="0.5"',
        'max="5.0"',
        'step="0.1"',
        'value="2.0"',
        'aria-valuetext="2.0"',
        'aria-describedby="ms-T-hint"',
    ):
        assert attribute in slider
    assert '<label for="ms-T">temperature</label>' in html
    assert "<legend>view</legend>" in html
    assert re.search(r'<input checked="checked" name="view" type="radio" value="entropy" />', html)
    assert "<figcaption>teacher distribution · p_T</figcaption>" in html


@pytest.mark.parametrize("directory_urls", [True, False])
def test_asset_urls_are_relative_and_resolve_on_every_page(build_site, directory_urls):
    site = build_site(
        SITE / "mkdocs.yml", use_directory_urls=directory_urls, site_url="https://example.org/repo/"
    )
    pages = [site / "index.html", site / ("other/index.html" if directory_urls else "other.html")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        urls = re.findall(r'(?:src|href)="([^"]*assets/microscale/[^"]+)"', html)
        assert len(urls) >= 3
        for url in urls:
            assert not url.startswith(("/", "http")), url
            assert (page.parent / url).resolve().is_file(), url
        config = json.loads(re.search(r'id="ms-config">(.*?)</script>', html).group(1))
        assert (site / ASSET_DIR / config["sources"]).resolve().is_file()


def test_browser_files_sit_in_a_folder_named_by_their_content(build_site, tmp_path):
    site = build_site(SITE / "mkdocs.yml")
    names = {name for name, _ in browser.shipped()}
    assert {"runtime.js", "worker.js", "widgets.css", "results.py"} <= names
    assert "widgets.js" not in names and "quiz.css" not in names  # in runtime.js, widgets.css
    folder = site / ASSET_DIR
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    assert {name for name, _ in files} == names
    assert sorted(p.name for p in (site / SITE_DIR).iterdir()) == sorted(
        [browser.VERSION, "python"]
    )
    # The name follows the content: the files served give the folder's name, one changed byte
    # another, also in a module that the site serves only inside runtime.js.
    assert browser.version(files) == browser.VERSION
    edited = dict(files)
    edited["runtime.js"] = edited["runtime.js"].read_bytes() + b"\n"
    assert browser.version(list(edited.items())) != browser.VERSION
    assets = shutil.copytree(browser.ASSETS, tmp_path / "assets")
    with (assets / "bars.js").open("a") as bars:
        bars.write("globalThis.edited = true;\n")
    joined = bundle(assets, browser.ENTRIES, browser.EXTERNAL).text
    assert joined != browser.BUNDLE.text and "globalThis.edited = true;" in joined


def test_local_pyodide_is_copied_under_a_versioned_path(build_site, pyodide_dist):
    site = build_site(SITE / "mkdocs.yml", plugin_options={"pyodide_dist": str(pyodide_dist)})
    html = (site / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'id="ms-config">(.*?)</script>', html).group(1))
    assert config["pyodide"] == "../../pyodide/0.27.7/"  # from runtime.js
    copied = site / "assets" / "pyodide" / "0.27.7"
    assert (site / ASSET_DIR / config["pyodide"]).resolve() == copied
    assert (copied / "pyodide.asm.wasm").read_bytes() == (
        pyodide_dist / "pyodide.asm.wasm"
    ).read_bytes()
    assert sorted(p.name for p in copied.iterdir()) == sorted(
        [
            "pyodide.mjs",
            "pyodide.asm.js",
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "pyodide-lock.json",
            "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
        ]
    )


def test_without_a_local_pyodide_the_page_pins_the_cdn(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'id="ms-config">(.*?)</script>', html).group(1))
    assert config["pyodide"] == "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"
    assert not (site / "assets" / "pyodide").exists()


def test_exactly_pycore_and_the_listed_modules_are_shipped(site):
    (archive,) = (site / SITE_DIR / "python").glob("sources-*.zip")
    names = zipfile.ZipFile(io.BytesIO(archive.read_bytes())).namelist()
    pycore = sorted(
        f"pycore/{p.relative_to(ROOT / 'pycore').as_posix()}"
        for p in (ROOT / "pycore").rglob("*.py")
    )
    # and the code exercises' grader (lesson_plugins/grader.py), which the worker imports
    assert sorted(names) == sorted([*pycore, "widgetlab.py", "_microscale_grader.py"])


def test_precompute_limit_zero_and_option_false_turn_precomputing_off(build_pages):
    lab = "def f(T: float) -> dict:\n    return {'a': T}\n"
    slider = "/// slider | T\n    min: 0\n    max: 1\n    step: 0.5\n///\n"
    page = "# P\n\n" + slider + "/// readout | r\n    compute: lab:f\n    precompute: false\n///\n"
    site = build_pages(
        {"index.md": page}, files={"lab.py": lab}, plugin_options={"modules": ["lab.py"]}
    )
    assert figures(site / "index.html")[0]["data"]["states"] is None
    page = "# P\n\n" + slider + "/// readout | r\n    compute: lab:f\n///\n"
    (site.parent / "docs" / "index.md").write_text(page)
    site = build_pages(
        {"index.md": page},
        files={"lab.py": lab},
        plugin_options={"modules": ["lab.py"], "precompute_limit": 0},
    )
    assert figures(site / "index.html")[0]["data"]["states"] is None


def test_the_plugin_ships_at_most_30_kb_gzip_of_js_and_css():
    """Every script and style sheet a page may load, as the site serves it (the exercises' editor,
    only on pages with an exercise, is counted apart: tests/perf)."""
    names = [n for n, _ in browser.shipped() if "/" not in n and n.endswith((".js", ".css"))]
    sizes = {n: len(gzip.compress(browser.served(n), 9)) for n in [*names, *browser.INLINED]}
    assert "runtime.js" in sizes and "widgets.js" not in sizes  # the bundle holds widgets.js
    assert "quiz.css" not in sizes  # widgets.css holds it
    assert sum(sizes.values()) <= 30_000, sizes


@pytest.mark.parametrize(
    "value",
    [{"a": 0.25, "b": 0.75}, [("a", 0.25), ("b", 0.75)], (["a", 0.25], ["b", 0.75])],
)
def test_bars_accept_a_mapping_or_pairs(value):
    assert results.normalize("bars", value) == {"labels": ["a", "b"], "values": [0.25, 0.75]}


def test_numpy_results_become_plain_floats():
    import numpy as np

    value = {"x": np.linspace(0, 1, 3), "series": {"y": np.array([1, 2, 3])}}
    normalized = results.normalize("plot", value)
    assert normalized == {"x": [0.0, 0.5, 1.0], "series": {"y": [1.0, 2.0, 3.0]}}
    assert all(type(v) is float for v in normalized["x"])


def test_a_rebuild_imports_the_edited_module(build_pages):
    page = "# P\n\n/// readout | r\n    compute: lab:f\n///\n"
    options = {"modules": ["lab.py"]}
    site = build_pages(
        {"index.md": page},
        files={"lab.py": "def f():\n    return {'a': 1}\n"},
        plugin_options=options,
    )
    assert figures(site / "index.html")[0]["values"] == {"a": "1.0"}
    site = build_pages(
        {"index.md": page},
        files={"lab.py": "def f():\n    return {'a': 2.5}\n"},
        plugin_options=options,
    )
    assert figures(site / "index.html")[0]["values"] == {"a": "2.5"}
