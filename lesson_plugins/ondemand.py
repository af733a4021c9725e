"""Text alternatives on demand: a chart's "values as a table" enters the page when it is opened.

A plot's table of values has a row per point (121 and 301 rows on the distillation lesson): in
the page from the start, its cells were 1,451 of the page's 2,613 elements, each one a node that
Material's scripts and every walk of the DOM go through (Lighthouse's ``dom-size``,
``docs/benchmarks/site.md``). A closed ``<details>`` shows its content to no one, screen readers
included, so the rows are needed only once it opens.

:func:`defer` rewrites every ``<details class="ms-values">`` of a rendered output (whatever block
drew it: the mechanism knows only the markup) so that:

- its ``<table>``, exactly as the block wrote it (exact values in ``data-value``), waits in a
  ``<template>`` inside the disclosure: parsed, but no element of the page;
  ``assets/table.js`` moves it into the disclosure when the reader opens it, by mouse, keyboard
  or assistive technology;
- its ``<summary>`` says how many rows it holds (``values as a table (121 rows)``: the block's
  ``plot_table`` and ``values_rows``, one text), and a short summary stays in the page, before
  the disclosure: each numeric column's range, written with the block's own number format (the
  text of the cells), e.g. ``x: -6 to 6 · teacher: 7.426e-12 to 0.03325``.

``assets/table.js`` writes the same summary from a redrawn table, with the same strings
(``values_rows``, ``values_range``, ``values_separator``) and the same rule
(``tests/browser/test_values.py`` compares the two).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Mapping

#: The class of a chart's table-of-values disclosure (``blocks/output.py:values_table`` makes one).
DISCLOSURE = "ms-values"


def defer(figure: etree.Element, strings: Mapping[str, str]) -> None:
    """Put the table of each values disclosure in ``figure`` in a template; add the summaries."""
    for parent in list(figure.iter()):
        for details in list(parent):
            classes = details.get("class", "").split()
            table = details.find("table") if details.tag == "details" else None
            if DISCLOSURE not in classes or table is None:
                continue
            details.remove(table)
            etree.SubElement(details, "template").append(table)
            rows, ranges = summary(table)
            label = details.find("summary")
            label.text = f"{label.text or ''} {strings['values_rows'].format(rows=rows)}"
            inherited = {k: v for k, v in details.items() if k != "class"}  # not searched
            note = etree.Element("p", {"class": "ms-values-summary", **inherited})
            note.text = strings["values_separator"].join(
                strings["values_range"].format(name=n, low=lo, high=hi) for n, lo, hi in ranges
            )
            parent.insert(list(parent).index(details), note)  # empty when no column has numbers


def summary(table: etree.Element) -> tuple[int, list[tuple[str, str, str]]]:
    """The number of body rows, and ``(header, lowest, highest)`` of every column whose cells
    all hold a number (``data-value``), lowest and highest as the cells show them."""
    headers = ["".join(th.itertext()) for th in table.iterfind("thead/tr/th")]
    rows = list(table.iterfind("tbody/tr"))
    ranges = []
    for column, name in enumerate(headers):
        cells = [list(row)[column] for row in rows if len(row) > column]
        values = [cell.get("data-value") for cell in cells]
        if not cells or None in values:
            continue
        numbers = [float(v) for v in values]
        low = cells[numbers.index(min(numbers))]
        high = cells[numbers.index(max(numbers))]
        ranges.append((name, "".join(low.itertext()), "".join(high.itertext())))
    return len(rows), ranges
