"""This repository's tests use Microscale's own pytest plugin (``lesson_plugins/testing``).

Installed (``pip install -e .``), the package registers it through its ``pytest11`` entry point;
a checkout that is only on ``PYTHONPATH`` (or installed before the plugin existed) gets it here.
What is specific to this repository stays here: the course built by other hosts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("microscale"):
        config.pluginmanager.import_plugin("lesson_plugins.testing")


# ---------------------------------------------------------------------------------------------
# Other hosts


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``zensical_site(config, env=None, **settings) -> site folder``: the course of ``config``
    built by Zensical (``microscale build``; ``settings`` replace top-level settings of
    ``mkdocs.yml``, e.g. ``site_url``), once per session and input."""
    from tests.hosts.hostbuild import zensical_build

    built: dict[str, Path] = {}

    def build(config: Path, *, env: dict[str, str | None] | None = None, **settings: str) -> Path:
        key = repr((str(config), sorted((env or {}).items()), sorted(settings.items())))
        if key not in built:
            site = tmp_path_factory.mktemp("zensical") / "site"
            done = zensical_build(config, site, env=env, **settings)
            assert done.returncode == 0, done.stdout + done.stderr
            built[key] = site
        return built[key]

    return build
