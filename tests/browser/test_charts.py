"""Charts in Chromium: the browser redraws what the build drew, every widget's text has WCAG AA
contrast in the light and the dark palette (axe does not check SVG text, nor text over the colours
of a heatmap), and at 390 px sliders keep their track and chart text stays readable.

Sites: ``tests/browser/site`` (every output and chart option, ``charts.md``) and
``tests/quiz/site`` (quizzes, paper cards, a course index, lesson headers).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lesson_plugins import results

SITE = Path(__file__).parent / "site"
QUIZ_SITE = Path(__file__).parents[1] / "quiz" / "site"
sys.path.insert(0, str(SITE))
import widgetlab  # noqa: E402

pytestmark = pytest.mark.browser

WIDGETS = (
    ".ms-output, .ms-control, .ms-quiz, .ms-paper, .ms-course-index, .ms-course, .ms-lesson-header"
)
PAGES = [(SITE, ""), (SITE, "charts/"), (QUIZ_SITE, ""), (QUIZ_SITE, "act-1/first/")]

# Every visible element with text of its own inside a widget (SVG text included), its text colour
# (``fill`` for SVG) blended over the effective background: the background colours of it and its
# ancestors, composited from the first opaque one (else white).
CONTRAST = """(selector) => {
  const rgba = (text) => {
    const m = /\\(([^)]+)\\)/.exec(text);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].replace(/srgb/, "").split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    const scale = text.startsWith("color(") ? 255 : 1;
    return [p[0] * scale, p[1] * scale, p[2] * scale, p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) =>
    [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const found = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const e of [root, ...root.querySelectorAll("*")]) {
      const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const box = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      if (!own || box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;
      const svg = e instanceof SVGElement;
      const bg = background(svg ? e.closest("svg").parentElement : e);
      const fg = over(rgba(svg ? style.fill : style.color), bg);
      const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      found.push({
        text: e.textContent.trim().slice(0, 40),
        where: `${root.className} > ${e.tagName.toLowerCase()}.${e.getAttribute("class") || ""}`,
        ratio: (a + 0.05) / (b + 0.05),
        needed: large ? 3 : 4.5,
        color: style.color, fill: style.fill, bg: bg.map(Math.round).join(","),
      });
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def urls(build_site, serve) -> dict[Path, str]:
    return {site: serve(build_site(site / "mkdocs.yml")).url for site in (SITE, QUIZ_SITE)}


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize(("site", "path"), PAGES, ids=lambda v: getattr(v, "name", v) or "index")
def test_every_widget_text_has_aa_contrast(page, page_errors, urls, site, path, scheme):
    page.emulate_media(reduced_motion="reduce")
    page.goto(urls[site] + path)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.evaluate("document.querySelectorAll('details').forEach((d) => (d.open = true))")
    if page.locator("#ms-T").count():  # a redrawn state, not only the prerendered one
        page.locator("#ms-T").fill("3")
    texts = page.evaluate(CONTRAST, WIDGETS)
    assert len(texts) > 8, texts  # the widgets were found
    low = [t for t in texts if t["ratio"] < t["needed"]]
    assert not low, "\n".join(
        f"{t['ratio']:.2f} < {t['needed']}: {t['where']} {t['text']!r} "
        f"(color {t['color']}, fill {t['fill']}, background {t['bg']})"
        for t in low
    )
    page_errors.assert_none()


def test_the_contrast_check_fails_near_black_on_slate(page, urls):
    """The check itself: the colours of issue 19 (plot text rgba(0,0,0,.87) on slate) fail it."""
    page.goto(urls[SITE] + "charts/")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.evaluate(
        "document.querySelectorAll('.ms-chart').forEach((c) => c.style.color = 'rgba(0,0,0,.87)')"
    )
    texts = page.evaluate(CONTRAST, ".ms-plot")
    assert [t for t in texts if t["ratio"] < 4.5 and "ms-ytick" not in t["where"]]


CANONICAL = """(figure) => {
  const canon = (e) => {
    if (e.nodeType === 3) return e.textContent;
    const attrs = [...e.attributes].map((a) => `${a.name}=${a.value}`).sort().join(" ");
    return `<${e.tagName.toLowerCase()} ${attrs}>${[...e.childNodes].map(canon).join("")}</>`;
  };
  // the table of values may still wait in its template (on demand: assets/table.js)
  const table = (s) => figure.querySelector(s) || figure.querySelector(".ms-values template")
    ?.content.querySelector("table");
  return [".ms-chart", ".ms-values table"].map((s) => canon(table(s)));
}"""


def test_each_chart_redraws_exactly_what_the_build_drew(page, page_errors, urls):
    """Python (the prerender) and chart.js (the redraw) agree on every tick, label and mark."""
    page.emulate_media(reduced_motion="reduce")
    page.goto(urls[SITE] + "charts/")
    figures = page.locator("figure.ms-output")
    assert figures.count() == 5
    # the build's rows come from the page's data file once a table opens (assets/table.js)
    page.evaluate("document.querySelectorAll('details.ms-values').forEach((d) => d.open = true)")
    expect(page.locator("details.ms-values > table tbody tr:first-child")).to_have_count(5)
    built = [figures.nth(i).evaluate(CANONICAL) for i in range(figures.count())]
    page.locator("#ms-T").fill("4")
    moved = [figures.nth(i).evaluate(CANONICAL) for i in range(figures.count())]
    assert all(b != m for b, m in zip(built, moved, strict=True))  # every chart was redrawn
    page.locator("#ms-T").fill("2")  # back to the prerendered state
    redrawn = [figures.nth(i).evaluate(CANONICAL) for i in range(figures.count())]
    for before, after in zip(built, redrawn, strict=True):
        assert after == before
    page_errors.assert_none()


def test_a_fixed_or_all_state_range_keeps_the_axis_while_the_slider_moves(page, urls):
    page.goto(urls[SITE] + "charts/")
    ticks = ".ms-ytick"
    plots = page.locator("figure.ms-plot")
    before = [plots.nth(i).locator(ticks).all_inner_texts() for i in range(2)]
    assert before[0] == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]  # y: [0, 1]
    page.locator("#ms-T").fill("0.5")
    assert [plots.nth(i).locator(ticks).all_inner_texts() for i in range(2)] == before
    hist = page.locator("figure.ms-hist .ms-xtick").all_inner_texts()
    page.locator("#ms-T").fill("5")
    assert page.locator("figure.ms-hist .ms-xtick").all_inner_texts() == hist  # x: all


def test_heatmap_cells_show_the_values_and_the_scale(page, urls):
    page.goto(urls[SITE] + "charts/")
    page.locator("#ms-T").fill("1")
    result = widgetlab.grid(1.0)
    cells = page.locator(".ms-heat span[class^=ms-h]")
    assert cells.all_inner_texts() == [format(v, ".2f") for row in result["z"] for v in row]
    classes = [c.split()[0] for c in cells.evaluate_all("(cs) => cs.map((c) => c.className)")]
    assert classes == [f"ms-h{min(7, int(v * 8))}" for row in result["z"] for v in row]
    assert page.locator(".ms-scale li").count() == 8
    page.locator("figure.ms-heatmap .ms-values > summary").click()  # its table, on demand
    values = page.locator("figure.ms-heatmap .ms-values td")
    assert values.first.get_attribute("data-value") == repr(float(result["z"][0][0]))


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_at_390_px_a_long_label_sits_above_a_wide_track(phone, urls):
    phone.goto(urls[SITE] + "charts/")
    content = phone.locator("article").bounding_box()["width"]
    label = phone.locator("[data-ms-param=T] label").bounding_box()
    track = phone.locator("#ms-T").bounding_box()
    assert track["width"] >= 0.6 * content, (track, content)
    assert label["y"] + label["height"] <= track["y"] + 1  # the label is above the track


def test_a_long_label_leaves_the_track_most_of_the_row_on_a_wide_screen(page, urls):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(urls[SITE] + "charts/")
    row = page.locator("[data-ms-param=T]").bounding_box()["width"]
    assert page.locator("#ms-T").bounding_box()["width"] >= 0.45 * row


def test_at_390_px_chart_text_is_at_least_11_px(phone, urls):
    for path in ("", "charts/"):
        phone.goto(urls[SITE] + path)
        sizes = phone.evaluate(
            """() => [...document.querySelectorAll('.ms-chart *, .ms-chart')]
              .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent))
              .map((e) => [e.textContent.trim(), e.getBoundingClientRect().height,
                           parseFloat(getComputedStyle(e).fontSize)])"""
        )
        assert len(sizes) > 10
        small = [s for s in sizes if s[2] < 11]
        assert not small, small
        # no SVG text: nothing in a chart is scaled down with its drawing
        assert phone.locator(".ms-chart svg text").count() == 0


LIVE = """# Live charts

/// slider | T
    min: 0.5
    max: 5
    step: 0.5
    value: 2
///

/// hist | draws
    compute: widgetlab:spread
///

/// heatmap | grid
    compute: widgetlab:grid
///

/// scatter | against
    compute: widgetlab:against
///
"""


@pytest.mark.pyodide
def test_live_charts_from_pyodide_match_cpython(
    build_pages, serve, page, page_errors, pyodide_dist
):
    """Beyond the precompute limit the worker computes, bins (results.py) and chart.js draws."""
    site = build_pages(
        {"index.md": LIVE},
        files={"widgetlab.py": (SITE / "widgetlab.py").read_text()},
        plugin_options={"modules": ["widgetlab.py"], "precompute_limit": 0},
    )
    page.goto(serve(site).url)
    page.wait_for_function(
        "[...document.querySelectorAll('figure')].every((f) => f.dataset.msState === 'ready')",
        timeout=60_000,
    )
    page.locator("#ms-T").fill("3.5")
    page.wait_for_function(
        "!document.querySelector('figure[aria-busy], figure.ms-stale')", timeout=20_000
    )
    for summary in page.locator(".ms-values > summary").all():
        summary.click()  # the tables of values, on demand, redrawn while closed
    cells = {
        kind: [
            float(v)
            for v in page.locator(f"figure.ms-{kind} td").evaluate_all(
                "(cs) => cs.map((c) => c.dataset.value)"
            )
        ]
        for kind in ("hist", "heatmap", "scatter")
    }
    spread = results.normalize("hist", widgetlab.spread(3.5))
    assert cells["hist"] == spread["counts"]["draws × T"]
    grid = results.normalize("heatmap", widgetlab.grid(3.5))
    assert cells["heatmap"] == pytest.approx([v for row in grid["z"] for v in row], rel=1e-14)
    points = results.normalize("scatter", widgetlab.against(3.5))["series"]
    expected = [v for p in points.values() for xy in zip(p["x"], p["y"], strict=True) for v in xy]
    assert cells["scatter"] == pytest.approx(expected, rel=1e-14)
    assert page.locator("figure.ms-heatmap .ms-heat .ms-col").first.inner_text() == "T=1.75"
    page_errors.assert_none()
