"""Typed options of the ``lessons`` plugin (``plugins: [lessons]`` in ``mkdocs.yml``)."""

from __future__ import annotations

import os

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

PYODIDE_VERSION = "0.27.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"


class LessonsConfig(Config):
    """Options of the ``lessons`` plugin.

    - ``modules``: Python files or packages, relative to ``mkdocs.yml``, that lessons may call
      besides ``pycore``; importable at build time and shipped to the browser.
    - ``precompute_limit``: precompute an output at every slider state when its sliders have at most
      this many combined states (0 turns precomputing off).
    - ``pyodide_dist``: a local Pyodide distribution to copy into the site instead of using the CDN
      (default: the ``PYODIDE_DIST`` environment variable; ``""`` forces the CDN).
    - ``pyodide_cdn``: where Pyodide comes from when no local distribution is given.
    - ``strings``: overrides of the user-facing strings (see ``lesson_plugins/strings.py``).
    - ``cache``: keep what the compute functions gave in ``.cache/plugin/lessons/`` beside
      ``mkdocs.yml``, so the next build reuses it until a shipped source changes
      (``lesson_plugins/cache.py``); ``false`` writes nothing there: every ``mkdocs build``
      computes everything (a ``mkdocs serve`` process still reuses its own results).
    - ``parallel``: compute what the cache does not have in a second process, beside the build
      (``lesson_plugins/offload.py``; Linux only, and only while the build runs no other thread);
      ``false`` computes in the build's own process.
    """

    modules = c.ListOfItems(c.Type(str), default=[])
    precompute_limit = c.Type(int, default=256)
    pyodide_dist = c.Optional(c.Type(str))
    pyodide_cdn = c.Type(str, default=PYODIDE_CDN)
    strings = c.Type(dict, default={})
    cache = c.Type(bool, default=True)
    parallel = c.Type(bool, default=True)


def pyodide_dist(configured: str | None) -> str | None:
    """The local Pyodide distribution to use: the option, else ``$PYODIDE_DIST``, else None.

    ``pyodide_dist: ""`` means the CDN even when ``$PYODIDE_DIST`` is set.
    """
    if configured is not None:
        return configured or None
    env = os.environ.get("PYODIDE_DIST")
    return os.path.abspath(env) if env else None  # relative to where mkdocs runs
