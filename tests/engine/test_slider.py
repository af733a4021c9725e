"""``/// slider``: a native range input bound to a compute parameter."""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, directive, only, tree

BARS = "/// bars | shares\n    compute: lessonfns:shares\n///\n"


def slider(**options: object) -> str:
    return directive("slider | T", **options) + f"\n{BARS}"


def test_markup(convert) -> None:
    html = convert(
        slider(label="temperature", min=0.5, max=5, step=0.5, value=2.0, hint="low T = sharp"),
        **WITH_LESSONFNS,
    )
    div = only(tree(html), "div[@data-ms-param='T']")
    assert div.get("class") == "ms-control ms-slider"
    assert div.get("data-ms-format") == ".1f"
    assert [child.tag for child in div] == ["label", "input", "output", "p"]
    label, range_, shown, hint = div
    assert (label.get("for"), label.text) == ("ms-T", "temperature")
    assert range_.attrib == {
        "type": "range",
        "id": "ms-T",
        "name": "T",
        "min": "0.5",
        "max": "5.0",
        "step": "0.5",
        "value": "2.0",
        "aria-valuetext": "2.0",
        "aria-describedby": "ms-T-hint",
    }
    assert shown.attrib == {"for": "ms-T", "aria-hidden": "true"}
    assert shown.text == "2.0"
    assert hint.attrib == {"class": "ms-hint", "id": "ms-T-hint"}
    assert hint.text == "low T = sharp"


def test_defaults_value_min_label_name_no_hint(convert) -> None:
    div = only(tree(convert(slider(min=1, max=3, step=1), **WITH_LESSONFNS)), "div[@data-ms-param]")
    label, range_, shown = div
    assert label.text == "T"
    assert range_.get("value") == "1.0"
    assert "aria-describedby" not in range_.attrib
    assert div.get("data-ms-format") == ".0f" and shown.text == "1"


def test_format_option_shapes_the_shown_value(convert) -> None:
    html = convert(slider(min=0.5, max=1.5, step=0.25, value=0.75, format=".0%"), **WITH_LESSONFNS)
    div = only(tree(html), "div[@data-ms-param]")
    assert div.get("data-ms-format") == ".0%"
    assert div.find("output").text == "75%" == div.find("input").get("aria-valuetext")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min": 0, "max": 1}, "missing option 'step'"),
        ({"min": 0, "max": 1, "step": 0}, "step must be > 0"),
        ({"min": 2, "max": 1, "step": 0.5}, "min (2) must be less than max (1)"),
        ({"min": 0, "max": 1, "step": 0.3}, "max 1 is not on the step grid"),
        ({"min": 0, "max": 1, "step": 0.5, "value": 3}, "value 3 is out of range"),
        ({"min": 0, "max": 1, "step": 0.5, "value": 0.2}, "value 0.2 is off the step grid"),
        ({"min": "low", "max": 1, "step": 0.5}, "option 'min': expected a number, got 'low'"),
        ({"min": 0, "max": 1, "step": 0.5, "lable": "x"}, "unknown option 'lable' (did you mean"),
        ({"min": 0, "max": 1, "step": 0.5, "format": ".1q"}, "option 'format'"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    error = fails("# Page\n\n" + slider(**options), **WITH_LESSONFNS)
    assert (error.path, error.line) == ("docs/lesson.md", 3)
    assert error.detail.startswith("slider: ")
    assert message in error.detail


def test_name_must_be_an_identifier_and_unique(fails) -> None:
    error = fails("/// slider | 2T\n    min: 0\n    max: 1\n    step: 1\n///\n")
    assert "'2T' is not a parameter name" in error.detail
    twice = slider(min=0, max=1, step=1) + "\n" + slider(min=0, max=2, step=1)
    error = fails(twice, **WITH_LESSONFNS)
    assert error.line == 11
    assert "a control named 'T' is already on this page (line 1)" in error.detail


def test_a_slider_no_output_uses_fails(fails) -> None:
    error = fails(
        "/// slider | alpha\n    min: 0\n    max: 1\n    step: 1\n///\n\n" + BARS, **WITH_LESSONFNS
    )
    assert error.line == 1
    assert "no output on this page takes a parameter named 'alpha'" in error.detail
