"""What bars, readouts and plots have in common: a figure whose data comes from a compute function.

An output block checks its options and imports its compute function while the page is parsed;
when the page is finished, ``lesson_plugins/widgets.py`` binds the function's parameters to the
page's controls, calls it (prerender, precompute) and asks the block to :meth:`OutputBlock.render`
the result as static HTML. The browser modules (``assets/bars.js`` ...) redraw the same markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any, ClassVar

from .. import compute
from .base import LessonBlock, boolean, string


class OutputBlock(LessonBlock):
    """A ``<figure>`` titled by the block's argument, filled from ``compute: module:function``."""

    ARGUMENT = True
    ARGUMENT_HINT = "TITLE"
    OPTIONS: ClassVar[dict[str, tuple[Any, Callable[[Any], Any] | None]]] = {
        "compute": (None, string),
        "precompute": (True, boolean),
    }
    REQUIRED = ("compute",)

    def on_validate(self, parent: Any) -> bool:
        self.line = self.page.current_line
        try:
            self.function = compute.load(self.options["compute"], self.page.plugin.sources)
        except ValueError as exc:
            raise self.fail(str(exc)) from None
        return True

    def on_create(self, parent: Any) -> etree.Element:
        self.figure = etree.SubElement(parent, "figure", {"class": f"ms-output ms-{self.NAME}"})
        etree.SubElement(self.figure, "figcaption").text = self.argument
        self.page.add("output", self)
        return self.figure

    def browser_options(self) -> dict[str, Any]:
        """The options the browser module needs to redraw this output."""
        return {}

    def render(self, result: dict[str, Any]) -> None:
        """Add the static HTML of a normalized result (see ``lesson_plugins/results.py``)."""
        raise NotImplementedError


def header_row(table: etree.Element, headers: list[str]) -> None:
    """A ``<thead>`` with one column header per text."""
    row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for text in headers:
        etree.SubElement(row, "th", {"scope": "col"}).text = text
