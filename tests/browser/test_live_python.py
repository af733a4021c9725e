"""The widgets with live Python: real Pyodide 0.27.7 in a module worker (needs PYODIDE_DIST).

One page boots Pyodide once and is shared by the tests of this module, in order.
"""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect
from test_widgets import SITE, bar_values, widgetlab

from lesson_plugins.testing import PageErrors, open_page, same_document

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]

RUNTIME = "import(document.querySelector('script[src$=\"runtime.js\"]').src)"


@pytest.fixture(scope="module")
def site_url(build_site, serve, pyodide_dist) -> str:
    return serve(build_site(SITE / "mkdocs.yml")).url


@pytest.fixture(scope="module")
def live(browser, site_url):
    """The site's live page, with Python booted (the index links to it through instant nav)."""
    page, errors = open_page(browser)
    page.goto(site_url)
    with same_document(page):
        page.get_by_role("link", name="the other page").click()
        page.wait_for_function(
            "document.querySelector('.ms-bars')?.dataset.msState === 'ready'", timeout=60_000
        )
    yield page, errors
    page.context.close()


def assert_close(shown: dict[str, str], expected) -> None:
    """Live values equal CPython's to the last bit or two.

    numpy's exp under CPython may use SIMD code that Pyodide's wasm build lacks; the two differ
    by at most an ulp or so (seen: 0.08266802044234281 vs 0.0826680204423428).
    """
    wanted = dict(expected)
    assert list(shown) == list(wanted)
    for label, text in shown.items():
        assert math.isclose(float(text), wanted[label], rel_tol=1e-14), (label, text, wanted[label])


def wait_calm(page) -> None:
    """Wait until no output waits for Python."""
    page.wait_for_function("!document.querySelector('figure[aria-busy]')", timeout=10_000)


def test_beyond_the_precompute_limit_the_bars_come_from_pyodide(live):
    page, errors = live
    assert page.locator(".ms-bars .ms-status").inner_text() == "live Python"
    assert page.evaluate(f"{RUNTIME}.then(r => r.stats.calls)") == 0  # prerendered: no call yet
    page.locator("#ms-k").fill("1.6")
    page.locator("#ms-T").fill("3.1")
    wait_calm(page)
    assert_close(bar_values(page), widgetlab.sharpened(3.1, 1.6))
    # the worker's Python is Pyodide's (sys.platform "emscripten"), not a table in the page
    answer = page.evaluate(f"{RUNTIME}.then(r => r.compute('widgetlab:runtime', 'readout', {{}}))")
    assert answer == {"labels": ["pyodide"], "values": [1.0]}
    errors.assert_none()


def test_a_fast_drag_computes_only_the_latest_value(live):
    page, errors = live
    calls = page.evaluate(f"{RUNTIME}.then(r => r.stats.calls)")
    page.evaluate(
        """() => { const k = document.querySelector('#ms-k');
        for (const v of ['0', '0.2', '0.4', '0.6', '0.8', '1', '1.2', '1.4', '1.6', '1.8', '2']) {
          k.value = v; k.dispatchEvent(new Event('input', {bubbles: true})); } }"""
    )
    wait_calm(page)
    made = page.evaluate(f"{RUNTIME}.then(r => r.stats.calls)") - calls
    assert made <= 4, f"{made} calls for 11 inputs on 2 outputs: drags do not coalesce"
    assert_close(bar_values(page), widgetlab.sharpened(3.1, 2.0))
    errors.assert_none()


def test_a_python_exception_shows_in_its_widget_only(live):
    page, errors = live
    page.locator("#ms-T").fill("4.5")
    wait_calm(page)
    readout = page.locator(".ms-readout")
    assert readout.get_attribute("data-ms-state") == "error"
    assert readout.locator(".ms-status").inner_text() == (
        "Python error: ValueError: T = 4.5 is too hot for this function"
    )
    assert_close(bar_values(page), widgetlab.sharpened(4.5, 2.0))  # the other output works
    page.locator("#ms-T").fill("3")
    wait_calm(page)
    assert readout.get_attribute("data-ms-state") == "ready"
    assert readout.locator(".ms-item").get_attribute("data-value") == repr(6.0)
    # the whole traceback went to the console, into the author's module
    (logged,) = errors.console
    assert logged.startswith("microscale: widgetlab:fragile raised in Python\nTraceback")
    assert 'widgetlab.py", line' in logged and "in fragile" in logged
    errors.console.clear()
    errors.assert_none()


def test_an_import_pyodide_lacks_shows_its_exception_not_pyodides_advice(browser, site_url):
    """``import scipy`` (here ``import sqlite3``, CI has no scipy) builds under CPython and fails
    in Pyodide, whose message goes on for lines and ends with a link: the widget says the
    exception, the console has all of it."""
    page, errors = open_page(browser)
    page.goto(site_url + "errors/")
    page.wait_for_function(
        "document.querySelector('.ms-readout')?.dataset.msState === 'ready'", timeout=60_000
    )
    readout = page.locator(".ms-readout")
    assert readout.locator(".ms-item").first.get_attribute("data-value") == repr(2.0)  # CPython's
    page.locator("#ms-k").fill("1.2")
    wait_calm(page)
    assert readout.get_attribute("data-ms-state") == "error"
    assert readout.locator(".ms-status").inner_text() == (
        "Python error: ModuleNotFoundError: No module named 'sqlite3'"
    )
    (logged,) = errors.console
    lines = logged.splitlines()
    assert lines[0] == "microscale: widgetlab:stored raised in Python"
    assert lines[1] == "Traceback (most recent call last):"
    assert any('widgetlab.py", line' in line and "in stored" in line for line in lines)
    assert "ModuleNotFoundError: No module named 'sqlite3'" in lines
    assert "pyodide.org" in lines[-1]  # Pyodide's advice: in the console, not in the widget
    page.context.close()
    errors.console.clear()
    errors.assert_none()


