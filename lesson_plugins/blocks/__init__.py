"""Microscale's directives, one module each, registered as one Markdown extension.

pymdownx reads the options under a block header with ``pymdownx.blocks.get_frontmatter``, which
calls the pure-Python ``yaml.safe_load``. The extension points that module function at
:func:`read_options`, the same function on libyaml's ``CSafeLoader`` when PyYAML has it: the same
YAML rules (both use PyYAML's safe constructor and resolver), about 8 times faster, which is most of
the plugin's option-reading time in a build.
"""

from __future__ import annotations

from typing import Any

import pymdownx.blocks
import yaml
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension

from .bars import BarsBlock
from .base import LessonBlock
from .choice import ChoiceBlock
from .course import CourseBlock
from .exercise import ExerciseBlock
from .notebook import NotebookBlock
from .paper import PaperBlock
from .plot import PlotBlock
from .quiz import QuizBlock
from .readout import ReadoutBlock
from .slider import SliderBlock

#: Every directive class. A new directive is a module in this package plus one line here.
BLOCKS: list[type[LessonBlock]] = [
    *(SliderBlock, ChoiceBlock, BarsBlock, ReadoutBlock, PlotBlock),
    *(QuizBlock, PaperBlock, CourseBlock, NotebookBlock),
    ExerciseBlock,
]


def directive_names() -> set[str]:
    return {block.NAME for block in BLOCKS}


def read_options(text: str) -> dict[str, Any] | None:
    """Block options as ``pymdownx.blocks.get_frontmatter`` reads them, with libyaml's parser.

    ``{}`` for nothing; ``None`` for YAML that does not parse or is not a mapping (pymdownx then
    leaves the block as text, and the plugin reports its header as unreadable).
    """
    try:
        options = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:
        return None
    if options is None:
        return {}
    return options if isinstance(options, dict) else None


class LessonsExtension(BlocksExtension):
    """Registers every block of :data:`BLOCKS`, sharing the plugin's page state with them."""

    def __init__(self, state: Any, **kwargs: Any) -> None:
        self.state = state
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Any, block_mgr: Any) -> None:
        if yaml.__with_libyaml__ and hasattr(pymdownx.blocks, "get_frontmatter"):
            pymdownx.blocks.get_frontmatter = read_options
        for block in BLOCKS:
            block_mgr.register(block, {"state": self.state})
        md.treeprocessors.register(FinishPage(md, self.state), "lessons-finish", 1)


class FinishPage(Treeprocessor):
    """After the whole page is parsed (and inline markup done): bind and fill its outputs."""

    def __init__(self, md: Any, state: Any) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: Any) -> None:
        from ..widgets import finish

        page = self.state.page
        if page is not None:
            page.serialize = self.md.serializer
            finish(page, page.plugin.config.precompute_limit)
