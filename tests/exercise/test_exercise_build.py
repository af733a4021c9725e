"""The exercise directive at build time: every author mistake fails with ``file:line``, the grader
gives the same verdicts under CPython as the browser shows, and the browser reads only the keys
that ``lesson_plugins/grader.py`` declares."""

from __future__ import annotations

import html
import json
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lesson_plugins import grader
from lesson_plugins.errors import DirectiveError

ASSETS = Path(__file__).resolve().parents[2] / "lesson_plugins" / "assets"

GOOD_STARTER = """
Write it.

```python
def softmax_T(z, T):
    pass
```
///
"""


RIGHT_STARTER = """import numpy as np

def softmax_T(z, T):
    e = np.exp(z / T)
    return e / e.sum()
"""


def page(options: str, body: str = GOOD_STARTER) -> str:
    """A page whose exercise header is on line 3."""
    return "# Page\n\n/// exercise | Softmax\n" + options + body


BASE = (
    "    check: pycore.lessons.distillation:softmax_T\n"
    "    entry: softmax_T\n"
    "    cases:\n"
    "      - {z: [1.0, 2.0], T: 1.0}\n"
)


def fails(build_pages, text: str, files: dict[str, str] | None = None) -> DirectiveError:
    with pytest.raises(DirectiveError) as info:
        build_pages({"index.md": text}, files=files)
    return info.value


def test_a_good_exercise_builds(build_pages):
    site = build_pages({"index.md": page(BASE)})
    html = (site / "index.html").read_text()
    assert 'class="ms-exercise"' in html and 'class="ms-exercise-starter"' in html


