"""Build-time math: TeX in markdown becomes MathML; bad TeX fails with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import markdown
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

import lesson_plugins.math
from lesson_plugins.context import PageContext
from lesson_plugins.errors import DirectiveError
from lesson_plugins.math import MathExtension, tex_to_mathml
from lesson_plugins.source import SourceMap


def render(text: str, source: str | None = None) -> str:
    page = PageContext("docs/page.md", SourceMap(source or text), {}, "", "page.md", site=None)
    md = markdown.Markdown(extensions=[MathExtension(page), "pymdownx.superfences"])
    return md.convert(text)


def test_inline_and_display_math_become_mathml() -> None:
    html = render("Soft targets $p_T^\\text{teacher}$ at $T = 2$.\n\n$$\n\\alpha + T^2\n$$\n")
    assert html.count('<math xmlns="http://www.w3.org/1998/Math/MathML"') == 3
    assert html.count('MathML" class="ms-math">') == 2 and 'display="block"' in html
    assert 'display="inline"' not in html  # MathML's default
    assert "<mtext>teacher</mtext>" in html and "<msup><mi>T</mi><mn>2</mn></msup>" in html
    assert "$" not in html and "arithmatex" not in html
    # Display math may be wider than a phone: its box scrolls and can be reached by keyboard.
    assert '<div class="ms-math" style="overflow-x:auto' in html and 'tabindex="0"' in html


def inner(tex: str) -> str:
    """What ``tex`` becomes inside its inline ``<math>``."""
    mathml = tex_to_mathml(tex)
    return mathml[mathml.index(">") + 1 : -len("</math>")]


@pytest.mark.parametrize(
    ("tex", "mathml"),
    [
        # A name spelled letter by letter is one identifier, read as one word.
        ("\\mathrm{KL}", '<mi mathvariant="normal">KL</mi>'),
        ("\\mathrm{softmax}(z)", '<mi mathvariant="normal">softmax</mi><mo stretchy="false">'),
        ("L_\\mathrm{CE}", '<msub><mi>L</mi><mi mathvariant="normal">CE</mi></msub>'),
        # Letters side by side are a product of identifiers: they stay apart.
        ("xy", "<mi>x</mi><mi>y</mi>"),
        ("\\mathit{ab}", '<mi mathvariant="italic">a</mi><mi mathvariant="italic">b</mi>'),
        # \text and \operatorname are one element already.
        ("\\text{teacher}", "<mtext>teacher</mtext>"),
        ("\\operatorname{softmax}", "<mo>softmax</mo>"),
    ],
)
def test_a_spelled_name_is_one_identifier(tex: str, mathml: str) -> None:
    assert inner(tex).startswith(mathml)


@pytest.mark.parametrize(
    ("tex", "mathml"),
    [
        ("\\frac{1}{T}", "<mfrac><mn>1</mn><mi>T</mi></mfrac>"),
        ("e^{x}", "<msup><mi>e</mi><mi>x</mi></msup>"),
        ("p^{w}_{a}", "<msubsup><mi>p</mi><mi>a</mi><mi>w</mi></msubsup>"),
        ("\\sqrt[3]{x}", "<mroot><mi>x</mi><mn>3</mn></mroot>"),
        ("\\hat{y}", '<mover accent="true"><mi>y</mi><mo>&#x0005E;</mo></mover>'),
        ("\\sqrt{x}", "<msqrt><mi>x</mi></msqrt>"),
        ("a+b", "<mi>a</mi><mo>&#x0002B;</mo><mi>b</mi>"),  # the whole formula's row
        # A row of several children inside a script is the script's one argument: it stays.
        ("e^{z/T}", "<msup><mi>e</mi><mrow><mi>z</mi><mo>&#x0002F;</mo><mi>T</mi></mrow></msup>"),
        # An operator in braces is an ordinary symbol: out of its row it would get the spacing
        # of a prefix operator (Chromium draws '{-}b' wider than '-b').
        ("{-}b", "<mrow><mo>&#x02212;</mo></mrow><mi>b</mi>"),
        ("x^{+}", "<msup><mi>x</mi><mrow><mo>&#x0002B;</mo></mrow></msup>"),
        ("+", "<mo>&#x0002B;</mo>"),  # alone in the formula, its form is the same
    ],
)
def test_a_row_of_one_child_gives_way_to_it(tex: str, mathml: str) -> None:
    assert inner(tex) == mathml


@pytest.mark.parametrize(
    ("tex", "mathml"),
    [
        (
            "p\\,\\|\\,q",
            '<mi>p</mi><mo fence="false" stretchy="false" lspace="0.167em" rspace="0.167em">'
            "&#x02016;</mo><mi>q</mi>",
        ),
        ("(a)\\,b", '<mo stretchy="false" rspace="0.167em">&#x00029;</mo><mi>b</mi>'),
        ("a\\,(b", '<mi>a</mi><mo stretchy="false" lspace="0.167em">&#x00028;</mo>'),
        # Beside an identifier, or a bar with spacing of its own, a thin space stays.
        ("a\\,b", '<mi>a</mi><mspace width="0.167em" /><mi>b</mi>'),
        ("a\\,|b", '<mi>a</mi><mspace width="0.167em" /><mo stretchy="false">&#x0007C;</mo>'),
        # Other widths are folded the same way; a negative one is no fence's space.
        ("a\\;\\|b", '<mi>a</mi><mo fence="false" stretchy="false" lspace="0.278em">'),
        ("a\\!\\|b", '<mi>a</mi><mspace width="negativethinmathspace" />'),
        # First or last in its row, a space is not between two elements: it stays.
        ("\\,\\|a", '<mspace width="0.167em" /><mo fence="false"'),
        # Two spaces: the one beside the fence is folded.
        (
            "a\\,\\,\\|b",
            '<mi>a</mi><mspace width="0.167em" /><mo fence="false" stretchy="false"'
            ' lspace="0.167em">',
        ),
    ],
)
def test_a_thin_space_beside_a_fence_is_its_spacing(tex: str, mathml: str) -> None:
    assert mathml in inner(tex)


def test_text_in_math_is_escaped() -> None:
    # latex2mathml's own text would have a raw '<' here (its convert() unescapes everything).
    assert inner("\\text{a<b & c}") == "<mtext>a&lt;b&#x000A0;&amp;&#x000A0;c</mtext>"


def test_the_lighter_rules_examples() -> None:
    import doctest

    result = doctest.testmod(lesson_plugins.math)
    assert result.attempted >= 5 and not result.failed


def test_markdown_inside_math_is_left_alone() -> None:
    html = render("$a_i * b_j * c_k$ and $x < y \\& z$")
    assert "<em>" not in html and "<msub><mi>a</mi><mi>i</mi></msub>" in html
    assert "&#x0003C;" in html  # '<' is an operator, not a tag


def test_dollars_that_are_not_math() -> None:
    html = render("It costs \\$5, or $5 and $10.\n\n`$x$` stays code.\n\n```\n$$ y $$\n```\n")
    assert "<math" not in html
    assert "It costs $5, or $5 and $10." in html
    assert "<code>$x$</code>" in html and "$$ y $$" in html


def test_math_in_a_heading_keeps_a_plain_text_toc_entry() -> None:
    md = markdown.Markdown(extensions=[MathExtension(), "toc"])
    html = md.convert("## The $T^2$ factor\n")
    assert "<msup><mi>T</mi><mn>2</mn></msup>" in html
    assert md.toc_tokens[0]["name"] == "The T2 factor"


def test_math_inside_a_list_and_a_quote() -> None:
    html = render("- item $\\frac{1}{T}$\n\n> quoted $\\sqrt{x}$\n")
    assert "<mfrac>" in html and "<msqrt>" in html


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        ("\\frac{a}{b", "a '{' is never closed"),
        ("a}", "a '}' closes a brace that was never opened"),
        ("\\alpah + 1", "unknown TeX command \\alpah"),
        ("x^", "latex2mathml cannot convert it (missing super script or subscript error"),
        ("\\left( x", "latex2mathml cannot convert it (extra left or missing right error"),
    ],
)
def test_bad_tex_is_a_value_error(tex: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        tex_to_mathml(tex)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "math"),
    [
        ("No formula here, only (parentheses) and [brackets] \\ backslashes.", False),
        ("A dollar: $5.", True),
        ("\\(x\\)", True),
        ("\\[x\\]", True),
        ("\\begin{align}x\\end{align}", True),
    ],
)
def test_math_is_looked_for_only_on_pages_with_a_delimiter(text: str, math: bool) -> None:
    page = PageContext("docs/page.md", SourceMap(text), {}, "", "page.md", site=None)
    md = markdown.Markdown(extensions=[MathExtension(page)])
    assert ("arithmatex-inline" in md.inlinePatterns) is math
    if not math:  # nothing for arithmatex: the page is what Markdown alone makes of it
        assert md.convert(text) == markdown.markdown(text)


def test_bad_tex_in_a_page_names_the_file_and_line() -> None:
    text = "# Title\n\nFine $x$.\n\nThen $\\alpah + 1$ here.\n"
    with pytest.raises(DirectiveError) as info:
        render(text)
    assert str(info.value).startswith("docs/page.md:5: math $\\alpah + 1$: unknown TeX command")


def test_a_site_build_renders_math_and_reports_bad_tex(tmp_path: Path, caplog) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins: [lessons]\n")
    page = tmp_path / "docs" / "index.md"
    page.write_text(
        "# Math\n\n$$\nL = \\alpha\\,\\mathrm{CE} + (1-\\alpha)\\,T^2\\,\\mathrm{KL}\n$$\n"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    html = (tmp_path / "site" / "index.html").read_text()
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    page.write_text(textwrap.dedent("# Math\n\nOne line.\n\n$$\n\\frac{1}{T\n$$\n"))
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):
        build(config)
    assert "docs/index.md:6: math $\\frac{1}{T$: a '{' is never closed" in caplog.text
