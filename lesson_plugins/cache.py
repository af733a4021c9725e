"""What the compute functions gave, kept across pages, ``mkdocs serve`` rebuilds and builds.

A compute function is a pure function of the shipped sources (pycore and the ``modules`` option:
all the browser has) and of its arguments. So for one version of the sources (the SHA-256 of their
zip, with the versions of Python and numpy that ran them and the plugin code that checks and stores
results) a call gives the same numbers on every page and in every build. :class:`ComputeCache`
keeps, for that version:

- ``signatures``: each compute function's parameters, so a build whose outputs are all cached
  does not import the functions (nor numpy);
- ``results``: each output's computation (the result at the controls' values and the JSON table
  of precomputed states), keyed by the call (see ``widgets.finish_output``).

It lives in memory for the process (``mkdocs serve``) and, with the plugin option ``cache`` (on by
default), in ``.cache/plugin/lessons/compute.json`` beside ``mkdocs.yml``, like the caches of
Material's plugins. A changed source starts a new, empty cache; deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FOLDER = Path(".cache", "plugin", "lessons")  # relative to the folder of mkdocs.yml
FORMAT = 1  # bump when what is stored changes
_PLUGIN_FILES = ("results.py", "widgets.py", "cache.py")  # what checks and stores results
_OPEN: dict[str, ComputeCache] = {}  # version -> the cache of this process


class ComputeCache:
    """Signatures and results of compute functions for one version of the shipped sources."""

    def __init__(self, version: str, path: Path | None) -> None:
        self.version = version
        self.path = path
        self.signatures: dict[str, list[tuple[str, bool]]] = {}
        self.results: dict[str, tuple[dict[str, Any], str | None]] = {}
        self.used: set[str] = set()  # the results this build asked for: the others are not saved
        self.dirty = False

    @classmethod
    def open(cls, zipped: bytes, folder: Path | None) -> ComputeCache:
        """The cache of the sources ``zipped``: in memory, else from ``folder``."""
        version = _version(zipped)
        path = folder / "compute.json" if folder else None
        cache = _OPEN.get(version)
        if cache is None:
            _OPEN.clear()  # one version at a time: older results are dead
            cache = _OPEN[version] = cls(version, path)
            cache._load()
        cache.path = path
        cache.used = set()
        return cache

    def key(self, *call: Any) -> str:
        """A key for a call (JSON: floats keep their exact value)."""
        return json.dumps(call, separators=(",", ":"), ensure_ascii=False)

    def signature(
        self, spec: str, find: Callable[[], list[tuple[str, bool]]]
    ) -> list[tuple[str, bool]]:
        """The parameters of the function ``spec``, from ``find()`` when not known yet."""
        if spec not in self.signatures:
            self.signatures[spec] = find()
            self.dirty = True
        return self.signatures[spec]

    def get(self, key: str) -> tuple[dict[str, Any], str | None] | None:
        """The computation of the call ``key`` (see ``widgets.finish_output``), if known."""
        self.used.add(key)
        return self.results.get(key)

    def put(self, key: str, computed: tuple[dict[str, Any], str | None]) -> None:
        """Keep the computation of the call ``key``."""
        self.results[key] = computed
        self.dirty = True

    def save(self) -> None:
        """Write the results this build used to the file, if that changes it (atomically)."""
        if len(self.used) < len(self.results):  # e.g. a slider's range was edited
            self.results = {k: v for k, v in self.results.items() if k in self.used}
            self.dirty = True
        if self.path is None or not self.dirty:
            return
        data = {
            "format": FORMAT,
            "version": self.version,
            "signatures": self.signatures,
            "results": self.results,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, self.path)
        self.dirty = False

    def _load(self) -> None:
        if self.path is None or not self.path.is_file():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # unreadable: computed again and overwritten
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        if data.get("version") != self.version:
            return
        try:  # a file of the right version but the wrong shape (edited, truncated): computed again
            pairs = data["signatures"].items()
            self.signatures = {_text(k): [(_text(n), _flag(d)) for n, d in v] for k, v in pairs}
            self.results = {k: _computation(v) for k, v in data["results"].items()}
        except (AttributeError, KeyError, TypeError, ValueError):
            self.signatures, self.results = {}, {}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _computation(value: Any) -> tuple[dict[str, Any], str | None]:
    """A stored computation, ``[result, table or None]``, checked."""
    result, table = value
    if not isinstance(result, dict) or not (table is None or isinstance(table, str)):
        raise TypeError(value)
    return result, table


def _version(zipped: bytes) -> str:
    """The SHA-256 of the sources, of the Python and numpy that run them and of the plugin code
    that checks and stores their results."""
    try:
        numpy = importlib.metadata.version("numpy")
    except importlib.metadata.PackageNotFoundError:
        numpy = "none"
    digest = hashlib.sha256(zipped)
    digest.update(f"\0{sys.version}\0numpy {numpy}\0{FORMAT}\0".encode())
    for name in _PLUGIN_FILES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()
