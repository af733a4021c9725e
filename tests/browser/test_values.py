"""A chart's text alternative on demand (issue 21): its table of values is no element of the page
until its disclosure opens; then keyboard and screen-reader users get every exact value, and the
summary kept in the page says what the build says. The site is ``tests/browser/site``."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lesson_plugins import ondemand, strings

SITE = Path(__file__).parent / "site"
sys.path.insert(0, str(SITE))
import widgetlab  # noqa: E402  (the site's compute functions, called here under CPython)

pytestmark = pytest.mark.browser
PLOT = "figure.ms-plot"


@pytest.fixture(scope="module")
def site_url(build_site, serve) -> str:
    return serve(build_site(SITE / "mkdocs.yml")).url


def expected_summary(result: dict, fmt: str = ".4g") -> tuple[str, str]:
    """The disclosure's label with the row count, and the summary the build writes for a plot
    ``result`` (same code path: the table as ``PlotBlock.table`` writes it, summarized by
    ``ondemand.summary``)."""
    table = etree.Element("table")
    head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for name in [result.get("xlabel") or "x", *result["series"]]:
        etree.SubElement(head, "th").text = name
    body = etree.SubElement(table, "tbody")
    for row_values in zip(result["x"], *result["series"].values(), strict=True):
        row = etree.SubElement(body, "tr")
        for value in row_values:
            etree.SubElement(row, "td", {"data-value": repr(value)}).text = format(value, fmt)
    rows, ranges = ondemand.summary(table)
    text = strings.DEFAULTS["values_separator"].join(
        strings.DEFAULTS["values_range"].format(name=n, low=lo, high=hi) for n, lo, hi in ranges
    )
    label = f"{strings.DEFAULTS['plot_table']} {strings.DEFAULTS['values_rows'].format(rows=rows)}"
    return label, text


def columns(page) -> list[list[str]]:
    """The exact values (``data-value``) of the plot's table in the page, row by row, once the
    open disclosure has shown its table (the toggle event, then the rows of the data file)."""
    details = f"{PLOT} details.ms-values"
    if page.locator(f"{details}[open]").count():
        page.locator(f"{details} > table, {details} .ms-status").first.wait_for(state="attached")
    return page.locator(f"{PLOT} details.ms-values > table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.dataset.value))"
    )


def exact(result: dict) -> list[list[str]]:
    return [
        [repr(v) for v in row] for row in zip(result["x"], *result["series"].values(), strict=True)
    ]


def tab_to(page, selector: str, presses: int = 60) -> None:
    """Press Tab from the top of the page until the element ``selector`` has the focus."""
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_the_rows_enter_the_page_only_when_the_disclosure_opens(page, page_errors, site_url):
    page.goto(site_url)
    assert page.locator(f"{PLOT} details.ms-values").get_attribute("open") is None
    in_page = "s => document.querySelectorAll(s).length"
    assert page.evaluate(in_page, f"{PLOT} td") == 0  # waiting in the template
    rows, summary = expected_summary(widgetlab.curve(2.0))
    assert page.locator(f"{PLOT} details.ms-values > summary").inner_text() == rows
    assert page.locator(f"{PLOT} .ms-values-summary").inner_text() == summary
    assert "·" in summary and "T: 0.5 to 5" in summary
    page_errors.assert_none()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_keyboard_and_screen_reader_get_every_value(page, page_errors, axe, site_url, scheme):
    page.goto(site_url)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    tab_to(page, f"{PLOT} details.ms-values > summary")
    page.keyboard.press("Enter")
    assert columns(page) == exact(widgetlab.curve(2.0))
    tree = page.locator(f"{PLOT} details.ms-values").aria_snapshot()
    assert "- table:" in tree and tree.count("- row ") == 1 + len(widgetlab.curve(2.0)["x"])
    assert '- columnheader "p(Paris)"' in tree
    axe(page)  # the open disclosure and its table, in this palette
    page.keyboard.press("Enter")  # closes again: the table stays, hidden as before
    assert page.locator(f"{PLOT} details.ms-values").get_attribute("open") is None
    page_errors.assert_none()


def test_a_redraw_while_closed_updates_the_table_and_its_summary(page, page_errors, site_url):
    page.emulate_media(reduced_motion="reduce")
    page.goto(site_url)
    static = page.locator(f"{PLOT} .ms-values-summary").inner_text()
    page.locator("#ms-T").fill("1.2")
    rows, summary = expected_summary(widgetlab.curve(1.2))
    assert page.locator(f"{PLOT} .ms-values-summary").inner_text() == summary != static
    assert page.locator(f"{PLOT} details.ms-values > summary").inner_text() == rows
    page.locator(f"{PLOT} details.ms-values > summary").click()
    assert columns(page) == exact(widgetlab.curve(1.2))
    page.locator("#ms-T").fill("2")  # redrawn while open, back to the build's state
    assert columns(page) == exact(widgetlab.curve(2.0))
    assert page.locator(f"{PLOT} .ms-values-summary").inner_text() == static
    page_errors.assert_none()


def test_a_table_whose_rows_do_not_come_says_so_and_opens_again(page, page_errors, site_url):
    """The build's rows wait in the page's data file (lesson_plugins/pagedata.py): when it does
    not come, the open disclosure says why in a line; opened again later, it fetches them."""
    page.route("**/index.*.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(site_url)
    summary = page.locator(f"{PLOT} details.ms-values > summary")
    summary.click()
    message = page.locator(f"{PLOT} details.ms-values .ms-status")
    expect(message).to_have_text(re.compile(r"^the table could not be loaded \(404 "))
    assert columns(page) == []
    page.unroute("**/index.*.json")
    summary.click()  # closed
    summary.click()  # and opened again
    expect(page.locator(f"{PLOT} details.ms-values > table tbody tr").first).to_be_visible()
    assert columns(page) == exact(widgetlab.curve(2.0))
    expect(message).to_have_count(0)
    page_errors.assert_none(allow=r"404|table of values could not be loaded")
