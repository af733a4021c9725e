"""``microscale check``: the course passes in real Pyodide; broken modules fail with their place.

Each check runs the real command in a subprocess: Node, Pyodide 0.27.7 with numpy 2.0.2 (the
``pyodide_dist`` fixture), on sites built here by CPython with this machine's numpy.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lesson_plugins.testing import build

ROOT = Path(__file__).resolve().parents[2]
NUMPY_2_1 = tuple(map(int, importlib.metadata.version("numpy").split(".")[:2])) >= (2, 1)
HAS_SCIPY = importlib.util.find_spec("scipy") is not None


def check(site: Path, dist: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lesson_plugins.cli", "check", str(site), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYODIDE_DIST": str(dist)},
    )


@pytest.mark.pyodide
@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_the_course_agrees_in_pyodide(host: str, request, pyodide_dist: Path) -> None:
    """The check reads only the built site: the course built by either host passes."""
    env = {"PYODIDE_DIST": str(pyodide_dist)}
    builder = request.getfixturevalue("build_site" if host == "mkdocs" else "zensical_site")
    site = builder(ROOT / "mkdocs.yml", env=env)
    proc = check(site, pyodide_dist, "--docs", str(ROOT / "docs"), cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = re.search(r"(\d+) outputs on (\d+) pages, (\d+) calls", proc.stdout)
    outputs, pages, calls = map(int, summary.groups())
    assert outputs >= 15 and pages >= 3 and calls > outputs  # the default and other states
    assert "every result agrees" in proc.stdout


# A course whose functions build under CPython and fail (or differ) in Pyodide. Each page's
# output names what it shows; the test reads its line in the check's report.
CUMULATIVE = '''\
import numpy as np


def running_total(n: float = 1.0) -> dict[str, float]:
    """Running totals of n, 2n, 3n with np.cumulative_sum (new in numpy 2.1)."""
    totals = np.cumulative_sum(np.arange(1.0, 4.0) * n)
    return {f"after {i + 1}": float(t) for i, t in enumerate(totals)}
'''
SCIPY = '''\
import numpy as np
from scipy.special import softmax


def weights(T: float = 1.0) -> dict[str, float]:
    """Softmax over three scores at temperature T, with scipy (not in the site's Pyodide)."""
    return dict(zip("abc", softmax(np.array([2.0, 1.0, 0.5]) / T).tolist()))
'''
PLATFORM = '''\
import sys


def where() -> dict[str, float]:
    """A number that depends on the runtime: 1 in Pyodide (emscripten), 2 elsewhere."""
    return {"runtime": 1.0 if sys.platform == "emscripten" else 2.0}
'''
REJECTS = '''\
def halves(n: float = 1.0) -> dict[str, float]:
    """n / 2, but not for n = 2 (a function may reject a state: the widget shows why)."""
    if n == 2:
        raise ValueError("n = 2 is not allowed here")
    return {"half": n / 2}
'''
PAGE = """\
# {title}

/// slider | {param}
    min: 1
    max: 3
    step: 1
///

/// {kind} | {title}
    compute: {spec}
    precompute: {precompute}
///
"""
CASES = {
    # page: (module, source, output, precompute, built only when)
    "cumulative": ("running", CUMULATIVE, "bars:running_total:n", "true", NUMPY_2_1),
    "scipy": ("usescipy", SCIPY, "bars:weights:T", "false", HAS_SCIPY),
    "platform": ("whichruntime", PLATFORM, "readout:where:", "true", True),
    "rejects": ("rejects", REJECTS, "readout:halves:n", "false", True),
}


@pytest.fixture(scope="module")
def broken(pyodide_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The check's report on the broken course, run from the course's folder."""
    course = tmp_path_factory.mktemp("broken")
    (course / "docs").mkdir()
    modules, nav = [], []
    for page, (module, source, output, precompute, built) in CASES.items():
        if not built:
            continue
        kind, function, param = output.split(":")
        (course / f"{module}.py").write_text(source, encoding="utf-8")
        modules.append(f"{module}.py")
        text = PAGE.format(
            title=f"{page} output",
            param=param or "unused",
            kind=kind,
            spec=f"{module}:{function}",
            precompute=precompute,
        )
        if not param:  # a function without parameters: no slider
            text = re.sub(r"/// slider.*?///\n\n", "", text, flags=re.S)
        (course / "docs" / f"{page}.md").write_text(text, encoding="utf-8")
        nav.append(f"{page}.md")
    (course / "docs" / "index.md").write_text("# Broken on purpose\n", encoding="utf-8")
    (course / "mkdocs.yml").write_text(
        "site_name: broken\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - lessons:\n      modules: {modules}\n"
        f"nav: [index.md, {', '.join(nav)}]\n",
        encoding="utf-8",
    )
    build(course / "mkdocs.yml", course / "site")
    proc = check(course / "site", pyodide_dist, cwd=course)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    print(proc.stdout)  # shown with -s, and with a failing test
    return proc.stdout


def report(text: str, page: str) -> str:
    """The check's paragraph about the output of ``page``."""
    found = re.search(rf"^docs/{page}\.md:\d+: .*?(?=^\S|\Z)", text, re.M | re.S)
    assert found, f"no report on docs/{page}.md:\n{text}"
    return found.group()


@pytest.mark.skipif(not NUMPY_2_1, reason="the build needs numpy >= 2.1 to call cumulative_sum")
@pytest.mark.pyodide
def test_a_numpy_2_1_function_fails_with_its_line(broken: str) -> None:
    text = report(broken, "cumulative")
    assert text.startswith('docs/cumulative.md:9: bars "cumulative output" on page /cumulative/')
    assert "Pyodide raised at the default state (n=1.0)" in text
    assert "running.py" in text  # the traceback goes into the author's module
    assert "AttributeError: module 'numpy' has no attribute 'cumulative_sum'" in text


@pytest.mark.skipif(not HAS_SCIPY, reason="scipy is not installed, so the build cannot import it")
@pytest.mark.pyodide
def test_importing_scipy_fails_with_its_line(broken: str) -> None:
    text = report(broken, "scipy")
    assert text.startswith('docs/scipy.md:9: bars "scipy output" on page /scipy/')
    assert "ModuleNotFoundError: No module named 'scipy'" in text


@pytest.mark.pyodide
def test_a_different_number_is_named(broken: str) -> None:
    text = report(broken, "platform")
    assert text.startswith('docs/platform.md:3: readout "platform output" on page /platform/')
    assert "Pyodide differs from the build at the default state (no controls)" in text
    assert "values[0]: expected 2.0, Pyodide gave 1.0" in text


@pytest.mark.pyodide
def test_a_state_rejected_in_both_runtimes_is_no_failure(broken: str) -> None:
    assert "docs/rejects.md" not in broken
    built = sum(built for *_, built in CASES.values())
    assert f"{built - 1} of {built} outputs failed" in broken


def test_the_pages_workflow_checks_the_built_site() -> None:
    import yaml

    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    runs = [s.get("run", "") for s in yaml.safe_load(workflow)["jobs"]["build"]["steps"]]
    build = next(i for i, run in enumerate(runs) if "mkdocs build" in run)
    assert any(run.strip() == "microscale check site" for run in runs[build + 1 :])
