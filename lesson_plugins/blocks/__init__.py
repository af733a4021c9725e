"""Microscale's directives, one module each, registered as one Markdown extension."""

from __future__ import annotations

from typing import Any

from pymdownx.blocks import BlocksExtension

from .base import LessonBlock

#: Every directive class. A new directive is a module in this package plus one line here.
BLOCKS: list[type[LessonBlock]] = []


def directive_names() -> set[str]:
    return {block.NAME for block in BLOCKS}


class LessonsExtension(BlocksExtension):
    """Registers every block of :data:`BLOCKS`, sharing the plugin's page state with them."""

    def __init__(self, state: Any, **kwargs: Any) -> None:
        self.state = state
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Any, block_mgr: Any) -> None:  # noqa: N802 (Markdown API)
        for block in BLOCKS:
            block_mgr.register(block, {"state": self.state})
