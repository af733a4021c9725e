"""Microscale's pytest plugin as this repository's tests get it: the fixtures, markers, Pyodide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lesson_plugins.testing import fixtures
from lesson_plugins.testing.sites import course_pyodide


def test_the_plugins_fixtures_win_over_pytest_playwrights(request) -> None:
    for name in ("page", "browser_type_launch_args"):
        (definition,) = request.session._fixturemanager.getfixturedefs(name, request.node)[-1:]
        assert definition.func.__module__ == fixtures.__name__, name


def test_the_markers_are_registered(pytestconfig) -> None:
    markers = "\n".join(pytestconfig.getini("markers"))
    assert re.search(r"^browser: ", markers, re.M) and re.search(r"^pyodide: ", markers, re.M)


@pytest.mark.browser
def test_page_errors_sees_the_tests_page(page, page_errors) -> None:
    page.set_content("<p>hi</p>")
    page.evaluate("console.error('seen')")
    page.evaluate("setTimeout(() => { throw new Error('thrown') })")
    page.wait_for_timeout(100)
    assert page_errors.console == ["seen"] and page_errors.uncaught == ["thrown"]


@pytest.mark.browser
def test_axe_passes_on_a_fresh_material_site(build_pages, serve, page, page_errors, axe) -> None:
    # Material's defaults, but its fonts (Google Fonts cannot be reached from the tests)
    fresh = "site_name: fresh\ntheme: {name: material, font: false}\nplugins: [search, lessons]\n"
    site = build_pages({"index.md": "# A page\n\nText.\n"}, files={"mkdocs.yml": fresh})
    # Material's search overlay has role="dialog" and no name in the HTML (aria-dialog-name):
    html = (site / "index.html").read_text(encoding="utf-8")
    (overlay,) = re.findall(r'<div class="md-search"[^>]*>', html)
    assert 'role="dialog"' in overlay and "aria-label" not in overlay
    page.goto(serve(site).url)
    # ... the plugin's runtime.js names it as Material names its search field.
    dialog = page.locator('.md-search[role="dialog"]')
    field_name = page.locator(".md-search__input").get_attribute("aria-label")
    page.wait_for_function("document.querySelector('.md-search').hasAttribute('aria-label')")
    assert dialog.get_attribute("aria-label") == field_name == "Search"
    axe(page)  # the default rules, aria-dialog-name included
    page_errors.assert_none()


def write_config(folder: Path, option: str | None) -> Path:
    lessons = (
        f"  - lessons:\n      pyodide_dist: {option}\n" if option is not None else "  - lessons\n"
    )
    config = folder / "mkdocs.yml"
    config.write_text(f"site_name: t\nplugins:\n  - search\n{lessons}", encoding="utf-8")
    return config


def test_pyodide_comes_from_mkdocs_yml_before_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PYODIDE_DIST", "/elsewhere")
    assert course_pyodide(write_config(tmp_path, "vendor/pyodide")) == tmp_path / "vendor/pyodide"
    assert course_pyodide(write_config(tmp_path, None)) == Path("/elsewhere")
    monkeypatch.delenv("PYODIDE_DIST")
    assert course_pyodide(write_config(tmp_path, None)) is None
    assert course_pyodide(None) is None


def test_pyodide_dist_under_the_engine_counts_too(tmp_path) -> None:
    """The option written where it applies on every host (markdown_extensions: - microscale:)."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nplugins:\n  - lessons\nmarkdown_extensions:\n  - microscale:\n"
        "      pyodide_dist: vendor/pyodide\n",
        encoding="utf-8",
    )
    assert course_pyodide(config) == tmp_path / "vendor/pyodide"
