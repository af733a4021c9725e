"""The ``quiz`` directive: a question of the lesson's comprehension check.

Choice question (one ``[x]``: radio buttons; several: checkboxes and a Check button)::

    /// quiz | What is 'dark knowledge' in the distillation sense?
    - [ ] The teacher's hidden-layer activations
    - [x] The information in the teacher's probabilities of the non-top answers
        > Yes: the runner-ups say which wrong answers are nearly right.
    - [ ] Knowledge the teacher memorized from private data
        > No: ...

    The explanation, shown once the question is answered correctly.
    ///

Numeric question (a number field and a Check button; an optional ``>`` quote is the feedback for
a wrong answer, the rest is the explanation)::

    /// quiz | What is ln 2, to three decimals?
        type: numeric
        answer: 0.693
        tolerance: 0.0005     # absolute; or relative, e.g. '1%'
    ///

Options: ``type`` (``choice`` or ``numeric``), ``answer`` and ``tolerance`` (numeric only).
Markdown works in the question, the answers, the feedback and the explanation.

The right answers are not written into the page: a choice question carries a salted hash of the
set of right answers (``hash53`` below, the same function as in ``assets/progress.js``), which the
browser compares with the hash of the reader's choice. A numeric question needs its value in the
browser to apply the tolerance, so it carries the answer XOR-ed with a key derived from the salt:
this keeps the answer out of "view source", it does not make it secret.

The markup is kept small (a lesson page's element count, issue 21): the quiz is one ``<form
class="ms-quiz">`` holding a ``<fieldset>`` (its ``<legend>``: the "comprehension check · 1 / 2"
span, then the question), one ``<label class="ms-quiz-answer">`` around each choice's input and
text (a numeric question: a plain ``<label>`` around its number field), the Check button, an empty
``<p class="ms-quiz-status" role="status">`` and a ``<template>`` with the feedback (``<div
class="ms-quiz-feedback" data-ms-for="INDEX">``, INDEX the answer it follows: 0, the number field,
in a numeric question) and the explanation (``<div class="ms-quiz-explanation">``). A template's
content is no part of the live page until ``assets/quiz.js`` copies a feedback after its answer's
label, or the explanation after the status line, once the reader has answered; it is still in the
page source.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as etree
from itertools import cycle
from typing import Any

from markdown.util import AtomicString

from ..context import PageContext
from ..errors import DirectiveError
from ..source import SourceMap
from .base import LessonBlock, choice, number

_TASK = re.compile(r"^\s*\[([ xX])\](?:[ \t]+|$)")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])(?:\s+|$)")
_COUNT = re.compile(r"%%ms-quiz-count:(\d+)%%")
_MASK = 0xFFFFFFFF


def hash53(text: str) -> str:
    """cyrb53: a fast 53-bit string hash, as 16 hex digits (``hash`` in ``assets/progress.js``).

    Not cryptographic; it hides answers from "view source", which is all it is used for.

    >>> hash53("")
    '0bdcb81aee8d83'
    """
    h1, h2 = 0xDEADBEEF, 0x41C6CE57
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        ch = units[i] | units[i + 1] << 8  # JavaScript's charCodeAt: UTF-16 code units
        h1 = ((h1 ^ ch) * 2654435761) & _MASK
        h2 = ((h2 ^ ch) * 1597334677) & _MASK
    h1 = ((h1 ^ (h1 >> 16)) * 2246822507) & _MASK
    h1 ^= ((h2 ^ (h2 >> 13)) * 3266489909) & _MASK
    h2 = ((h2 ^ (h2 >> 16)) * 2246822507) & _MASK
    h2 ^= ((h1 ^ (h1 >> 13)) * 3266489909) & _MASK
    return f"{h2 & 0x1FFFFF:06x}{h1:08x}"


def answer_key(salt: str, selection: list[int]) -> str:
    """What the page stores for the set of right answers ``selection`` (0-based indexes)."""
    return hash53(f"{salt}:{','.join(str(i) for i in sorted(selection))}")


def obfuscate(salt: str, text: str) -> str:
    """``text`` XOR-ed with the bytes of ``hash53(salt + ':n')``, base64: not plain, not secret."""
    key = bytes.fromhex(hash53(f"{salt}:n"))
    return base64.b64encode(bytes(a ^ b for a, b in zip(text.encode(), cycle(key)))).decode()


def tolerance(value: Any) -> tuple[float, bool]:
    """``0.005`` (absolute) or ``'1%'`` (relative to the answer): ``(amount, is_relative)``."""
    relative = isinstance(value, str) and value.strip().endswith("%")
    if relative:
        try:
            value = float(value.strip()[:-1])
        except ValueError:
            raise ValueError(
                f"expected a number or a percentage like '1%', got {value!r}"
            ) from None
    amount = number(value)
    if amount < 0:
        raise ValueError(f"must not be negative, got {value!r}")
    return amount, relative


def answer_lines(source: SourceMap, header_line: int | None) -> list[int]:
    """1-based lines of the items of the answer list of the block whose header is at the line.

    The list starts at the first ``- [ ]`` / ``- [x]`` item; every item at its indentation until
    the list ends counts, so that an item without a checkbox is located too.
    """
    found: list[int] = []
    indent = None
    for at in source.body(header_line):
        line = source.lines[at - 1]
        if not line.strip():
            continue
        item = _ITEM.match(line)
        if indent is None and item and _TASK.match(line[item.end() :]):
            indent = len(item.group(1))
        if indent is None:
            continue
        if item and len(item.group(1)) == indent:
            found.append(at)
        elif not item and len(line) - len(line.lstrip()) <= indent:
            break  # the list has ended
    return found


def number_quizzes(root: etree.Element, page: PageContext, strings: dict[str, str]) -> None:
    """Number the page's quizzes, now that their count is known: "comprehension check · 1 / 2"."""
    total = len(page.items.get("quiz", []))
    for span in root.iter("span"):
        m = _COUNT.fullmatch(span.text or "") if span.get("class") == "ms-quiz-count" else None
        if m:
            span.text = strings["quiz_count"].format(index=int(m.group(1)) + 1, total=total)


