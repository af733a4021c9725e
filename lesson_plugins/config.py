"""Typed options of the ``lessons`` plugin (``plugins: [lessons]`` in ``mkdocs.yml``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

PYODIDE_VERSION = "0.27.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"


class LessonsConfig(Config):
    """Options of the ``lessons`` plugin: the engine's (``lesson_plugins/site.py``: ``Options``),
    which may also be written under ``markdown_extensions: - microscale:`` to apply on every
    host."""

    modules = c.ListOfItems(c.Type(str), default=[])
    precompute_limit = c.Type(int, default=256)
    pyodide_dist = c.Optional(c.Type(str))
    pyodide_cdn = c.Type(str, default=PYODIDE_CDN)
    strings = c.Type(dict, default={})
    cache = c.Type(bool, default=True)
