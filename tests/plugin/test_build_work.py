"""The build does each piece of work once: options read by libyaml, computed outputs reused
across pages and rebuilds, the outputs' data kept out of the search plugin's way."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import pymdownx.blocks
import pytest
import yaml
from test_output import figures

from lesson_plugins import cache, results, unindexed
from lesson_plugins.blocks import read_options

COUNTING_LAB = """\
import pathlib

CALLS = pathlib.Path(__file__).with_name("calls.log")


def f(T: float) -> dict:
    with CALLS.open("a") as log:
        log.write(".")
    return {"zebra": T, "quokka": 1 - T}
"""

SLIDER = "/// slider | T\n    min: 0\n    max: 1\n    step: 0.5\n    value: 0.5\n///\n"
READOUT = "/// readout | the two animals\n    compute: lab:f\n///\n"


@pytest.mark.parametrize(
    "text",
    [
        "compute: pycore.lessons.distillation:teacher\n",
        "min: 0.5\nmax: 5\nstep: 0.1\nvalue: 2.0\nhint: low T = sharp · high T = flat\n",
        "options: [forward, reverse]\nlabels: [forward KL, reverse KL]\nprecompute: false\n",
        "format: .1%\nmax: 1e-3\nvalue: yes\n",
        "\n",
        "just text\n",
        "min: [unclosed\n",
        "a: 1\n  b: 2\n",
    ],
)
def test_block_options_read_with_libyaml_as_pymdownx_reads_them(text):
    try:
        expected = yaml.safe_load(text)
        expected = {} if expected is None else expected if isinstance(expected, dict) else None
    except yaml.YAMLError:
        expected = None
    assert read_options(text) == expected


def test_pymdownx_reads_block_options_through_libyaml(build_pages):
    build_pages({"index.md": "# P\n"})
    # Only a PyYAML built with libyaml (the PyPI wheels are) has the faster loader to switch to.
    assert (pymdownx.blocks.get_frontmatter is read_options) == yaml.__with_libyaml__


def test_hide_and_restore_give_back_the_same_page_without_the_attribute():
    page = (
        '<figure class="ms-output ms-bars"><figcaption>t</figcaption>'
        '<ol data-search-exclude="true"><li class="ms-bar">a <span>1</span></li></ol>'
        '<table class="ms-table" data-search-exclude="true"><tr><td>1</td></tr></table>'
        '<template class="ms-data" data-search-exclude="true">{"a":"<\\/b>"}</template></figure>'
        "<table><tr><td>an author's table</td></tr></table><ol><li>an author's list</li></ol>"
    )
    hidden_page, hidden = unindexed.hide(page)
    assert "ms-table" not in hidden_page and "ms-data" not in hidden_page
    assert 'class="ms-bar"' not in hidden_page and "an author's list" in hidden_page
    assert "<figcaption>t</figcaption>" in hidden_page and "an author's table" in hidden_page
    assert unindexed.restore(hidden_page, hidden) == page.replace(unindexed.ATTRIBUTE, "")


def test_computed_data_stays_out_of_the_search_index_and_in_the_page(tmp_path, build_pages):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: test\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - lessons:\n      modules: [lab.py]\n"
    )
    site = build_pages(
        {"index.md": f"# Animals\n\nSome prose about a quiz.\n\n{SLIDER}\n{READOUT}"},
        files={"lab.py": COUNTING_LAB + "# not the sources of the next test: results are cached\n"},
    )
    index = json.loads((site / "search" / "search_index.json").read_text())
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "the two animals" in text and "prose about a quiz" in text  # titles stay searchable
    assert "zebra" not in text and '"fn"' not in text  # computed values and JSON do not
    html = (site / "index.html").read_text()
    assert "ms-unindexed" not in html and "data-search-exclude" not in html
    readout = figures(site / "index.html")[0]
    assert readout["values"] == {"zebra": "0.5", "quokka": "0.5"}
    assert len(readout["data"]["states"]["each"]) == 3


def test_results_are_computed_once_until_a_source_changes(tmp_path, build_pages):
    calls = tmp_path / "calls.log"
    pages = {"a.md": f"# A\n\n{SLIDER}\n{READOUT}", "b.md": f"# B\n\n{SLIDER}\n{READOUT}"}
    options = {"modules": ["lab.py"]}
    build_pages(pages, files={"lab.py": COUNTING_LAB}, plugin_options=options)
    assert calls.read_text() == "..."  # 3 states of T, once for both pages
    site = build_pages(pages, files={"lab.py": COUNTING_LAB}, plugin_options=options)
    assert calls.read_text() == "..."  # a rebuild (mkdocs serve) reuses them
    assert figures(site / "b" / "index.html")[0]["values"] == {"zebra": "0.5", "quokka": "0.5"}
    edited = COUNTING_LAB.replace("1 - T", "2 - T")
    site = build_pages(pages, files={"lab.py": edited}, plugin_options=options)
    assert calls.read_text() == "......"
    assert figures(site / "a" / "index.html")[0]["values"] == {"zebra": "0.5", "quokka": "1.5"}
    states = figures(site / "a" / "index.html")[0]["data"]["states"]
    assert states["common"] == {"labels": ["zebra", "quokka"]}
    assert [s["values"] for s in states["each"]] == [[0.0, 2.0], [0.5, 1.5], [1.0, 1.0]]


def test_a_build_in_a_process_that_goes_on_thaws_what_it_froze(tmp_path, build_pages):
    """The plugin leaves the objects of the build's start out of full collections (gc.freeze);
    only `mkdocs build` keeps them so, as its process ends. A build run in-process (as here, or
    by `mkdocs serve`) gives them back, after a success and after a failure."""
    assert gc.get_freeze_count() == 0
    build_pages(
        {"index.md": f"# A\n\n{SLIDER}\n{READOUT}"},
        files={"lab.py": COUNTING_LAB},
        plugin_options={"modules": ["lab.py"]},
    )
    assert gc.get_freeze_count() == 0
    with pytest.raises(Exception, match="readout: compute"):
        build_pages({"index.md": "# A\n\n/// readout | x\n    compute: lab:nothing\n///\n"})
    assert gc.get_freeze_count() == 0


def test_a_later_build_reads_the_saved_cache_and_imports_no_compute_module(tmp_path, build_pages):
    calls = tmp_path / "calls.log"
    pages = {"index.md": f"# A\n\n{SLIDER}\n{READOUT}"}
    lab = COUNTING_LAB + "# the sources of this test only\n"
    build_pages(pages, files={"lab.py": lab}, plugin_options={"modules": ["lab.py"]})
    assert calls.read_text() == "..."
    assert (tmp_path / ".cache" / "plugin" / "lessons" / "compute.json").is_file()
    cache._OPEN.clear()  # as a new `mkdocs build` process starts
    site = build_pages(pages, files={"lab.py": lab}, plugin_options={"modules": ["lab.py"]})
    assert calls.read_text() == "..."  # nothing computed again
    assert "lab" not in sys.modules  # nor imported: the build forgot the old copy and needed none
    readout = figures(site / "index.html")[0]
    assert readout["values"] == {"zebra": "0.5", "quokka": "0.5"}
    assert [s["values"] for s in readout["data"]["states"]["each"]][2] == [1.0, 0.0]


def test_cache_false_computes_in_every_build_and_writes_nothing(tmp_path, build_pages):
    calls = tmp_path / "calls.log"
    pages = {"index.md": f"# A\n\n{SLIDER}\n{READOUT}"}
    lab = COUNTING_LAB + "# the sources of this test only, uncached\n"
    options = {"modules": ["lab.py"], "cache": False}
    build_pages(pages, files={"lab.py": lab}, plugin_options=options)
    cache._OPEN.clear()
    build_pages(pages, files={"lab.py": lab}, plugin_options=options)
    assert calls.read_text() == "......"
    assert not (tmp_path / ".cache").exists()


def test_an_unreadable_cache_file_is_computed_again(tmp_path, build_pages):
    calls = tmp_path / "calls.log"
    pages = {"index.md": f"# A\n\n{SLIDER}\n{READOUT}"}
    lab = COUNTING_LAB + "# the sources of this test only, torn cache\n"
    files = {"lab.py": lab, ".cache/plugin/lessons/compute.json": '{"format": 1, "vers'}
    site = build_pages(pages, files=files, plugin_options={"modules": ["lab.py"]})
    assert calls.read_text() == "..."
    assert figures(site / "index.html")[0]["values"] == {"zebra": "0.5", "quokka": "0.5"}


def test_the_saved_cache_keeps_only_what_the_last_build_used(tmp_path, build_pages):
    pages = {"index.md": f"# A\n\n{SLIDER}\n{READOUT}"}
    files = {"lab.py": COUNTING_LAB + "# the sources of this test only, pruned\n"}
    build_pages(pages, files=files, plugin_options={"modules": ["lab.py"]})
    saved = tmp_path / ".cache" / "plugin" / "lessons" / "compute.json"
    assert len(json.loads(saved.read_text())["results"]) == 1
    pages["index.md"] = pages["index.md"].replace("step: 0.5", "step: 0.25")  # 5 states now
    build_pages(pages, files=files, plugin_options={"modules": ["lab.py"]})
    (key,) = json.loads(saved.read_text())["results"]
    assert json.loads(key)[-1] == [[0, 0.25, 5]]  # the slider's min, step and count


@pytest.mark.parametrize(
    "value",
    [
        {"a": 0.25, "b": 0.75},
        {"a": 1, "b": 2.5},  # an int takes the careful path
        {"a": -0.0, "b": 1e-300},
        {"a": 0.5, 3: 0.5},  # a number as a label
        {"x": -1.5, "y": 2.0},  # negative: fine for a readout, not for bars
        {"x": float("nan")},
        {"x": True},
    ],
)
def test_checking_a_dict_in_bulk_gives_what_the_careful_check_gives(value):
    for kind in ("bars", "readout"):
        try:
            fast = results.normalize(kind, value)
        except results.ResultError as exc:
            fast = str(exc)
        try:
            careful = results.normalize(kind, list(value.items()))  # pairs: never in bulk
        except results.ResultError as exc:
            careful = str(exc)
        assert fast == careful
        if not isinstance(fast, str):
            assert all(type(v) is float for v in fast["values"])


def test_mkdocs_serve_rebuilds_when_the_python_of_the_pages_changes(tmp_path):
    from types import SimpleNamespace

    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "lab.py").write_text(COUNTING_LAB)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: test\nplugins:\n  - lessons:\n      modules: [lab.py]\n"
    )
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    watched: list[str] = []
    config.plugins.on_serve(SimpleNamespace(watch=watched.append), config=config, builder=None)
    assert watched == [str(source.path) for source in config.plugins["lessons"].site.sources]
    assert [Path(p).name for p in watched] == ["pycore", "lab.py"]
