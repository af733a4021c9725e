"""Compute functions: the Python a page may call, at build time and in the browser.

A compute function is named ``module:function``. Its module must be ``pycore`` (or inside it) or
one of the plugin option ``modules`` (files or packages relative to ``mkdocs.yml``): exactly those
sources are importable at build time and shipped into the site, as one zip, for the Pyodide worker.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import io
import logging
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .blocks.base import suggest

log = logging.getLogger("mkdocs.plugins.lessons")

#: Top-level names an author's module must not take: each ``modules`` entry goes first on
#: ``sys.path``, so it would replace that module for the whole build (and, for the last ones, for
#: Pyodide in the browser).
_TAKEN = frozenset(sys.stdlib_module_names) | {"numpy", "pyodide", "js", "micropip"}
#: The modules the build itself runs on; shadowing one breaks MkDocs, not only the lessons.
_BUILD = frozenset(
    {"mkdocs", "markdown", "pymdownx", "material", "yaml", "jinja2", "lesson_plugins"}
)

#: The name lesson_plugins/grader.py has in the sources zip, for the exercises' worker.
GRADER = "_microscale_grader"
_SPEC = re.compile(r"^(?P<module>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):(?P<name>[A-Za-z_]\w*)$")


@dataclass(frozen=True)
class Source:
    """One shipped top-level module or package: where it lives and its import name."""

    path: Path  # a .py file or a package folder
    name: str  # the top-level import name


def sources(config_dir: str, modules: list[str]) -> list[Source]:
    """``pycore`` and the ``modules`` option, checked to exist; raises ValueError otherwise.

    ``pycore`` is found, not imported: numpy is imported by the first page that computes.
    """
    spec = importlib.util.find_spec("pycore")
    if spec is None or not spec.has_location or not spec.origin:
        found = f"found {list(spec.submodule_search_locations or [])}" if spec else "not found"
        raise ValueError(
            f"'pycore' must be a package (a folder with __init__.py), {found}; "
            "run from the project root or install the project (pip install -e .)"
        )
    pycore = Path(spec.origin).parent
    found = [Source(pycore, "pycore")]
    for entry in modules:
        path = (Path(config_dir) / entry).resolve()
        if path.is_file() and path.suffix == ".py":
            found.append(Source(path, path.stem))
        elif (path / "__init__.py").is_file():
            found.append(Source(path, path.name))
        else:
            raise ValueError(
                f"modules: {entry!r} is neither a .py file nor a package (a folder with "
                f"__init__.py), relative to {config_dir or '.'}"
            )
        name = found[-1].name
        if name in _TAKEN | _BUILD:
            kind = "a standard library module" if name in sys.stdlib_module_names else "a module"
            raise ValueError(
                f"modules: {entry!r} is imported as {name!r}, the name of {kind} that the build "
                f"or Pyodide needs; it would replace {name!r} for every page. Rename it, e.g. "
                f"'{name}_lesson'"
            )
        project = Path(config_dir or ".").resolve()
        if not path.is_relative_to(project):
            log.warning(
                "mkdocs.yml: modules: %r is outside the project (%s); it is published with the "
                "site, in its Python sources archive, for every reader to download",
                entry,
                project,
            )
    names = [s.name for s in found]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f"modules: two entries are imported as {name!r}; rename one")
    return found


def make_importable(found: list[Source], *, reload_pycore: bool = False) -> None:
    """Put the folders of ``found`` on ``sys.path`` and forget copies imported by an earlier build.

    ``pycore`` is forgotten too when ``reload_pycore`` (``mkdocs serve``, where authors edit it).
    """
    for source in found:
        folder = str(source.path.parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        if source.name != "pycore" or reload_pycore:
            for loaded in [m for m in sys.modules if m.split(".")[0] == source.name]:
                del sys.modules[loaded]
    importlib.invalidate_caches()


def zip_sources(found: list[Source]) -> bytes:
    """The ``.py`` files of ``found`` in one zip, laid out as their import names (reproducible)."""
    files: list[tuple[str, Path]] = []
    for source in found:
        if source.path.is_file():
            files.append((f"{source.name}.py", source.path))
        else:
            for path in sorted(source.path.rglob("*.py")):
                files.append((f"{source.name}/{path.relative_to(source.path).as_posix()}", path))
    files.append((f"{GRADER}.py", Path(__file__).with_name("grader.py")))  # code exercises
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def load(spec: str, found: list[Source]) -> Callable[..., Any]:
    """Import the compute function ``module:function``; raises ValueError with what to fix."""
    m = _SPEC.match(spec)
    if not m:
        raise ValueError(
            f"compute: expected 'module:function', e.g. 'pycore.lessons.distillation:teacher', "
            f"got {spec!r}"
        )
    module_name, name = m.group("module"), m.group("name")
    top = module_name.split(".")[0]
    shipped = [s.name for s in found]
    if top not in shipped:
        raise ValueError(
            f"compute: module {module_name!r} is not shipped to the browser; compute functions "
            f"live in {' or '.join(shipped)} (add a file or package to the plugin option "
            "'modules' in mkdocs.yml)"
        )
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise ValueError(
            f"compute: cannot import {module_name!r}: {type(exc).__name__}: {exc}"
        ) from None
    function = getattr(module, name, None)
    if not callable(function):
        public = [n for n in dir(module) if not n.startswith("_")]
        raise ValueError(
            f"compute: {module_name!r} has no function {name!r}{suggest(name, public)}"
        )
    return function


def parameters(function: Callable[..., Any]) -> list[tuple[str, bool]]:
    """``(name, has_default)`` for each parameter a caller can pass by keyword."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [
        (p.name, p.default is not inspect.Parameter.empty)
        for p in inspect.signature(function).parameters.values()
        if p.kind in kinds
    ]
