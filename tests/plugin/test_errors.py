"""Every author mistake in a widget directive fails the build: ``docs/path.md:LINE: message``."""

from __future__ import annotations

import pytest

from lesson_plugins.errors import DirectiveError

LAB = """
import math

import numpy as np

def bars(T: float) -> dict:
    return {"a": T / 10, "b": 1 - T / 10}

def numbers(T: float) -> list:
    return [T, 1 - T]

def nan(T: float) -> dict:
    return {"a": math.nan}

def negative(T: float) -> dict:
    return {"a": -T}

def boom(T: float) -> dict:
    raise ZeroDivisionError("the author divided by zero")

def needs_alpha(T: float, alpha: float) -> dict:
    return {"a": alpha}

def defaulted(T: float = 1.0) -> dict:
    return {"a": T}

def short_series(T: float) -> dict:
    return {"x": [0, 1, 2], "series": {"y": [1, 2]}}

def clipped(T: float, clipping: float = 1.0) -> dict:
    return {"a": min(T, clipping)}

def levels(bits: float) -> dict:
    return {str(level): 1.0 for level in range(2**bits)}

def deep(T: float) -> dict:
    return {"a": _helper(T)}

def _helper(T: float) -> float:
    return 1.0 / (T - T)

def spaced(bits: float) -> dict:
    return {"a": float(np.linspace(0, 1, 2**bits)[0])}
"""

SLIDER = """/// slider | T
    min: 0.5
    max: 5
    step: 0.1
    value: 2.0
///
"""


def slider(**options: object) -> str:
    """A slider T with ``options`` replacing the defaults (``None`` removes one)."""
    base = {"min": 0.5, "max": 5, "step": 0.1, "value": 2.0, **options}
    lines = "".join(f"    {k}: {v}\n" for k, v in base.items() if v is not None)
    return f"/// slider | T\n{lines}///\n"


def bars(compute: str = "lab:bars", extra: str = "") -> str:
    return f"/// bars | chart\n    compute: {compute}\n{extra}///\n"


