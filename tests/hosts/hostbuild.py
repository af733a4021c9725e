"""Building a course with Zensical (``microscale build``), for the host tests.

Zensical has no option for the output folder, and wants it inside the project: the course's
``mkdocs.yml`` is copied beside itself (paths in it stay relative to the same folder) with
``site_dir`` (and ``site_url``) replaced by a folder under the git-ignored ``.cache/``, and the
built site is moved to where the test wants it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def zensical_build(
    config: Path, site_dir: Path, *, env: dict[str, str | None] | None = None, **settings: str
) -> subprocess.CompletedProcess:
    """``microscale build`` of ``config`` into ``site_dir``; the finished process (not checked)."""
    text = config.read_text(encoding="utf-8")
    built = config.parent / ".cache" / "zensical-tests" / f"{os.getpid()}-{site_dir.parent.name}"
    overrides = {"site_dir": str(built), **settings}
    lines = [ln for ln in text.splitlines() if ln.split(":")[0] not in overrides]
    lines += [f"{key}: {yaml.safe_dump(value).strip()}" for key, value in overrides.items()]
    copy = config.with_name(f".mkdocs-zensical-{os.getpid()}-{site_dir.name}.yml")
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    environ = dict(os.environ)
    for name, value in (env or {}).items():
        environ.pop(name, None) if value is None else environ.__setitem__(name, value)
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), environ.get("PYTHONPATH", "")])
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lesson_plugins.cli", "build", "-f", str(copy)],
            capture_output=True,
            text=True,
            env=environ,
            cwd=config.parent,
            timeout=600,
        )
    finally:
        copy.unlink()
    if built.is_dir():
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(built, site_dir)
    return done
