"""What one build of a course knows across its pages, whichever site generator runs it.

A host (the MkDocs/ProperDocs plugin, Zensical's page context, a test) describes the project with
a :class:`Project`; :func:`open_site` turns it and the engine's options into a :class:`Site`: the
Python the pages may call (``pycore`` and the ``modules`` option, zipped for the browser), the
compute cache, the reader-facing strings and the course's lessons. One Site serves every page of a
build; under Zensical, which makes a new Markdown converter for each page, the same Site is found
again by its project and options.
"""

from __future__ import annotations

import atexit
import difflib
import itertools
import logging
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import compute, strings
from .cache import FOLDER, ComputeCache
from .config import PYODIDE_CDN, PYODIDE_VERSION

log = logging.getLogger("mkdocs.plugins.lessons")
#: Where the compute cache is, when not in ``.cache/plugin/lessons/`` (``microscale build`` moves
#: it there while ``zensical build --clean`` empties ``.cache``).
CACHE_VARIABLE = "MICROSCALE_CACHE_DIR"


@dataclass(frozen=True)
class Options:
    """The engine's options, the same under every host.

    - ``modules``: Python files or packages, relative to ``mkdocs.yml``, that lessons may call
      besides ``pycore``; importable at build time and shipped to the browser.
    - ``precompute_limit``: precompute an output at every state of its controls when they have at
      most this many combined states (0 turns precomputing off).
    - ``pyodide_dist``: a local Pyodide distribution to copy into the site instead of using the
      CDN (default: the ``PYODIDE_DIST`` environment variable; ``""`` forces the CDN).
    - ``pyodide_cdn``: where Pyodide comes from when no local distribution is given.
    - ``strings``: overrides of the reader-facing strings (``lesson_plugins/strings.py``).
    - ``cache``: keep what the compute functions gave in ``.cache/plugin/lessons/`` beside
      ``mkdocs.yml`` for the next build (``lesson_plugins/cache.py``).
    """

    modules: tuple[str, ...] = ()
    precompute_limit: int = 256
    pyodide_dist: str | None = None
    pyodide_cdn: str = PYODIDE_CDN
    strings: tuple[tuple[str, str], ...] = ()
    cache: bool = True

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Options:
        """Options from a mapping as written in ``mkdocs.yml``; ValueError says what is wrong."""
        known = [f.name for f in fields(cls)]
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(
                    f"unknown option '{name}'{hint}; the options are: {', '.join(known)}"
                )
            values[name] = _check(name, value)
        return cls(**values)

    def local_pyodide(self, config_dir: str) -> Path | None:
        """The local Pyodide distribution: the option (relative to ``mkdocs.yml``), else
        ``$PYODIDE_DIST`` (relative to where the build runs), else None (the CDN)."""
        if self.pyodide_dist is not None:
            return Path(config_dir, self.pyodide_dist) if self.pyodide_dist else None
        env = os.environ.get("PYODIDE_DIST")
        return Path(env).resolve() if env else None


def _check(name: str, value: Any) -> Any:
    """One option's value, typed as :class:`Options` holds it."""
    expected = {
        "modules": "a list of paths",
        "precompute_limit": "a whole number of at least 0",
        "pyodide_dist": "a path, or '' for the CDN",
        "pyodide_cdn": "a URL",
        "strings": "a mapping of string names to text",
        "cache": "true or false",
    }[name]
    ok = {
        "modules": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "precompute_limit": type(value) is int and value >= 0,
        "pyodide_dist": isinstance(value, str),
        "pyodide_cdn": isinstance(value, str) and bool(value),
        "strings": isinstance(value, dict),
        "cache": isinstance(value, bool),
    }[name]
    if not ok:
        raise ValueError(f"option '{name}': expected {expected}, got {value!r}")
    if name == "modules":
        return tuple(value)
    if name == "strings":
        return tuple(sorted((str(k), v) for k, v in value.items()))
    return value


@dataclass(frozen=True)
class Project:
    """What a host says about the project being built (paths are absolute)."""

    config_dir: str  # the folder of mkdocs.yml: paths in errors and options are relative to it
    docs_dir: str
    site_dir: str
    site_url: str | None = None
    repo_url: str | None = None
    use_directory_urls: bool = True
    #: ``(src_path, title or None)`` of the pages in navigation order, src_path relative to
    #: docs_dir; None when the site has no explicit navigation (all pages, in file order).
    nav: tuple[tuple[str, str | None], ...] | None = None


