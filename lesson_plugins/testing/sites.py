"""Building a course's site for tests, and finding the course and its Pyodide.

The course is the ``mkdocs.yml`` named by the ini option ``microscale_config`` (relative to
pytest's rootdir), else the ``mkdocs.yml`` in the rootdir. Its Pyodide is the ``pyodide_dist``
option of its ``lessons`` plugin (relative to ``mkdocs.yml``), else ``$PYODIDE_DIST``: the one its
build copies into the site (``lesson_plugins.site.Options.local_pyodide``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class NoSite(Exception):
    """A fixture needs a site and was given none, or one that is not there."""


def write_default_config(docs: Path, folder: Path) -> Path:
    """A material site with the ``lessons`` plugin around the docs folder ``docs``."""
    config = folder / "mkdocs.yml"
    config.write_text(
        f"site_name: test\ndocs_dir: {json.dumps(str(docs))}\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"
        "plugins:\n  - lessons\n",
        encoding="utf-8",
    )
    return config


def course_config(rootdir: Path, configured: str) -> Path:
    """The course's ``mkdocs.yml`` (see the module docstring); :class:`NoSite` if there is none."""
    config = (rootdir / (configured or "mkdocs.yml")).resolve()
    if not config.is_file():
        where = f"microscale_config = {configured}" if configured else f"no mkdocs.yml in {rootdir}"
        raise NoSite(
            f"no site to build ({where}): pass the site's mkdocs.yml, e.g. "
            "build_site('path/to/mkdocs.yml'), or set microscale_config in pytest's ini "
            "(e.g. [tool.pytest.ini_options] microscale_config = 'mkdocs.yml')"
        )
    return config


def site_source(config: str | Path) -> Path:
    """``config`` resolved: an ``mkdocs.yml`` or a docs folder; :class:`NoSite` if neither."""
    path = Path(config).resolve()
    if not path.exists():
        raise NoSite(
            f"build_site: {path} does not exist; give the mkdocs.yml of a site (or a docs folder)"
        )
    return path


def lessons_options(config: Path) -> dict[str, Any]:
    """The engine's options in ``config``, as the build reads them: under the ``lessons`` plugin
    and under ``markdown_extensions: - microscale:`` (``{}`` if there are none)."""
    from mkdocs.utils.yaml import yaml_load

    from ..finish import EXTENSION, listed_options

    with config.open(encoding="utf-8") as file:
        data = yaml_load(file) or {}
    plugin = listed_options(data.get("plugins"), "lessons") or {}
    return {**plugin, **(listed_options(data.get("markdown_extensions"), EXTENSION) or {})}


def course_pyodide(config: Path | None) -> Path | None:
    """The course's ``pyodide_dist`` option, else ``$PYODIDE_DIST``; None when neither is set."""
    option = lessons_options(config).get("pyodide_dist") if config else None
    if option:
        return (config.parent / option).resolve()
    env = os.environ.get("PYODIDE_DIST")
    return Path(env).resolve() if env else None


def build(
    config: Path,
    site_dir: Path,
    *,
    plugin_options: dict[str, Any] | None = None,
    env: dict[str, str | None] | None = None,
    **overrides: Any,
) -> Path:
    """Build the MkDocs site of ``config`` into ``site_dir`` (see ``build_site``).

    An author's mistake raises the plugin's error itself (a ``DirectiveError``, a ``PluginError``),
    not MkDocs' ``Abort``, so tests can check its path, line and message.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError

    saved = {name: os.environ.get(name) for name in env or {}}
    try:
        for name, value in (env or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        cfg = load_config(config_file=str(config), site_dir=str(site_dir), **overrides)
        for name, value in (plugin_options or {}).items():
            cfg.plugins["lessons"].config[name] = value
        try:
            mkdocs_build(cfg)
        except Abort as abort:  # MkDocs logs a BuildError and aborts: raise the error itself
            if isinstance(abort.__context__, BuildError):
                raise abort.__context__ from None
            raise
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return site_dir
