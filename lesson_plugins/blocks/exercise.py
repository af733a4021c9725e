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
from .base import LessonBlock, boolean, integer, number, string
from .output import NOT_SEARCHED
from .quiz import hash53

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_OPENER = re.compile(r"^\s*/{3,}\s*[\w-]+")
_CLOSER = re.compile(r"^\s*/{3,}\s*$")
_STASH = re.compile("^\x02wzxhzdk:\\d+\x03$")  # Python-Markdown's placeholder of stashed HTML
_NAME = re.compile(r"^[A-Za-z_]\w*$")


def identifier(value: Any) -> str:
    text = string(value)
    if not _NAME.match(text):
        raise ValueError(f"expected a Python function name, got {value!r}")
    return text


def positive(value: Any) -> float:
    amount = number(value)
    if amount <= 0:
        raise ValueError(f"expected a number of seconds above 0, got {value!r}")
    return amount


def tolerances(value: Any) -> dict[str, float]:
    """``{rel: R, abs: A}`` (either may be left out) -> ``{"rel": R, "abs": A}``."""
    if not isinstance(value, dict) or not set(value) <= {"rel", "abs"}:
        raise ValueError(f"expected a mapping like '{{rel: 1.0e-6, abs: 1.0e-9}}', got {value!r}")
    found = {**DEFAULT_TOLERANCE, **{k: number(v) for k, v in value.items()}}
    if min(found.values()) < 0:
        raise ValueError(f"tolerances must not be negative, got {value!r}")
    return found


def texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of texts ('- a hint' lines), got {value!r}")
    return [string(v) for v in value]


def cases_option(value: Any) -> list[Any] | str:
    if isinstance(value, list) and value:
        return value
    if isinstance(value, str) and ":" in value:
        return value.strip()
    raise ValueError(
        "expected a list of argument mappings ('- {x: 1.0}') or 'module:function' returning one, "
        f"got {value!r}"
    )


DEFAULT_TOLERANCE = {"rel": 1e-6, "abs": 1e-9}


def fences(lines: list[str], header_line: int) -> list[tuple[int, str]]:
    """``(line, code)`` of each fenced code block in the block whose header is at ``header_line``
    (1-based lines of the file; ``line`` is the opening fence's). Nested blocks are skipped."""
    found: list[tuple[int, str]] = []
    depth, index = 1, header_line
    while index < len(lines):
        line = lines[index]
        m = _FENCE.match(line)
        if m:
            indent, fence = len(m.group("indent")), m.group("fence")
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(fence):
                end += 1
            if depth == 1:
                body = [_dedent(ln, indent) for ln in lines[index + 1 : end]]
                found.append((index + 1, "\n".join(body) + "\n"))
            index = end + 1
            continue
        if _CLOSER.match(line):
            depth -= 1
            if depth == 0:
                break
        elif _OPENER.match(line):
            depth += 1
        index += 1
    return found


def identify(src_path: str, title: str) -> str:
    """The id of the exercise titled ``title`` on the page ``src_path`` (as errors show it): its
    code and its pass are stored under it, and the course index counts it."""
    return "x" + hash53(f"{src_path}\n{title.strip()}")[-8:]


def _dedent(line: str, indent: int) -> str:
    """``line`` without the fence's indentation (less where it has less)."""
    cut = len(line) - len(line.lstrip())
    return line[min(cut, indent) :]


def plain(value: Any) -> Any:
    """``value`` as JSON data: numpy arrays and scalars, tuples become lists and numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class ExerciseBlock(LessonBlock):
    """A code exercise (see the module docstring)."""

    NAME = "exercise"
    ARGUMENT = True
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        "check": (None, string),
        "entry": (None, identifier),
        "cases": (None, cases_option),
        "tolerance": (DEFAULT_TOLERANCE, tolerances),
        "hints": ([], texts),
        "solution": (None, string),
        "solution_after": (0, integer),
        "counts": (True, boolean),
        "time_limit": (5.0, positive),
    }
    REQUIRED = ("check", "entry", "cases")

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
        stashed = [c for c in block if c.tag == "p" and _STASH.match((c.text or "").strip())]
        if stashed:  # the starter's rendered code block: what a reader without scripts sees
            stashed[-1].tag = "div"
            stashed[-1].set("class", "ms-exercise-starter")
        note = etree.SubElement(block, "p", {"class": "ms-exercise-note"})
        note.text = strings["exercise_static"]
        if self.options["hints"]:
            hints = etree.SubElement(block, "ol", {"class": "ms-exercise-hints"})
            for hint in self.options["hints"]:
                etree.SubElement(hints, "li", {"hidden": "hidden"}).text = hint
        if self.options["solution"] is not None:
            solution = etree.SubElement(
                block, "div", {"class": "ms-exercise-solution", "hidden": "hidden"}
            )
            code = etree.SubElement(
                etree.SubElement(solution, "pre"), "code", {"class": "language-python"}
            )
            code.text = AtomicString(self.options["solution"])
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
