"""When Pyodide cannot be reached, widgets keep their prerendered and precomputed states and say
why live Python is unavailable; nothing is thrown uncaught."""

from __future__ import annotations

import pytest
from test_widgets import SITE, bar_values, expected_bars, widgetlab

pytestmark = pytest.mark.browser

UNREACHABLE = "http://127.0.0.1:9/pyodide/v0.27.7/full/"  # port 9 (discard) is closed here


@pytest.fixture(scope="module")
def site_url(build_site, serve) -> str:
    options = {"pyodide_dist": "", "pyodide_cdn": UNREACHABLE}
    return serve(build_site(SITE / "mkdocs.yml", plugin_options=options)).url


def test_unreachable_pyodide_leaves_prerendered_states_and_says_why(page, page_errors, site_url):
    page.goto(site_url + "other/")
    bars = page.locator(".ms-bars")
    page.wait_for_selector(".ms-bars[data-ms-state=failed]", timeout=30_000)
    assert bars.locator(".ms-status").inner_text() == (
        f"live Python is unavailable: Pyodide could not be loaded from {UNREACHABLE}"
    )
    assert bar_values(page) == expected_bars(widgetlab.sharpened(2.0, 1.0))  # prerendered
    page.locator("#ms-k").fill("1.2")  # a live widget cannot follow, and says so again
    assert page.locator(".ms-readout").get_attribute("data-ms-state") == "failed"
    page.get_by_role("link", name="back to the widgets").click()
    page.wait_for_selector("figure.ms-readout[data-ms-state=precomputed]")  # the page swapped
    page.locator("#ms-T").fill("4.2")  # precomputed widgets work without Python
    assert bar_values(page) == expected_bars(widgetlab.teacher(4.2))
    assert page_errors.uncaught == []
    page_errors.assert_none(allow=r"Failed to load resource")


def test_widget_strings_come_from_mkdocs_yml(build_site, serve, page, page_errors):
    options = {
        "pyodide_dist": "",
        "pyodide_cdn": UNREACHABLE,
        "strings": {"python_failed": "kein Python ({reason})"},
    }
    page.goto(serve(build_site(SITE / "mkdocs.yml", plugin_options=options)).url + "other/")
    page.wait_for_selector(".ms-readout[data-ms-state=failed]", timeout=30_000)
    assert page.locator(".ms-readout .ms-status").inner_text() == (
        f"kein Python (Pyodide could not be loaded from {UNREACHABLE})"
    )
    page_errors.assert_none(allow=r"Failed to load resource")
