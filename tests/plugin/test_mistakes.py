"""Mistakes that used to build without a word (issue 19): what they must not catch, and the
warning about the build's numpy. The mistakes themselves, with their messages, are in
``test_errors.py`` (MkDocs) and ``tests/hosts/test_hosts.py`` (Zensical)."""

from __future__ import annotations

import logging

import pytest

from lesson_plugins import site as site_module
from lesson_plugins.errors import DirectiveError

CONFIG = (
    "site_name: test\ntheme:\n  name: material\n  font: false\nplugins:\n  - lessons\n"
    "markdown_extensions:\n  - pymdownx.blocks.details\n  - pymdownx.blocks.admonition\n"
)
PAGE = """# Page

/// details | More
Hidden text.
///

/// note | Remember
Text.
///

An example of a directive, not one:

```markdown
/// slidr | clip
```
"""


def test_blocks_the_site_enabled_and_examples_in_code_build(build_pages):
    site = build_pages({"index.md": PAGE}, files={"mkdocs.yml": CONFIG})
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<details" in html and 'class="admonition note"' in html
    assert "/// slidr | clip" in html  # the example, as code


def test_a_misspelled_pymdownx_block_suggests_the_enabled_one(build_pages):
    page = "# Page\n\n/// detials | More\nHidden text.\n///\n"
    with pytest.raises(DirectiveError) as caught:
        build_pages({"index.md": page}, files={"mkdocs.yml": CONFIG})
    assert str(caught.value).startswith(
        "docs/index.md:3: unknown directive '/// detials' (did you mean 'details'?)"
    )
    enabled = str(caught.value).split("this site also enables pymdownx's ")[1].split(".")[0]
    assert {"admonition", "details", "note", "warning"} <= set(enabled.split(", "))


def test_the_numpy_warning_comes_once_per_build(build_pages, caplog, monkeypatch):
    monkeypatch.setattr("importlib.metadata.version", lambda name: "2.1.3")
    with caplog.at_level(logging.WARNING, logger="microscale"):
        build_pages({"index.md": "# A\n", "b.md": "# B\n"})
    said = [r.getMessage() for r in caplog.records if r.name == "microscale"]
    assert len(said) == 1, said
    assert said[0].startswith(
        "microscale: warning: this build runs numpy 2.1.3, newer than numpy 2.0.2 of Pyodide "
        "0.27.7, which readers' browsers run."
    )
    assert "np.cumulative_sum" in said[0] and "numpy==2.0.2" in said[0]


@pytest.mark.parametrize("installed", ["2.0.2", "2.0.0", "1.26.4"])
def test_no_numpy_warning_when_the_build_matches_pyodide(installed, caplog, monkeypatch):
    monkeypatch.setattr("importlib.metadata.version", lambda name: installed)
    with caplog.at_level(logging.WARNING, logger="microscale"):
        site_module.warn_newer_numpy()
    assert not [r for r in caplog.records if r.name == "microscale"]


def test_release_numbers_compare_as_numbers():
    assert site_module._release("2.10.0") > site_module._release("2.9.1")
    assert site_module._release("2.1.0rc1") == (2, 1, 0)
