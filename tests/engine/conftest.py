"""Converter-level tests of the engine: Markdown in, HTML out, no site build.

As pymdown-extensions tests its own blocks (``tests/test_extensions/test_blocks/``), each test
converts one page with :func:`lesson_plugins.engine.convert` and checks the HTML that matters.
The page belongs to a :class:`~lesson_plugins.site.Site` made for a temporary project folder
(``mkdocs.yml``'s folder, ``docs/`` beside it, the compute cache off), so nothing is shared between
tests but imported ``pycore``.

``convert(text, *, path="lesson.md", files=None, pages=None, extensions=None, **options)``
    Converts ``text`` as the page ``docs/<path>``; ``files`` are written beside ``mkdocs.yml``
    (a compute module), ``pages`` into ``docs/`` (other pages of the course), ``options`` are the
    engine's (:class:`~lesson_plugins.site.Options`: ``modules``, ``precompute_limit`` ...).
    Returns the HTML; an author's mistake raises :class:`~lesson_plugins.errors.DirectiveError`.
``fails(text, **kwargs) -> DirectiveError``
    Converts like ``convert`` and returns the error it must raise.

``enginehtml.py`` reads the HTML back (``tree``, ``data_of``) and holds the compute module the
tests share (``LESSONFNS``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lesson_plugins.engine import convert as engine_convert
from lesson_plugins.errors import DirectiveError
from lesson_plugins.site import Options, Project, open_site

EXTENSIONS = ["attr_list", "pymdownx.superfences"]


@pytest.fixture
def convert(tmp_path: Path) -> Callable[..., str]:
    def convert_page(
        text: str,
        *,
        path: str = "lesson.md",
        files: dict[str, str] | None = None,
        pages: dict[str, str] | None = None,
        extensions: list[Any] | None = None,
        **options: Any,
    ) -> str:
        for name, content in {
            **(files or {}),
            **{f"docs/{k}": v for k, v in {**(pages or {}), path: text}.items()},
        }.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        project = Project(
            config_dir=str(tmp_path),
            docs_dir=str(tmp_path / "docs"),
            site_dir=str(tmp_path / "site"),
        )
        site = open_site(project, Options.parse({"cache": False, **options}), fresh=True)
        return engine_convert(site, path, text, EXTENSIONS if extensions is None else extensions)

    return convert_page


@pytest.fixture
def fails(convert: Callable[..., str]) -> Callable[..., DirectiveError]:
    def convert_failing(text: str, **kwargs: Any) -> DirectiveError:
        with pytest.raises(DirectiveError) as caught:
            convert(text, **kwargs)
        return caught.value

    return convert_failing
