"""The lesson header: front matter above a lesson's title, and the lesson record of the course.

A page whose front matter has ``lesson`` is a lesson page::

    ---
    act: IV
    act_title: How They Learn
    lesson: distillation
    minutes: 11
    xp: 55
    tagline: Watch teacher distributions flow into students
    ---

Every field is then required and typed; a missing or ill-typed one fails the build at the field's
line (or at the file when it is missing). The header is rendered above the page's ``<h1>``
("Act IV · How They Learn", "lesson distillation · 11 min · 55 xp") and the tagline below it.
Pages without ``lesson`` are left exactly as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import DirectiveError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_H1 = re.compile(r"<h1[\s>].*?</h1>", re.DOTALL)


@dataclass
class Lesson:
    """One lesson as the course index and the progress store know it."""

    act: str
    act_title: str
    lesson: str  # the lesson's id: progress is stored under it
    minutes: int
    xp: int
    tagline: str
    src_path: str
    title: str = ""
    url: str = ""  # the page's URL relative to the site root


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise ValueError(f"expected text, got {value!r}")
    return str(value).strip()


def _slug(value: Any) -> str:
    text = _text(value)
    if not _SLUG.match(text):
        raise ValueError(
            f"expected an id of lowercase letters, digits, '-' or '_' (e.g. distillation), "
            f"got {value!r}"
        )
    return text


def _count(minimum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"expected a whole number of at least {minimum}, got {value!r}")
        return value

    return parse


#: Front-matter field -> (parser, example shown in the error).
FIELDS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "act": (_text, "act: IV"),
    "act_title": (_text, "act_title: How They Learn"),
    "lesson": (_slug, "lesson: distillation"),
    "minutes": (_count(1), "minutes: 11"),
    "xp": (_count(0), "xp: 55"),
    "tagline": (_text, "tagline: Watch teacher distributions flow into students"),
}


def field_line(source: str, name: str) -> int | None:
    """The 1-based line of ``name:`` in the front matter of ``source``, if it is there."""
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            return None
        if re.match(rf"{re.escape(name)}\s*:", line):
            return number
    return None


def read_lesson(src_path: str, source: str, meta: dict[str, Any]) -> Lesson | None:
    """The page's :class:`Lesson`, or None when its front matter has no ``lesson``.

    Raises :class:`DirectiveError` at the offending field's line for a missing or ill-typed field.
    """
    if "lesson" not in meta:
        return None
    values: dict[str, Any] = {}
    for name, (parse, example) in FIELDS.items():
        if name not in meta:
            raise DirectiveError(
                src_path,
                None,
                f"lesson front matter: missing field '{name}'; a lesson page needs all of "
                f"{', '.join(FIELDS)} (e.g. '{example}')",
            )
        try:
            values[name] = parse(meta[name])
        except ValueError as exc:
            raise DirectiveError(
                src_path,
                field_line(source, name),
                f"lesson front matter: field '{name}': {exc} (e.g. '{example}')",
            ) from None
    return Lesson(src_path=src_path, **values)


def render(lesson: Lesson, title: str, content: str, strings: dict[str, str]) -> str:
    """``content`` with the lesson header above its first ``<h1>`` and the tagline after it.

    A page without an ``<h1>`` of its own gets one from ``title`` (the theme would otherwise put
    its title above the header).
    """
    esc = html.escape
    fields = {k: esc(str(getattr(lesson, k))) for k in ("act", "act_title", "lesson")}
    fields.update(minutes=lesson.minutes, xp=lesson.xp)
    header = (
        f'<div class="ms-lesson-header" data-ms-lesson="{esc(lesson.lesson)}" '
        f'data-ms-xp="{lesson.xp}">'
        f'<p class="ms-lesson-act">{strings["header_act"].format(**fields)}</p>'
        f'<p class="ms-lesson-meta">{strings["header_meta"].format(**fields)}'
        '<span class="ms-lesson-state" role="status"></span></p></div>'
    )
    tagline = f'<p class="ms-lesson-tagline">{esc(lesson.tagline)}</p>'
    match = _H1.search(content)
    if match is None:
        return f"{header}<h1>{esc(title)}</h1>{tagline}{content}"
    return content[: match.start()] + header + match.group(0) + tagline + content[match.end() :]
