"""Per-page state shared by the plugin and the blocks while one page is rendered.

The plugin opens a :class:`PageContext` before a page's markdown is converted and closes it after.
Blocks reach it through ``LessonBlock.page``; they use it to learn their own source line and to
register what they render (sliders, outputs, quizzes), which the plugin reads back afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import DirectiveError

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_HEADER = re.compile(r"^\s*(?P<slashes>/{3,})\s*(?P<name>[\w-]+)\s*(?:\|\s*(?P<arg>.*?))?\s*$")


def find_headers(source: str, names: set[str]) -> list[tuple[int, str, str]]:
    """Return ``(line, name, argument)`` for every block header of ``names`` in ``source``.

    Lines are 1-based lines of the file, front matter included. Headers inside fenced code (the
    author guide shows directive source in code blocks) are skipped.
    """
    found: list[tuple[int, str, str]] = []
    fence: str | None = None
    lines = source.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                start = i + 1
                break
    for number in range(start, len(lines)):
        line = lines[number]
        m = _FENCE.match(line)
        if m:
            marker = m.group("fence")
            if fence is None:
                fence = marker
            elif (
                marker[0] == fence[0]
                and len(marker) >= len(fence)
                and not line.strip()[len(marker) :].strip()
            ):
                fence = None
            continue
        if fence is not None:
            continue
        h = _HEADER.match(line)
        if h and h.group("name").lower() in names:
            found.append((number + 1, h.group("name").lower(), (h.group("arg") or "").strip()))
    return found


@dataclass
class PageContext:
    """What the plugin knows about the page being rendered."""

    src_path: str  # the path shown in errors, e.g. "docs/lessons/distillation.md"
    source: str  # the whole file as written, front matter included
    meta: dict[str, Any]
    plugin: Any  # the LessonsPlugin instance (config, module loader, caches)
    headers: list[tuple[int, str, str]] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)  # indexes into headers
    current_line: int | None = None
    # Registries filled by blocks while rendering, keyed by block kind (e.g. "slider", "quiz").
    items: dict[str, list[Any]] = field(default_factory=dict)
    serialize: Any = None  # the page's Markdown serializer: element -> HTML

    def claim(self, name: str, argument: str | None) -> int | None:
        """Return the source line of the first unclaimed ``/// name | argument`` header.

        Blocks are created in document order, so the first unclaimed header of the same name and
        argument is this block's; the name alone is the fallback.
        """
        argument = (argument or "").strip()
        free = [i for i in range(len(self.headers)) if i not in self.claimed]
        for exact in (True, False):
            for index in free:
                line, header_name, header_arg = self.headers[index]
                if header_name == name and (header_arg == argument or not exact):
                    self.claimed.add(index)
                    self.current_line = line
                    return line
        self.current_line = None
        return None

    def unclaimed(self) -> list[tuple[int, str, str]]:
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
