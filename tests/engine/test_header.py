"""The lesson header: front matter above a lesson's title, and its checks.

``convert`` reads the front matter as MkDocs does: parsed into the page's meta and stripped from
the markdown; a page without ``lesson`` in it is left as it is.
"""

from __future__ import annotations

import pytest
from enginehtml import only, text, tree

FRONT = {
    "act": "IV",
    "act_title": "How They Learn",
    "lesson": "distillation",
    "minutes": "11",
    "xp": "55",
    "tagline": "Watch teacher distributions flow into students",
}


def page(body: str = "# Distillation\n\nText.\n", **fields: str | None) -> str:
    values = {**FRONT, **fields}
    lines = "".join(f"{k}: {v}\n" for k, v in values.items() if v is not None)
    return f"---\n{lines}---\n\n{body}"


def test_header_above_the_title_and_tagline_below(convert) -> None:
    root = tree(convert(page()))
    assert [c.tag for c in root] == ["div", "h1", "p", "p"]
    header, h1, tagline, prose = root
    assert header.attrib == {
        "class": "ms-lesson-header",
        "data-ms-lesson": "distillation",
        "data-ms-xp": "55",
    }
    act, meta = header
    assert act.attrib == {"class": "ms-lesson-act"} and act.text == "Act IV · How They Learn"
    assert meta.get("class") == "ms-lesson-meta"
    assert meta.text == "11 min · 55 xp"
    assert only(meta, "span").attrib == {"class": "ms-lesson-state", "role": "status"}
    assert h1.text == "Distillation"
    assert tagline.attrib == {"class": "ms-lesson-tagline"}
    assert tagline.text == "Watch teacher distributions flow into students"
    assert text(prose) == "Text."  # the front matter is not in the page


def test_a_page_without_an_h1_gets_the_lesson_title(convert) -> None:
    root = tree(convert(page(body="Text only.\n", title="Named in front matter")))
    assert [c.tag for c in root][:3] == ["div", "h1", "p"]
    assert root[1].text == "Named in front matter"


def test_a_page_without_lesson_is_left_alone(convert) -> None:
    html = convert("---\ntitle: About\n---\n\n# About\n")
    assert html == "<h1>About</h1>"


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        ({"minutes": "0"}, 5, "field 'minutes': expected a whole number of at least 1"),
        ({"xp": "lots"}, 6, "field 'xp': expected a whole number of at least 0"),
        ({"lesson": "Distillation!"}, 4, "field 'lesson': expected an id of lowercase letters"),
        ({"tagline": None}, None, "missing field 'tagline'"),
        ({"act_title": "'Teacher: student'x"}, 3, "front matter is not valid YAML"),
    ],
)
def test_front_matter_mistakes_fail_at_the_field(fails, fields, line, message) -> None:
    error = fails(page(**fields))
    assert (error.path, error.line) == ("docs/lesson.md", line)
    assert message in error.detail


def test_unclosed_front_matter_fails_at_line_1(fails) -> None:
    error = fails("---\nlesson: x\n\n# Title\n")
    assert error.line == 1 and "no '---' line closes" in error.detail


def test_the_strings_option_words_the_header(convert) -> None:
    html = convert(page(), strings={"header_meta": "{lesson}: {minutes} minutes"})
    assert only(tree(html), "div/p[@class='ms-lesson-meta']").text == "distillation: 11 minutes"