# (markdown after a title line and a blank line, the 1-based line of the error, the message)
MISTAKES = {
    "misspelled option": (
        slider(lable="T"),
        3,
        "slider: unknown option 'lable' (did you mean 'label'?)",
    ),
    "wrong type": (slider(min="low"), 3, "slider: option 'min': expected a number, got 'low'"),
    "min >= max": (slider(min=5, max=1, value=2), 3, "slider: min (5) must be less than max (1)"),
    "value off grid": (slider(value=2.05), 3, "slider: value 2.05 is off the step grid"),
    "value out of range": (
        slider(value=7),
        3,
        "slider: value 7 is out of range: it must lie in [0.5, 5]",
    ),
    "step <= 0": (slider(step=0), 3, "slider: step must be > 0, got 0"),
    "negative step": (slider(step=-0.1), 3, "slider: step must be > 0, got -0.1"),
    "max off grid": (slider(max=5.05), 3, "slider: max 5.05 is not on the step grid"),
    "missing option": (slider(step=None), 3, "slider: missing option 'step'"),
    "not a name": (
        "/// slider | 2T\n    min: 0\n    max: 1\n    step: 1\n///\n",
        3,
        "slider: '2T' is not a parameter name",
    ),
    "two sliders": (
        SLIDER + "\n" + SLIDER,
        10,
        "slider: a control named 'T' is already on this page (line 3)",
    ),
    "unreadable options": (
        "/// slider | T\n    min: [0\n///\n",
        3,
        "slider: option 'min' (line 4): its value '[0' is not valid YAML",
    ),
    "colon in an option value": (
        "/// slider | T\n    min: 0\n    max: 1\n    step: 0.5\n"
        "    label: outlier: its size\n///\n",
        3,
        "slider: option 'label' (line 7): its value contains ': ', which YAML reads as the start "
        'of a mapping; quote the value, e.g. label: "outlier: its size"',
    ),
    "argument where none belongs": (
        "/// course | everything\n///\n",
        3,
        "course: takes no argument after '|', got 'everything'",
    ),
    "no compute": ("/// bars | chart\n    format: .1%\n///\n", 3, "bars: missing option 'compute'"),
    "no title": (
        "/// bars\n    compute: lab:bars\n///\n",
        3,
        "bars: needs an argument: write '/// bars | TITLE'",
    ),
    "malformed compute": (bars("lab.bars"), 3, "bars: compute: expected 'module:function'"),
    "module does not import": (
        bars("lab_missing:bars"),
        3,
        "bars: compute: module 'lab_missing' is not shipped",
    ),
    "module not shipped": (
        bars("json:dumps"),
        3,
        "bars: compute: module 'json' is not shipped to the browser",
    ),
    "function missing": (
        bars("lab:barz"),
        3,
        "bars: compute: 'lab' has no function 'barz' (did you mean 'bars'?)",
    ),
    "parameter without slider": (
        SLIDER + bars("lab:needs_alpha"),
        9,
        "bars: parameter 'alpha' of lab:needs_alpha has no slider or"
        " choice on this page (controls here: T)",
    ),
    "wrong shape": (
        SLIDER + bars("lab:numbers"),
        9,
        "bars: lab:numbers(T=2.0) returned a wrong result: item 0 is"
        " float 2.0, not a (label, number) pair",
    ),
    "non-finite": (
        SLIDER + bars("lab:nan"),
        9,
        "bars: lab:nan(T=2.0) returned a wrong result: the value of"
        " 'a' is nan, not a finite number",
    ),
    "negative bar": (
        SLIDER + bars("lab:negative"),
        9,
        "bars: lab:negative(T=2.0) returned a wrong result: the"
        " value of 'a' is -2.0; bars show amounts >= 0",
    ),
    "compute raises": (
        SLIDER + bars("lab:boom"),
        9,
        "bars: lab:boom(T=2.0) raised ZeroDivisionError: the author divided by zero",
    ),
    "bad format": (
        bars(extra="    format: percent\n"),
        3,
        "bars: option 'format': expected a number format such as .1%",
    ),
    "plot series length": (
        SLIDER + "/// plot | p\n    compute: lab:short_series\n///\n",
        9,
        "plot: lab:short_series(T=2.0) returned a wrong result:"
        " series['y'] has 2 values but x has 3",
    ),
    "control that drives nothing": (
        SLIDER.replace("| T", "| temp") + bars("lab:defaulted"),
        3,
        "slider: no output on this page takes a parameter named 'temp' (their compute functions "
        "take: T); rename the control or the function's parameter",
    ),
    "output never closed": (
        SLIDER + "/// bars | chart\n    compute: lab:bars\n\nText after the chart.\n",
        9,
        "bars: the block '/// bars | chart' that starts here is never closed, so everything "
        "after it (to the end of the page) is inside it; add a line '///' after line 10",
    ),
    "output never closed, another block after it": (
        "/// bars | chart\n    compute: lab:bars\n\n" + SLIDER,
        3,
        "bars: the block '/// bars | chart' that starts here is never closed",
    ),
    "control never closed": (
        "/// slider | T\n    min: 0.5\n    max: 5\n    step: 0.1\n\n" + bars(),
        3,
        "slider: the block '/// slider | T' that starts here is never closed, so everything "
        "after it (to the end of the page) is inside it; add a line '///' after line 6",
    ),
    "content inside an output": (
        SLIDER + "/// bars | chart\n    compute: lab:bars\n\nWhat the chart shows.\n///\n",
        9,
        "bars: an output takes no content, but text follows its options (line 12); close the "
        "block with a line '///' right after its options (line 10), then write the text below it",
    ),
    "misspelled directive": (
        SLIDER + "/// slidr | clip\n    min: 0\n///\n" + bars(),
        9,
        "unknown directive '/// slidr' (did you mean 'slider'?): it would be printed as text. "
        "Microscale's directives are: bars, choice, course, exercise, heatmap, hist, notebook, "
        "paper, plot, "
        "quiz, readout, scatter, slider. To show a header as an example, put it in a fenced code "
        "block",
    ),
    "pymdownx block not enabled": (
        "/// details | More\nHidden text.\n///\n",
        3,
        "unknown directive '/// details': it would be printed as text",
    ),
    "renamed parameter with a default": (
        SLIDER
        + SLIDER.replace("| T", "| clip").replace("value: 2.0", "value: 1.0")
        + bars("lab:clipped"),
        9,
        "slider: no output on this page takes a parameter named 'clip' (did you mean "
        "'clipping'?) (their compute functions take: T, clipping); rename the control or the "
        "function's parameter",
    ),
    "slider value used as a whole number": (
        "/// slider | bits\n    min: 1\n    max: 4\n    step: 1\n    value: 2\n///\n"
        + bars("lab:levels"),
        9,
        "bars: lab:levels(bits=2.0) raised TypeError: 'float' object cannot be interpreted as an "
        "integer; sliders pass floats (bits=2.0, not 2): convert where a whole number is needed, "
        "e.g. range(int(bits)) or np.zeros(int(bits))",
    ),
    "choice value": (
        "/// choice | mode\n    options: [a, b]\n    value: c\n///\n",
        3,
        "choice: value 'c' is not one of the options: a, b",
    ),
    "choice one option": (
        "/// choice | mode\n    options: [a]\n///\n",
        3,
        "choice: options: give at least two options",
    ),
    "choice labels": (
        "/// choice | mode\n    options: [a, b]\n    labels: [A]\n///\n",
        3,
        "choice: labels: give one label per option (2), got 1",
    ),
    "choice not a list": (
        "/// choice | mode\n    options: a\n///\n",
        3,
        "choice: option 'options': expected a list such as [forward, reverse]",
    ),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_mistake_names_file_line_and_fix(build_pages, name):
    markdown, line, message = MISTAKES[name]
    with pytest.raises(DirectiveError) as caught:
        build_pages(
            {"index.md": "# Page\n\n" + markdown},
            files={"lab.py": LAB},
            plugin_options={"modules": ["lab.py"], "precompute_limit": 0},
        )
    error = caught.value
    assert (error.path, error.line) == ("docs/index.md", line), str(error)
    assert str(error).startswith(f"docs/index.md:{line}: {message}"), str(error)


def test_the_failing_state_is_named_when_precomputing(build_pages):
    lab = "def bars(T: float) -> dict:\n    return {'a': abs(1 / (T - 3))}\n"
    with pytest.raises(
        DirectiveError, match=r"docs/index.md:9: bars: lab:bars\(T=3.0\) raised ZeroDivisionError"
    ):
        build_pages(
            {"index.md": "# Page\n\n" + slider(min=0, max=4, step=1, value=1) + bars()},
            files={"lab.py": lab},
            plugin_options={"modules": ["lab.py"]},
        )


def test_a_compute_error_shows_the_traceback_into_the_authors_module(build_pages):
    with pytest.raises(DirectiveError) as caught:
        build_pages(
            {"index.md": "# Page\n\n" + SLIDER + bars("lab:deep")},
            files={"lab.py": LAB},
            plugin_options={"modules": ["lab.py"], "precompute_limit": 0},
        )
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        "docs/index.md:9: bars: lab:deep(T=2.0) raised ZeroDivisionError: float division by zero"
    )
    number = LAB.splitlines().index("    return 1.0 / (T - T)") + 1
    assert lines[1:] == [
        "Traceback in your code (most recent call last):",
        f'  File "lab.py", line {number - 3}, in deep',
        '    return {"a": _helper(T)}',
        f'  File "lab.py", line {number}, in _helper',
        "    return 1.0 / (T - T)",
    ]


