"""Build mistakes that used to pass silently or crash (issue 22): a module shadowing the standard
library, a compute cache of the right version but the wrong shape, modules from outside the
project."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from mkdocs.exceptions import PluginError

from lesson_plugins import cache

LAB = "def f(T: float = 0.5) -> dict:\n    return {'zebra': T, 'quokka': 1 - T}\n"
PAGE = {
    "index.md": "# A\n\n/// slider | T\n    min: 0\n    max: 1\n    step: 0.5\n    value: 0.5\n"
    "///\n\n/// readout | animals\n    compute: NAME:f\n///\n"
}


def page_for(module: str) -> dict[str, str]:
    return {name: text.replace("NAME", module) for name, text in PAGE.items()}


@pytest.mark.parametrize(
    ("entry", "name"), [("extras/json.py", "json"), ("extras/numpy", "numpy"), ("os.py", "os")]
)
def test_a_module_named_like_the_standard_library_is_refused(build_pages, entry, name) -> None:
    files = {entry + ("/__init__.py" if not entry.endswith(".py") else ""): LAB}
    before = sys.modules.get(name)
    with pytest.raises(PluginError) as caught:
        build_pages(page_for(name), files=files, plugin_options={"modules": [entry]})
    message = str(caught.value)
    assert message.startswith("mkdocs.yml: plugin 'lessons': modules: "), message
    assert f"imported as {name!r}" in message and "Rename it" in message
    assert sys.modules.get(name) is before, f"{name} was not replaced for the rest of the build"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.update(results=[1, 2]),
        lambda data: data.update(signatures={"lab:f": "not a list"}),
        lambda data: data["results"].update({k: "xy" for k in data["results"]}),
        lambda data: data["results"].update({k: [[1], None] for k in data["results"]}),
        lambda data: data.pop("results"),
    ],
    ids=["results-list", "signature-text", "result-text", "result-list", "no-results"],
)
def test_a_cache_file_of_the_right_version_but_wrong_shape_is_computed_again(
    tmp_path, build_pages, damage
) -> None:
    options = {"modules": ["lab.py"]}
    files = {"lab.py": LAB + f"# sources of this test only: {damage}\n"}
    first = build_pages(page_for("lab"), files=files, plugin_options=options) / "index.html"
    computed = first.read_text()
    assert "zebra" in computed
    saved = tmp_path / ".cache" / "plugin" / "lessons" / "compute.json"
    data = json.loads(saved.read_text())
    damage(data)
    saved.write_text(json.dumps(data))
    cache._OPEN.clear()  # as a new `mkdocs build` process starts
    site = build_pages(page_for("lab"), files=files, plugin_options=options)
    assert (site / "index.html").read_text() == computed, "the same page, computed again"
    assert json.loads(saved.read_text())["version"] == data["version"], "rewritten whole"


def test_a_module_outside_the_project_is_published_with_a_warning(
    tmp_path_factory, build_pages, caplog
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "farlab.py"
    outside.write_text(LAB)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.lessons"):
        build_pages(page_for("farlab"), plugin_options={"modules": [str(outside)]})
    (warning,) = [r.getMessage() for r in caplog.records if "outside the project" in r.getMessage()]
    assert str(outside) in warning and "for every reader to download" in warning
