"""The course: every lesson of the site, by act, and the index the ``/// course`` directive shows.

The lessons are read from the source files, not from rendered pages, so the index is complete
whichever page a host renders first and whether or not the host has build events (Zensical has
none for extensions): :meth:`Course.scan` reads the front matter of every markdown page in
navigation order (the pages outside the navigation after them, by path). A lesson's title is the
one a reader sees in the navigation: the nav entry's title, else the front matter's ``title``,
else the page's first ``#`` heading. The reader's state of each lesson and the xp earned are
filled in by ``assets/quiz.js`` from ``localStorage``.
"""

from __future__ import annotations

import os
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .blocks.exercise import identify
from .errors import DirectiveError
from .header import Lesson, front_matter, read_lesson
from .source import SourceMap

if TYPE_CHECKING:
    from .site import Site

_MARKUP = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


@dataclass
class Course:
    """The lessons of one site, in navigation order."""

    lessons: list[Lesson] = field(default_factory=list)
    exercises: dict[str, list[str]] = field(default_factory=dict)  # lesson id -> exercise ids

    @classmethod
    def scan(cls, site: Site) -> Course:
        """Read every page's front matter (see the module docstring); a lesson id used twice
        fails the build."""
        docs = Path(site.project.docs_dir)
        nav = list(site.project.nav or ())
        listed = {src for src, _ in nav}
        rest = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.is_file())
        course = cls()
        seen: dict[str, Lesson] = {}
        for src, nav_title in [*nav, *((src, None) for src in rest if src not in listed)]:
            path = docs / src
            if path.suffix != ".md" or not path.is_file():
                continue
            source = SourceMap(path.read_text(encoding="utf-8-sig"))
            display = site.display_path(src)
            meta = front_matter(display, source)
            lesson = read_lesson(display, source, meta)
            if lesson is None:
                continue
            other = seen.get(lesson.lesson)
            if other is not None:
                raise DirectiveError(
                    display,
                    source.field_line("lesson"),
                    f"lesson front matter: lesson id '{lesson.lesson}' is already used by "
                    f"{other.src_path}; give each lesson its own 'lesson:' id",
                )
            title = nav_title or meta.get("title") or source.first_heading() or lesson.lesson
            lesson.title = _MARKUP.sub(lambda m: m.group(1) or "", str(title)).strip()
            lesson.doc = src
            seen[lesson.lesson] = lesson
            course.lessons.append(lesson)
            course.exercises[lesson.lesson] = [
                identify(display, h.argument) for h in source.headers if h.name == "exercise"
            ]
        return course

    def lesson_at(self, src_path: str) -> Lesson | None:
        """The lesson of the page whose author-facing path is ``src_path``."""
        return next((ls for ls in self.lessons if ls.src_path == src_path), None)

    def element(self, from_doc: str, strings: dict[str, str], level: int = 2) -> etree.Element:
        """The index, for the page ``from_doc`` (its path in the docs folder). Lessons are linked
        by their markdown files, as an author links pages, so that every host turns the links
        into page addresses its own way; acts are headings of ``level``."""
        index = etree.Element("div", {"class": "ms-course", "data-ms-course": ""})
        acts: dict[tuple[str, str], list[Lesson]] = {}
        for lesson in self.lessons:
            acts.setdefault((lesson.act, lesson.act_title), []).append(lesson)
        if not acts:
            etree.SubElement(index, "p").text = strings["course_empty"]
        here = posixpath.dirname(from_doc)
        for (act, act_title), lessons in acts.items():
            section = etree.SubElement(index, "section", {"class": "ms-course-act"})
            heading = etree.SubElement(section, f"h{level}")
            heading.text = strings["header_act"].format(act=act, act_title=act_title)
            listing = etree.SubElement(section, "ol")
            for ls in lessons:
                item = etree.SubElement(
                    listing,
                    "li",
                    {
                        "class": "ms-course-lesson",
                        "data-ms-lesson": ls.lesson,
                        "data-ms-xp": str(ls.xp),
                    },
                )
                if self.exercises.get(ls.lesson):  # code exercises: quiz.js counts the passes
                    item.set("data-ms-exercises", " ".join(self.exercises[ls.lesson]))
                link = etree.SubElement(item, "a", {"href": posixpath.relpath(ls.doc, here or ".")})
                link.text = ls.title
                link.tail = " "
                meta = etree.SubElement(item, "span", {"class": "ms-course-meta"})
                meta.text = strings["header_meta"].format(
                    lesson=ls.lesson, minutes=ls.minutes, xp=ls.xp, act=act, act_title=act_title
                )
                meta.tail = " "
                etree.SubElement(item, "span", {"class": "ms-course-state"})
        total = sum(ls.xp for ls in self.lessons)
        status = {"class": "ms-course-total", "data-ms-total": str(total), "role": "status"}
        etree.SubElement(index, "p", status)
        controls = etree.SubElement(index, "div", {"class": "ms-course-controls"})
        for name in ("export", "import", "reset"):
            button = etree.SubElement(
                controls,
                "button",
                {"type": "button", "class": "md-button md-button--primary", f"data-ms-{name}": ""},
            )
            button.text = strings[f"course_{name}"]
            button.tail = " " if name != "reset" else None
        etree.SubElement(
            controls,
            "input",
            {
                "type": "file",
                "accept": "application/json,.json",
                "hidden": "",
                "aria-label": strings["course_import"],
                "data-ms-import-file": "",
            },
        )
        etree.SubElement(controls, "p", {"class": "ms-course-message", "role": "status"})
        return index


def nav_pages(entries: object) -> list[tuple[str, str | None]]:
    """``(src_path, title)`` of the markdown pages of a ``nav:`` as written in ``mkdocs.yml``
    (strings, ``{title: path}`` mappings and sections), in order; links to other sites skipped."""
    found: list[tuple[str, str | None]] = []

    def walk(entry: object, title: str | None) -> None:
        if isinstance(entry, str):
            if entry.endswith(".md") and "://" not in entry:
                found.append((os.path.normpath(entry).replace(os.sep, "/"), title))
        elif isinstance(entry, list):
            for item in entry:
                walk(item, None)
        elif isinstance(entry, dict):
            for key, value in entry.items():
                walk(value, str(key) if isinstance(value, str) else None)

    walk(entries, None)
    return found
