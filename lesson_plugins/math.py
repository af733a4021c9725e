"""Build-time math: ``$...$`` and ``$$...$$`` become MathML in the static page.

Authors write TeX with the syntax of ``pymdownx.arithmatex`` (inline ``$...$`` or ``\\(...\\)``;
display ``$$...$$``, ``\\[...\\]`` or ``\\begin{env}...\\end{env}`` on lines of their own; ``\\$``
for a literal dollar sign). Arithmatex finds the math and leaves it as TeX in a ``span`` or ``div``;
the tree processor below converts that TeX with ``latex2mathml`` into MathML, which browsers render
natively. Nothing is fetched when the page is read: no MathJax, no KaTeX, no CDN.

In the page, inline math is the ``<math class="ms-math">`` element itself, in the text; display
math is ``<math display="block">`` in a ``<div class="ms-math">`` that scrolls sideways when the
formula is wider than the screen, and can be reached with the keyboard to do so. Before it is
written, :func:`lighter` takes out the elements of latex2mathml's MathML that draw nothing
(issue 21: the distillation lesson's 51 formulas had 414 elements with their wrappers, 347 now).

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
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
#: A character reference as latex2mathml writes it into a token's text, escaped once more by
#: ElementTree (``&amp;#x003B1;``).
_REFERENCE = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")
#: What every formula starts with, in arithmatex's syntax: a page without any has no math.
_DELIMITER = re.compile(r"\$|\\[(\[]|\\begin\{")
#: Display math may be wider than a phone: it scrolls sideways in a focusable box of its own.
_DISPLAY_STYLE = "overflow-x:auto;overflow-y:hidden;max-width:100%"


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """Convert one TeX formula to a ``<math>`` element; ``ValueError`` says what is wrong.

    Inline math is the ``<math class="ms-math">`` itself (``display="inline"`` is MathML's
    default); display math is ``<math display="block">``, which the page puts in a scrolling box.

    >>> tex_to_mathml("x^2")[49:]
    'class="ms-math"><msup><mi>x</mi><mn>2</mn></msup></math>'
    """
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            raise ValueError("a '}' closes a brace that was never opened")
    if depth:
        raise ValueError("a '{' is never closed")
    from latex2mathml.converter import convert_to_element  # a site without math never loads it

    try:
        math = convert_to_element(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml signals each problem with its own exception class
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()
        detail = f": {exc}" if str(exc) else ""
        raise ValueError(f"latex2mathml cannot convert it ({name}{detail})") from None
    for token in math.iter():
        if token.tag in ("mi", "mo", "mn") and _UNKNOWN_COMMAND.fullmatch(token.text or ""):
            raise ValueError(f"unknown TeX command {token.text}")
    if not display:
        del math.attrib["display"]
        math.set("class", "ms-math")
    return mathml_text(lighter(math))


def mathml_text(math: etree.Element) -> str:
    """``math`` as HTML. latex2mathml writes symbols as character references in the elements'
    text (``&#x003B1;`` for alpha): those stay references, any other ``&``, ``<`` or ``>`` (from
    ``\\text``) is escaped."""
    return _REFERENCE.sub(r"&\1", etree.tostring(math, encoding="unicode"))


#: Elements that lay out their children in a row, as an ``<mrow>`` does (MathML Core).
_ROWS = frozenset(
    {"math", "mrow", "mstyle", "mpadded", "mphantom", "msqrt", "menclose", "merror", "mtd"}
)
#: Groups that are an embellished operator when they hold one and spaces (MathML Core, 3.2.4.1).
_GROUPS = frozenset({"mrow", "mstyle", "mpadded", "mphantom"})
#: Elements that are an embellished operator when their first child is one.
_LED = frozenset(
    {"msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mfrac"}
)
#: Fences with no space of their own on either side, wherever they stand in a row (MathML
#: Core's operator dictionary; tests/browser/test_math_render.py measures it in Chromium).
FENCES = frozenset("()[]{}\u2016\u2308\u2309\u230a\u230b\u27e8\u27e9")
#: A space of a positive width in ``em``, such as ``\\,`` makes (0.167em).
_EM = re.compile(r"\d*\.?\d+em")


def lighter(math: etree.Element) -> etree.Element:
    """The same formula in fewer elements (every element costs a phone style and layout time:
    docs/benchmarks/site.md, issue 21), changed in place and returned. Each rule keeps what the
    browser draws (tests/browser/test_math_render.py compares latex2mathml's own MathML and this
    one in Chromium, box by box, with their accessibility text):

    - a name spelled letter by letter (``\\mathrm{KL}``) becomes one ``<mi>``, read as one word;
    - an ``<mrow>`` with one child gives way to it (``\\frac{1}{T}``: ``<mfrac>`` takes its two
      children as they are), and so does a row alone in a row (``<math><mrow>...``): ``<math>``,
      ``<msqrt>``, ``<mtd>`` lay out their children as a row themselves. Never an ``<mrow>`` that
      is an operator (``{-}b``): out of it, the operator's form and so its spacing would change;
    - a thin space ``\\,`` beside a fence (``p\\,\\|\\,q``) becomes the fence's ``lspace`` or
      ``rspace``: a fence has no space of its own (:data:`FENCES`).

    >>> from xml.etree.ElementTree import fromstring, tostring
    >>> def light(mathml):
    ...     return tostring(lighter(fromstring(mathml)), encoding="unicode")
    >>> light('<math><mrow><mrow><mi mathvariant="normal">K</mi>'
    ...       '<mi mathvariant="normal">L</mi></mrow><mi>p</mi></mrow></math>')
    '<math><mi mathvariant="normal">KL</mi><mi>p</mi></math>'
    >>> light('<math><mfrac><mrow><mn>1</mn></mrow><mrow><mi>T</mi></mrow></mfrac></math>')
    '<math><mfrac><mn>1</mn><mi>T</mi></mfrac></math>'
    >>> light('<math><mrow><mrow><mo>-</mo></mrow><mi>b</mi></mrow></math>')
    '<math><mrow><mo>-</mo></mrow><mi>b</mi></math>'
    >>> light('<math><mi>p</mi><mspace width="0.167em"/><mo>)</mo><mspace width="0.167em"/>'
    ...       '<mi>q</mi></math>')
    '<math><mi>p</mi><mo lspace="0.167em" rspace="0.167em">)</mo><mi>q</mi></math>'
    """
    children: list[etree.Element] = []
    for child in math:
        lighter(child)
        children.extend(_given_way(child, alone=len(math) == 1 and math.tag in _ROWS))
    if math.tag in _ROWS:
        children = _spaces_on_fences(children)
    math[:] = children
    return math


def _given_way(row: etree.Element, alone: bool) -> list[etree.Element]:
    """What stands in the place of ``row``: one ``<mi>`` for a spelled name, its children for an
    ``<mrow>`` that adds nothing (it is ``alone`` in a row, or has one child), else itself."""
    if row.tag != "mrow" or row.attrib or (row.text or "").strip():
        return [row]
    letters = [_letter(child) for child in row]
    if len(letters) > 1 and all(letters):
        name = etree.Element("mi", {"mathvariant": "normal"})
        name.text = "".join(letters)  # type: ignore[arg-type]
        return [name]
    if not (alone or len(row) == 1):
        return [row]
    if _operator(row) and not (alone and len(row) == 1):
        return [row]
    return list(row)


def _letter(mi: etree.Element) -> str | None:
    """The letter of an upright ``<mi>`` of one character (``\\mathrm`` makes one per letter)."""
    text = mi.text or ""
    upright = mi.tag == "mi" and mi.attrib == {"mathvariant": "normal"} and not len(mi)
    return text if upright and len(html.unescape(text)) == 1 else None


def _operator(el: etree.Element) -> bool:
    """Whether ``el`` is an embellished operator (MathML Core, 3.2.4.1): an ``<mo>``, a script
    or fraction on one, or a group of one with nothing but spaces beside it."""
    if el.tag == "mo":
        return True
    if el.tag in _LED:
        return len(el) > 0 and _operator(el[0])
    if el.tag in _GROUPS:
        others = [child for child in el if not _space_like(child)]
        return len(others) == 1 and _operator(others[0])
    return False


def _space_like(el: etree.Element) -> bool:
    """``<mtext>``, ``<mspace>``, or a group of them (MathML Core's "space-like")."""
    if el.tag in ("mtext", "mspace"):
        return True
    return el.tag in _GROUPS and all(_space_like(child) for child in el)


def _spaces_on_fences(row: list[etree.Element]) -> list[etree.Element]:
    """``row`` with each thin space between two elements, one of them a fence, made that fence's
    ``lspace`` (the space before it) or ``rspace`` (after it)."""
    kept: list[etree.Element] = []
    for index, child in enumerate(row):
        width = child.get("width", "")
        inside = 0 < index < len(row) - 1
        thin = child.tag == "mspace" and child.attrib.keys() == {"width"} and _EM.fullmatch(width)
        if thin and inside and not len(child) and not child.text:
            if _fence(row[index + 1], "lspace"):
                row[index + 1].set("lspace", width)
                continue
            if _fence(kept[-1], "rspace"):
                kept[-1].set("rspace", width)
                continue
        kept.append(child)
    return kept


def _fence(el: etree.Element, side: str) -> bool:
    """Whether ``el`` is a fence with no ``side`` space set yet."""
    text = html.unescape(el.text or "")
    return el.tag == "mo" and side not in el.attrib and not len(el) and text in FENCES


def _line_of(source: str, tex: str) -> int | None:
    """The 1-based line of ``source`` where ``tex`` first appears (None when it does not)."""
    index = source.find(tex.strip())
    return source.count("\n", 0, index) + 1 if index >= 0 else None


class MathTreeprocessor(Treeprocessor):
    """Replaces arithmatex's TeX placeholders with MathML kept in the HTML stash: inline math
    takes the place of its ``<span>``, display math stays in its ``<div>``, a box that scrolls."""

    def __init__(self, md: Any, page: PageContext | None) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: etree.Element) -> None:
        found = [
            (parent, el)
            for parent in root.iter()
            for el in parent
            if "arithmatex" in el.get("class", "").split()
        ]
        for parent, el in found:
            display = el.tag == "div"
            tex = html.unescape(el.text or "") if display else (el.text or "")
            try:
                mathml = tex_to_mathml(tex, display=display)
            except ValueError as exc:
                raise self._error(tex, str(exc)) from None
            if display:
                el.attrib = {"class": "ms-math", "style": _DISPLAY_STYLE}
                el.set("tabindex", "0")  # a box that may scroll must be reachable by keyboard
                el.text = self.md.htmlStash.store(mathml)
            else:
                self._replace(parent, el, self.md.htmlStash.store(mathml))

    def _replace(self, parent: etree.Element, span: etree.Element, placeholder: str) -> None:
        """Put ``placeholder`` where ``span`` is, in the text of ``parent``."""
        index = list(parent).index(span)
        text = placeholder + (span.tail or "")
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(span)
        if parent.tag == "p" and not len(parent) and parent.text == placeholder:
            # Markdown takes a paragraph of nothing but a stashed block-level element (``math``
            # is one to it) out of its <p>; an empty second placeholder keeps the paragraph.
            parent.text += self.md.htmlStash.store("")

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