def test_precomputed_and_live_python_agree_exactly(live):
    page, errors = live
    with same_document(page):
        page.get_by_role("link", name="back to the widgets").click()
        page.wait_for_selector("figure.ms-bars[data-ms-state=precomputed]")
    data = page.evaluate(  # the states the page fetches from its data file (pagedata.py)
        f"""async () => {{ const r = await {RUNTIME};
        const template = document.querySelector('.ms-bars template.ms-data');
        const data = JSON.parse(template.content.textContent);
        const file = await r.pageData(template.dataset.msFile);
        return {{ ...data, states: file.states[data.states.at] }}; }}"""
    )
    temperatures = [0.5 + i / 10 for i in range(46)]
    live_values = page.evaluate(
        f"""async (ts) => {{ const r = await {RUNTIME};
        return Promise.all(ts.map(T => r.compute('widgetlab:teacher', 'bars', {{T}}))); }}""",
        [float(f"{t:.1f}") for t in temperatures],
    )
    assert len(data["states"]["each"]) == 46
    labels = data["states"]["common"]["labels"]
    for state, result in zip(data["states"]["each"], live_values, strict=True):
        assert result["labels"] == labels
        shown = dict(zip(labels, map(repr, result["values"]), strict=True))
        assert_close(shown, zip(labels, state["values"], strict=True))
    errors.assert_none()


def test_instant_navigation_keeps_the_worker(live):
    page, errors = live
    with same_document(page):  # a full page load would start a new worker, and count one too
        page.get_by_role("link", name="the other page").click()
        page.wait_for_function("document.querySelector('.ms-bars')?.dataset.msState === 'ready'")
    assert page.evaluate(f"{RUNTIME}.then(r => r.stats.workers)") == 1
    page.locator("#ms-k").fill("0.4")
    wait_calm(page)
    assert_close(bar_values(page), widgetlab.sharpened(2.0, 0.4))
    errors.assert_none()


def test_the_live_page_has_no_axe_violations(live, axe):
    page, _ = live
    axe(page)


def load_live_page(browser, url: str, csp: str | None = None) -> tuple[list[str], PageErrors]:
    """Open ``url`` directly (its <head> starts the worker), with Python live and the 'k' slider
    computed by it; the URLs the context requested, and the page's errors. ``csp``: a
    Content-Security-Policy header to serve the page with."""
    page, errors = open_page(browser)
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))

    def with_policy(route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": csp}
        route.fulfill(response=response, headers=headers)

    if csp:
        page.route(url, with_policy)
    page.goto(url)
    page.wait_for_function(
        "document.querySelector('.ms-bars')?.dataset.msState === 'ready'", timeout=60_000
    )
    page.locator("#ms-k").fill("1.2")
    wait_calm(page)
    assert_close(bar_values(page), widgetlab.sharpened(2.0, 1.2))
    page.context.close()
    return requests, errors


def test_the_page_starts_its_worker_from_the_copy_in_the_page(browser, site_url):
    """Time to live Python (issue #9): no request for worker.js, which Chromium would hold back
    while the page's stylesheets and scripts load; the worker runs from a blob: URL."""
    requests, errors = load_live_page(browser, site_url + "other/")
    assert not [u for u in requests if u.endswith("/worker.js")], requests
    assert any(u.startswith("blob:") for u in requests)
    errors.assert_none()


def test_a_policy_without_blob_workers_starts_worker_js(browser, site_url):
    """A site whose Content-Security-Policy forbids blob: workers still gets live Python."""
    policy = "worker-src 'self'"
    requests, errors = load_live_page(browser, site_url + "other/", csp=policy)
    assert [u for u in requests if u.endswith("/worker.js")], requests
    errors.assert_none(allow="Content Security Policy")


def test_without_its_data_file_the_page_asks_python_and_says_what_is_missing(browser, site_url):
    """The page's data file (lesson_plugins/pagedata.py) does not come: a 404, or a reader
    offline with a page the browser kept. A table says so in its disclosure; a control still
    moves its precomputed bars, computed by Python instead."""
    page, errors = open_page(browser)
    page.route("**/index.*.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(site_url)
    page.locator("figure.ms-plot details.ms-values > summary").click()
    expect(page.locator("figure.ms-plot details.ms-values .ms-status")).to_have_text(
        re.compile(r"^the table could not be loaded \(404 .*index\.\w+\.json\); reload")
    )
    page.locator("#ms-T").fill("1.2")
    page.wait_for_function(
        "document.querySelector('.ms-bars')?.dataset.msState === 'ready'", timeout=60_000
    )
    wait_calm(page)
    assert_close(bar_values(page), widgetlab.teacher(1.2))
    errors.assert_none(allow=r"404|no precomputed states for|table of values could not be loaded")
    page.context.close()
