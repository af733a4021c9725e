"""The one pymdownx internal the engine relies on (``blocks.fast_options``): the module function
``pymdownx.blocks.get_frontmatter`` reads a block's options. A pymdown-extensions release that
drops or changes it fails here, not silently in a build."""

from __future__ import annotations

import pymdownx.blocks

from lesson_plugins.blocks import PYMDOWNX_OPTIONS, fast_options
from lesson_plugins.blocks.base import read_options


def test_pymdownx_still_reads_options_with_get_frontmatter() -> None:
    original = PYMDOWNX_OPTIONS
    assert original is not None, "pymdownx.blocks.get_frontmatter is gone: see fast_options"
    assert original("min: 1\nlabel: x\n") == {"min": 1, "label": "x"}
    assert original("label: a: b\n") is None  # not YAML: the block stays text
    assert original("") == {}


def test_the_fast_reader_answers_as_pymdownx_does() -> None:
    for text in ("min: 1\nlabel: x\n", "label: a: b\n", "", "- a\n", "min: [0\n"):
        assert read_options(text) == PYMDOWNX_OPTIONS(text), text
    fast_options()
    assert pymdownx.blocks.get_frontmatter is read_options
