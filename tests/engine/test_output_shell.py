"""What every output's figure holds besides its drawing (``widgets.fill``): the status paragraph
only where the browser may have something to say.

A precomputed output is redrawn from its table and never waits for Python, so nothing ever goes
in a status: it has none (it was an empty ``<p>`` in each figure, 11 of the 14 on the distillation
lesson). A live output shows Python's state there (loading, ready, failed: ``assets/widgets.js``),
so its paragraph is in the page from the start, where its text appears without moving the page.
"""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, data_of, only, tree

SLIDER = "/// slider | T\n    min: 1\n    max: 3\n    step: 1\n    value: 2\n///\n\n"
KINDS = {
    "readout": "lessonfns:terms",
    "bars": "lessonfns:shares",
    "plot": "lessonfns:curve",
}


def figure_of(convert, kind: str, options: str = "", **engine) -> object:
    page = SLIDER + f"/// {kind} | t\n    compute: {KINDS[kind]}\n{options}///\n"
    return only(tree(convert(page, **WITH_LESSONFNS, **engine)), "figure")


@pytest.mark.parametrize("kind", KINDS)
def test_a_precomputed_output_has_no_status(convert, kind) -> None:
    figure = figure_of(convert, kind)
    assert data_of(figure)["states"] is not None
    assert figure.find("p[@class='ms-status']") is None
    assert figure[-1].tag == "template"


@pytest.mark.parametrize("kind", KINDS)
def test_a_live_output_has_an_empty_status_before_its_data(convert, kind) -> None:
    figure = figure_of(convert, kind, "    precompute: false\n")
    assert data_of(figure)["states"] is None
    status = only(figure, "p[@class='ms-status']")
    assert (status.attrib, status.text, len(status)) == ({"class": "ms-status"}, None, 0)
    assert list(figure)[-2:] == [status, figure.find("template")]


def test_an_output_beyond_the_precompute_limit_is_live_and_has_a_status(convert) -> None:
    figure = figure_of(convert, "readout", precompute_limit=2)  # the slider has 3 states
    assert data_of(figure)["states"] is None
    assert only(figure, "p[@class='ms-status']").text is None


def test_an_output_without_controls_is_precomputed_and_has_no_status(convert) -> None:
    page = "/// readout | one\n    compute: lessonfns:fixed\n///\n"
    figure = only(tree(convert(page, **WITH_LESSONFNS)), "figure")
    assert data_of(figure)["states"] is not None
    assert [c.tag for c in figure] == ["figcaption", "dl", "template"]
