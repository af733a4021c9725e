"""Chromium pages for tests: a system Chromium when Playwright has none, errors, screenshots."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

#: How the system Chromium is launched (no sandbox, no GPU, nothing that calls home).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


_WATCHED: list[Any] = []  # open pages, screenshot when a test fails


def watch(page: Any) -> PageErrors:
    """Collect the console errors and uncaught exceptions of ``page``; screenshot it on failure."""
    errors = PageErrors()
    page.on("console", lambda m: m.type == "error" and errors.console.append(m.text))
    page.on("pageerror", lambda exc: errors.uncaught.append(str(exc)))
    _WATCHED.append(page)
    return errors


def open_page(browser: Any, **context_args: Any) -> tuple[Any, PageErrors]:
    """A page in a context of its own (close it with ``page.context.close()``) and its errors."""
    page = browser.new_context(**context_args).new_page()
    return page, watch(page)


def screenshot_open_pages(folder: Path, nodeid: str) -> list[Path]:
    """A full-page screenshot of every watched page still open, named after the test."""
    _WATCHED[:] = [p for p in _WATCHED if not p.is_closed()]
    stem = re.sub(r"[^\w.-]+", "-", nodeid).strip("-")[-120:]
    kept = []
    for index, page in enumerate(_WATCHED):
        path = folder / f"{stem}-{index}.png"
        with contextlib.suppress(Exception):  # a screenshot must not hide the failure
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=True, timeout=10_000)
            kept.append(path)
    return kept


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
