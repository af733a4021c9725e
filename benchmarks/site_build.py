"""Build timing and page weight for the site benchmarks.

Builds run ``python -m mkdocs build`` in a subprocess, exactly what an author runs, with
``PYODIDE_DIST`` removed from the environment (the default set-up: Pyodide from the CDN, nothing
copied into the site), and bytecode written and read as on an author's machine. Both the wall
time and the child's CPU time (user + system) are recorded; on a shared machine the CPU time is
the steadier of the two. The plugin keeps what compute functions gave in ``.cache/plugin/lessons/``
beside ``mkdocs.yml`` (``lesson_plugins/cache.py``): builds after the first reuse it (warm); with
:data:`COLD_CACHE` every build starts without it (a first build).
"""

from __future__ import annotations

import gzip
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

GZIP_LEVEL = 6  # what a web server typically uses for on-the-fly compression
COLD_CACHE = False  # delete the plugin's compute cache before each build (bench_site.py --cold)


@dataclass
class BuildTime:
    wall: float  # seconds
    cpu: float  # seconds of user + system time of the build process


def build(config: Path, site: Path, timeout: float = 600) -> BuildTime:
    """Build ``config`` into ``site`` with ``mkdocs build`` in a subprocess, timed."""
    # PYODIDE_DIST out: Pyodide from the CDN, as by default. PYTHONDONTWRITEBYTECODE out (this VM
    # sets it): the untimed first build writes the plugin's bytecode, as a first run does on an
    # author's machine (and pip does at install), and the timed ones read it, as the plain build
    # reads mkdocs-material's; with it set, every build compiled the plugin again (about 30 ms).
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYODIDE_DIST", "PYTHONDONTWRITEBYTECODE")
    }
    if COLD_CACHE:
        shutil.rmtree(config.parent / ".cache" / "plugin" / "lessons", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return BuildTime(wall, cpu)


def median(values: list[float]) -> float:
    return statistics.median(values)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


class _Assets(HTMLParser):
    """Collects the inline scripts and styles and the script/stylesheet URLs of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline: list[tuple[str, str]] = []  # (kind, text): kind js, css or data
        self.urls: list[tuple[str, str]] = []  # (kind, url)
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            if a.get("src"):
                self.urls.append(("js", a["src"] or ""))
            else:
                kind = a.get("type") or "text/javascript"
                self._open = "data" if "json" in kind else "js"
                self._text = []
        elif tag == "style":
            self._open, self._text = "css", []
        elif tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.urls.append(("css", a["href"] or ""))
        elif tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.urls.append(("js", a["href"] or ""))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag in ("script", "style"):
            self.inline.append((self._open, "".join(self._text)))
            self._open = None


def page_assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


@dataclass
class Weight:
    """Bytes the ``lessons`` plugin adds to a lesson page, raw and gzip, by kind."""

    raw: dict[str, int] = field(default_factory=dict)
    gz: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the plugin's files, relative to the site

    def add(self, kind: str, data: bytes) -> None:
        self.raw[kind] = self.raw.get(kind, 0) + len(data)
        self.gz[kind] = self.gz.get(kind, 0) + gzip_size(data)

    @property
    def own_gz(self) -> int:
        """The plugin's own JS + CSS, gzip (the budgeted number)."""
        return self.gz.get("js", 0) + self.gz.get("css", 0)

    @property
    def own_raw(self) -> int:
        return self.raw.get("js", 0) + self.raw.get("css", 0)


_KINDS = {
    ".js": "js",
    ".mjs": "js",
    ".css": "css",
    ".py": "python",
    ".zip": "python",
    ".json": "data",
}


#: Folders of the plugin's assets that only a page with a code exercise loads (the editor, its
#: script and style): reported as their own kind, outside the budget of every lesson page.
EXERCISE_FOLDERS = {"exercise", "vendor"}


def kind_of(path: Path) -> str:
    """``js``, ``css``, ``python`` (sources, zipped or not), ``data`` (JSON), ``exercise`` (what
    only a page with a code exercise loads) or ``other``."""
    if EXERCISE_FOLDERS & set(path.parent.parts):
        return "exercise"
    return _KINDS.get(path.suffix, "other")


def plugin_weight(plain: Path, plugin: Path, page: str) -> Weight:
    """What the plugin adds to lesson ``page`` (a path in the site, e.g. ``lessons/x/index.html``).

    Compares two builds of the same docs, without (``plain``) and with (``plugin``) the plugin:

    - every file only the plugin build has (its assets; an upper bound of what a page loads),
      by kind: ``js``, ``css``, ``python`` (shipped sources), ``data``, ``other``; files of a
      Pyodide distribution copied into the site are left out (they are Pyodide's, not ours);
    - the inline ``<script>`` and ``<style>`` blocks that only the plugin's page has (``js``,
      ``css``; inline JSON is ``data``).
    """
    weight = Weight()
    plain_files = {p.relative_to(plain) for p in plain.rglob("*") if p.is_file()}
    pyodide = [p.parent for p in plugin.rglob("pyodide.asm.wasm")]
    for path in sorted(p for p in plugin.rglob("*") if p.is_file()):
        rel = path.relative_to(plugin)
        if rel in plain_files or rel.suffix == ".html" or any(d in path.parents for d in pyodide):
            continue
        weight.files.append(rel.as_posix())
        weight.add(kind_of(rel), path.read_bytes())
    base = page_assets((plain / page).read_text())
    ours = page_assets((plugin / page).read_text())
    seen = list(base.inline)
    for kind, text in ours.inline:
        if (kind, text) in seen:
            seen.remove((kind, text))
        else:
            weight.add(kind, text.encode())
    return weight


def build_site(
    config: Path, site: Path, *, pyodide: str | None = None, **plugin_options: object
) -> Path:
    """Build ``config`` into ``site`` in this process (untimed), Pyodide from ``pyodide``.

    ``plugin_options`` replace options of the ``lessons`` plugin (e.g. ``precompute_limit=0``).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    saved = os.environ.pop("PYODIDE_DIST", None)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the table is the output
    try:
        if pyodide:
            os.environ["PYODIDE_DIST"] = pyodide
        cfg = load_config(config_file=str(config), site_dir=str(site))
        for name, value in plugin_options.items():
            cfg.plugins["lessons"].config[name] = value
        mkdocs_build(cfg)
    finally:
        os.environ.pop("PYODIDE_DIST", None)
        if saved is not None:
            os.environ["PYODIDE_DIST"] = saved
    return site
