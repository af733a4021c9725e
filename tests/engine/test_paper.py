"""``/// paper``: a card citing a paper, with its arXiv link and a markdown summary."""

from __future__ import annotations

import pytest
from enginehtml import only, text, tree

PAPER = """/// paper | Distilling the Knowledge in a Neural Network
    authors: Hinton, Vinyals, Dean
    year: 2015
    venue: NIPS 2014 Deep Learning Workshop
    arxiv: 1503.02531
{extra}
The *soft targets* paper.
///
"""


def test_card(convert) -> None:
    card = only(tree(convert(PAPER.format(extra=""))), "article")
    assert card.get("class") == "ms-paper"
    assert [c.get("class") for c in card] == [
        "ms-paper-kind",
        "ms-paper-title",
        "ms-paper-meta",
        "ms-paper-link",
        "ms-paper-summary",
    ]
    kind, title, meta, link, summary = card
    assert kind[0].attrib == {"aria-hidden": "true"} and text(kind) == "◆ paper"
    assert (len(kind), kind[0].text, kind[0].tail) == (1, "◆ ", "paper")  # the label: no span
    assert title.text == "Distilling the Knowledge in a Neural Network"
    assert meta.text == "Hinton, Vinyals, Dean · 2015 · NIPS 2014 Deep Learning Workshop"
    anchor = only(link, "a")
    assert anchor.get("href") == "https://arxiv.org/abs/1503.02531"
    assert anchor.text == "arXiv:1503.02531"
    assert summary.tag == "div"
    assert only(summary, "p/em").text == "soft targets"


def test_only_the_required_options(convert) -> None:
    card = only(tree(convert("/// paper | T\n    authors: A\n    year: 2020\n///\n")), "article")
    assert [c.get("class") for c in card] == [
        "ms-paper-kind",
        "ms-paper-title",
        "ms-paper-meta",
        "ms-paper-summary",
    ]
    assert card[2].text == "A · 2020"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("    authors: A\n", "missing option 'year'"),
        ("    year: 2020\n", "missing option 'authors'"),
        ("    authors: A\n    year: 1850\n", "option 'year': expected a year such as 2024"),
        ("    authors: A\n    year: 2020\n    arxiv: 2306.0854\n", "is not an arXiv id"),
        ("    authors: A\n    year: 2020\n    arxiv: 1503.025310\n", "expected an arXiv id like"),
        ("    authors: A\n    year: 2020\n    arxiv: 2313.08543\n", "expected an arXiv id like"),
        ("    authors: A\n    year: 2020\n    doi: 10.1/x\n", "unknown option 'doi'"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    error = fails(f"# P\n\n/// paper | A paper\n{options}///\n")
    assert (error.path, error.line) == ("docs/lesson.md", 3)
    assert error.detail.startswith("paper: ") and message in error.detail


def test_an_arxiv_id_keeps_its_zeros(convert) -> None:
    """YAML reads 2306.08540 as a number (2306.0854); the id as written is what counts."""
    page = "/// paper | T\n    authors: A\n    year: 2023\n    arxiv: 2306.08540\n///\n"
    assert only(tree(convert(page)), "article/p/a").text == "arXiv:2306.08540"
