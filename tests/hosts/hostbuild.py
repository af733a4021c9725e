"""Building a course with Zensical (``microscale build``), for the host tests.

Zensical has no option for the output folder, and wants it inside the project: the course is
built from a copy of its ``mkdocs.yml`` beside it (``lesson_plugins.finish.with_settings``) whose
``site_dir`` is a folder under the git-ignored ``.cache/``, and the built site is moved to where
the test wants it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from lesson_plugins.finish import with_settings

ROOT = Path(__file__).resolve().parents[2]


def zensical_build(
    config: Path, site_dir: Path, *, env: dict[str, str | None] | None = None, **settings: str
) -> subprocess.CompletedProcess:
    """``microscale build`` of ``config`` into ``site_dir``; the finished process (not checked)."""
    built = config.parent / ".cache" / "zensical-tests" / f"{os.getpid()}-{site_dir.parent.name}"
    environ = dict(os.environ)
    for name, value in (env or {}).items():
        environ.pop(name, None) if value is None else environ.__setitem__(name, value)
    if environ.get("PYODIDE_DIST"):  # relative to where the tests run, not to the course
        environ["PYODIDE_DIST"] = os.path.abspath(environ["PYODIDE_DIST"])
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), environ.get("PYTHONPATH", "")])
    with with_settings(str(config), {"site_dir": str(built), **settings}) as copy:
        done = subprocess.run(
            [sys.executable, "-m", "lesson_plugins.cli", "build", "-f", copy],
            capture_output=True,
            text=True,
            env=environ,
            cwd=config.parent,
            timeout=600,
        )
    if built.is_dir():
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(built, site_dir)
    return done
