"""Zensical build rows of the site benchmarks: ``microscale build`` against ``zensical build``.

Under Zensical a course is built by ``microscale build`` (``zensical build --clean`` with the
``microscale`` Markdown extension, then ``microscale finish``: browser files, tags, ``sw.js``, the
404 check; ``lesson_plugins/finish.py``). Its baseline is ``zensical build --clean`` of the same
markdown with the same configuration less the ``microscale`` entry of ``markdown_extensions``
(the directive blocks then stay in the pages as plain text). Both run in a subprocess, as an
author runs them, interleaved, with the environment of the MkDocs rows (``site_build.build``:
Pyodide from the CDN, bytecode written and read); the times are medians of wall and CPU time
(the build process and its children: Zensical's own process).

``zensical build --clean`` empties the project's ``.cache/`` folder; ``microscale build`` moves
the engine's compute cache (``.cache/plugin/lessons/``) out of its way meanwhile, so after the
untimed first round these rows are later builds, as the MkDocs rows without ``--cold``.

Zensical wants the output folder inside the project, so each variant's configuration is a copy of
the course's ``mkdocs.yml`` written beside it (paths in it stay relative to the same folder) with
its own ``site_dir`` under the project's git-ignored ``.cache/``; copies and sites are removed
afterwards (``tests/hosts/hostbuild.py`` does the same for the host tests).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import site_build
import site_course

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("plain", "engine")
#: The ``microscale`` entry of ``markdown_extensions``, bare or with its options beneath it.
_ENTRY = re.compile(r"^(?P<indent>[ \t]*)- microscale\b.*\n(?:(?P=indent)[ \t]+\S.*\n)*", re.M)
_TOP = re.compile(r"^(site_dir|site_url)\s*:.*\n", re.M)


def variant_config(text: str, variant: str, site_dir: str) -> str:
    """``mkdocs.yml`` text for one variant: its own ``site_dir``; ``plain`` has no engine."""
    if not _ENTRY.search(text):
        raise ValueError("the configuration lists no 'microscale' under markdown_extensions")
    if variant == "plain":
        text = _ENTRY.sub("", text)
    text = _TOP.sub("", text)
    return text.rstrip("\n") + f"\nsite_dir: {site_dir}\n"


def generated_config(lessons: int) -> str:
    """The generated course's configuration (``site_course``) with the engine as a Markdown
    extension, its compute module given there (Zensical runs no plugins)."""
    text = site_course.config(f"Benchmark course ({lessons} lessons)", False, lessons)
    anchor = "  - pymdownx.superfences\n"
    if anchor not in text:
        raise RuntimeError("site_course.config changed: no pymdownx.superfences entry")
    engine = "  - microscale:\n      modules: [benchlessons.py]\n"
    return text.replace(anchor, anchor + engine, 1)


@contextmanager
def variants(config_text: str, root: Path) -> Iterator[dict[str, Path]]:
    """The two variants' configuration files beside ``root``'s ``mkdocs.yml``, removed after."""
    tag = f"bench-zensical-{os.getpid()}"
    configs = {}
    for variant in VARIANTS:
        site_dir = f".cache/{tag}/{variant}"
        configs[variant] = root / f".mkdocs-{tag}-{variant}.yml"
        configs[variant].write_text(variant_config(config_text, variant, site_dir), "utf-8")
    try:
        yield configs
    finally:
        for path in configs.values():
            path.unlink(missing_ok=True)
        shutil.rmtree(root / ".cache" / tag, ignore_errors=True)


def build(config: Path, variant: str, timeout: float = 600) -> site_build.BuildTime:
    """``microscale build`` (engine) or ``zensical build --clean`` (plain) of ``config``, timed."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYODIDE_DIST", "PYTHONDONTWRITEBYTECODE")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    if site_build.COLD_CACHE:
        shutil.rmtree(config.parent / ".cache" / "plugin" / "lessons", ignore_errors=True)
    if variant == "engine":
        command = [sys.executable, "-m", "lesson_plugins.cli", "build", "-f", str(config)]
    else:
        command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        command, env=env, cwd=config.parent, capture_output=True, text=True, timeout=timeout
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-3000:]
        raise RuntimeError(f"{' '.join(command[2:])} failed:\n{output}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return site_build.BuildTime(wall, cpu)


def interleaved(configs: dict[str, Path], repeats: int) -> dict[str, list[site_build.BuildTime]]:
    """``repeats`` timed builds of each variant after one untimed round, alternating the order."""
    times: dict[str, list[site_build.BuildTime]] = {v: [] for v in VARIANTS}
    for rep in range(repeats + 1):
        for variant in VARIANTS if rep % 2 == 0 else VARIANTS[::-1]:
            t = build(configs[variant], variant)
            if rep:  # the first round warms up: file cache, bytecode, the compute cache
                times[variant].append(t)
    return times


def rows(work: Path, sizes: list[int], repeats: int) -> list[tuple[str, str, str, str]]:
    """``(measure, value, baseline, ratio)`` of the course and of generated courses of ``sizes``
    lessons: wall and CPU time of ``microscale build`` against plain ``zensical build``."""
    found: list[tuple[str, str, str, str]] = []
    projects: list[tuple[str, Path, str, int | None]] = []
    if (ROOT / "mkdocs.yml").exists():
        projects.append(("the course", ROOT, (ROOT / "mkdocs.yml").read_text("utf-8"), None))
    for n in sizes:
        course = site_course.write_course(work / f"zensical-course-{n}", n)
        projects.append((f"{n} lessons", course, generated_config(n), n))
    for label, root, text, lessons in projects:
        with variants(text, root) as configs:
            times = interleaved(configs, repeats)
        for measure in ("wall", "cpu"):
            ours = site_build.median([getattr(t, measure) for t in times["engine"]])
            plain = site_build.median([getattr(t, measure) for t in times["plain"]])
            per = f" ({ours / lessons * 1000:.0f} ms/lesson)" if lessons else ""
            base = f" ({plain / lessons * 1000:.0f} ms/lesson)" if lessons else ""
            found.append(
                (
                    f"microscale build (Zensical), {label} ({measure.replace('cpu', 'CPU')})",
                    f"{ours:.2f} s{per}",
                    f"zensical build {plain:.2f} s{base}",
                    f"{ours / plain:.2f}x",
                )
            )
    return found
