"""Build-time math: ``$...$`` and ``$$...$$`` become MathML in the static page.

Authors write TeX with the syntax of ``pymdownx.arithmatex`` (inline ``$...$`` or ``\\(...\\)``;
display ``$$...$$``, ``\\[...\\]`` or ``\\begin{env}...\\end{env}`` on lines of their own; ``\\$``
for a literal dollar sign). Arithmatex finds the math and leaves it as TeX in a ``span`` or ``div``;
the tree processor below converts that TeX with ``latex2mathml`` into MathML, which browsers render
natively. Nothing is fetched when the page is read: no MathJax, no KaTeX, no CDN.

A formula that ``latex2mathml`` cannot convert, a command it does not know (it would otherwise be
shown as the raw ``\\name``) and unbalanced braces fail the build at the formula's line.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.arithmatex import ArithmatexExtension

from .context import PageContext
from .errors import DirectiveError

#: A TeX command that latex2mathml did not know: it copies it into an <mi>/<mo> as ``\\name``.
_UNKNOWN_COMMAND = re.compile(r"<m[ion][^>]*>(\\[A-Za-z]+)</m[ion]>")
#: What every formula starts with, in arithmatex's syntax: a page without any has no math.
_DELIMITER = re.compile(r"\$|\\[(\[]|\\begin\{")
#: Display math may be wider than a phone: it scrolls sideways in a focusable box of its own.
_DISPLAY_STYLE = "overflow-x:auto;overflow-y:hidden;max-width:100%"


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """Convert one TeX formula to a ``<math>`` element; ``ValueError`` says what is wrong.

    >>> tex_to_mathml("x^2")[:50]
    '<math xmlns="http://www.w3.org/1998/Math/MathML" d'
    """
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            raise ValueError("a '}' closes a brace that was never opened")
    if depth:
        raise ValueError("a '{' is never closed")
    from latex2mathml.converter import convert  # here: a site without math never loads it

    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml signals each problem with its own exception class
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()
        detail = f": {exc}" if str(exc) else ""
        raise ValueError(f"latex2mathml cannot convert it ({name}{detail})") from None
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise ValueError(f"unknown TeX command {unknown.group(1)}")
    return mathml


def _line_of(source: str, tex: str) -> int | None:
    """The 1-based line of ``source`` where ``tex`` first appears (None when it does not)."""
    index = source.find(tex.strip())
    return source.count("\n", 0, index) + 1 if index >= 0 else None


class MathTreeprocessor(Treeprocessor):
    """Replaces arithmatex's TeX placeholders with MathML kept in the HTML stash."""

    def __init__(self, md: Any, page: PageContext | None) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if "arithmatex" not in el.get("class", "").split():
                continue
            display = el.tag == "div"
            tex = html.unescape(el.text or "") if display else (el.text or "")
            try:
                mathml = tex_to_mathml(tex, display=display)
            except ValueError as exc:
                raise self._error(tex, str(exc)) from None
            el.attrib = {"class": "ms-math"}
            if display:
                el.set("style", _DISPLAY_STYLE)
                el.set("tabindex", "0")  # a box that may scroll must be reachable by keyboard
            el.text = self.md.htmlStash.store(mathml)

    def _error(self, tex: str, message: str) -> DirectiveError:
        text = f"math ${tex.strip()}$: {message}; check the TeX (latex2mathml renders it)"
        if self.page is None:
            return DirectiveError("(markdown)", None, text)
        return self.page.error(text, _line_of(self.page.source.text, tex))


class MathExtension(Extension):
    """Arithmatex's syntax, converted to MathML at build time (see the module docstring)."""

    def __init__(self, page: PageContext | None = None, **kwargs: Any) -> None:
        self.page = page
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Any) -> None:
        page = self.page
        if page is not None and not _DELIMITER.search(page.source.text):
            return  # no formula: arithmatex's patterns would only cost time on every text
        ArithmatexExtension(
            generic=True, tex_inline_wrap=["", ""], tex_block_wrap=["", ""]
        ).extendMarkdown(md)
        # After inline patterns (20) have made the placeholders, before prettify (10).
        md.treeprocessors.register(MathTreeprocessor(md, self.page), "lessons-math", 19)
