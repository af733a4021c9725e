"""The lighter MathML (``lesson_plugins/math.py``, ``lighter``) draws what latex2mathml's own
MathML draws, and reads the same to a screen reader: every formula of the course, and the rules'
edge cases, rendered side by side in Chromium, box by box and character by character."""

from __future__ import annotations

import html
import re
from pathlib import Path
from unittest import mock

import markdown
import pytest

import lesson_plugins.math
from lesson_plugins.math import FENCES, MathExtension, tex_to_mathml

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
#: What each rule of ``lighter`` must leave as it is drawn, beyond the course's own formulas.
EDGE_CASES = [
    ("{-}b", False),
    ("x^{+} + {+}", False),
    ("+", False),
    ("\\sqrt{{+}}", False),
    ("a\\,(b) + (a)\\,b", False),
    ("a\\;\\|b\\,\\,\\|\\,c", False),
    ("a\\,|b|\\,c", False),
    ("e^{p\\,\\|\\,q}", False),
    ("\\left(x\\,\\right)", False),
    ("\\frac{\\mathrm{d}y}{\\mathrm{d}x} = \\mathrm{KL}(p\\,\\|\\,q)", True),
    ("\\begin{cases} a & b \\\\ c & d \\end{cases}", True),
    ("\\sqrt[3]{x} + \\hat{y} + \\underbrace{a+b}_{c} + \\sum_{i=1}^{n} x_i + \\max_i x_i", True),
    ("\\mathrm{softmax}(z)_i = \\operatorname{softmax}(z)_i", False),
]

#: Per formula: its box (size, and place in its paragraph) and each character's box in it.
MEASURE = """(ids) => ids.map((id) => {
  const math = document.getElementById(id);
  const box = math.getBoundingClientRect();
  const line = math.parentElement.getBoundingClientRect();
  const range = document.createRange();
  const glyphs = [];
  const walker = document.createTreeWalker(math, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let at = 0;
    for (const ch of node.data) {
      range.setStart(node, at);
      range.setEnd(node, (at += ch.length));
      const r = range.getBoundingClientRect();
      glyphs.push([ch, r.x - box.x, r.y - box.y, r.width, r.height]);
    }
  }
  return {box: [box.x - line.x, box.y - line.y, box.width, box.height], glyphs};
})"""


def course_formulas() -> list[tuple[str, bool]]:
    """Every formula of every page of the course, as the Markdown extension meets them."""
    found: list[tuple[str, bool]] = []

    def record(tex: str, display: bool = False) -> str:
        found.append((tex, display))
        return tex_to_mathml(tex, display)

    with mock.patch.object(lesson_plugins.math, "tex_to_mathml", record):
        for page in sorted(DOCS.rglob("*.md")):
            extensions = [MathExtension(), "attr_list", "pymdownx.superfences"]
            markdown.Markdown(extensions=extensions).convert(page.read_text(encoding="utf-8"))
    return found


def raw_mathml(tex: str, display: bool) -> str:
    from latex2mathml.converter import convert

    return convert(tex.strip(), display="block" if display else "inline")


def with_id(mathml: str, id_: str) -> str:
    return mathml.replace("<math ", f'<math id="{id_}" ', 1)


def side_by_side(formulas: list[tuple[str, bool]]) -> str:
    """A page with each formula twice: latex2mathml's MathML (``raw-N``), the lighter one
    (``light-N``); display math in a box as wide as its content, inline math in a line."""
    rows = []
    for n, (tex, display) in enumerate(formulas):
        for kind, mathml in (
            ("raw", raw_mathml(tex, display)),
            ("light", tex_to_mathml(tex, display)),
        ):
            math = with_id(mathml, f"{kind}-{n}")
            tag = '<div style="width:max-content">' if display else "<p>Before "
            rows.append(f"{tag}{math}</div>" if display else f"{tag}{math} after.</p>")
    return (
        f'<!doctype html><html lang="en"><body style="font-size:20px">{"".join(rows)}</body></html>'
    )


def spoken(page, id_: str) -> str:
    """The accessibility tree's text of a formula, without the spaces between its nodes."""
    return re.sub(r'[\s"]', "", page.locator(f"#{id_}").aria_snapshot())


def test_lighter_mathml_draws_and_reads_like_latex2mathml(page) -> None:
    formulas = course_formulas()
    assert len(formulas) >= 60 and sum(d for _, d in formulas) >= 2  # the course's math is there
    formulas += EDGE_CASES
    page.set_content(side_by_side(formulas))
    ids = [f"{kind}-{n}" for n in range(len(formulas)) for kind in ("raw", "light")]
    measured = dict(zip(ids, page.evaluate(MEASURE, ids), strict=True))
    for n, (tex, _) in enumerate(formulas):
        raw, light = measured[f"raw-{n}"], measured[f"light-{n}"]
        assert [g[0] for g in light["glyphs"]] == [g[0] for g in raw["glyphs"]], tex
        pairs = [(raw["box"], light["box"]), *zip(raw["glyphs"], light["glyphs"], strict=True)]
        for a, b in pairs:
            for x, y in zip(a[-4:], b[-4:], strict=True):
                assert abs(x - y) <= 1, f"${tex}$: {a} drawn at {b}"
        assert spoken(page, f"light-{n}") == spoken(page, f"raw-{n}"), tex


@pytest.mark.parametrize("stretchy", ["", ' stretchy="false"'])
def test_fences_have_no_space_of_their_own(page, stretchy: str) -> None:
    """What the thin-space rule relies on: ``lspace="0em" rspace="0em"`` changes no fence, first,
    inside or last in its row (MathML Core's operator dictionary: fences have no spacing)."""
    cases = []
    for fence in sorted(FENCES):
        for before, after in (("", "<mi>q</mi>"), ("<mi>p</mi>", "<mi>q</mi>"), ("<mi>p</mi>", "")):
            for spacing in ("", ' lspace="0em" rspace="0em"'):
                mo = f"<mo{stretchy}{spacing}>{html.escape(fence)}</mo>"
                cases.append(f"<math>{before}{mo}{after}</math>")
    page.set_content("<body style='font-size:20px'>" + "<p>".join(cases) + "</body>")
    widths = page.eval_on_selector_all(
        "math", "all => all.map((m) => m.getBoundingClientRect().width)"
    )
    assert len(widths) == len(cases)
    for n in range(0, len(widths), 2):
        assert widths[n] == widths[n + 1], cases[n]
    # A bar is no fence there: it has spacing of its own, which the rule must not replace.
    bars = ("<mo>|</mo>", '<mo lspace="0em" rspace="0em">|</mo>')
    page.set_content("<p>".join(f"<math><mi>p</mi>{mo}<mi>q</mi></math>" for mo in bars))
    bar, bare = page.eval_on_selector_all(
        "math", "all => all.map((m) => m.getBoundingClientRect().width)"
    )
    assert bar > bare


def test_an_operator_out_of_its_row_would_be_drawn_wider(page) -> None:
    """Why an ``<mrow>`` that is an operator stays: ``{-}b`` is an ordinary minus sign."""
    page.set_content(
        "<math><mrow><mo>-</mo></mrow><mi>b</mi></math><p><math><mo>-</mo><mi>b</mi></math>"
    )
    kept, out = page.eval_on_selector_all(
        "math", "all => all.map((m) => m.getBoundingClientRect().width)"
    )
    assert kept != out
