"""``/// readout``: named numbers, each a ``<dt>`` and a ``<dd class="ms-item">`` of a ``<dl>``."""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, data_of, namespace, only, tree

SLIDER = "/// slider | T\n    min: 1\n    max: 3\n    step: 1\n    value: 2\n///\n\n"


def test_items_and_data(convert) -> None:
    html = convert(
        SLIDER + "/// readout | the two terms\n    compute: lessonfns:terms\n"
        "    format: .3f\n///\n",
        **WITH_LESSONFNS,
    )
    figure = only(tree(html), "figure")
    assert figure.get("class") == "ms-output ms-readout"
    # precomputed: no status paragraph (only a live output has something to say)
    assert [c.tag for c in figure] == ["figcaption", "dl", "template"]
    listing = figure[1]
    assert listing.attrib == {"class": "ms-list", "data-search-exclude": "true"}
    want = namespace()["terms"](2.0)  # the parameter `mode` keeps its default: no control
    # a name and its number, straight in the list: no wrapper element per entry
    assert [c.tag for c in listing] == ["dt", "dd"] * len(want)
    names, items = listing[::2], listing[1::2]
    assert [i.get("class") for i in items] == ["ms-item", "ms-item"]
    assert [(i.get("data-label"), i.get("data-value")) for i in items] == [
        (k, repr(v)) for k, v in want.items()
    ]
    assert [(n.text, i.text) for n, i in zip(names, items, strict=True)] == [
        (k, format(v, ".3f")) for k, v in want.items()
    ]
    assert all(len(element) == 0 for element in listing)
    data = data_of(figure)
    assert (data["kind"], data["params"], data["options"]) == ("readout", ["T"], {"format": ".3f"})
    assert data["states"]["common"] == {"labels": list(want)}
    assert len(data["states"]["each"]) == 3


def test_a_function_without_parameters_is_static(convert) -> None:
    figure = only(
        tree(convert("/// readout | one\n    compute: lessonfns:fixed\n///\n", **WITH_LESSONFNS)),
        "figure",
    )
    assert figure.find("dl/dd").get("data-value") == "0.5"
    assert data_of(figure)["params"] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("    compute: lessonfns:terms\n    format: '%d'\n", "option 'format'"),
        ("    compute: lessonfns:terms\n    colour: red\n", "unknown option 'colour'"),
        ("    compute: lessonfns:shares\n    precompute: 1\n", "expected true or false"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    error = fails(SLIDER + f"/// readout | terms\n{options}///\n", **WITH_LESSONFNS)
    assert (error.path, error.line) == ("docs/lesson.md", 8)
    assert error.detail.startswith("readout: ") and message in error.detail


def test_a_parameter_without_control_or_default_fails(fails) -> None:
    module = "def needs(k: int) -> dict:\n    return {'k': k}\n"
    error = fails(
        "# P\n\n/// readout | k\n    compute: mine:needs\n///\n",
        files={"mine.py": module},
        modules=["mine.py"],
    )
    assert error.line == 3
    assert "parameter 'k' of mine:needs has no slider or choice on this page" in error.detail
