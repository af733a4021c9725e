"""One reading of a page's markdown source: where its front matter, fenced code, block headers and
headings are, by 1-based line of the file.

Python-Markdown does not say which source line an element came from, so every ``file:line`` the
engine reports is found here, with one set of rules:

- front matter is the lines between a first line ``---`` and the next ``---`` or ``...``;
- fenced code starts at a line of three or more backticks or tildes (any indentation, so fences
  inside lists and blocks count) and ends at a line of the same character, at least as long, with
  nothing after it; a fence of the other character inside it is text;
- a block header is ``/// name`` or ``/// name | argument`` outside fenced code, and the block
  ends at the ``///`` line that closes it (blocks nest);
- a heading is an ATX heading (``#`` to ``######`` and a space) outside fenced code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_HEADER = re.compile(r"^\s*/{3,}\s*(?P<name>[\w-]+)\s*(?:\|\s*(?P<arg>.*?))?\s*$")
_CLOSER = re.compile(r"^\s*/{3,}\s*$")
_HEADING = re.compile(r"^(#{1,6})(?:\s|$)")
_OPTION_LINE = re.compile(r"^ {4,}\S")  # pymdownx.blocks' RE_INDENT_YAML_LINE, one line
_OPTION = re.compile(r"^\s+(?P<name>[\w-]+)\s*:\s*(?P<value>.*?)\s*(?:#.*)?$")


@dataclass(frozen=True)
class Header:
    """A block header: ``/// name | argument`` at ``line``, closed at ``end`` (None: never)."""

    line: int
    name: str  # lower case
    argument: str
    end: int | None
    depth: int  # 0 for a block at the top level of the page


@dataclass
class SourceMap:
    """The structure of one markdown file (see the module docstring)."""

    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()

    @cached_property
    def front_matter(self) -> tuple[int, int] | None:
        """``(first, last)``: the 1-based lines of the opening and closing ``---``; None when
        the file has no front matter; ``(1, 0)`` when it opens one and never closes it."""
        if not self.lines or self.lines[0].rstrip() != "---":
            return None
        for index in range(1, len(self.lines)):
            if self.lines[index].rstrip() in ("---", "..."):
                return 1, index + 1
        return 1, 0

    @property
    def body_start(self) -> int:
        """The 1-based line where the markdown after the front matter starts."""
        fm = self.front_matter
        return fm[1] + 1 if fm and fm[1] else 1

    @cached_property
    def code(self) -> set[int]:
        """The 1-based lines inside fenced code, fence lines included."""
        inside: set[int] = set()
        fence: str | None = None
        for number in range(self.body_start, len(self.lines) + 1):
            line = self.lines[number - 1]
            m = _FENCE.match(line)
            if fence is None:
                if m:
                    fence = m.group("fence")
                    inside.add(number)
                continue
            inside.add(number)
            marker = m.group("fence") if m else ""
            closes = marker[:1] == fence[0] and len(marker) >= len(fence)
            if closes and not line.strip()[len(marker) :].strip():
                fence = None
        return inside

    @cached_property
    def headers(self) -> list[Header]:
        """Every block header outside fenced code, in order, with the line that closes it."""
        found: list[Header] = []
        open_: list[tuple[int, str, str]] = []
        ends: dict[int, int] = {}
        depths: dict[int, int] = {}
        for number in range(self.body_start, len(self.lines) + 1):
            if number in self.code:
                continue
            line = self.lines[number - 1]
            if _CLOSER.match(line):
                if open_:
                    ends[open_.pop()[0]] = number
                continue
            h = _HEADER.match(line)
            if h:
                depths[number] = len(open_)
                open_.append((number, h.group("name").lower(), (h.group("arg") or "").strip()))
                found.append(Header(number, open_[-1][1], open_[-1][2], None, len(open_) - 1))
        return [Header(h.line, h.name, h.argument, ends.get(h.line), h.depth) for h in found]

    def header_at(self, line: int | None) -> Header | None:
        return next((h for h in self.headers if h.line == line), None)

    def body(self, header_line: int | None) -> list[int]:
        """The 1-based lines of the block at ``header_line`` that belong to it alone: not its
        options, not fenced code, not the lines of blocks nested in it."""
        header = self.header_at(header_line)
        if header is None:
            return []
        end = header.end or len(self.lines) + 1
        nested = [h for h in self.headers if header.line < h.line < end]
        skip = {n for h in nested for n in range(h.line, (h.end or end) + 1)}
        lines = [n for n in range(header.line + 1, end) if n not in self.code and n not in skip]
        options = set(self.option_lines(header.line))
        return [n for n in lines if n not in options]

    def option_lines(self, header_line: int) -> list[int]:
        """The lines right under a header that pymdownx reads as the block's options: indented
        by 4 spaces or more, up to the first line that is not (a YAML list or a ``|`` text in an
        option goes on over lines that are not ``name: value``)."""
        found = []
        for number in range(header_line + 1, len(self.lines) + 1):
            if not _OPTION_LINE.match(self.lines[number - 1]):
                break
            found.append(number)
        return found

    def raw_option(self, header_line: int | None, name: str) -> str | None:
        """The text of option ``name`` as written under the header (before YAML reads it)."""
        for number in self.option_lines(header_line) if header_line else []:
            m = _OPTION.match(self.lines[number - 1])
            if m and m.group("name") == name:
                return m.group("value").strip("'\"")
        return None

    @cached_property
    def headings(self) -> list[tuple[int, int]]:
        """``(line, level)`` of every ATX heading outside fenced code."""
        found = []
        for number in range(self.body_start, len(self.lines) + 1):
            m = _HEADING.match(self.lines[number - 1])
            if m and number not in self.code:
                found.append((number, len(m.group(1))))
        return found

    def heading_level(self, line: int | None) -> int:
        """The level of the last heading before ``line`` (1 when there is none)."""
        before = [level for number, level in self.headings if number < (line or 1)]
        return before[-1] if before else 1

    def first_heading(self) -> str | None:
        """The text of the first level-1 heading, if any (a page title, as MkDocs reads it)."""
        for number, level in self.headings:
            if level == 1:
                return self.lines[number - 1].lstrip("#").strip().rstrip("#").strip() or None
        return None

    def field_line(self, name: str) -> int | None:
        """The 1-based line of ``name:`` at the top level of the front matter."""
        fm = self.front_matter
        if not fm or not fm[1]:
            return None
        for number in range(fm[0] + 1, fm[1]):
            if re.match(rf"{re.escape(name)}\s*:", self.lines[number - 1]):
                return number
        return None
