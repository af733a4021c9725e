"""The widgets in Chromium, on the precomputed path (no Python needed): exact values, keyboard,
choices, plots, accessibility, light and dark. The site is ``tests/browser/site``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

SITE = Path(__file__).parent / "site"
sys.path.insert(0, str(SITE))
import widgetlab  # noqa: E402  (the site's compute functions, called here under CPython)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(build_site, serve) -> str:
    return serve(build_site(SITE / "mkdocs.yml")).url


def bar_values(page, figure: str = ".ms-bars") -> dict[str, str]:
    rows = page.locator(f"{figure} li.ms-bar")
    return {
        rows.nth(i).get_attribute("data-label"): rows.nth(i).get_attribute("data-value")
        for i in range(rows.count())
    }


def expected_bars(result) -> dict[str, str]:
    pairs = result.items() if isinstance(result, dict) else result
    return {label: repr(float(value)) for label, value in pairs}


def test_keyboard_moves_the_slider_and_redraws_exact_values(page, page_errors, site_url):
    page.goto(site_url)
    assert bar_values(page) == expected_bars(widgetlab.teacher(2.0))  # prerendered
    slider = page.get_by_label("temperature")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    assert slider.get_attribute("aria-valuetext") == "2.3"
    assert page.locator("[data-ms-param=T] output").inner_text() == "2.3"
    assert bar_values(page) == expected_bars(widgetlab.teacher(2.3))
    slider.press("Home")
    assert bar_values(page) == expected_bars(widgetlab.teacher(0.5))
    paris = format(widgetlab.teacher(0.5)["Paris"], ".1%")
    region = page.locator("[aria-live=polite]", has_text="teacher distribution")
    expect(region).to_contain_text(f"teacher distribution · p_T: Paris {paris}")  # once at rest
    assert page.locator(".ms-bars").get_attribute("data-ms-state") == "precomputed"
    page_errors.assert_none()


@pytest.mark.parametrize("value", ["0.5", "3.7", "5"])
def test_setting_the_value_redraws_bars_and_readout(page, page_errors, site_url, value):
    page.goto(site_url)
    page.locator("#ms-T").fill(value)
    assert bar_values(page) == expected_bars(widgetlab.teacher(float(value)))
    readout = page.locator(".ms-readout .ms-item")
    expected = widgetlab.summary(float(value))
    assert {
        readout.nth(i).get_attribute("data-label"): readout.nth(i).get_attribute("data-value")
        for i in range(readout.count())
    } == {k: repr(v) for k, v in expected.items()}
    assert page.locator(".ms-readout dd").first.inner_text() == format(expected["entropy"], ".4f")
    page_errors.assert_none()


def test_choice_and_slider_drive_readout_and_plot(page, page_errors, site_url):
    page.emulate_media(reduced_motion="reduce")
    page.goto(site_url)
    page.locator("#ms-T").fill("1.2")
    page.get_by_label("entropy and the rest").check()
    readout = page.locator(".ms-readout .ms-item").nth(1)
    assert readout.get_attribute("data-value") == repr(widgetlab.summary(1.2, "rest")["top"])
    expected = widgetlab.curve(1.2)
    page.locator(".ms-plot details.ms-values > summary").click()  # its table, on demand
    cells = page.locator(".ms-plot tbody tr").first.locator("td")
    assert [cells.nth(i).get_attribute("data-value") for i in range(3)] == [
        repr(expected["x"][0]),
        *(repr(s[0]) for s in expected["series"].values()),
    ]
    assert page.locator(".ms-plot svg polyline").count() == 2
    assert page.locator(".ms-plot .ms-ylabel").inner_text() == "probability"
    assert page.locator("figure[data-ms-state=precomputed]").count() == 3  # no Python needed
    page_errors.assert_none()


def test_plot_animates_its_frames_and_replays(page, page_errors, site_url):
    page.goto(site_url)
    final = page.locator(".ms-plot polyline").nth(1).get_attribute("points")  # "at T" moves
    page.locator("#ms-T").fill("2.1")
    page.locator("#ms-T").fill("2.0")  # back to the prerendered state
    page.evaluate(
        """() => { window.drawn = [];  // every "at T" line the plot draws from now on
        new MutationObserver(() => window.drawn.push(
            document.querySelectorAll('.ms-plot polyline')[1].getAttribute('points'))
        ).observe(document.querySelector('.ms-plot .ms-chart'), {childList: true}); }"""
    )
    page.get_by_role("button", name="replay").click()
    page.wait_for_function("window.drawn.length >= 4", timeout=5000)  # the four frames
    page.wait_for_function("([p]) => window.drawn.at(-1) === p", arg=[final], timeout=5000)
    drawn = page.evaluate("window.drawn")
    assert len(set(drawn)) == 5, drawn  # four frames, then the series as the build drew it
    page_errors.assert_none()


def test_without_javascript_the_page_shows_real_numbers(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    assert bar_values(page) == expected_bars(widgetlab.teacher(2.0))
    assert page.locator(".ms-bars .ms-value").first.inner_text() == "60.9%"
    read = page.locator(".ms-bars ol").aria_snapshot()  # what a screen reader gets: "label value"
    assert read.splitlines()[:2] == ["- list:", "  - listitem: Paris 60.9%"], read
    context.close()


#: The boxes of each bar of ``figure``: its label's text, its bar (the ``::before`` of its value:
#: left edge and width), its value's text; and the figure's left and right edges.
BAR_BOXES = """(figure) => {
  const text = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    return [box.left, box.right];
  };
  const edges = figure.getBoundingClientRect();
  return [...figure.querySelectorAll(".ms-bar")].map((bar) => {
    const value = bar.querySelector(".ms-value");
    return {
      label: text(bar.firstChild),
      bar: [
        value.getBoundingClientRect().left,
        parseFloat(getComputedStyle(value, "::before").width),
      ],
      value: text(value.firstChild),
      figure: [edges.left, edges.right],
      share: parseFloat(bar.style.getPropertyValue("--v")),
    };
  });
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_each_bar_shows_label_bar_and_value_side_by_side(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site_url)
    bars = page.locator(".ms-bars").evaluate(BAR_BOXES)
    assert len(bars) == 8
    scale = max(b["bar"][1] / b["share"] for b in bars)  # pixels of a full-width bar
    for b in bars:
        (left, width_), label, value = b["bar"], b["label"], b["value"]
        assert b["figure"][0] <= label[0] < label[1] < left  # the label, then the bar,
        assert left + width_ < value[0] < value[1] <= b["figure"][1]  # then the value, all inside
        assert width_ == pytest.approx(b["share"] * scale, abs=0.5) and width_ > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_bars_stay_visible_in_forced_colors(browser, site_url):
    """Forced colours (Windows high contrast) drop background colours: the bar is a border."""
    context = browser.new_context(forced_colors="active")
    page = context.new_page()
    page.goto(site_url)
    color, thickness, width, page_background = page.locator(".ms-bars .ms-value").first.evaluate(
        """(value) => {
          const bar = getComputedStyle(value, "::before");
          const page = getComputedStyle(document.body).backgroundColor;
          return [bar.borderTopColor, parseFloat(bar.borderTopWidth), parseFloat(bar.width), page];
        }"""
    )
    assert color != page_background and thickness > 0 and width > 0, (color, page_background)
    context.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_violations(page, page_errors, axe, site_url, scheme):
    page.goto(site_url)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.locator("#ms-T").fill("3")
    axe(page)
    page_errors.assert_none()


