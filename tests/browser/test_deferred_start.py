"""When the Python worker starts (issue 21, assets/boot.js): at once on a desktop, after the page
has loaded on a phone or a slow or save-data connection, at once again when a reader's call comes
first. Needs PYODIDE_DIST: the phone's live chart must still come from Pyodide."""

from __future__ import annotations

import pytest
from test_widgets import SITE, bar_values, widgetlab

from lesson_plugins.testing import open_page

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]

#: Records, from the first script of the page, when the worker exists and when the page loaded.
PROBE = """
window.__start = {};
addEventListener("DOMContentLoaded", () => {
  window.__start.dcl = !!window.microscaleWorker?.worker;
});
addEventListener("load", () => { window.__start.load = performance.now(); });
"""


@pytest.fixture(scope="module")
def site_url(build_site, serve, pyodide_dist) -> str:
    return serve(build_site(SITE / "mkdocs.yml")).url


def started(browser, url: str, **context: object) -> tuple[dict, object]:
    page, errors = open_page(browser, **context)
    page.add_init_script(script=PROBE)
    page.goto(url, wait_until="load")
    page.wait_for_function("window.microscaleWorker?.worker", timeout=10_000)
    return page.evaluate("window.__start"), page, errors


def test_a_desktop_starts_python_at_once(browser, site_url):
    state, page, errors = started(browser, site_url + "other/")
    assert state["dcl"] is True  # created from the <head>, before DOMContentLoaded
    page.context.close()
    errors.assert_none()


def test_a_phone_starts_python_once_the_page_has_loaded(browser, site_url):
    phone = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}
    state, page, errors = started(browser, site_url + "other/", **phone)
    assert state["dcl"] is False  # not while the page loads
    page.locator("#ms-k").fill("1.2")  # and still live Python, exact
    page.wait_for_function(
        "document.querySelector('.ms-bars')?.dataset.msState === 'ready'", timeout=60_000
    )
    page.wait_for_function("!document.querySelector('figure[aria-busy]')", timeout=60_000)
    shown = {k: float(v) for k, v in bar_values(page).items()}
    assert shown == pytest.approx(dict(widgetlab.sharpened(2.0, 1.2)), rel=1e-14)
    page.context.close()
    errors.assert_none()


def test_a_call_before_the_load_starts_python_at_once(browser, site_url):
    """A reader who moves a live control before the page has loaded does not wait for it."""
    phone = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}
    page, _ = open_page(browser, **phone)
    page.route("**/never.png", lambda route: None)  # an image that never comes: no load event
    page.add_init_script(script=PROBE)
    page.add_init_script(
        script="addEventListener('DOMContentLoaded', () =>"
        " document.body.append(Object.assign(new Image(), {src: '/never.png'})))"
    )
    page.goto(site_url + "other/", wait_until="domcontentloaded")
    page.wait_for_function("document.querySelector('.ms-bars')?.dataset.msState")  # attached
    assert page.evaluate("window.microscaleWorker.worker") is None
    page.locator("#ms-k").fill("1.2")
    page.wait_for_function("window.microscaleWorker.worker !== null", timeout=5_000)
    assert "load" not in page.evaluate("window.__start")
    page.context.close()
