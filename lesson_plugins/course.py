"""The course index: every lesson of the site, by act, with this reader's progress.

MkDocs 1.6 renders every page's markdown before it writes any page, so the index is filled in two
steps: while pages are rendered, :meth:`Course.add` records each lesson's front matter (see
:mod:`lesson_plugins.header`) and the ``/// course`` directive leaves a placeholder; when the page
holding the placeholder is written (``on_page_context``), :meth:`Course.fill` replaces it with the
full index. Lessons are listed in navigation order. The reader's state of each lesson and the xp
earned are filled in by ``assets/quiz.js`` from ``localStorage``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.utils import get_relative_url

from .errors import DirectiveError
from .header import Lesson, read_lesson
from .header import render as render_header

#: What the ``/// course`` directive leaves in the page until every lesson is known.
PLACEHOLDER = re.compile(r'<div class="ms-course-index" data-level="(\d)"></div>')
#: A code exercise's id in a rendered page (``blocks/exercise.py``).
_EXERCISE = re.compile(r'\bdata-ms-exercise="(x[0-9a-f]+)"')


class Course:
    """The lessons of one build."""

    def __init__(self) -> None:
        self.lessons: dict[str, Lesson] = {}
        self.order: list[str] = []  # page URLs, in navigation order
        self.exercises: dict[str, list[str]] = {}  # lesson id -> its code exercises' ids

    def set_nav(self, nav: Any) -> None:
        self.order = [page.url for page in nav.pages]

    def add(self, lesson: Lesson, page: Any) -> None:
        """Record ``lesson`` (rendered as ``page``); two pages may not share a lesson id."""
        other = self.lessons.get(lesson.lesson)
        if other is not None and other.src_path != lesson.src_path:
            raise DirectiveError(
                lesson.src_path,
                None,
                f"lesson front matter: lesson id '{lesson.lesson}' is already used by "
                f"{other.src_path}; give each lesson its own 'lesson:' id",
            )
        # page.title is HTML when MkDocs took it from the rendered <h1>: keep its text only.
        title = html.unescape(re.sub(r"<[^>]+>", "", page.title or "")).strip()
        lesson.title, lesson.url = title or lesson.lesson, page.url
        self.lessons[lesson.lesson] = lesson

    def _ordered(self) -> list[Lesson]:
        rank = {uri: i for i, uri in enumerate(self.order)}
        lessons = list(self.lessons.values())
        return sorted(lessons, key=lambda ls: rank.get(ls.url, len(rank)))

    def fill(self, page: Any, strings: dict[str, str]) -> None:
        """Replace the placeholder in ``page.content`` with the index (if the page has one)."""
        if page.content:
            page.content = PLACEHOLDER.sub(
                lambda m: self.render(page.url, strings, int(m.group(1))), page.content, count=1
            )

    def render(self, from_url: str, strings: dict[str, str], level: int = 2) -> str:
        """The index as HTML, with links relative to the page at ``from_url``; acts are
        headings of ``level``."""
        esc = html.escape
        acts: dict[tuple[str, str], list[Lesson]] = {}
        for lesson in self._ordered():
            acts.setdefault((lesson.act, lesson.act_title), []).append(lesson)
        parts = ['<div class="ms-course" data-ms-course="">']
        if not acts:
            parts.append(f"<p>{esc(strings['course_empty'])}</p>")
        for (act, act_title), lessons in acts.items():
            heading = strings["header_act"].format(act=esc(act), act_title=esc(act_title))
            parts.append(f'<section class="ms-course-act"><h{level}>{heading}</h{level}><ol>')
            for ls in lessons:
                href = esc(get_relative_url(ls.url or ".", from_url or "."))
                meta = strings["header_meta"].format(
                    lesson=esc(ls.lesson), minutes=ls.minutes, xp=ls.xp, act=esc(act),
                    act_title=esc(act_title),
                )  # fmt: skip
                parts.append(
                    f'<li class="ms-course-lesson" data-ms-lesson="{esc(ls.lesson)}" '
                    f'data-ms-xp="{ls.xp}"{self._exercises(ls.lesson)}>'
                    f'<a href="{href}">{esc(ls.title)}</a> '
                    f'<span class="ms-course-meta">{meta}</span> '
                    f'<span class="ms-course-state"></span></li>'
                )
            parts.append("</ol></section>")
        total = sum(ls.xp for ls in self.lessons.values())
        parts.append(
            f'<p class="ms-course-total" data-ms-total="{total}" role="status"></p>'
            '<div class="ms-course-controls">'
            f'<button type="button" class="md-button md-button--primary" data-ms-export="">'
            f"{esc(strings['course_export'])}</button> "
            f'<button type="button" class="md-button md-button--primary" data-ms-import="">'
            f"{esc(strings['course_import'])}</button> "
            f'<button type="button" class="md-button md-button--primary" data-ms-reset="">'
            f"{esc(strings['course_reset'])}</button>"
            '<input type="file" accept="application/json,.json" hidden="" '
            f'aria-label="{esc(strings["course_import"])}" data-ms-import-file="">'
            '<p class="ms-course-message" role="status"></p></div></div>'
        )
        return "".join(parts)

    def page_content(self, html: str, page: Any, src_path: str, strings: dict[str, str]) -> str:
        """For a lesson page: record the lesson and put its header above the title."""
        lesson = read_lesson(src_path, page.file.content_string, page.meta)
        if lesson is None:
            return html
        self.add(lesson, page)
        self.exercises[lesson.lesson] = _EXERCISE.findall(html)
        return render_header(lesson, lesson.title, html, strings)

    def _exercises(self, lesson: str) -> str:
        """The ``data-ms-exercises`` attribute of a lesson with code exercises, for quiz.js."""
        found = self.exercises.get(lesson)
        return f' data-ms-exercises="{" ".join(found)}"' if found else ""
