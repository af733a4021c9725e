"""The ``course`` directive: the course index of the home page (see :mod:`lesson_plugins.course`).

::

    /// course
    ///

No argument, no options, no content. It lists the acts and their lessons (from each lesson's front
matter), with minutes, xp and this reader's state of each lesson, the xp earned, and buttons to
export, import and reset the reader's progress.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from .base import LessonBlock


class CourseBlock(LessonBlock):
    """The course index (filled in when the page is written, once every lesson is known)."""

    NAME = "course"
    ARGUMENT = False

    def on_create(self, parent: etree.Element) -> etree.Element:
        if self.page.items.get("course"):
            raise self.fail("a page holds at most one course index")
        # Filled in when the page is finished (lesson_plugins/engine.py); acts are headings one
        # level below the heading the index sits under.
        level = min(self.page.source.heading_level(self.page.current_line) + 1, 6)
        self.page.add("course", level)
        return etree.SubElement(
            parent, "div", {"class": "ms-course-index", "data-level": str(level)}
        )

    def on_end(self, block: etree.Element) -> None:
        if len(block) or (block.text or "").strip():
            raise self.fail("takes no content: write '/// course' and '///' on the next line")
