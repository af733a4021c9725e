"""``/// choice``: a radio group or a ``<select>`` bound to a text parameter."""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, data_of, directive, namespace, only, tree

READOUT = "/// readout | terms\n    compute: lessonfns:terms\n///\n"


def choice(**options: object) -> str:
    return directive("choice | mode", **options) + f"\n{READOUT}"


def test_radio_group(convert) -> None:
    html = convert(
        choice(label="how", options="[sum, square]", labels="[T plus, T squared]", hint="pick"),
        **WITH_LESSONFNS,
    )
    box = only(tree(html), "fieldset[@data-ms-param='mode']")
    assert box.get("class") == "ms-control ms-choice"
    assert box.get("aria-describedby") == "ms-mode-hint"
    assert box[0].tag == "legend" and box[0].text == "how"
    radios = box.findall("label/input")
    assert [r.attrib for r in radios] == [
        {"type": "radio", "name": "mode", "value": "sum", "checked": "checked"},
        {"type": "radio", "name": "mode", "value": "square"},
    ]
    assert [r.tail for r in radios] == [" T plus", " T squared"]
    assert only(box, "p").attrib == {"class": "ms-hint", "id": "ms-mode-hint"}


def test_select_with_a_chosen_value_drives_the_output(convert) -> None:
    html = convert(
        choice(options="[sum, square]", value="square", style="select"), **WITH_LESSONFNS
    )
    root = tree(html)
    box = only(root, "div[@data-ms-param='mode']")
    assert [c.tag for c in box] == ["label", "select"]
    assert box[0].attrib == {"for": "ms-mode"} and box[0].text == "mode"
    select = box[1]
    assert select.attrib == {"id": "ms-mode", "name": "mode"}
    assert [(o.get("value"), o.get("selected"), o.text) for o in select] == [
        ("sum", None, "sum"),
        ("square", "selected", "square"),
    ]
    figure = only(root, "figure")
    want = namespace()["terms"](mode="square")
    values = [float(i.get("data-value")) for i in figure.iter("dd")]
    assert values == list(want.values())
    data = data_of(figure)
    assert data["params"] == ["mode"]
    assert data["states"]["each"][1]["values"] == list(want.values())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "missing option 'options'"),
        ({"options": "[sum]"}, "options: give at least two options"),
        ({"options": "[sum, sum]"}, "options: each option must appear once"),
        ({"options": "[sum, square]", "labels": "[one]"}, "labels: give one label per option (2)"),
        ({"options": "[sum, square]", "value": "cube"}, "value 'cube' is not one of the options"),
        ({"options": "sum"}, "option 'options': expected a list such as [forward, reverse]"),
        ({"options": "[sum, square]", "style": "menu"}, "option 'style': expected one of radio"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    error = fails("Text.\n\n" + choice(**options), **WITH_LESSONFNS)
    assert (error.path, error.line) == ("docs/lesson.md", 3)
    assert error.detail.startswith("choice: ")
    assert message in error.detail
