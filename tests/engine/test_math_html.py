"""Math: ``$...$`` and ``$$...$$`` become MathML at build time (``lesson_plugins/math.py``)."""

from __future__ import annotations

import pytest
from enginehtml import only, tree


def test_inline_and_display_math(convert) -> None:
    page = "The loss $T^2 \\cdot KL$ grows.\n\n$$\n\\frac{a}{b}\n$$\n\nA price of \\$5.\n"
    root = tree(convert(page))
    inline = only(root, "p/span[@class='ms-math']")
    (math,) = inline
    assert math.tag == "{http://www.w3.org/1998/Math/MathML}math"
    assert math.get("display") == "inline"
    display = only(root, "div[@class='ms-math']")
    assert display.get("tabindex") == "0"  # a box that may scroll is reachable by keyboard
    assert "overflow-x:auto" in display.get("style")
    assert display[0].get("display") == "block"
    assert display[0].find(".//{http://www.w3.org/1998/Math/MathML}mfrac") is not None
    assert root.findall("p")[-1].text == "A price of $5."


def test_math_in_a_quiz_answer(convert) -> None:
    page = "/// quiz | Which?\n- [x] $x^2$\n- [ ] $x^3$\n///\n"
    labels = tree(convert(page)).findall(".//label[@class='ms-quiz-answer']")
    assert [[c.get("class") for c in label] for label in labels] == [[None, "ms-math"]] * 2
    assert [label[0].tag for label in labels] == ["input", "input"]


@pytest.mark.parametrize(
    ("page", "line", "message"),
    [
        ("# T\n\nA formula $\\frac{a}{b$ here.\n", 3, "a '{' is never closed"),
        ("# T\n\nA formula $a}$.\n", 3, "a '}' closes a brace that was never opened"),
        ("Text.\n\n$$\n\\notacommand x\n$$\n", 4, "unknown TeX command \\notacommand"),
    ],
)
def test_mistakes_fail_at_the_formula_line(fails, page, line, message) -> None:
    error = fails(page)
    assert (error.path, error.line) == ("docs/lesson.md", line)
    assert error.detail.startswith("math $") and message in error.detail