def test_an_error_inside_a_library_names_the_authors_line_that_called_it(build_pages):
    page = "/// slider | bits\n    min: 1\n    max: 4\n    step: 1\n///\n" + bars("lab:spaced")
    with pytest.raises(DirectiveError) as caught:
        build_pages(
            {"index.md": "# Page\n\n" + page},
            files={"lab.py": LAB},
            plugin_options={"modules": ["lab.py"], "precompute_limit": 0},
        )
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("docs/index.md:8: bars: lab:spaced(bits=1.0) raised TypeError: ")
    assert "sliders pass floats (bits=1.0, not 1)" in lines[0]
    number = LAB.splitlines().index('    return {"a": float(np.linspace(0, 1, 2**bits)[0])}') + 1
    assert lines[2] == f'  File "lab.py", line {number}, in spaced'
    assert lines[-1].startswith("  (raised in numpy/"), lines
    assert lines[-1].endswith(".py, called from the line above)"), lines


def test_a_page_in_a_folder_is_named_by_its_path(build_pages):
    with pytest.raises(DirectiveError, match=r"^docs/act-1/lesson.md:5: slider: step must be > 0"):
        build_pages({"act-1/lesson.md": "---\ntitle: x\n---\n\n" + slider(step=0)})


def test_modules_that_do_not_exist_are_a_config_error(build_pages):
    from mkdocs.exceptions import PluginError

    with pytest.raises(
        PluginError, match=r"mkdocs.yml: plugin 'lessons': modules: 'nowhere.py' is neither"
    ):
        build_pages({"index.md": "# Page\n"}, plugin_options={"modules": ["nowhere.py"]})