class Elements(HTMLParser):
    """The tags of the elements inside the first ``<section>``, outside ``<template>``s (what a
    browser's DOM holds, and Lighthouse counts), and the text inside the templates."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.templated: list[str] = []
        self.depth = self.in_template = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.depth += tag == "section"
        self.in_template += tag == "template"
        if self.depth and not self.in_template and tag != "section":
            self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "section"
        self.in_template -= tag == "template"

    def handle_data(self, data: str) -> None:
        if self.in_template:
            self.templated.append(data)


def test_an_exercise_adds_few_elements_and_keeps_hints_and_solution_in_a_template(build_pages):
    options = BASE + (
        "    hints:\n      - Divide by `T`.\n      - Subtract the maximum.\n"
        "    solution: |\n      import numpy as np\n      def softmax_T(z, T):\n"
        "          e = np.exp((z - z.max()) / T)\n          return e / e.sum()\n"
    )
    starter = "\nWrite it.\n\n```python\n" + RIGHT_STARTER + "```\n///\n"
    html = (build_pages({"index.md": page(options, starter)}) / "index.html").read_text()
    parser = Elements()
    parser.feed(html)
    # the title (p, 2 spans), the instructions (p), the starter as plain text (pre, code: no
    # per-token spans however long it is), the note for readers without scripts (p)
    assert parser.tags == ["p", "span", "span", "p", "pre", "code", "p"]
    inside = "".join(parser.templated)
    assert "Subtract the maximum." in inside and "np.exp((z - z.max()) / T)" in inside
    assert '<pre class="ms-exercise-starter"><code class="language-python">import numpy' in html


def test_missing_starter(build_pages):
    error = fails(build_pages, page(BASE, "\nNo code here.\n///\n"))
    assert str(error).startswith("docs/index.md:3: exercise: no starter code")


def test_starter_that_does_not_parse(build_pages):
    body = "\nWrite it.\n\n```python\ndef softmax_T(z, T)\n    pass\n```\n///\n"
    error = fails(build_pages, page(BASE, body))
    # the fence is on line 11 of the file, the bad line the first of the code: line 12
    assert str(error).startswith("docs/index.md:12: exercise: the starter code does not parse")


def test_reference_not_importable(build_pages):
    options = BASE.replace("distillation:softmax_T", "distillation:no_such_function")
    error = fails(build_pages, page(options))
    assert str(error).startswith("docs/index.md:3: exercise: option 'check':")
    assert "no function 'no_such_function'" in str(error)


def test_reference_outside_the_shipped_sources(build_pages):
    error = fails(build_pages, page(BASE.replace("pycore.lessons.distillation", "json")))
    assert "docs/index.md:3: exercise: option 'check': module 'json' is not shipped" in str(error)


def test_cases_that_make_the_reference_raise(build_pages):
    options = BASE + "      - {z: [1.0, 2.0], T: -1.0}\n"
    error = fails(build_pages, page(options))
    assert str(error).startswith(
        "docs/index.md:3: exercise: case 2 makes the reference "
        "pycore.lessons.distillation:softmax_T raise ValueError"
    )


def test_case_with_an_unknown_argument(build_pages):
    error = fails(build_pages, page(BASE + "      - {logits: [1.0], T: 1.0}\n"))
    assert "docs/index.md:3: exercise: case 2: 'logits' is not a parameter" in str(error)


def test_cases_from_a_function_in_the_modules_option(build_pages, tmp_path):
    files = {
        "mkdocs.yml": (
            "site_name: t\ntheme: {name: material}\nplugins:\n  - lessons:\n"
            "      modules: [extra.py]\nmarkdown_extensions: [pymdownx.superfences]\n"
        ),
        "extra.py": (
            "import numpy as np\n"
            "def square(x):\n    return np.asarray(x) ** 2\n"
            "def cases():\n"
            "    return [{'x': np.arange(3.0)}, {'args': {'x': 2.0}, 'feedback': 'f'}]\n"
        ),
    }
    options = (
        "    check: extra:square\n    entry: square\n    cases: extra:cases\n"
        "    solution: |\n      def square(x):\n          return x * x\n"
    )
    body = "\nSquare it.\n\n```python\ndef square(x):\n    pass\n```\n///\n"
    site = build_pages({"index.md": page(options, body)}, files=files)
    data = (site / "index.html").read_text()
    template = re.search(r"ms-exercise-data\">(.*?)</template>", data)[1]
    request = json.loads(json.loads(html.unescape(template))["request"])
    assert request["cases"] == [
        {"args": {"x": [0.0, 1.0, 2.0]}, "feedback": ""},
        {"args": {"x": 2.0}, "feedback": "f"},
    ]


def test_solution_that_does_not_define_entry(build_pages):
    options = BASE + "    solution: |\n      def other(z, T):\n          return z\n"
    error = fails(build_pages, page(options))
    # the 'solution:' option is on line 8
    assert str(error).startswith(
        "docs/index.md:8: exercise: the solution does not define a function named 'softmax_T'"
    )


def test_solution_that_fails_its_cases(build_pages):
    options = BASE + "    solution: |\n      def softmax_T(z, T):\n          return z\n"
    error = fails(build_pages, page(options))
    assert str(error).startswith(
        "docs/index.md:8: exercise: the solution fails case 1 (z=[1.0, 2.0], T=1.0)"
    )
    assert "expected [0.268941, 0.731059], it returns [1, 2]" in str(error)


def test_solution_that_raises_points_at_its_line(build_pages):
    options = BASE + "    solution: |\n      def softmax_T(z, T):\n          return 1 / 0\n"
    error = fails(build_pages, page(options))
    # line 2 of the solution, which starts after the 'solution:' line 8
    assert str(error).startswith("docs/index.md:10: exercise: the solution raises on case 1")
    assert "ZeroDivisionError" in str(error)


def test_solution_that_does_not_parse(build_pages):
    options = BASE + "    solution: |\n      def softmax_T(z, T)\n          return z\n"
    error = fails(build_pages, page(options))
    assert str(error).startswith("docs/index.md:9: exercise: the solution does not parse")


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("    tolerance: 0.1\n", "option 'tolerance': expected a mapping"),
        ("    entry2: x\n", "unknown option 'entry2'"),
        ("    time_limit: 0\n", "option 'time_limit': expected a number of seconds above 0"),
        ("    hints: a hint\n", "option 'hints': expected a list of texts"),
        ("    solution_after: -1\n", "option 'solution_after'"),
    ],
)
def test_bad_options(build_pages, option, expected):
    error = fails(build_pages, page(BASE + option))
    assert str(error).startswith("docs/index.md:3: exercise: ") and expected in str(error)


def test_missing_required_option(build_pages):
    error = fails(build_pages, page(BASE.replace("    entry: softmax_T\n", "")))
    assert str(error).startswith("docs/index.md:3: exercise: missing option 'entry'")


# The grader under CPython ----------------------------------------------------------------------


def request(code: str, action: str = "check", **kw) -> grader.Request:
    return {
        "action": action, "code": code, "entry": "f", "check": "pycore.distributions:softmax",
        "cases": [{"args": {"logits": [1.0, 2.0]}, "feedback": ""}], "rel": 1e-9, "abs": 0.0, **kw,
    }  # fmt: skip


def test_grader_verdicts():
    right = "import numpy as np\ndef f(logits):\n    e = np.exp(logits - logits.max())\n"
    right += "    return e / e.sum()\n"
    assert grader.run(request(right))["status"] == "passed"
    assert grader.run(request("def f(logits):\n    return [0.5, 0.5]\n"))["status"] == "failed"
    shape = grader.run(request("def f(logits):\n    return [1.0]\n"))["reason"]
    assert shape.startswith("the shape differs")
    assert grader.run(request("g = 1\n"))["status"] == "missing"
    ran = grader.run(request("print('hi')\nimport sys\nprint('no', file=sys.stderr)", "run"))
    assert (ran["status"], ran["stdout"], ran["stderr"]) == ("ran", "hi\n", "no\n")
    error = grader.run(request("x = 1\ny = x.nope\n", "run"))
    assert error["status"] == "error" and error["line"] == 2
    assert error["error"].startswith(
        'Traceback (most recent call last):\n  File "exercise.py", line 2'
    )


def test_grader_tolerance_is_relative_and_absolute():
    assert grader.compare(1.0, 1.0 + 1e-7, 1e-6, 0.0) is None
    assert grader.compare(1.0, 1.0 + 1e-5, 1e-6, 0.0) == "too far off"
    assert grader.compare(0.0, 1e-10, 1e-6, 1e-9) is None
    assert grader.compare([0.0, 1.0], [0.0, 2.0], 1e-6, 1e-9) == "too far off at index 1"
    assert grader.compare({"a": 1.0}, {"a": float("nan")}, 1e-6, 1e-9) == (
        "at key 'a': not a finite number"
    )
    assert grader.compare(float("nan"), float("nan"), 0, 0) is None


def test_the_browser_reads_only_the_keys_the_grader_declares():
    source = (ASSETS / "exercise" / "exercise.js").read_text()
    reply_keys = set(typing.get_type_hints(grader.Reply))
    used = set(re.findall(r"\breply\.(\w+)", source))
    assert used and used <= reply_keys, used - reply_keys
    statuses = set(typing.get_args(typing.get_type_hints(grader.Reply)["status"]))
    assert set(re.findall(r"^\s+(\w+): \"exercise_\w+\"", source, re.M)) | {"error"} >= statuses
    assert re.search(r'\{"action":"\$\{action\}","code":\$\{code\}', source)
    request_keys = {"action", "code", "entry", "check", "cases", "rel", "abs"}
    assert set(grader.Request.__annotations__) == request_keys
