"""The ``zensical_site`` fixture: a course built by Zensical, once per session and input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hostbuild import zensical_build


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``zensical_site(config, **settings) -> site folder``: built once per session and input."""
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
