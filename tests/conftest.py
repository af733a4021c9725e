"""Fixtures shared by every test suite: build a site, serve it, drive Chromium, run axe-core.

Reuse them for a lesson of your own; a browser test is a few lines::

    import pytest
    from mylessons import teacher                      # the page's compute function

    SITE = Path(__file__).parent / "site" / "mkdocs.yml"   # a small docs folder of your own

    @pytest.mark.browser
    def test_bars(build_site, serve, page, page_errors, axe):
        url = serve(build_site(SITE)).url          # built once per session, served on 127.0.0.1
        page.goto(url + "my-lesson/")
        page.locator("input[name=T]").fill("3")
        paris = page.locator(".ms-bar[data-label=Paris]").get_attribute("data-value")
        assert paris == repr(teacher(3.0)["Paris"])  # the exact float CPython gives
        page_errors.assert_none()                  # no console error, no uncaught exception
        axe(page)                                  # no axe-core violation

Fixtures and helpers
--------------------
``build_site(config, *, plugin_options=None, env=None, **overrides) -> Path`` (session)
    Builds the site of ``config`` (an ``mkdocs.yml``, or a docs folder: a material site with the
    ``lessons`` plugin is assumed around it) with the MkDocs API into a temporary folder and returns
    that folder. ``overrides`` are top-level MkDocs settings (``site_url``, ``use_directory_urls``);
    ``plugin_options`` replace options of the ``lessons`` plugin (``precompute_limit``,
    ``pyodide_dist``, ``pyodide_cdn`` ...); ``env`` sets environment variables during the build
    (a value of ``None`` unsets one). Equal inputs are built once per session.
``build_pages(pages, *, plugin_options=None, files=None) -> Path`` (function)
    Writes ``pages`` (``{"index.md": "..."}``) and ``files`` (other files next to ``mkdocs.yml``,
    e.g. a Python module) into a fresh folder and builds it; an author mistake raises
    :class:`lesson_plugins.errors.DirectiveError`. The build-error tests use it.
``serve(directory, prefix="/") -> Served`` (session)
    Serves ``directory`` on 127.0.0.1 at a random port (threaded ``http.server``, right MIME types
    for ``.js``/``.mjs``/``.wasm``/``.json``/``.zip``), optionally under a sub-path such as
    ``/repo/`` (``lesson_plugins/serve.py``, the benchmarks' server too). ``Served.url`` ends
    with ``/``; ``Served.requests`` lists ``(path, status)``; ``Served.stop()`` takes the site
    offline. ``sitemap.xml`` is served as if the site's
    ``site_url`` were ``Served.url``, so that Material's ``navigation.instant`` works (a site needs
    a ``site_url`` for it, as online; see :func:`sitemap_for`).
``same_document(page)`` (context manager)
    Asserts that the navigation inside the block (a click, then waiting for the new content) swapped
    the page in place, as ``navigation.instant`` does, instead of loading a new one.
``page`` / ``page_errors`` (function)
    A fresh Chromium page (Playwright's own Chromium if installed, else ``$MICROSCALE_CHROMIUM``,
    else ``/usr/bin/chromium``; tests are skipped with the reason when there is none) and the
    console errors and uncaught exceptions collected on it: ``page_errors.assert_none(allow=...)``.
    A failing test keeps a screenshot of every page it opened in ``test-results/``.
``open_page(browser) -> (Page, PageErrors)``
    The same for a page a module shares between tests (e.g. to boot Pyodide once).
``axe(page, context=None)`` (function)
    Runs axe-core (axe-playwright-python) and fails with a readable list of violations.
``pyodide_dist`` (session)
    The local Pyodide distribution (``$PYODIDE_DIST``); tests that need it are skipped without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lesson_plugins.serve import Served
from lesson_plugins.serve import serve as serve_site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# ---------------------------------------------------------------------------------------------
# Building sites


def _write_default_config(docs: Path, folder: Path) -> Path:
    config = folder / "mkdocs.yml"
    config.write_text(
        f"site_name: test\ndocs_dir: {json.dumps(str(docs))}\n"
        "theme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"
        "plugins:\n  - lessons\n",
        encoding="utf-8",
    )
    return config


def build(
    config: Path,
    site_dir: Path,
    *,
    plugin_options: dict[str, Any] | None = None,
    env: dict[str, str | None] | None = None,
    **overrides: Any,
) -> Path:
    """Build the MkDocs site of ``config`` into ``site_dir`` (see the module docstring).

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


