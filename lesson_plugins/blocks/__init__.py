"""Microscale's directives, one module each; ``lesson_plugins/engine.py`` registers them.

A new directive is a module in this package plus one line in :data:`BLOCKS`.
"""

from __future__ import annotations

import pymdownx.blocks
import yaml

from .bars import BarsBlock
from .base import LessonBlock, read_options
from .choice import ChoiceBlock
from .course import CourseBlock
from .exercise import ExerciseBlock
from .heatmap import HeatmapBlock
from .hist import HistBlock
from .notebook import NotebookBlock
from .paper import PaperBlock
from .plot import PlotBlock
from .quiz import QuizBlock
from .readout import ReadoutBlock
from .scatter import ScatterBlock
from .slider import SliderBlock

#: Every directive class. A new directive is a module in this package plus one line here.
BLOCKS: list[type[LessonBlock]] = [
    *(SliderBlock, ChoiceBlock, BarsBlock, ReadoutBlock, PlotBlock),
    *(QuizBlock, PaperBlock, CourseBlock, NotebookBlock),
    *(ScatterBlock, HistBlock, HeatmapBlock),
    ExerciseBlock,
]


def directive_names() -> set[str]:
    return {block.NAME for block in BLOCKS}


#: pymdownx's own reader, kept as it was before :func:`fast_options` (for the test of its contract).
PYMDOWNX_OPTIONS = getattr(pymdownx.blocks, "get_frontmatter", None)


def fast_options() -> None:
    """Have pymdownx read block options with :func:`~.base.read_options` (libyaml's parser).

    pymdownx has no public hook for its YAML loader: this replaces its module function
    ``get_frontmatter`` (pinned: ``pymdown-extensions`` 10.8 to 13.x, where it exists with this
    contract; ``tests/engine/test_fast_options.py`` checks that it still does).
    """
    if yaml.__with_libyaml__ and hasattr(pymdownx.blocks, "get_frontmatter"):
        pymdownx.blocks.get_frontmatter = read_options
