"""In Chromium, a widget redrawn by the browser reads exactly as the build wrote it.

The page's numbers are chosen where JavaScript's own number text differs from Python's: exact
ties (0.25 with ``.1f``), 1e21 and the largest double with ``,.0f``, negative zero, subnormals.
Every number shown, static or redrawn, must be ``format(value, spec)`` of the exact value in its
``data-value``; moving the slider away and back must give back the build's markup, plot geometry
included (the browser takes it from the page's ``ms-config``), and the bars' items made anew by
``assets/bars.js`` must be the build's to the byte.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

LAB = """
def _scale(k):
    return 1.0 if k == 1 else 3.0


def ties(k: float) -> dict:
    s = _scale(k)
    return {"a": 0.25 * s, "b": 0.35 * s, "c": -0.0 * s, "d": -0.04 * s, "e": 0.125 * s}


def large(k: float) -> dict:
    return {"a": 1e21 * k, "b": 2.5 * k, "c": -0.4 * k, "d": 1.7976931348623157e308 / k}


def tiny(k: float) -> dict:
    return {"a": 5e-324 * k, "b": 1e-5 * k, "c": 9.9995 * k, "d": 123456.5 * k, "e": -0.0}


def shares(k: float) -> dict:
    return {"a": 0.00125 * k, "b": 0.5 / k, "c": 0.0625 * k}


def line(k: float) -> dict:
    return {"x": [0.0, 0.25, 1.0], "series": {"y": [0.25 * k, -0.0, 2.5e21 / k]}}
"""

PAGE = """# Contract

/// slider | k
    min: 1
    max: 2
    step: 1
///

/// readout | ties
    compute: lab:ties
    format: .1f
///

/// readout | large
    compute: lab:large
    format: ",.0f"
///

/// readout | tiny
    compute: lab:tiny
    format: .3g
///

/// bars | shares
    compute: lab:shares
    format: .1%
///

/// plot | line
    compute: lab:line
    format: ",.2e"
///
"""

SNAPSHOT = """() => [...document.querySelectorAll("figure.ms-output")].map((f) => ({
  items: [...f.querySelectorAll(".ms-item, li.ms-bar")].map((e) => [
    e.dataset.label, e.dataset.value, (e.querySelector(".ms-value") ?? e).textContent,
    e.style.getPropertyValue("--v").trim() || null]),
  bars: f.querySelector("ol")?.innerHTML ?? null,  // the markup itself, as built or redrawn
  cells: [...f.querySelectorAll(".ms-values td")].map((td) => [td.dataset.value, td.textContent]),
  lines: [...f.querySelectorAll("svg polyline")].map((p) => p.getAttribute("points")),
  ticks: [...f.querySelectorAll("svg text")].map((t) => [t.getAttribute("x"), t.textContent]),
}))"""

FORMATS = [".1f", ",.0f", ".3g", ".1%", ",.2e"]  # the figures' formats, in page order


def check_texts(figures: list[dict]) -> None:
    """Every number shown is Python's ``format`` of the exact value next to it."""
    for figure, spec in zip(figures, FORMATS, strict=True):
        for label, value, text, _ in figure["items"]:
            assert text == format(float(value), spec), (spec, label, value)
        for value, text in figure["cells"]:
            assert text == format(float(value), spec), (spec, value)


@pytest.mark.browser
def test_redrawn_widgets_read_as_built(build_pages, serve, page, page_errors) -> None:
    site = build_pages(
        {"index.md": PAGE}, files={"lab.py": LAB}, plugin_options={"modules": ["lab.py"]}
    )
    page.goto(serve(site).url)
    page.locator(".ms-plot details.ms-values > summary").click()  # rows from the data file
    expect(page.locator(".ms-plot details.ms-values > table tbody tr").first).to_be_attached()
    built = page.evaluate(SNAPSHOT)
    assert built[0]["items"][0][2] == "0.2"  # 0.25 is a true tie: to even
    assert built[1]["items"][0][2] == "1,000,000,000,000,000,000,000"
    assert built[0]["items"][2][2] == "-0.0"
    check_texts(built)
    assert built[3]["bars"].count("<li ") == 3  # the bars (a, b, c)
    page.evaluate("document.querySelector('.ms-bars ol').replaceChildren()")  # bars.js makes them
    slider = page.get_by_label("k", exact=True)
    slider.press("ArrowRight")  # k = 2: every figure redrawn from the precomputed table
    moved = page.evaluate(SNAPSHOT)
    assert moved != built
    check_texts(moved)
    assert built[-1]["cells"] and moved[-1]["cells"]  # the plot's table was read
    assert page.locator("[data-ms-param=k] output").inner_text() == format(2.0, ".0f")
    slider.press("ArrowLeft")  # back: the browser's markup must be the build's
    assert page.evaluate(SNAPSHOT) == built
    page_errors.assert_none()