@pytest.fixture(scope="session")
def build_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    cache: dict[str, Path] = {}

    def build_cached(config: str | Path, **kwargs: Any) -> Path:
        config = Path(config).resolve()
        key = json.dumps([str(config), kwargs], sort_keys=True, default=str)
        if key not in cache:
            work = tmp_path_factory.mktemp("site")
            if config.is_dir():
                config = _write_default_config(config, work)
            cache[key] = build(config, work / "site", **kwargs)
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
            _write_default_config(Path("docs"), tmp_path)
        return build(config, tmp_path / "site", plugin_options=plugin_options)

    return build_these


# ---------------------------------------------------------------------------------------------
# Serving sites: lesson_plugins/serve.py


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., Served]]:
    servers: dict[tuple[str, str], Served] = {}

    def serve_directory(directory: str | Path, prefix: str = "/") -> Served:
        key = (str(Path(directory).resolve()), prefix)
        if key not in servers or servers[key].server is None:
            servers[key] = serve_site(key[0], prefix)
        return servers[key]

    yield serve_directory
    for served in servers.values():
        served.stop()


# ---------------------------------------------------------------------------------------------
# Chromium


def chromium_executable(browser_type: Any) -> str | None:
    """The Chromium to launch: None for Playwright's own, else a system one; skip without any."""
    own = getattr(browser_type, "executable_path", None)
    if own and Path(own).exists():
        return None
    for candidate in (os.environ.get("MICROSCALE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and shutil.which(candidate):
            return candidate
    pytest.skip(
        "no Chromium: run 'playwright install chromium', or install Debian's chromium, "
        "or set MICROSCALE_CHROMIUM to a Chromium executable"
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_type: Any) -> dict:
    """pytest-playwright's launch arguments, with a system Chromium when Playwright has none."""
    executable = chromium_executable(browser_type)
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    return {**args, "executable_path": executable} if executable else args


@dataclass
class PageErrors:
    """Console errors and uncaught exceptions seen on one page."""

    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [f"console: {m}" for m in self.console] + [f"uncaught: {m}" for m in self.uncaught]

    def assert_none(self, allow: str | None = None) -> None:
        """Fail if any error was seen, except console messages matching the regex ``allow``."""
        errors = [m for m in self.all() if not (allow and re.search(allow, m))]
        assert not errors, "errors in the browser:\n" + "\n".join(errors)


_OPEN_PAGES: list[Any] = []  # pages to screenshot when the running test fails


def watch(page: Any) -> PageErrors:
    """Collect the console errors and uncaught exceptions of ``page``."""
    errors = PageErrors()
    page.on("console", lambda m: m.type == "error" and errors.console.append(m.text))
    page.on("pageerror", lambda exc: errors.uncaught.append(str(exc)))
    _OPEN_PAGES.append(page)
    return errors


def open_page(browser: Any, **context_args: Any) -> tuple[Any, PageErrors]:
    """A page in a context of its own (close it with ``page.context.close()``) and its errors."""
    page = browser.new_context(**context_args).new_page()
    return page, watch(page)


@contextlib.contextmanager
def same_document(page: Any) -> Iterator[None]:
    """Assert that the navigation inside the ``with`` block is a page swap in place.

    Material's ``navigation.instant`` takes over a click only once it has ``sitemap.xml``, so this
    first waits for it; then it marks the window, and the mark must survive the block: a full page
    load makes a new window. Inside the block, wait for the new page's content (not only its URL).
    """
    page.wait_for_function(
        "performance.getEntriesByType('resource')"
        ".some((e) => e.name.split('?')[0].endsWith('/sitemap.xml'))"
    )
    page.evaluate("window.__msMarker = 'same document'")
    yield
    assert page.evaluate("window.__msMarker") == "same document", (
        "a full page load: Material's navigation.instant did not take the click"
    )


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


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep a screenshot of every page still open when a test fails, in ``test-results/``."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = ROOT / "test-results"
        folder.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "-", request.node.nodeid)[-120:]
        for index, open_ in enumerate(p for p in _OPEN_PAGES if not p.is_closed()):
            with contextlib.suppress(Exception):  # a screenshot must not hide the failure
                open_.screenshot(path=str(folder / f"{stem}-{index}.png"), full_page=True)
    _OPEN_PAGES[:] = [p for p in _OPEN_PAGES if not p.is_closed()]


# ---------------------------------------------------------------------------------------------
# Accessibility and Pyodide


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
def pyodide_dist() -> Path:
    dist = os.environ.get("PYODIDE_DIST")
    if not dist or not (Path(dist) / "pyodide.mjs").exists():
        pytest.skip(
            "needs a local Pyodide 0.27.7: set PYODIDE_DIST (e.g. ../shared/pyodide/0.27.7)"
        )
    return Path(dist).resolve()  # tests build sites from other folders: a relative path breaks


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