@dataclass
class Site:
    """One build's shared state (see the module docstring)."""

    project: Project
    options: Options
    strings: dict[str, str] = field(init=False)
    sources: list[compute.Source] = field(init=False)
    zipped: bytes = field(init=False)
    cache: ComputeCache = field(init=False)
    reload_pycore: bool = False

    def __post_init__(self) -> None:
        self.strings = strings.resolve(dict(self.options.strings))
        self.sources = compute.sources(self.project.config_dir, list(self.options.modules))
        compute.make_importable(self.sources, reload_pycore=self.reload_pycore)
        self.zipped = compute.zip_sources(self.sources)
        folder = Path(os.environ.get(CACHE_VARIABLE) or Path(self.project.config_dir, FOLDER))
        folder = folder if self.options.cache else None
        self.cache = ComputeCache.open(self.zipped, folder)
        self._course: Any = None
        warn_newer_numpy()

    @property
    def config_dir(self) -> str:
        return self.project.config_dir

    @property
    def course(self) -> Any:
        """The course's lessons (``lesson_plugins/course.py``), read when first needed."""
        if self._course is None:
            from .course import Course

            self._course = Course.scan(self)
        return self._course

    def display_path(self, src_path: str) -> str:
        """A page's path as an author sees it: relative to the folder of ``mkdocs.yml``."""
        full = os.path.join(self.project.docs_dir, src_path)
        return os.path.relpath(full, self.project.config_dir).replace(os.sep, "/")

    def page_url(self, src_path: str) -> str:
        """The URL of the page built from ``src_path``, relative to the site root."""
        stem, _ = os.path.splitext(src_path.replace(os.sep, "/"))
        if not self.project.use_directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/"

    def save(self) -> None:
        """Keep what this build computed for the next one."""
        try:
            self.cache.save()
        except OSError as exc:
            log.warning(f"lessons: cannot save the compute cache ({exc}); the next build computes")


#: Not under ``mkdocs``: this says something about the build's environment, not about a page, so
#: it is shown without failing ``mkdocs build --strict`` (CI installs the newest numpy).
environment_log = logging.getLogger("microscale")


def warn_newer_numpy() -> None:
    """Warn when this build's numpy is newer than the one readers' Pyodide runs: the prerendered
    numbers come from one, the live ones from the other."""
    from importlib.metadata import PackageNotFoundError, version

    from .publish import NUMPY_WHEEL

    browser = NUMPY_WHEEL.split("-")[1]
    try:
        here = version("numpy")
    except PackageNotFoundError:
        return
    if _release(here) > _release(browser):
        environment_log.warning(
            f"microscale: warning: this build runs numpy {here}, newer than numpy {browser} of "
            f"Pyodide {PYODIDE_VERSION}, which readers' browsers run. A compute function that "
            f"uses what numpy added after {browser} (np.cumulative_sum, new in 2.1, for one) "
            "builds here and fails in the browser, and prerendered and live numbers may differ. "
            f"Build with numpy=={browser} to match the browser."
        )


def _release(text: str) -> tuple[int, ...]:
    """``(2, 4, 6)`` from ``'2.4.6'`` (``'2.1.0rc1'`` gives ``(2, 1, 0)``)."""
    parts = []
    for part in text.split(".")[:3]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        parts.append(int(digits or 0))
    return tuple(parts)


_SITES: dict[tuple[Project, Options], Site] = {}


def open_site(
    project: Project, options: Options, *, fresh: bool = False, reload_pycore: bool = False
) -> Site:
    """The Site of ``project`` built with ``options``: a new one when ``fresh`` (each MkDocs build
    makes one), else the one this process already has (Zensical asks once per page).
    ``reload_pycore`` imports ``pycore`` again (``mkdocs serve``, where authors edit it)."""
    key = (project, options)
    if fresh or key not in _SITES:
        _SITES.clear()
        _SITES[key] = Site(project, options, reload_pycore=reload_pycore)
        if not fresh:  # no host event ends the build: keep the results when the process ends
            atexit.register(_SITES[key].save)
    return _SITES[key]
