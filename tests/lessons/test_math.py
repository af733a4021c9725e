"""Build-time math: TeX in markdown becomes MathML; bad TeX fails with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import markdown
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

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
    assert 'display="inline"' in html and 'display="block"' in html
    assert "<mtext>teacher</mtext>" in html and "<msup><mi>T</mi><mn>2</mn></msup>" in html
    assert "$" not in html and "arithmatex" not in html
    # Display math may be wider than a phone: its box scrolls and can be reached by keyboard.
    assert '<div class="ms-math" style="overflow-x:auto' in html and 'tabindex="0"' in html


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
