"""``/// bars``: a bar chart of ``label -> value``, as an HTML list, with its data template."""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, data_of, namespace, only, text, tree

from lesson_plugins import formats

SLIDER = "/// slider | T\n    min: 0.5\n    max: 2\n    step: 0.5\n    value: 1.0\n///\n\n"


def test_list_items_hold_the_exact_values(convert) -> None:
    html = convert(
        SLIDER + "/// bars | shares · p_T\n    compute: lessonfns:shares\n///\n", **WITH_LESSONFNS
    )
    figure = only(tree(html), "figure")
    assert figure.get("class") == "ms-output ms-bars"
    assert [c.tag for c in figure] == ["figcaption", "ol", "template"]
    assert figure[0].text == "shares · p_T"
    bars = figure[1]
    assert bars.attrib == {"data-search-exclude": "true"}
    shares = namespace()["shares"]
    want = shares(1.0)
    assert [b.get("data-label") for b in bars] == list(want)
    assert [b.get("data-value") for b in bars] == [repr(v) for v in want.values()]
    paris = bars[0]
    assert paris.attrib == {
        "class": "ms-bar",
        "data-label": "Paris",
        "data-value": repr(want["Paris"]),
        "style": f"--v:{want['Paris']:.4f}",  # the bar's share of the full width (max: 1)
    }
    assert paris.text == "Paris "  # then the value: a screen reader reads "Paris 73.6%"
    assert text(paris) == f"Paris {want['Paris']:.1%}"
    (value,) = paris
    assert value.attrib == {"class": "ms-value"} and value.text == format(want["Paris"], ".1%")
    assert figure[2].tag == "template"  # precomputed: no status (test_output_shell.py)


def test_a_bar_is_two_elements(convert) -> None:
    """Issue 21 (the lesson page's element count): one ``<li>`` and its value's ``<span>`` a bar,
    so the figure is its caption, the list and one template besides the bars (precomputed, it
    has no status line: test_output_shell.py)."""
    html = convert(
        SLIDER + "/// bars | shares\n    compute: lessonfns:shares\n///\n", **WITH_LESSONFNS
    )
    figure = only(tree(html), "figure")
    bars = figure.findall("ol/li")
    assert len(bars) == 3
    for bar in bars:
        assert [e.tag for e in bar.iter()] == ["li", "span"]
    elements = [e for e in figure.iter() if e.tag != "template"]  # a template's text is no DOM
    assert len(elements) == 3 + 2 * len(bars)  # figure, figcaption, ol


def test_data_template_precomputes_every_state(convert) -> None:
    html = convert(
        SLIDER + "/// bars | shares\n    compute: lessonfns:shares\n    max: 2\n"
        "    format: .2f\n///\n",
        **WITH_LESSONFNS,
    )
    figure = only(tree(html), "figure")
    data = data_of(figure)
    assert list(data) == ["fn", "kind", "params", "options", "states"]
    assert data["fn"] == "lessonfns:shares" and data["kind"] == "bars"
    assert data["params"] == ["T"]
    assert data["options"] == {"format": ".2f", "max": 2.0}
    shares = namespace()["shares"]
    temperatures = formats.grid(0.5, 0.5, 4)
    assert data["states"]["common"] == {"labels": ["Paris", "Lyon", "Nice"]}
    assert data["states"]["each"] == [{"values": list(shares(t).values())} for t in temperatures]
    paris = figure.find("ol/li")
    assert paris.get("style") == f"--v:{shares(1.0)['Paris'] / 2:.4f}"  # max: 2 is full width


def test_live_only_without_precompute(convert) -> None:
    html = convert(
        SLIDER + "/// bars | shares\n    compute: lessonfns:shares\n    precompute: false\n///\n",
        **WITH_LESSONFNS,
    )
    assert data_of(only(tree(html), "figure"))["states"] is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("", "missing option 'compute'"),
        ("    compute: lessonfns:nothing\n", "nothing"),
        ("    compute: nomodule:shares\n", "nomodule"),
        ("    compute: lessonfns:shares\n    max: 0\n", "option 'max': expected a number > 0"),
        ("    compute: lessonfns:shares\n    precompute: maybe\n", "option 'precompute'"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    error = fails(SLIDER + f"/// bars | shares\n{options}///\n", **WITH_LESSONFNS)
    assert (error.path, error.line) == ("docs/lesson.md", 8)
    assert error.detail.startswith("bars: ") and message in error.detail
    assert message in error.detail


def test_title_is_required(fails) -> None:
    error = fails(SLIDER + "/// bars\n    compute: lessonfns:shares\n///\n", **WITH_LESSONFNS)
    assert error.line == 8
    assert "needs an argument: write '/// bars | TITLE'" in error.detail