def test_a_select_choice_works_with_the_keyboard(build_pages, serve, page, page_errors, axe):
    lab = "def f(mode: str, n: float) -> dict:\n    return {mode: n * len(mode)}\n"
    markdown = (
        "# Select\n\n/// choice | mode\n    label: mode\n    options: [ab, abcd, abcdef]\n"
        "    style: select\n    hint: the length times n\n///\n\n"
        "/// slider | n\n    min: 0\n    max: 2\n    step: 0.5\n    value: 1\n///\n\n"
        "/// readout | length\n    compute: lab:f\n    format: .1f\n///\n"
    )
    site = build_pages(
        {"index.md": markdown}, files={"lab.py": lab}, plugin_options={"modules": ["lab.py"]}
    )
    page.goto(serve(site).url)
    select = page.get_by_label("mode")
    select.focus()
    select.press("ArrowDown")  # abcd
    page.get_by_label("n", exact=True).press("End")  # n = 2
    item = page.locator(".ms-item")
    assert (item.get_attribute("data-label"), item.get_attribute("data-value")) == ("abcd", "8.0")
    assert page.locator(".ms-readout dd").inner_text() == "8.0"
    axe(page)
    page_errors.assert_none()


def test_after_a_reload_the_bars_match_the_slider(page, page_errors, site_url):
    page.goto(site_url)
    page.locator("#ms-T").fill("3.5")
    page.reload()  # Chromium may restore the slider's position
    value = float(page.locator("#ms-T").input_value())
    assert bar_values(page) == expected_bars(widgetlab.teacher(value))
    assert page.locator("[data-ms-param=T] output").inner_text() == f"{value:.1f}"
    page_errors.assert_none()
