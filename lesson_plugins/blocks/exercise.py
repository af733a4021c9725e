"""``/// exercise | TITLE``: the reader writes a Python function, checked against a reference.

::

    /// exercise | Softmax with a temperature
        check: pycore.lessons.distillation:softmax_T
        entry: softmax_T
        cases:
          - {z: [2.0, 1.0, 0.1], T: 1.0}
          - args: {z: [1000, -1000, 0], T: 1.0}
            feedback: exp(1000) overflows; subtract the largest logit first.
        tolerance: {rel: 1.0e-6, abs: 1.0e-9}
        hints:
          - Divide the logits by `T` first.
        solution: |
          import numpy as np
          def softmax_T(z, T):
              ...   # no blank line: a blank line ends the options
        solution_after: 2
        counts: true
        time_limit: 5

    Instructions, in markdown. The last fenced code block is the starter code:

    ```python
    def softmax_T(z, T):
        ...
    ```
    ///

Options: ``check`` (the reference ``module:function``, from ``pycore`` or the plugin option
``modules``), ``entry`` (the function the reader defines), ``cases`` (a list of argument mappings,
each optionally ``{args: {...}, feedback: text shown when it fails}``, or ``module:function``
returning such a list at build time), ``tolerance`` (``rel`` and ``abs``, see
:func:`lesson_plugins.grader.compare`), ``hints`` (revealed one at a time), ``solution`` (shown on
request), ``solution_after`` (attempts before it can be shown), ``counts`` (whether a pass counts
towards the page's comprehension check and xp), ``time_limit`` (seconds per run).

The build runs the reference on every case and the solution through the same checks as the
browser (:mod:`lesson_plugins.grader`): an exercise that cannot be passed fails the build.
The browser side is ``assets/exercise/``, loaded only on a page that has an exercise.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown.util import AtomicString

from .. import compute, grader
from ..errors import DirectiveError
from . import exercise_options
from .base import LessonBlock
from .exercise_options import fences, plain
from .output import NOT_SEARCHED
from .quiz import hash53

_STASH = re.compile("^\x02wzxhzdk:\\d+\x03$")  # Python-Markdown's placeholder of stashed HTML


def identify(src_path: str, title: str) -> str:
    """The id of the exercise titled ``title`` on the page ``src_path`` (as errors show it): its
    code and its pass are stored under it, and the course index counts it."""
    return "x" + hash53(f"{src_path}\n{title.strip()}")[-8:]


class ExerciseBlock(LessonBlock):
    """A code exercise (see the module docstring)."""

    NAME = "exercise"
    ARGUMENT = True
    OPTIONS = exercise_options.OPTIONS
    REQUIRED = exercise_options.REQUIRED

    def on_markdown(self) -> str:
        return "block"

    def on_options(self, parent: etree.Element) -> bool:
        self.line = self.page.current_line
        if self.options["solution_after"] < 0:
            raise self.fail("option 'solution_after': expected a number of attempts, 0 or more")
        return True

    def error_at(self, line: int | None, message: str) -> DirectiveError:
        return self.page.error(f"exercise: {message}", line or self.line)

    def on_create(self, parent: etree.Element) -> etree.Element:
        self.section = etree.SubElement(parent, "section", {"class": "ms-exercise"})
        return self.section

    def on_end(self, block: etree.Element) -> None:
        starter, starter_line = self._starter()
        self._compiles(starter, starter_line, "the starter code")
        function = self._reference()
        cases = self._cases(function)
        request = {
            "entry": self.options["entry"],
            "check": self.options["check"],
            "cases": cases,
            **self.options["tolerance"],
        }
        self._check_solution(request)
        self._render(block, starter, request)

    # -- checks ----------------------------------------------------------------------------------

    def _starter(self) -> tuple[str, int | None]:
        found = fences(self.page.source.lines, self.line) if self.line else []
        if not found:
            raise self.error_at(
                None,
                "no starter code: end the instructions with a fenced code block "
                "(```python ... ```) holding the code the reader starts from",
            )
        line, code = found[-1]
        return code, line

    def _compiles(self, code: str, first: int | None, what: str) -> None:
        """``code`` (whose first line is the file's line ``first + 1``) must parse."""
        try:
            compile(code, grader.FILENAME, "exec")
        except SyntaxError as exc:
            line = first + (exc.lineno or 1) if first else None
            raise self.error_at(
                line, f"{what} does not parse: {exc.msg} (line {exc.lineno} of the code)"
            ) from None

    def _reference(self) -> Any:
        try:
            function = compute.load(self.options["check"], self.page.site.sources)
        except ValueError as exc:
            raise self.fail(f"option 'check': {str(exc).removeprefix('compute: ')}") from None
        return function

    def _cases(self, function: Any) -> list[grader.Case]:
        given = self.options["cases"]
        if isinstance(given, str):
            try:
                made = compute.load(given, self.page.site.sources)()
            except ValueError as exc:
                raise self.fail(f"option 'cases': {str(exc).removeprefix('compute: ')}") from None
            except Exception as exc:
                raise self.fail(
                    f"option 'cases': {given} raised {type(exc).__name__}: {exc}"
                ) from None
            given = plain(made)
            if not isinstance(given, list) or not given:
                raise self.fail(
                    f"option 'cases': {self.options['cases']} must return a list of cases"
                )
        names = {name for name, _ in compute.parameters(function)}
        cases: list[grader.Case] = []
        for number_, case in enumerate(given, start=1):
            if isinstance(case, dict) and set(case) <= {"args", "feedback"} and "args" in case:
                args, feedback = case["args"], str(case.get("feedback") or "")
            else:
                args, feedback = case, ""
            if not isinstance(args, dict):
                raise self.fail(f"case {number_}: expected a mapping of arguments, got {args!r}")
            unknown = sorted(set(args) - names)
            if unknown:
                raise self.fail(
                    f"case {number_}: {', '.join(map(repr, unknown))} is not a parameter of "
                    f"{self.options['check']} (its parameters: {', '.join(sorted(names))})"
                )
            try:
                function(**grader.arguments(args))
            except Exception as exc:
                raise self.fail(
                    f"case {number_} makes the reference {self.options['check']} raise "
                    f"{type(exc).__name__}: {exc}; fix the case's arguments"
                ) from None
            try:
                json.dumps(args, allow_nan=False)
            except (TypeError, ValueError):
                raise self.fail(
                    f"case {number_}: arguments must be numbers, text, lists or mappings"
                ) from None
            cases.append({"args": args, "feedback": feedback})
        return cases

    def _check_solution(self, request: dict[str, Any]) -> None:
        solution = self.options["solution"]
        if solution is None:
            return
        first = self._option_line("solution")
        self._compiles(solution, first, "the solution")
        reply = grader.run({**request, "action": "check", "code": solution})  # type: ignore[typeddict-item]
        status, entry = reply["status"], self.options["entry"]
        line = first + reply["line"] if first and reply["line"] else first
        if status == "missing":
            raise self.error_at(
                first,
                f"the solution does not define a function named {entry!r} (a blank line ends a "
                "block's options: write the solution without blank lines)",
            )
        if status == "error":
            raise self.error_at(line, f"the solution raises: {reply['error'].splitlines()[-1]}")
        if status == "raised":
            raise self.error_at(
                line,
                f"the solution raises on case {reply['case']} ({reply['args']}): "
                f"{reply['error'].splitlines()[-1]}",
            )
        if status == "failed":
            raise self.error_at(
                first,
                f"the solution fails case {reply['case']} ({reply['args']}): expected "
                f"{reply['expected']}, it returns {reply['actual']} ({reply['reason']})",
            )

    def _option_line(self, name: str) -> int | None:
        """The file line of option ``name`` under this block's header."""
        source = self.page.source
        for line in source.option_lines(self.line) if self.line else []:
            if re.match(rf"^ {{4}}{name}\s*:", source.lines[line - 1]):
                return line
        return None

    # -- rendering -------------------------------------------------------------------------------

    def _render(self, block: etree.Element, starter: str, request: dict[str, Any]) -> None:
        strings = self.page.site.strings
        exercise_id = identify(self.page.src_path, self.argument)
        if any(x == exercise_id for x in self.page.items.get("exercise", [])):
            raise self.fail("another exercise on this page has the same title")
        self.page.add("exercise", exercise_id)
        block.attrib.update(
            {
                "id": exercise_id,
                "data-ms-exercise": exercise_id,
                "aria-labelledby": f"{exercise_id}-title",
            }
        )
        if self.options["counts"]:
            block.set("data-ms-check", exercise_id)
        title = etree.Element("p", {"class": "ms-exercise-title", "id": f"{exercise_id}-title"})
        etree.SubElement(title, "span", {"class": "ms-exercise-kind"}).text = strings[
            "exercise_label"
        ]
        etree.SubElement(title, "span").text = self.argument
        block.insert(0, title)
        self._starter_block(block, starter)
        note = etree.SubElement(block, "p", {"class": "ms-exercise-note"})
        note.text = strings["exercise_static"]
        self._on_request(block)
        data = {
            # As JSON text, passed on as it is: JavaScript would write 1.0 as 1.
            "request": json.dumps(request, allow_nan=False),
            "starter": starter,
            "time_limit": self.options["time_limit"],
            "solution_after": self.options["solution_after"],
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        etree.SubElement(
            block, "template", {"class": "ms-exercise-data", **NOT_SEARCHED}
        ).text = AtomicString(text)

    def _starter_block(self, block: etree.Element, starter: str) -> None:
        """The starter as plain ``<pre><code>`` text, in the place of the fence's rendering: what
        a reader without scripts reads, and what shows until the editor replaces it (the editor
        highlights it; per-token spans would only add elements to the page)."""
        pre = etree.Element("pre", {"class": "ms-exercise-starter"})
        etree.SubElement(pre, "code", {"class": "language-python"}).text = AtomicString(starter)
        stashed = [c for c in block if c.tag == "p" and _STASH.match((c.text or "").strip())]
        if stashed:  # the fence's highlighted HTML (a placeholder of it): left unused
            at = list(block).index(stashed[-1])
            block.remove(stashed[-1])
            block.insert(at, pre)
        else:
            block.append(pre)

    def _on_request(self, block: etree.Element) -> None:
        """The hints and the solution, in a ``<template>``: in the page's source, out of its
        DOM until the reader asks (``assets/exercise/exercise.js`` stamps them in one by one).
        Left out of the search index: a search must not give the solution away."""
        hints, solution = self.options["hints"], self.options["solution"]
        if not hints and solution is None:
            return
        extra = etree.SubElement(block, "template", {"class": "ms-exercise-extra", **NOT_SEARCHED})
        if hints:
            listed = etree.SubElement(extra, "ol", {"class": "ms-exercise-hints"})
            for hint in hints:
                etree.SubElement(listed, "li").text = hint
        if solution is not None:
            shown = etree.SubElement(extra, "div", {"class": "ms-exercise-solution"})
            code = etree.SubElement(
                etree.SubElement(shown, "pre"), "code", {"class": "language-python"}
            )
            code.text = AtomicString(solution)
