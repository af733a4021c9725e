"""Page weight budget (issue #9): the plugin's own JS + CSS on a lesson page is at most 30 KB gzip.

A lesson is generated with the widget pattern of the real one and built twice, with and without the
``lessons`` plugin; what the plugin build adds (its asset files, its inline scripts and styles) is
the plugin's weight. Pyodide is left out: the builds run without ``PYODIDE_DIST`` (Pyodide from the
CDN), and files of a Pyodide distribution copied into a site are never counted.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import site_build
import site_course

from lesson_plugins import browser

BUDGET = 30 * 1024  # bytes, gzip
PAGE = "lessons/lesson-001/index.html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    course = site_course.write_course(tmp_path_factory.mktemp("weight"), 1)
    built = {}
    for variant in ("plain", "plugin"):
        built[variant] = course / f"site-{variant}"
        site_build.build(course / f"mkdocs-{variant}.yml", built[variant], timeout=120)
    return built


def test_the_lesson_page_has_rendered_widgets(sites: dict[str, Path]) -> None:
    html = (sites["plugin"] / PAGE).read_text()
    assert 'type="range"' in html and "data-value=" in html, "the plugin rendered no widget"


def test_plugin_js_and_css_within_budget(sites: dict[str, Path]) -> None:
    weight = site_build.plugin_weight(sites["plain"], sites["plugin"], PAGE)
    assert weight.raw.get("js", 0) > 0, f"no plugin JS found; plugin files: {weight.files}"
    assert weight.own_gz <= BUDGET, (
        f"the plugin's own JS + CSS is {weight.own_gz} bytes gzip (budget {BUDGET}); "
        f"by kind (gzip): {weight.gz}; files: {weight.files}"
    )


def test_weight_counts_added_files_and_inline_code_but_not_pyodide(tmp_path: Path) -> None:
    plain, plugin = tmp_path / "plain", tmp_path / "plugin"
    page = "lesson/index.html"
    for site in (plain, plugin):
        (site / "lesson").mkdir(parents=True)
        (site / "theme.js").write_text("theme();")
    (plain / page).write_text("<script>theme()</script><p>x</p>")
    (plugin / page).write_text(
        "<script>theme()</script><script>ours()</script><style>.a{}</style>"
        '<script type="application/json">{"a": 1}</script><p>x</p>'
    )
    (plugin / "assets").mkdir()
    (plugin / "assets" / "runtime.js").write_text("x" * 1000)
    (plugin / "assets" / "widgets.css").write_text("y" * 100)
    (plugin / "assets" / "sources.zip").write_bytes(b"z" * 10)
    (plugin / "assets" / "logo.svg").write_text("<svg/>")
    (plugin / "pyodide").mkdir()
    (plugin / "pyodide" / "pyodide.asm.wasm").write_bytes(b"w" * 5000)
    (plugin / "pyodide" / "pyodide.mjs").write_text("p" * 5000)

    weight = site_build.plugin_weight(plain, plugin, page)

    assert weight.raw == {
        "js": 1000 + len("ours()"),
        "css": 100 + len(".a{}"),
        "python": 10,
        "other": len("<svg/>"),
        "data": len('{"a": 1}'),
    }
    assert sorted(weight.files) == [
        "assets/logo.svg",
        "assets/runtime.js",
        "assets/sources.zip",
        "assets/widgets.css",
    ]
    assert 0 < weight.own_gz < weight.own_raw


def test_a_page_with_a_live_output_starts_python_from_its_head(sites: dict[str, Path]) -> None:
    """Time to live Python (issue #9): on a page with an output only Python can update, an inline
    script starts the Python worker before the first stylesheet or script of the <head> (which
    an inline script would wait for), from worker.js inlined in the page; other pages only define
    that function."""
    # worker.js's URL, relative to the page, is in ms-config: the starting line is the same on
    # every page (one hash for a Content-Security-Policy).
    start = re.compile(r"microscaleStart\(new URL\(c\.dataset\.worker, ")
    where = re.compile(r'data-worker="(\.\./)*assets/microscale/\w+/worker\.js" id="ms-config">')
    worker = (Path(browser.__file__).parent / "assets" / "worker.js").read_text()
    for page, live in ((PAGE, True), ("index.html", False)):
        head = (sites["plugin"] / page).read_text().split("</head>")[0]
        boot = head.index("<script>window.microscaleStart = function")
        scripts = [m.start() for m in re.finditer("<script", head)]
        inline = ['<script type="application/json" data-worker=']
        inline += ['<script type="text/plain" id="ms-worker">'] if live else []
        assert scripts[: len(inline) + 1] == [*map(head.index, inline), boot]
        assert boot < head.index('<link rel="stylesheet"')
        assert bool(start.search(head)) is live, f"{page}: live {live}"
        assert where.search(head), page
        if live:  # the whole program, less its comment lines
            source = head.split('id="ms-worker">')[1].split("</script>")[0]
            code = [line for line in worker.splitlines() if line.strip()]
            assert source.splitlines() == [c for c in code if not c.strip().startswith("//")]
