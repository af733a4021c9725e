"""A first build computes in a second process (``lesson_plugins/offload.py``): the same site, the
same errors, and the build's own process never imports the lessons' Python."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lesson_plugins import offload
from lesson_plugins.errors import DirectiveError

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")

LAB = """\
import os
import pathlib

import numpy as np


def teacher(T: float) -> dict:
    pathlib.Path(os.environ["PIDS"]).open("a").write(f"{os.getpid()}\\n")
    p = np.exp(np.array([3.0, 1.0, 0.2]) / T)
    return dict(zip(["Paris", "Lyon", "Nice"], (p / p.sum()).tolist()))


def trend(alpha: float, T: float = 2.0) -> dict:
    x = np.linspace(0, 1, 5)
    return {"x": x.tolist(), "series": {"a": (alpha * x).tolist()}, "frames": [{"a": [0.0] * 5}]}


def broken(T: float) -> dict:
    return {"Paris": 1 / (T - T)}


def leaves(T: float) -> dict:
    os._exit(3)


made = teacher  # assigned, not defined here: found by name all the same
"""

PAGE = """\
# Lesson

/// slider | T
    min: 0.5
    max: 3
    step: 0.5
    value: 1.0
///

/// slider | alpha
    min: 0
    max: 1
    step: 0.001
    value: 0.5
///

/// bars | teacher
    compute: lab:teacher
///

/// bars | the same, by another name
    compute: lab:made
///

/// plot | a trend, computed live
    compute: lab:trend
///
"""

CONFIG = """\
site_name: offload
theme:
  name: material
  font: false
plugins:
  - search
  - lessons:
      modules: [lab.py]
      parallel: {parallel}
"""


def project(folder: Path, page: str = PAGE, parallel: bool = True) -> Path:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text("# Home\n")
    (folder / "docs" / "lesson.md").write_text(page)
    (folder / "lab.py").write_text(LAB)
    (folder / "mkdocs.yml").write_text(CONFIG.format(parallel=str(parallel).lower()))
    return folder


def mkdocs_build(folder: Path) -> tuple[subprocess.CompletedProcess, list[int]]:
    """``mkdocs build`` as an author runs it; returns the process and the pids that computed."""
    pids = folder / "pids.log"
    pids.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"],
        cwd=folder,
        env={
            **{k: v for k, v in os.environ.items() if k != "PYODIDE_DIST"},  # the CDN: no copy
            "PIDS": str(pids),
            "NO_MKDOCS_2_WARNING": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = process.communicate(timeout=120)
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    computed = [int(line) for line in pids.read_text().split()] if pids.exists() else []
    return done, [process.pid, *sorted(set(computed))]


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_first_build_computes_in_a_second_process_and_makes_the_same_site(tmp_path):
    parallel = project(tmp_path / "parallel")
    serial = project(tmp_path / "serial", parallel=False)
    done, (build_pid, *computing) = mkdocs_build(parallel)
    assert done.returncode == 0, done.stderr
    assert computing and build_pid not in computing  # the teacher ran in another process
    done, (build_pid, *computing) = mkdocs_build(serial)
    assert done.returncode == 0, done.stderr
    assert computing == [build_pid]
    made = files(parallel / "site")
    assert made == files(serial / "site")
    lesson = made["lesson/index.html"].decode()
    assert lesson.count('class="ms-bar"') == 6 and "ms-pending" not in lesson
    assert "data-ms-frames" in lesson  # the plot's replay flag survives the late fill

    # A second build answers from the cache: nothing computes, the site is the same.
    done, (_, *computing) = mkdocs_build(parallel)
    assert done.returncode == 0 and computing == []
    assert files(parallel / "site") == made


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("lab:teacher", "lab:broken"),
            "docs/lesson.md:17: bars: lab:broken(T=0.5) raised ZeroDivisionError: float division "
            "by zero",
        ),
        (
            ("lab:made", "lab:mad"),
            "docs/lesson.md:21: bars: compute: 'lab' has no function 'mad' (did you mean 'made'?)",
        ),
        (
            ("/// slider | alpha", "/// slider | beta"),
            "docs/lesson.md:25: plot: parameter 'alpha' of lab:trend has no slider or choice",
        ),
    ],
)
def test_errors_are_the_same_in_both_ways(tmp_path, edit, message):
    page = PAGE.replace(*edit)
    for parallel in (True, False):
        done, _ = mkdocs_build(project(tmp_path / str(parallel), page, parallel))
        assert done.returncode == 1
        assert message in done.stderr, done.stderr


def test_a_compute_process_that_dies_fails_the_build_with_what_to_do(tmp_path):
    done, _ = mkdocs_build(project(tmp_path, PAGE.replace("lab:teacher", "lab:leaves")))
    assert done.returncode == 1
    assert "the process that runs the compute functions stopped (exit code 3)" in done.stderr
    assert "set 'parallel: false'" in done.stderr


def test_with_another_thread_running_the_build_computes_in_its_own_process(
    tmp_path, monkeypatch, build_pages
):
    project(tmp_path)
    monkeypatch.setenv("PIDS", str(tmp_path / "pids.log"))
    monkeypatch.delenv("PYODIDE_DIST", raising=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not offload.can_fork()
        build_pages({})
        with pytest.raises(DirectiveError, match="ZeroDivisionError"):
            build_pages({"lesson.md": PAGE.replace("lab:teacher", "lab:broken")})
    finally:
        stop.set()
        other.join()
    assert set((tmp_path / "pids.log").read_text().split()) == {str(os.getpid())}
