"""Where ``microscale check`` runs the calls: Pyodide under Node, and this CPython.

Both run ``calls.py`` next to the site's own sources zip and ``results.py``, as the site's worker
(``lesson_plugins/assets/worker.js``) runs a compute function.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .site import Page

HERE = Path(__file__).parent
MARK = "@@microscale-check@@"  # calls.py's
PYODIDE_ROOT = "/home/pyodide/microscale/"  # where pyodide.mjs (as worker.js) unpacks the sources


class Usage(Exception):
    """The command cannot run (no site, no Pyodide, no node): exit status 2."""


def indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def site_files(site: Path, page: Page) -> tuple[Path, Path]:
    """The site's sources zip and ``results.py``, as its pages name them."""
    if page.runtime is None or "sources" not in page.config:
        raise Usage(f"{page.file}: no ms-config or runtime.js: was this site built by Microscale?")
    sources = site / page.site_path(page.config["sources"])
    results = site / page.site_path("results.py")
    for file in (sources, results):
        if not file.is_file():
            raise Usage(f"{file} is missing: the site is incomplete; build it again")
    return sources, results


def find_pyodide(site: Path, page: Page, given: Path | None) -> Path:
    """``--pyodide``, else ``$PYODIDE_DIST``, else the Pyodide the site hosts itself."""
    candidates = [given, os.environ.get("PYODIDE_DIST")]
    url = page.config.get("pyodide", "")
    if url and "://" not in url:
        candidates.append(site / page.site_path(url))
    for candidate in candidates:
        if candidate and (Path(candidate) / "pyodide.mjs").is_file():
            return Path(candidate).resolve()
    named = [str(c) for c in candidates if c]
    raise Usage(
        "no local Pyodide 0.27.7"
        + (f" ({', '.join(named)} holds no pyodide.mjs)" if named else "")
        + ": pass --pyodide DIR or set PYODIDE_DIST (the site loads it from a CDN)"
    )


def answers(stdout: str, stderr: str, runtime: str) -> dict[int, dict]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARK):
            return {a["id"]: a for a in json.loads(line[len(MARK) :])}
    raise Usage(f"{runtime} did not run the calls:\n{indent((stderr or stdout)[-3000:])}")


def run_pyodide(dist: Path, sources: Path, results: Path, work: Path) -> dict[int, dict]:
    node = shutil.which("node")
    if node is None:
        raise Usage("node (Node.js 18 or later) is not on PATH; Pyodide runs under it")
    proc = subprocess.run(
        [
            node,
            str(HERE / "pyodide.mjs"),
            str(dist),
            str(sources),
            str(results),
            str(HERE / "calls.py"),
            str(work / "calls.json"),
            PYODIDE_ROOT,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return answers(proc.stdout, proc.stderr, "Pyodide")


def run_cpython(sources: Path, results: Path, work: Path, calls: list[dict]) -> dict[int, dict]:
    """The same calls in this CPython, on the site's sources (for states the page lacks)."""
    if not calls:
        return {}
    folder = work / "cpython"
    with zipfile.ZipFile(sources) as archive:
        archive.extractall(folder)
    shutil.copy(results, folder / "_microscale_results.py")
    shutil.copy(HERE / "calls.py", folder / "_microscale_calls.py")
    (work / "cpython.json").write_text(json.dumps(calls), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-I", str(folder / "_microscale_calls.py"), str(work / "cpython.json")],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )
    return answers(proc.stdout, proc.stderr, "CPython")
