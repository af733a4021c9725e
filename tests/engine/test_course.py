"""``/// course``: the course index, made from the lessons' front matter."""

from __future__ import annotations

import pytest
from enginehtml import only, text, tree


def lesson(act: str, slug: str, xp: int, title: str) -> str:
    return (
        f"---\nact: {act}\nact_title: Act {act} title\nlesson: {slug}\nminutes: 5\nxp: {xp}\n"
        f"tagline: About {slug}\n---\n\n# {title}\n\nText.\n"
    )


LESSONS = {
    "a/one.md": lesson("I", "one", 10, "First lesson"),
    "a/two.md": lesson("I", "two", 20, "Second lesson"),
    "b/three.md": lesson("II", "three", 30, "Third lesson"),
    "about.md": "# Not a lesson\n",
}


def test_index_of_acts_and_lessons(convert) -> None:
    html = convert("# Course\n\n## Lessons\n\n/// course\n///\n", path="index.md", pages=LESSONS)
    root = tree(html)
    index = only(root, "div[@class='ms-course']")
    assert index.get("data-ms-course") == ""
    acts = index.findall("section")
    assert [a.get("class") for a in acts] == ["ms-course-act"] * 2
    assert [a[0].tag for a in acts] == ["h3", "h3"]  # one level below the heading above it
    assert [a[0].text for a in acts] == ["Act I · Act I title", "Act II · Act II title"]
    items = index.findall("section/ol/li")
    assert [(i.get("data-ms-lesson"), i.get("data-ms-xp")) for i in items] == [
        ("one", "10"),
        ("two", "20"),
        ("three", "30"),
    ]
    assert [i.find("a").get("href") for i in items] == ["a/one.md", "a/two.md", "b/three.md"]
    assert [i.find("a").text for i in items] == ["First lesson", "Second lesson", "Third lesson"]
    assert items[0].find("span").text == "5 min · 10 xp"
    assert [s.get("class") for s in items[0].findall("span")] == [
        "ms-course-meta",
        "ms-course-state",
    ]
    total = only(index, "p[@class='ms-course-total']")
    assert total.attrib["data-ms-total"] == "60" and total.get("role") == "status"
    buttons = index.findall("div[@class='ms-course-controls']/button")
    assert [b.attrib for b in buttons] == [
        {"type": "button", "class": "md-button md-button--primary", f"data-ms-{name}": ""}
        for name in ("export", "import", "reset")
    ]
    file_input = only(index, "div/input")
    assert file_input.get("type") == "file" and file_input.get("aria-label") == "Import progress"
    assert root.find(".//div[@class='ms-course-index']") is None  # the placeholder is replaced


def test_links_are_relative_to_the_page(convert) -> None:
    index = tree(convert("/// course\n///\n", path="a/home.md", pages=LESSONS))
    assert [a.get("href") for a in index.iter("a")] == ["one.md", "two.md", "../b/three.md"]
    assert [s[0].tag for s in index.iter("section")] == ["h2", "h2"]  # no heading above it


def test_without_lessons(convert) -> None:
    index = only(tree(convert("/// course\n///\n", path="index.md")), "div[@class='ms-course']")
    assert text(index.find("p")) == "No lessons yet."


@pytest.mark.parametrize(
    ("page", "line", "message"),
    [
        ("/// course | all\n///\n", 1, "takes no argument after '|'"),
        ("/// course\n    level: 2\n///\n", 1, "unknown option 'level'"),
        ("/// course\nSome text.\n///\n", 1, "takes no content"),
        ("/// course\n///\n\n/// course\n///\n", 4, "a page holds at most one course index"),
    ],
)
def test_mistakes(fails, page, line, message) -> None:
    error = fails(page, path="index.md")
    assert (error.path, error.line) == ("docs/index.md", line)
    assert error.detail.startswith("course: ") and message in error.detail
