"""Mistakes that Python-Markdown and pymdownx let pass without a word, found in the page's source.

pymdownx prints a ``/// name`` header it has no block for as plain text, ends a block that is never
closed at the end of the page (with everything after it inside), and lets an output's ``<figure>``
take whatever is written in its block. The engine (``lesson_plugins/engine.py``, ``FinishPage``)
calls :func:`check_headers` and :func:`check_outputs` once a page is parsed, so that each of these
fails the build at its ``file:line``:

- a header that names no registered block (Microscale's, or pymdownx's own that the site enabled,
  such as ``admonition``, ``details``, ``tab``, ``html``): a misspelled directive, with a "did you
  mean";
- a Microscale block whose closing ``///`` never comes;
- an output block (``bars``, ``plot``, ``heatmap`` ...) with content after its options.

Headers inside fenced code are examples, not directives: :class:`~lesson_plugins.source.SourceMap`
does not list them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .blocks.base import suggest
from .context import PageContext
from .source import Header, SourceMap

#: A line's indentation: a block's options are the lines right under its header indented by four
#: spaces or more beyond it (pymdownx's ``RE_INDENT_YAML_LINE``).
_INDENT = re.compile(r"^(?P<indent>\s*)")


def registered_blocks(md: Any) -> set[str]:
    """The names of every block registered on ``md``'s pymdownx block manager (the engine is a
    pymdownx ``BlocksExtension``, so there is one)."""
    return set(md.parser.blockprocessors["blocks"].blocks)


def check_headers(page: PageContext, known: set[str], ours: Iterable[str]) -> None:
    """Fail at the first header of ``page`` that names no block in ``known``, or that opens one of
    ``ours`` (Microscale's blocks) and is never closed."""
    ours = set(ours)
    for header in page.source.headers:
        if header.name not in known:
            raise page.error(unknown_message(header, known, ours), header.line)
        if header.name in ours and header.end is None:
            raise page.error(unclosed_message(header, page.source), header.line)


def unknown_message(header: Header, known: set[str], ours: set[str]) -> str:
    """What to say about ``/// name`` when no block is called ``name``."""
    hint = suggest(header.name, known)
    names = ", ".join(sorted(ours))
    others = sorted(known - ours)
    enabled = f"; this site also enables pymdownx's {', '.join(others)}" if others else ""
    return (
        f"unknown directive '/// {header.name}'{hint}: it would be printed as text. "
        f"Microscale's directives are: {names}{enabled}. To show a header as an example, put it "
        "in a fenced code block"
    )


def unclosed_message(header: Header, source: SourceMap) -> str:
    """What to say about a Microscale block whose closing ``///`` never comes."""
    after = last_option_line(header, source)
    written = f"'/// {header.name}" + (f" | {header.argument}'" if header.argument else "'")
    return (
        f"{header.name}: the block {written} that starts here is never closed, so everything "
        f"after it (to the end of the page) is inside it; add a line '///' after line {after}"
    )


def last_option_line(header: Header, source: SourceMap) -> int:
    """The last line of ``header``'s options (the header's own line when it has none)."""
    base = len(_INDENT.match(source.lines[header.line - 1]).group("indent"))
    last = header.line
    for number in range(header.line + 1, len(source.lines) + 1):
        line = source.lines[number - 1]
        indent = len(_INDENT.match(line).group("indent"))
        if not line.strip() or indent < base + 4:
            break
        last = number
    return last


def check_outputs(page: PageContext) -> None:
    """Fail at the first output block that holds content (its ``<figure>`` is for its chart)."""
    for output in page.items.get("output", []):
        figure = output.figure
        held = [child for child in figure if child.tag != "figcaption"]
        if held or (figure.text or "").strip():
            header = page.source.header_at(output.line)
            first = content_line(header, page.source) if header else None
            where = f" (line {first})" if first else ""
            raise page.error(
                f"{output.NAME}: an output takes no content, but text follows its options{where}; "
                f"close the block with a line '///' right after its options (line "
                f"{last_option_line(header, page.source) if header else output.line}), then "
                "write the text below it",
                output.line,
            )


def content_line(header: Header, source: SourceMap) -> int | None:
    """The first line inside ``header``'s block, after its options, that is not blank."""
    end = header.end or len(source.lines) + 1
    for number in range(last_option_line(header, source) + 1, end):
        if source.lines[number - 1].strip():
            return number
    return None
