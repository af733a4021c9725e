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

#: Attributes that keep an element out of Material's search index (its documented "search
#: exclusion"; ``lesson_plugins/unindexed.py`` also hides such elements from the search plugins'
#: parsers and removes the attribute, so the page keeps the element for screen readers). Computed
#: numbers and the precomputed JSON are nothing a reader searches for; indexed, they made
#: ``search_index.json`` about 7 times larger and the build slower. Titles stay indexed.
NOT_SEARCHED = {"data-search-exclude": "true"}


class OutputBlock(LessonBlock):
    """A ``<figure>`` titled by the block's argument, filled from ``compute: module:function``."""

    ARGUMENT = True
    ARGUMENT_HINT = "TITLE"
    OPTIONS: ClassVar[dict[str, tuple[Any, Callable[[Any], Any] | None]]] = {
        "compute": (None, string),
        "precompute": (True, boolean),
    }
    REQUIRED = ("compute",)

    def on_options(self, parent: Any) -> bool:
        self.line = self.page.current_line
        self._function: Callable[..., Any] | None = None
        # Cached only for a function that imported fine from these very sources.
        self.parameters = self.page.site.cache.signature(
            self.options["compute"], lambda: compute.parameters(self.function)
        )
        return True

    @property
    def function(self) -> Callable[..., Any]:
        """The compute function, imported when first needed (not at all when all is cached)."""
        if self._function is None:
            try:
                self._function = compute.load(self.options["compute"], self.page.site.sources)
            except ValueError as exc:
                raise self.page.error(f"{self.NAME}: {exc}", self.line) from None
        return self._function

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
