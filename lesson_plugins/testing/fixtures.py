"""The fixtures of Microscale's pytest plugin (documented in ``lesson_plugins.testing``).

Registered by :func:`lesson_plugins.testing.pytest_configure`, after every other plugin.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..serve import Served
from ..serve import serve as serve_site
from .chromium import CHROMIUM_ARGS, PageErrors, chromium_executable, watch
from .sites import NoSite, build, course_config, course_pyodide, site_source, write_default_config


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_type: Any) -> dict:
    """pytest-playwright's launch arguments, with a system Chromium when Playwright has none."""
    executable = chromium_executable(browser_type)
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    return {**args, "executable_path": executable} if executable else args


def _course(config: pytest.Config) -> Path:
    try:
        return course_config(config.rootpath, config.getini("microscale_config"))
    except NoSite as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def build_site(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Path]:
    cache: dict[str, Path] = {}

    def build_cached(config: str | Path | None = None, **kwargs: Any) -> Path:
        try:
            source = _course(pytestconfig) if config is None else site_source(config)
        except NoSite as exc:
            pytest.fail(str(exc), pytrace=False)
        key = json.dumps([str(source), kwargs], sort_keys=True, default=str)
        if key not in cache:
            work = tmp_path_factory.mktemp("site")
            if source.is_dir():
                source = write_default_config(source, work)
            cache[key] = build(source, work / "site", **kwargs)
        return cache[key]

    return build_cached


@pytest.fixture
def build_pages(tmp_path: Path) -> Callable[..., Path]:
    def build_these(
        pages: dict[str, str],
        *,
        plugin_options: dict[str, Any] | None = None,
        files: dict[str, str] | None = None,
    ) -> Path:
        for name, text in {**(files or {}), **{f"docs/{k}": v for k, v in pages.items()}}.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config = tmp_path / "mkdocs.yml"
        if not config.exists():
            write_default_config(Path("docs"), tmp_path)
        return build(config, tmp_path / "site", plugin_options=plugin_options)

    return build_these


@pytest.fixture(scope="session")
def serve(build_site: Callable[..., Path]) -> Iterator[Callable[..., Served]]:
    servers: dict[tuple[str, str], Served] = {}

    def serve_directory(directory: str | Path | None = None, prefix: str = "/") -> Served:
        folder = build_site() if directory is None else Path(directory)
        if not folder.is_dir():
            pytest.fail(f"serve: {folder} is no folder; serve a site that build_site built")
        key = (str(folder.resolve()), prefix)
        if key not in servers or servers[key].server is None:
            servers[key] = serve_site(key[0], prefix)
        return servers[key]

    yield serve_directory
    for served in servers.values():
        served.stop()


@pytest.fixture
def _page_and_errors(context: Any) -> tuple[Any, PageErrors]:
    page = context.new_page()
    return page, watch(page)


@pytest.fixture
def page(_page_and_errors: tuple[Any, PageErrors]) -> Any:
    return _page_and_errors[0]


@pytest.fixture
def page_errors(_page_and_errors: tuple[Any, PageErrors]) -> PageErrors:
    return _page_and_errors[1]


@pytest.fixture
def axe() -> Callable[..., None]:
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page: Any, context: Any = None) -> None:
        # axe reads computed colors: a color transition still running (Material's links and
        # buttons fade theirs) could read as low contrast. Let the finite ones end first.
        page.evaluate(
            "() => Promise.all(document.getAnimations()"
            ".filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)"
            ".map((a) => a.finished.catch(() => null)))"
        )
        results = checker.run(page, context=context)
        violations = results.response["violations"]
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            for v in violations
        ]
        assert not violations, "axe-core violations:\n" + "\n".join(lines)

    return check


@pytest.fixture(scope="session")
def pyodide_dist(pytestconfig: pytest.Config) -> Path:
    try:
        config: Path | None = course_config(
            pytestconfig.rootpath, pytestconfig.getini("microscale_config")
        )
    except NoSite:
        config = None
    dist = course_pyodide(config)
    if dist is None or not (dist / "pyodide.mjs").is_file():
        where = f"{dist} holds no pyodide.mjs" if dist else "none is set"
        pytest.skip(
            f"needs a local Pyodide 0.27.7 ({where}): set the lessons plugin's pyodide_dist "
            "option in mkdocs.yml, or PYODIDE_DIST (e.g. ../shared/pyodide/0.27.7)"
        )
    return dist
