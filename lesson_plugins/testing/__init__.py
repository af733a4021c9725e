"""Microscale's pytest plugin: build a course, serve it, drive Chromium, run axe-core.

Installed with the package (``pip install "microscale[test]"``; entry point ``pytest11``), so a
course in its own repository tests its lessons in a few lines::

    import pytest

    @pytest.mark.browser
    def test_bars(build_site, serve, page, page_errors, axe):
        url = serve(build_site()).url          # the course's mkdocs.yml, built once per session
        page.goto(url + "my-lesson/")
        page.locator("input[name=T]").fill("3")
        paris = page.locator(".ms-bar[data-label=Paris]").get_attribute("data-value")
        assert paris == repr(teacher(3.0)["Paris"])  # the exact float CPython gives
        page_errors.assert_none()               # no console error, no uncaught exception
        axe(page)                               # no axe-core violation

The guide's page "Testing a course" (``docs/guide/testing.md``) walks through a whole course.

Markers: ``browser`` (runs Chromium against a built site) and ``pyodide`` (runs real Pyodide).
Ini option: ``microscale_config``, the course's ``mkdocs.yml`` relative to the rootdir (default:
``mkdocs.yml`` there).

Fixtures and helpers
--------------------
``build_site(config=None, *, plugin_options=None, env=None, **overrides) -> Path`` (session)
    Builds a site with the MkDocs API into a temporary folder and returns that folder. ``config``
    is an ``mkdocs.yml``, or a docs folder (a material site with the ``lessons`` plugin is assumed
    around it); without one, the course's (``microscale_config``); a clear error when there is no
    such file. ``overrides`` are top-level MkDocs settings (``site_url``, ``use_directory_urls``);
    ``plugin_options`` replace options of the ``lessons`` plugin (``precompute_limit``,
    ``pyodide_dist`` ...); ``env`` sets environment variables during the build (``None`` unsets
    one). Equal inputs are built once per session.
``build_pages(pages, *, plugin_options=None, files=None) -> Path`` (function)
    Writes ``pages`` (``{"index.md": "..."}``) and ``files`` (other files next to ``mkdocs.yml``,
    e.g. a Python module) into a fresh folder and builds it; an author mistake raises
    :class:`lesson_plugins.errors.DirectiveError`.
``serve(directory=None, prefix="/") -> Served`` (session)
    Serves a built site (default: the course's, built) on 127.0.0.1 at a random port (right MIME
    types for ``.js``/``.mjs``/``.wasm``/``.json``/``.zip``), optionally under a sub-path such as
    ``/repo/``. ``Served.url`` ends with ``/``; ``Served.requests`` lists ``(path, status)``;
    ``Served.stop()`` takes the site offline. ``sitemap.xml`` is served as if the site's
    ``site_url`` were ``Served.url``, so that Material's ``navigation.instant`` works.
``page`` / ``page_errors`` (function)
    A fresh Chromium page (Playwright's own Chromium if installed, else ``$MICROSCALE_CHROMIUM``,
    else ``/usr/bin/chromium``; tests are skipped with the reason when there is none) and the
    console errors and uncaught exceptions seen on it: ``page_errors.assert_none(allow=REGEX)``.
    When a test fails, every page still open is screenshot into ``test-results/`` (or
    pytest-playwright's ``--output``) before pytest-playwright closes it; the report names them.
``open_page(browser, **context_args) -> (Page, PageErrors)``
    The same for a page a module shares between tests (e.g. to boot Pyodide once).
``same_document(page)`` (context manager)
    Asserts that the navigation inside the block swapped the page in place, as
    ``navigation.instant`` does, instead of loading a new one.
``axe(page, context=None)`` (function)
    Runs axe-core (axe-playwright-python) with its default rules and fails with a readable list of
    violations. A fresh Material site passes.
``pyodide_dist`` (session)
    The local Pyodide distribution: the course's ``pyodide_dist`` option, else ``$PYODIDE_DIST``;
    tests that take it are skipped, with the reason, without one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..serve import Served, sitemap_for
from . import chromium, fixtures
from .chromium import PageErrors, open_page, same_document
from .sites import build

__all__ = ["PageErrors", "Served", "build", "open_page", "same_document", "sitemap_for"]

MARKERS = {
    "browser": "runs a real Chromium against a built site",
    "pyodide": "runs real Pyodide (its distribution: the pyodide_dist fixture)",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "microscale_config",
        "the course's mkdocs.yml, relative to the rootdir (default: mkdocs.yml)",
        default="",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    # The fixtures are registered last, so that they win over pytest-playwright's of the same
    # name (page, browser_type_launch_args), whatever order the installed plugins load in.
    if not config.pluginmanager.is_registered(fixtures):
        config.pluginmanager.register(fixtures, "microscale-fixtures")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """On a failure, screenshot the open pages now: pytest-playwright closes them at teardown."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        output = Path(item.config.getoption("output", None) or "test-results")
        kept = chromium.screenshot_open_pages(item.config.rootpath / output, item.nodeid)
        if kept:
            report.sections.append(("screenshots", "\n".join(map(str, kept))))
    return report
