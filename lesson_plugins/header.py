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
("Act IV · How They Learn", "11 min · 55 xp") and the tagline below it.
Pages without ``lesson`` are left exactly as they are.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import DirectiveError
from .source import SourceMap

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


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
    doc: str = ""  # the page's markdown file, relative to the docs folder


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


def front_matter(src_path: str, source: SourceMap) -> dict[str, Any]:
    """The page's front matter as a mapping (``{}`` without one).

    Front matter that is not valid YAML, not a mapping, or never closed fails the build: MkDocs
    would show it as page text and the page would silently stop being a lesson.
    """
    fm = source.front_matter
    if fm is None:
        return {}
    if not fm[1]:
        raise DirectiveError(
            src_path,
            1,
            "front matter: the '---' on line 1 opens front matter that no '---' line closes; "
            "close it, or start the page with something else if it has no front matter",
        )
    text = "\n".join(source.lines[fm[0] : fm[1] - 1])
    try:
        meta = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = fm[0] + 1 + mark.line if mark is not None else fm[0]
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DirectiveError(
            src_path,
            line,
            f"front matter is not valid YAML ({problem}); a value with ': ' or '#' in it must "
            'be quoted, e.g. tagline: "Teacher: student"',
        ) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise DirectiveError(
            src_path, fm[0] + 1, "front matter must be 'name: value' lines, e.g. 'lesson: intro'"
        )
    return meta


def read_lesson(src_path: str, source: SourceMap, meta: dict[str, Any]) -> Lesson | None:
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
                source.field_line(name),
                f"lesson front matter: field '{name}': {exc} (e.g. '{example}')",
            ) from None
    return Lesson(src_path=src_path, **values)


def insert(root: etree.Element, lesson: Lesson, strings: dict[str, str]) -> None:
    """Put the lesson header above the page's first ``<h1>`` and the tagline after it.

    A page without an ``<h1>`` of its own gets one from the lesson's title (the theme would
    otherwise put its title above the header).
    """
    fields = {k: str(getattr(lesson, k)) for k in ("act", "act_title", "lesson")}
    fields.update(minutes=str(lesson.minutes), xp=str(lesson.xp))
    header = etree.Element(
        "div",
        {"class": "ms-lesson-header", "data-ms-lesson": lesson.lesson, "data-ms-xp": fields["xp"]},
    )
    etree.SubElement(header, "p", {"class": "ms-lesson-act"}).text = strings["header_act"].format(
        **fields
    )
    meta = etree.SubElement(header, "p", {"class": "ms-lesson-meta"})
    meta.text = strings["header_meta"].format(**fields)
    etree.SubElement(meta, "span", {"class": "ms-lesson-state", "role": "status"})
    tagline = etree.Element("p", {"class": "ms-lesson-tagline"})
    tagline.text = lesson.tagline
    parent, h1 = next(((p, c) for p in root.iter() for c in p if c.tag == "h1"), (root, None))
    if h1 is None:
        h1 = etree.Element("h1")
        h1.text = lesson.title
        root.insert(0, h1)
    at = list(parent).index(h1)
    tagline.tail, h1.tail = h1.tail, None
    parent.insert(at + 1, tagline)
    parent.insert(at, header)
