"""Runs a reader's exercise code and checks it against a reference: one module, two runtimes.

The exercises' Pyodide worker (``assets/worker.js``) calls :func:`grade` on each Run and Check:
this file is in the sources zip as ``_microscale_grader.py`` (``compute.zip_sources``). The build
runs the very same code under CPython to check an exercise's solution against its own cases
(``blocks/exercise.py``). It imports only the standard library and numpy.

A request (:class:`Request`) is what ``blocks/exercise.py`` writes into the page for the exercise,
plus the reader's ``code`` and the ``action``; the reply (:class:`Reply`) is what
``assets/exercise/exercise.js`` shows. Both travel as JSON; ``tests/exercise`` checks that the
browser side reads no other keys.

Each run gets a fresh namespace; what the code prints is captured; a traceback shows only the
reader's frames and after them, with the reader's own line numbers (the code is compiled as the
file :data:`FILENAME`).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import linecache
import math
import traceback
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypedDict

import numpy as np

#: The file name the reader's code runs as, in tracebacks ("File "exercise.py", line 3").
FILENAME = "exercise.py"
#: At most this many characters of printed output are kept, each of stdout and stderr.
OUTPUT_LIMIT = 20_000
#: At most this many characters of a formatted value in feedback.
VALUE_LIMIT = 600


class Case(TypedDict):
    """One check: the arguments, by name, and an optional explanation shown when it fails."""

    args: dict[str, Any]
    feedback: str


class Request(TypedDict):
    """What the browser sends to run (``action: "run"``) or check (``"check"``) the code."""

    action: Literal["run", "check"]
    code: str
    entry: str  # the function the reader defines
    check: str  # the reference, "module:function"
    cases: list[Case]
    rel: float  # relative tolerance
    abs: float  # absolute tolerance


class Reply(TypedDict):
    """The outcome. ``status``: ``ran`` (run, no error), ``error`` (the code raised or does not
    parse: ``error`` is the traceback, ``line`` the reader's line), ``missing`` (no function named
    ``entry``), ``failed`` (case number ``case`` gave ``actual`` where ``expected`` was due, see
    ``reason``), ``raised`` (the reader's function raised on case ``case``: ``error``), ``passed``.
    """

    status: Literal["ran", "error", "missing", "failed", "raised", "passed"]
    stdout: str
    stderr: str
    error: str
    line: int | None
    case: int | None  # 1-based
    total: int
    args: str
    expected: str
    actual: str
    reason: str
    feedback: str


def grade(request: str) -> str:
    """The worker's entry point: a :class:`Request` as JSON in, a :class:`Reply` as JSON out."""
    return json.dumps(run(json.loads(request)), allow_nan=False)


def reference(spec: str) -> Callable[..., Any]:
    """The function ``module:function`` (importable: the site's shipped sources)."""
    import importlib

    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def run(request: Request) -> Reply:
    """Run or check ``request['code']`` (see :class:`Reply`)."""
    reply: Reply = {
        "status": "ran", "stdout": "", "stderr": "", "error": "", "line": None, "case": None,
        "total": len(request.get("cases", [])), "args": "", "expected": "", "actual": "",
        "reason": "", "feedback": "",
    }  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            _run(request, reply)
    finally:
        reply["stdout"], reply["stderr"] = _cut(out.getvalue()), _cut(err.getvalue())
    return reply


def _run(request: Request, reply: Reply) -> None:
    code = request["code"]
    linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        exec(compile(code, FILENAME, "exec"), namespace)
    except BaseException as exc:  # the reader's code may raise anything
        _error(reply, "error", exc)
        return
    if request["action"] != "check":
        return
    entry = namespace.get(request["entry"])
    if not callable(entry):
        reply["status"] = "missing"
        return
    check = reference(request["check"])
    for number, case in enumerate(request["cases"], start=1):
        expected = check(**arguments(case["args"]))
        try:
            actual = entry(**arguments(case["args"]))
        except BaseException as exc:
            _error(reply, "raised", exc)
            _describe(reply, number, case, expected)
            return
        reason = compare(expected, actual, request["rel"], request["abs"])
        if reason is not None:
            reply["status"] = "failed"
            _describe(reply, number, case, expected)
            reply["actual"], reply["reason"] = show(actual), reason
            return
    reply["status"] = "passed"


def _describe(reply: Reply, number: int, case: Case, expected: Any) -> None:
    reply["case"], reply["expected"] = number, show(expected)
    reply["args"] = ", ".join(
        f"{name}={_short(json.dumps(value))}" for name, value in case["args"].items()
    )
    reply["feedback"] = case.get("feedback", "")


def _error(reply: Reply, status: Literal["error", "raised"], exc: BaseException) -> None:
    """The traceback from the reader's first frame on (none of this module's frames)."""
    reply["status"] = status
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    reply["error"] = "".join(traceback.format_exception(type(exc), exc, tb)).rstrip()
    if isinstance(exc, SyntaxError) and exc.filename == FILENAME:
        reply["line"] = exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(tb) if f.filename == FILENAME]
        reply["line"] = frames[-1].lineno if frames else None


def _cut(text: str) -> str:
    return text if len(text) <= OUTPUT_LIMIT else text[:OUTPUT_LIMIT] + "\n…"


def arguments(args: Mapping[str, Any]) -> dict[str, Any]:
    """A case's arguments as a function receives them: lists become numpy arrays; a fresh copy
    each call, so that neither function sees what the other changed."""
    return {
        name: np.asarray(value) if isinstance(value, list) else copy.deepcopy(value)
        for name, value in args.items()
    }


def compare(expected: Any, actual: Any, rel: float, abs_: float) -> str | None:
    """None when ``actual`` matches ``expected`` within the tolerances, else what differs.

    Numbers and arrays match when ``|actual - expected| <= max(rel * |expected|, abs_)``
    everywhere (NaN matches only NaN); mappings key by key; text, booleans and None exactly.
    """
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return f"a mapping was expected, the function returned {type(actual).__name__}"
        if set(expected) != set(actual):
            return f"the keys differ: expected {sorted(map(str, expected))}"
        for key in expected:
            reason = compare(expected[key], actual[key], rel, abs_)
            if reason is not None:
                return f"at key {key!r}: {reason}"
        return None
    if isinstance(expected, str | bool) or expected is None:
        return None if actual == expected else "the values differ"
    try:
        want = np.asarray(expected, dtype=np.float64)
        got = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        return f"a number or array was expected, the function returned {type(actual).__name__}"
    if want.shape != got.shape:
        return f"the shape differs: expected {want.shape}, got {got.shape}"
    with np.errstate(invalid="ignore", over="ignore"):
        close = (got == want) | (np.abs(got - want) <= np.maximum(rel * np.abs(want), abs_))
    close |= np.isnan(got) & np.isnan(want)
    if close.all():
        return None
    where = tuple(int(i) for i in np.argwhere(~close)[0])
    at = f" at index {where[0] if len(where) == 1 else where}" if where else ""
    value = got[where] if where else got
    return f"{'not a finite number' if not math.isfinite(value) else 'too far off'}{at}"


def show(value: Any) -> str:
    """``value`` formatted for feedback: numbers to 6 significant digits, arrays as lists."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k!r}: {show(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, np.ndarray | list | tuple):
        items = value.tolist() if isinstance(value, np.ndarray) else value
        if not isinstance(items, list | tuple):  # a 0-d array
            return show(items)
        text = "[" + ", ".join(show(item) for item in items) + "]"
    elif isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = repr(value)
    return _short(text)


def _short(text: str) -> str:
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT] + "…"