def _plain(el: etree.Element) -> str:
    return " ".join("".join(el.itertext()).split()).casefold()


class QuizBlock(LessonBlock):
    """A question of the lesson's comprehension check (see the module docstring)."""

    NAME = "quiz"
    ARGUMENT = True
    ARGUMENT_HINT = "QUESTION"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        "type": ("choice", choice("choice", "numeric")),
        "answer": (None, number),
        "tolerance": (None, tolerance),
    }

    def on_markdown(self) -> str:
        return "block"

    def on_options(self, parent: etree.Element) -> bool:
        self.line = self.page.current_line
        numeric = self.options["type"] == "numeric"
        if numeric and self.options["answer"] is None:
            raise self.fail("a numeric question needs its value: add '    answer: NUMBER'")
        for name in ("answer", "tolerance"):
            if not numeric and self.options[name] is not None:
                raise self.fail(
                    f"option '{name}' is for numeric questions (add '    type: numeric'); "
                    "in a choice question mark the right answers with '- [x]'"
                )
        return True

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "form", {"class": "ms-quiz"})

    def error_at(self, line: int | None, message: str) -> DirectiveError:
        return self.page.error(f"quiz: {message}", line or self.line)

    def on_end(self, block: etree.Element) -> None:
        content = list(block)
        for child in content:
            block.remove(child)
        quiz_id = "q" + hash53(self.argument)[-8:]
        if any(q["id"] == quiz_id for q in self.page.items.get("quiz", [])):
            raise self.error_at(None, "another quiz on this page asks the same question")
        salt = hash53(f"{self.page.src_path}\n{self.argument}")[-8:]
        block.attrib.update({"id": quiz_id, "data-ms-quiz": quiz_id, "data-ms-salt": salt})
        # Shown by quiz.js once the reader answers: feedback and explanation wait in a template.
        self.template = etree.Element("template")
        if self.options["type"] == "numeric":
            explanation = self._render_numeric(block, content, quiz_id, salt)
        else:
            explanation = self._render_choice(block, content, quiz_id, salt)
        etree.SubElement(block, "p", {"class": "ms-quiz-status", "role": "status"})
        if explanation:
            etree.SubElement(self.template, "div", {"class": "ms-quiz-explanation"}).extend(
                explanation
            )
        block.append(self.template)
        self.page.add("quiz", {"id": quiz_id, "kind": block.get("data-ms-kind")})

    def _render_choice(
        self, block: etree.Element, content: list[etree.Element], quiz_id: str, salt: str
    ) -> list[etree.Element]:
        """Radio buttons or checkboxes with their feedback; returns the explanation's elements."""
        answer_list = next((c for c in content if self._is_answer_list(c)), None)
        if answer_list is None:
            raise self.error_at(
                None, "no answers: list them as '- [ ] a wrong answer' and '- [x] the right one'"
            )
        answers = self._answers(answer_list)
        right = [i for i, (ok, _, _) in enumerate(answers) if ok]
        kind = "multiple" if len(right) > 1 else "single"
        block.attrib.update({"data-ms-kind": kind, "data-ms-key": answer_key(salt, right)})
        group = self._fieldset(block)
        for index, (_, text, feedback) in enumerate(answers):
            label = etree.SubElement(group, "label", {"class": "ms-quiz-answer"})
            kind_of_input = "radio" if kind == "single" else "checkbox"
            etree.SubElement(
                label, "input", {"type": kind_of_input, "name": quiz_id, "value": str(index)}
            ).tail = text.text
            label.extend(list(text))
            self._feedback(feedback, index)
        if kind == "multiple":  # a single choice is checked as soon as it is chosen
            self._check_button(group)
        return [c for c in content if c is not answer_list]

    def _render_numeric(
        self, block: etree.Element, content: list[etree.Element], quiz_id: str, salt: str
    ) -> list[etree.Element]:
        """A number field; a quote is the feedback to a wrong answer. Returns the explanation."""
        answer_list = next((c for c in content if self._is_answer_list(c)), None)
        if answer_list is not None:
            lines = answer_lines(self.page.source, self.line)
            raise self.error_at(
                lines[0] if lines else None,
                "a numeric question has no answer list: remove the '- [ ]' items or the "
                "'type: numeric' option",
            )
        value, (amount, relative) = self.options["answer"], self.options["tolerance"] or (0, 0)
        amount = abs(value) * amount / 100 if relative else amount
        key = obfuscate(salt, f"{value!r} {amount!r}")
        block.attrib.update({"data-ms-kind": "numeric", "data-ms-key": key})
        group = self._fieldset(block)
        label = etree.SubElement(group, "label")  # inline: the Check button follows on its line
        label.text = self.page.site.strings["quiz_number_label"]
        etree.SubElement(label, "input", {"type": "number", "step": "any", "name": quiz_id})
        quote = next((c for c in content if c.tag == "blockquote"), None)
        if quote is not None:
            feedback = etree.Element("div")
            feedback.extend(list(quote))
            self._feedback(feedback, 0)  # under the number field, when the number is wrong
        self._check_button(group)
        return [c for c in content if c is not quote]

    # -- parsing -----------------------------------------------------------------------------

    @staticmethod
    def _is_answer_list(el: etree.Element) -> bool:
        """A list whose first item starts with a checkbox, ``[ ]`` or ``[x]``."""
        if el.tag not in ("ul", "ol") or not len(el):
            return False
        first = el[0]
        text = first.text if first.text and first.text.strip() else None
        if text is None and len(first) and first[0].tag == "p":
            text = first[0].text
        return bool(text and _TASK.match(text))

    def _answers(self, ul: etree.Element) -> list[tuple[bool, etree.Element, etree.Element | None]]:
        """``(is_right, label content, feedback or None)`` for each item, validated."""
        lines = answer_lines(self.page.source, self.line)
        answers: list[tuple[bool, etree.Element, etree.Element | None]] = []
        seen: dict[str, int] = {}
        for index, li in enumerate(ul):
            line = lines[index] if len(lines) == len(ul) else None
            ok, text, feedback = self._item(li, index, line)
            key = _plain(text)
            if not key:
                raise self.error_at(
                    line, f"answer {index + 1} is empty: write its text after '[ ]' or '[x]'"
                )
            if key in seen:
                raise self.error_at(
                    line,
                    f"answer {index + 1} repeats answer {seen[key] + 1}; every answer must differ",
                )
            seen[key] = index
            answers.append((ok, text, feedback))
        if len(answers) < 2:
            raise self.error_at(None, "a choice question needs at least two answers")
        if not any(ok for ok, _, _ in answers):
            raise self.error_at(None, "no correct answer: mark the right one(s) with '- [x]'")
        return answers

    def _item(
        self, li: etree.Element, index: int, line: int | None
    ) -> tuple[bool, etree.Element, etree.Element | None]:
        text_el = etree.Element("span")  # a holder: its text and children go into the label
        feedback: etree.Element | None = None
        if len(li) == 0 or (li.text and li.text.strip()):  # tight item: text, then '>' lines
            lines = (li.text or "").split("\n")
            cut = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith(">")), len(lines))
            text_el.text = "\n".join(lines[:cut])
            if cut < len(lines):
                feedback = etree.Element("div")
                feedback.text = "\n".join(re.sub(r"^\s*>\s?", "", ln) for ln in lines[cut:])
            blocks = list(li)
        else:  # loose item: a paragraph, then a quote
            first, *blocks = list(li)
            text_el.text = first.text
            text_el.extend(list(first))
        for child in blocks:
            if child.tag != "blockquote" or feedback is not None:
                raise self.error_at(
                    line,
                    f"answer {index + 1}: an answer is one paragraph, optionally followed by its "
                    "feedback as a '>' quote; put longer text into the explanation",
                )
            feedback = etree.Element("div")
            feedback.extend(list(child))
        m = _TASK.match(text_el.text or "")
        if m is None:
            raise self.error_at(
                line, f"answer {index + 1} must start with '[ ]' (wrong) or '[x]' (right)"
            )
        text_el.text = (text_el.text or "")[m.end() :]
        return m.group(1).lower() == "x", text_el, feedback

    # -- rendering ---------------------------------------------------------------------------

    def _fieldset(self, block: etree.Element) -> etree.Element:
        """The fieldset in the quiz's form; the legend numbers the question and asks it."""
        fieldset = etree.SubElement(block, "fieldset")
        legend = etree.SubElement(fieldset, "legend")
        count = etree.SubElement(legend, "span", {"class": "ms-quiz-count"})
        # Numbered once the page's number of quizzes is known (finish_page).
        count.text = AtomicString(f"%%ms-quiz-count:{len(self.page.items.get('quiz', []))}%%")
        count.tail = self.argument
        return fieldset

    def _feedback(self, feedback: etree.Element | None, index: int) -> None:
        """Into the template: the feedback shown under the answer ``index`` once it is chosen."""
        if feedback is not None:
            feedback.attrib.update({"class": "ms-quiz-feedback", "data-ms-for": str(index)})
            self.template.append(feedback)

    def _check_button(self, group: etree.Element) -> None:
        button = etree.SubElement(
            group, "button", {"type": "submit", "class": "md-button md-button--primary"}
        )
        button.text = self.page.site.strings["quiz_check"]
