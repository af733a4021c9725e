"""What bars, readouts and plots have in common: a figure whose data comes from a compute function.

An output block checks its options and imports its compute function while the page is parsed;
when the page is finished, ``lesson_plugins/widgets.py`` binds the function's parameters to the
page's controls, calls it (prerender, precompute) and asks the block to :meth:`OutputBlock.render`
the result as static HTML. The browser modules (``assets/bars.js`` ...) redraw the same markup.
"""

from __future__ import annotations

import json
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

    #: The JSON table of every state (``widgets.fill`` sets it before :meth:`render`), or None
    #: when the output is not precomputed.
    states: str | None = None

    def every_state(self, result: dict[str, Any], needed_by: str | None) -> list[dict[str, Any]]:
        """The normalized result at every state of the controls, when precomputed; else
        ``[result]``, or, when ``needed_by`` (an option) needs them all, an error that says so."""
        if self.states is None:
            if needed_by is None:
                return [result]
            raise self.page.error(
                f"{self.NAME}: {needed_by} needs every state computed at build time, and this "
                "output is not precomputed (precompute: false, or more states than "
                "precompute_limit); give a fixed range such as [0, 1] instead",
                self.line,
            )
        table = json.loads(self.states)
        return [{**table["common"], **each} for each in table["each"]]

    def render(self, result: dict[str, Any]) -> None:
        """Add the static HTML of a normalized result (see ``lesson_plugins/results.py``)."""
        raise NotImplementedError


def header_row(table: etree.Element, headers: list[str]) -> None:
    """A ``<thead>`` with one column header per text."""
    row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for text in headers:
        etree.SubElement(row, "th", {"scope": "col"}).text = text


def values_table(block: OutputBlock, headers: list[str], rows: list[list[Any]]) -> None:
    """The chart's text alternative: a "values as a table" disclosure under it.

    Each row of ``rows`` is a list of cells: text is a row header, a number a cell with its exact
    value in ``data-value``, formatted with the block's ``format`` option. The browser's
    ``assets/table.js`` rebuilds the same table on a redraw.
    """
    strings = block.page.site.strings
    details = etree.SubElement(block.figure, "details", {"class": "ms-values", **NOT_SEARCHED})
    etree.SubElement(details, "summary").text = strings["plot_table"]
    table = etree.SubElement(details, "table", {"class": "ms-table"})
    header_row(table, headers)
    body = etree.SubElement(table, "tbody")
    for values in rows:
        row = etree.SubElement(body, "tr")
        for value in values:
            if isinstance(value, str):
                etree.SubElement(row, "th", {"scope": "row"}).text = value
            else:
                cell = etree.SubElement(row, "td", {"data-value": repr(value)})
                cell.text = format(value, block.options["format"])
