"""The guide's example course, made from ``docs/guide/testing.md`` alone, outside this repository.

In a temporary folder: a virtual environment (with this machine's packages, so nothing is
downloaded but the build tools), the guide's install command with this checkout as the path,
the guide's files (each a fenced block under a line that names it, e.g. `` `mkdocs.yml`: ``),
then the guide's command, ``python -m pytest``, in a subprocess. Its browser test must pass
through the installed plugin (entry point ``pytest11``): the installed package, not this
checkout, is what it imports. Then a failing test of the same course must leave its screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide" / "testing.md"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def guide_files() -> dict[str, str]:
    """``{path: text}`` of every block the guide introduces with a line `` `path`: ``."""
    text = GUIDE.read_text(encoding="utf-8")
    found = re.findall(r"^`([\w./-]+)`:\n\n```\w*\n(.*?)^```", text, re.M | re.S)
    return dict(found)


def guide_commands() -> list[str]:
    """The lines of the guide's bash blocks, in order (comments dropped)."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"^```bash\n(.*?)^```", text, re.M | re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_guide_names_every_file_of_the_course() -> None:
    assert set(guide_files()) == {
        "mkdocs.yml",
        "attention.py",
        "docs/index.md",
        "tests/test_attention.py",
    }
    commands = guide_commands()
    assert 'python -m pip install "/path/to/microscale[test]"' in commands
    assert "python -m pytest" in commands


@pytest.fixture
def tidy_checkout():
    """Remove what pip's in-tree build leaves in this checkout (``build/``, ``*.egg-info``)."""
    litter = [ROOT / "build", ROOT / "microscale.egg-info"]
    there = {path for path in litter if path.exists()}
    yield
    for path in litter:
        if path not in there:
            shutil.rmtree(path, ignore_errors=True)


@pytest.mark.usefixtures("tidy_checkout")
def test_an_example_course_passes_with_the_installed_plugin(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYODIDE_DIST")}
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], tmp_path, env)
    assert made.returncode == 0, made.stderr
    python = str(venv / "bin" / "python")
    install = next(c for c in guide_commands() if c.startswith("python -m pip install"))
    spec = install.split('"')[1].replace("/path/to/microscale", str(ROOT))
    installed = run([python, "-m", "pip", "install", "-q", spec], tmp_path, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    course = tmp_path / "my-course"
    for name, text in guide_files().items():
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        (course / name).write_text(text, encoding="utf-8")
    where = run(
        [python, "-c", "import lesson_plugins; print(lesson_plugins.__file__)"], course, env
    )
    assert str(venv) in where.stdout, "the course must import the installed package"

    passed = run([python, "-m", "pytest", "-p", "no:cacheprovider"], course, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "1 passed" in passed.stdout, passed.stdout

    # A failing test keeps a screenshot of its page, taken while the page was still open.
    (course / "tests" / "test_fails.py").write_text(
        "def test_fails(serve, page):\n"
        "    page.goto(serve().url)\n"
        "    assert page.title() == 'not this title'\n",
        encoding="utf-8",
    )
    failed = run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_fails.py"], course, env
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    shots = list((course / "test-results").glob("tests-test_fails.py-test_fails*.png"))
    assert len(shots) == 1, failed.stdout
    assert shots[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shots[0].stat().st_size > 5000
    assert str(shots[0]) in failed.stdout  # the report names it

    # Without a site, a fixture says what to do.
    elsewhere = tmp_path / "no-site"
    (elsewhere / "tests").mkdir(parents=True)
    (elsewhere / "tests" / "test_build.py").write_text(
        "def test_build(build_site):\n    build_site()\n", encoding="utf-8"
    )
    nosite = run([python, "-m", "pytest", "-p", "no:cacheprovider"], elsewhere, env)
    assert nosite.returncode == 1
    assert "no site to build (no mkdocs.yml in" in nosite.stdout, nosite.stdout
