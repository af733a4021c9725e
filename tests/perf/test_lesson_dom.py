"""DOM and byte budgets of the course's lesson page (issue 21): element counts and bytes, no
timings.

Material's scripts walk, and Lighthouse's ``dom-size`` counts, every element of a page; the
lesson page had 2,613 in its body against 333 for the same markdown built without the plugin,
1,451 of them the rows of its plots' tables of values (now on demand, lesson_plugins/ondemand.py).
Counted here as Lighthouse counts them (every element under ``<body>``; a ``<template>``'s
content is no element of the page), in the built HTML, against the same markdown built without
the plugin.
"""

from __future__ import annotations

import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_site  # noqa: E402

LESSON = "act-4/distillation/index.html"
#: Elements in the lesson page's body: 2,613 before issue 21, 1,145 after its first round, 1,282
#: with the heatmap and the charts' HTML axes of issue 19, 1,478 with the two code exercises of
#: issue 20, 1,073 after the second round (bars as lists, lighter MathML, quizzes and exercises
#: keeping what is hidden in templates, fewer wrappers; docs/benchmarks/site.md).
BUDGET = 1_100
#: At most this many times the plain page's (428 elements, its exercises' code as highlighted
#: text): the issue's goal is 2, not met (2.51; see docs/benchmarks/site.md, "Lighthouse").
RATIO_BUDGET = 2.6


class BodyElements(HTMLParser):
    """Counts the elements under ``<body>`` by tag, and the table cells outside templates."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.in_body = False
        self.in_template = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "template":
            self.in_template += 1
        if self.in_body and not self.in_template:
            self.tags[tag] += 1
        self.in_body = self.in_body or tag == "body"

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1
        elif tag == "body":
            self.in_body = False


def body_elements(page: Path) -> Counter[str]:
    parser = BodyElements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module")
def plain_site(build_site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same markdown built without the plugin."""
    return build_site(bench_site.plain_config_of(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("p")))


@pytest.fixture(scope="module")
def lesson_site(build_site) -> Path:
    return build_site(ROOT / "mkdocs.yml", plugin_options={"pyodide_dist": ""})


@pytest.fixture(scope="module")
def counts(lesson_site: Path, plain_site: Path) -> dict[str, Counter[str]]:
    return {
        "lesson": body_elements(lesson_site / LESSON),
        "plain": body_elements(plain_site / LESSON),
    }


#: Bytes of the lesson page's HTML, which a phone downloads and parses before its first paint:
#: 194,141 (4.1x the plain page's 47,066) before the precomputed states and the tables' rows went
#: to the page's data file (lesson_plugins/pagedata.py), 98,011 (2.08x) after (Pyodide
#: self-hosted; the page of a site that loads it from the CDN is a little larger).
BYTES_BUDGET = 105_000
BYTES_RATIO_BUDGET = 2.25


def test_the_lesson_page_is_within_its_byte_budget(lesson_site: Path, plain_site: Path) -> None:
    lesson = (lesson_site / LESSON).stat().st_size
    plain = (plain_site / LESSON).stat().st_size
    assert lesson <= BYTES_BUDGET, f"the lesson page is {lesson} bytes (budget {BYTES_BUDGET})"
    assert lesson <= BYTES_RATIO_BUDGET * plain, f"{lesson} bytes, {lesson / plain:.2f}x {plain}"


def test_the_lesson_page_is_within_its_element_budget(counts) -> None:
    lesson, plain = sum(counts["lesson"].values()), sum(counts["plain"].values())
    top = ", ".join(f"{tag} {n}" for tag, n in counts["lesson"].most_common(12))
    assert lesson <= BUDGET, f"{lesson} elements in the lesson's body (budget {BUDGET}): {top}"
    assert lesson <= RATIO_BUDGET * plain, (
        f"{lesson} elements, {lesson / plain:.2f}x the plain {plain}"
    )


def test_the_tables_of_values_wait_outside_the_page(counts) -> None:
    """The charts' table cells are in templates, and bar charts are lists (two elements a bar):
    the page has the table rows of its markdown, as the plain page does, and no more."""
    assert counts["lesson"]["tr"] == counts["plain"]["tr"]
    assert counts["lesson"]["td"] == counts["plain"]["td"]


#: What the lesson's scripts may add to its body by 2 s after ``load`` on a phone's screen, beyond
#: what Material's scripts add to the plain page: Lighthouse counts the page as it is then.
LIVE_ADDED_BUDGET = 40  # 25 - 2 (the exercises wait until they come near; 134 - 2 before)


def live_elements(browser, url: str) -> int:
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_timeout(2000)
        return page.evaluate("document.body.querySelectorAll('*').length")
    finally:
        context.close()


@pytest.mark.browser
def test_the_live_page_stays_near_its_static_count(
    build_site, serve, browser, pyodide_dist, plain_site, counts
) -> None:
    """Lighthouse's ``dom-size`` counts the elements under ``<body>`` after load: what the lesson's
    scripts add by then (editors, buttons, tables) is work at load on a phone."""
    lesson = build_site(ROOT / "mkdocs.yml", plugin_options={"pyodide_dist": str(pyodide_dist)})
    path = LESSON.removesuffix("index.html")
    added = {
        name: live_elements(browser, serve(site).url + path) - sum(counts[name].values())
        for name, site in (("lesson", lesson), ("plain", plain_site))
    }
    assert added["lesson"] <= added["plain"] + LIVE_ADDED_BUDGET, (
        f"the lesson's scripts add {added['lesson']} elements by 2 s after load, "
        f"Material's add {added['plain']} to the plain page"
    )
