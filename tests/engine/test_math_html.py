"""Math: ``$...$`` and ``$$...$$`` become MathML at build time (``lesson_plugins/math.py``)."""

from __future__ import annotations

import pytest
from enginehtml import only, tree

MATH = "{http://www.w3.org/1998/Math/MathML}math"


def test_inline_and_display_math(convert) -> None:
    page = "The loss $T^2 \\cdot KL$ grows.\n\n$$\n\\frac{a}{b}\n$$\n\nA price of \\$5.\n"
    root = tree(convert(page))
    # Inline math is the <math> itself, in the paragraph's text, with no wrapper around it.
    math = only(root, f"p/{MATH}[@class='ms-math']")
    assert math.get("display") is None  # MathML's default: inline
    assert root[0].text == "The loss " and math.tail == " grows."
    display = only(root, "div[@class='ms-math']")
    assert display.get("tabindex") == "0"  # a box that may scroll is reachable by keyboard
    assert "overflow-x:auto" in display.get("style")
    assert display[0].get("display") == "block"
    assert display[0].find(".//{http://www.w3.org/1998/Math/MathML}mfrac") is not None
    assert root.findall("p")[-1].text == "A price of $5."


def test_math_in_a_quiz_answer(convert) -> None:
    page = "/// quiz | Which?\n- [x] $x^2$\n- [ ] $x^3$\n///\n"
    labels = tree(convert(page)).findall(".//label[@class='ms-quiz-answer']")
    # The answer's label holds its input, then its text: here the formula alone.
    assert [[(c.tag, c.get("class")) for c in label] for label in labels] == [
        [("input", None), (MATH, "ms-math")]
    ] * 2


@pytest.mark.parametrize(
    ("page", "path"),
    [
        ("Before.\n\n$x^2$\n\nAfter.\n", "p"),  # a paragraph of one formula stays a paragraph
        ("- $x^2$\n- $y$, then text\n", "ul/li"),
        ("## The $T^2$ factor\n", "h2"),
        ("A *stressed $x$* word.\n", "p/em"),
    ],
)
def test_inline_math_keeps_its_place(convert, page, path) -> None:
    root = tree(convert(page))
    assert root.find(f"{path}/{MATH}").get("class") == "ms-math"
    assert not root.findall(f".//{MATH}/..[@class='ms-math']")  # no wrapper left


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
