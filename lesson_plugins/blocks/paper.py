"""The ``paper`` directive: a card citing a paper, with its arXiv link.

::

    /// paper | MiniLLM: Knowledge Distillation of Large Language Models
        authors: Gu, Dong, Wang, Hou, Huang, Chen, Wei
        year: 2024
        venue: ICLR 2024
        arxiv: 2306.08543
    A summary in markdown.
    ///

The argument is the title. Options: ``authors`` and ``year`` (required), ``venue``, ``arxiv``
(an arXiv identifier such as ``2306.08543`` or ``1503.02531v1``; linked to arxiv.org). The content
is the summary.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from .base import LessonBlock, integer, string

# New-style arXiv identifiers: YYMM.NNNN (2007-2014) or YYMM.NNNNN (since 2015), optional version.
_ARXIV = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})(?:v[1-9]\d*)?$")


def arxiv_id(value: Any) -> str:
    """A new-style arXiv identifier, e.g. ``2306.08543`` or ``1503.02531v1``."""
    text = string(value)
    m = _ARXIV.match(text)
    if m is None or not 1 <= int(m.group("mm")) <= 12:
        raise ValueError(f"expected an arXiv id like 2306.08543 or 1503.02531v2, got {text!r}")
    five = (int(m.group("yy")), int(m.group("mm"))) >= (15, 1)
    if five != (len(m.group("num")) == 5):
        raise ValueError(
            f"{text!r} is not an arXiv id: ids have 4 digits after the dot until 2014 and 5 since "
            "2015 (e.g. 1412.6980, 2306.08543)"
        )
    return text


def year(value: Any) -> int:
    """A publication year, 1900-2100."""
    value = integer(value)
    if not 1900 <= value <= 2100:
        raise ValueError(f"expected a year such as 2024, got {value!r}")
    return value


class PaperBlock(LessonBlock):
    """A paper card (see the module docstring)."""

    NAME = "paper"
    ARGUMENT = True
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        "authors": ("", string),
        "year": (None, year),
        "venue": ("", string),
        "arxiv": ("", lambda v: v),  # checked in on_validate, from the text as written
    }
    REQUIRED = ("authors", "year")

    def on_options(self, parent: etree.Element) -> bool:
        value = self.options["arxiv"]
        if value != "":
            written = self.page.source.raw_option(self.page.current_line, "arxiv")
            try:
                self.options["arxiv"] = arxiv_id(written if written is not None else value)
            except ValueError as exc:
                raise self.fail(f"option 'arxiv': {exc}") from None
        return True

    def on_create(self, parent: etree.Element) -> etree.Element:
        card = etree.SubElement(parent, "article", {"class": "ms-paper"})
        kind = etree.SubElement(card, "p", {"class": "ms-paper-kind"})
        mark = etree.SubElement(kind, "span", {"aria-hidden": "true"})  # decoration, not read out
        mark.text, mark.tail = "◆ ", self.page.site.strings["paper_label"]
        etree.SubElement(card, "p", {"class": "ms-paper-title"}).text = self.argument
        details = [self.options["authors"], str(self.options["year"]), self.options["venue"]]
        etree.SubElement(card, "p", {"class": "ms-paper-meta"}).text = " · ".join(
            d for d in details if d
        )
        if self.options["arxiv"]:
            link = etree.SubElement(card, "p", {"class": "ms-paper-link"})
            anchor = etree.SubElement(
                link, "a", {"href": f"https://arxiv.org/abs/{self.options['arxiv']}"}
            )
            anchor.text = f"arXiv:{self.options['arxiv']}"
        return etree.SubElement(card, "div", {"class": "ms-paper-summary"})
