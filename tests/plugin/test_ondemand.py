"""Text alternatives on demand (``lesson_plugins/ondemand.py``): any output's values disclosure,
whatever block drew it, keeps its table in a template and a summary in the page."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from lesson_plugins import ondemand, strings


def figure_with_a_table() -> etree.Element:
    """A figure as a block might draw it: a label column (no numbers), two numeric columns."""
    figure = etree.Element("figure", {"class": "ms-output ms-heatmap"})
    etree.SubElement(figure, "figcaption").text = "attention"
    details = etree.SubElement(
        figure, "details", {"class": "ms-values", "data-search-exclude": "true"}
    )
    etree.SubElement(details, "summary").text = "values as a table"
    table = etree.SubElement(details, "table", {"class": "ms-table"})
    head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for name in ("token", "query 1", "query 2"):
        etree.SubElement(head, "th", {"scope": "col"}).text = name
    body = etree.SubElement(table, "tbody")
    for token, a, b in (("the", 0.5, -2.0), ("cat", 0.25, 3.0), ("sat", 0.125, 1.0)):
        row = etree.SubElement(body, "tr")
        etree.SubElement(row, "th", {"scope": "row"}).text = token
        for value in (a, b):
            etree.SubElement(row, "td", {"data-value": repr(value)}).text = f"{value:.2f}"
    return figure


def test_the_table_waits_in_a_template_and_a_summary_stays_in_the_page() -> None:
    figure = figure_with_a_table()
    table = figure.find("details/table")

    ondemand.defer(figure, strings.DEFAULTS)

    details = figure.find("details")
    assert [child.tag for child in details] == ["summary", "template"]
    assert details.find("template/table") is table  # as the block wrote it, exact values kept
    summary = details.find("summary")
    assert (summary.text, len(summary)) == ("values as a table (3 rows)", 0)  # one text, no span
    note = figure.find("p")
    assert list(figure).index(note) == list(figure).index(details) - 1
    assert note.get("class") == "ms-values-summary"
    assert note.get("data-search-exclude") == "true"  # numbers are nothing to search for
    # The label column has no numbers; lowest and highest as the cells show them.
    assert note.text == "query 1: 0.12 to 0.50 · query 2: -2.00 to 3.00"


def test_other_details_and_figures_without_tables_are_left_alone() -> None:
    figure = etree.Element("figure")
    other = etree.SubElement(figure, "details", {"class": "note"})
    etree.SubElement(other, "summary").text = "an author's note"
    etree.SubElement(other, "table")
    empty = etree.SubElement(figure, "details", {"class": "ms-values"})
    etree.SubElement(empty, "summary").text = "values as a table"
    before = etree.tostring(figure)

    ondemand.defer(figure, strings.DEFAULTS)

    assert etree.tostring(figure) == before


def test_strings_are_the_authors() -> None:
    figure = figure_with_a_table()
    own = {
        **strings.DEFAULTS,
        "values_rows": "[{rows} Zeilen]",
        "values_range": "{name}: {low}–{high}",
        "values_separator": "; ",
    }
    ondemand.defer(figure, own)
    assert figure.find("details/summary").text == "values as a table [3 Zeilen]"
    assert figure.find("p").text == "query 1: 0.12–0.50; query 2: -2.00–3.00"
