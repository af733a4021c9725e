"""The ``lessons`` MkDocs plugin: events only, each delegating to the modules beside it."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import strings
from .blocks import LessonsExtension, directive_names
from .config import LessonsConfig
from .context import PageContext, find_headers


class LessonsPlugin(BasePlugin[LessonsConfig]):
    """Compiles Microscale directives into static, prerendered, Pyodide-backed widgets."""

    def __init__(self) -> None:
        # `page` is the PageContext of the page being rendered (None between pages).
        self.state = SimpleNamespace(page=None)

    def on_config(self, config: Any) -> Any:
        try:
            self.strings = strings.resolve(self.config.strings)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None
        self.config_dir = os.path.dirname(config.config_file_path or ".")
        config.markdown_extensions.append(LessonsExtension(self.state))
        return config

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        source = page.file.content_string
        self.state.page = PageContext(
            src_path=self._display_path(config, page.file.src_path),
            source=source,
            meta=page.meta,
            plugin=self,
            headers=find_headers(source, directive_names()),
        )
        return markdown

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        context, self.state.page = self.state.page, None
        if context is None:
            return html
        for line, name, _ in context.unclaimed():
            raise context.error(
                f"{name}: the options under this header could not be read; write them as "
                "'name: value' lines indented by 4 spaces, with valid YAML values",
                line,
            )
        return html

    def _display_path(self, config: Any, src_path: str) -> str:
        """The page's path as an author sees it, relative to the directory of mkdocs.yml."""
        full = os.path.join(config.docs_dir, src_path)
        return os.path.relpath(full, self.config_dir or ".").replace(os.sep, "/")
