"""Per-page state shared by the engine and the blocks while one page is converted.

The engine (``lesson_plugins/engine.py``) opens a :class:`PageContext` for each page it converts,
from whichever host runs it. Blocks reach it through ``LessonBlock.page``; they use it to learn
their own source line and to register what they render (sliders, outputs, quizzes), which the
engine reads back when the page is finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import DirectiveError
from .source import Header, SourceMap

if TYPE_CHECKING:
    from .site import Site


@dataclass
class PageContext:
    """What the engine knows about the page being converted."""

    src_path: str  # the path shown in errors, e.g. "docs/lessons/distillation.md"
    source: SourceMap  # the whole file as written, front matter included
    meta: dict[str, Any]
    url: str  # the page's URL relative to the site root, e.g. "act-4/distillation/"
    doc: str  # the page's markdown file, relative to the docs folder
    site: Site
    headers: list[Header] = field(default_factory=list)  # the headers of Microscale's blocks
    claimed: set[int] = field(default_factory=set)  # indexes into headers
    current_line: int | None = None
    # Registries filled by blocks while rendering, keyed by block kind (e.g. "slider", "quiz").
    items: dict[str, list[Any]] = field(default_factory=dict)
    serialize: Callable[[Any], str] | None = None  # the page's Markdown serializer

    def claim(self, name: str, argument: str | None) -> int | None:
        """Return the source line of the first unclaimed ``/// name | argument`` header.

        Blocks are created in document order, so the first unclaimed header of the same name and
        argument is this block's; the name alone is the fallback.
        """
        argument = (argument or "").strip()
        free = [i for i in range(len(self.headers)) if i not in self.claimed]
        for exact in (True, False):
            for index in free:
                header = self.headers[index]
                if header.name == name and (header.argument == argument or not exact):
                    self.claimed.add(index)
                    self.current_line = header.line
                    return header.line
        self.current_line = None
        return None

    def unclaimed(self) -> list[Header]:
        """Headers that no block claimed: pymdownx could not read their options."""
        return [h for i, h in enumerate(self.headers) if i not in self.claimed]

    def add(self, kind: str, item: Any) -> int:
        """Register an item rendered on this page; returns its 0-based index among its kind."""
        bucket = self.items.setdefault(kind, [])
        bucket.append(item)
        return len(bucket) - 1

    def error(self, message: str, line: int | None = None) -> DirectiveError:
        """An error located at ``line``, or at the directive being rendered; raise it."""
        return DirectiveError(self.src_path, line or self.current_line, message)
