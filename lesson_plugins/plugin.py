"""The ``lessons`` plugin for MkDocs 1.6 and ProperDocs: a thin adapter over the engine.

The engine (``lesson_plugins/engine.py``, a Markdown extension) makes every page; the plugin tells
it which page MkDocs converts, adds the browser files and the tags that load them, moves each
page's precomputed numbers into a data file beside it (``lesson_plugins/pagedata.py``), and
finishes the site after the build (``lesson_plugins/publish.py``). It also keeps the outputs'
numbers out of the search plugins' parse (``lesson_plugins/unindexed.py``), a MkDocs-only
speed-up.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File

from . import browser, pagedata, publish, unindexed
from .config import LessonsConfig
from .course import nav_pages
from .engine import MicroscaleExtension
from .site import Options, Project, Site, open_site

EXTENSION = "microscale"  # the engine's name under markdown_extensions
RUNTIME = f"{browser.ASSET_DIR}/runtime.js"  # where the browser entry lands in the site


class LessonsPlugin(BasePlugin[LessonsConfig]):
    """Compiles Microscale directives into static, prerendered, Pyodide-backed widgets."""

    def __init__(self) -> None:
        self.engine = MicroscaleExtension()
        self.hidden: list[str] = []  # the page's data, out of the search plugins' way
        self.serving = False
        self.one_shot = False  # the process ends with this build

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        try:  # an unknown option fails with a did-you-mean, not only under --strict
            Options.parse(options)
        except ValueError as exc:
            return [("lessons", exc)], []
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # rebuilds re-import edited Python
        self.one_shot = command in ("build", "gh-deploy")

    def on_config(self, config: Any) -> Any:
        config_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        defaults = LessonsConfig()
        given = {k: v for k, v in self.config.items() if v != defaults.get(k)}
        options = engine_options(given, config.markdown_extensions, config.mdx_configs)
        project = Project(
            config_dir=config_dir,
            docs_dir=os.path.abspath(config.docs_dir),
            site_dir=os.path.abspath(config.site_dir),
            site_url=config.site_url,
            repo_url=config.repo_url,
            use_directory_urls=config.use_directory_urls,
            nav=tuple(nav_pages(config.nav)) if config.nav else None,
        )
        try:
            self.site: Site = open_site(
                project, Options.parse(options), fresh=True, reload_pycore=self.serving
            )
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None
        # What exists now (MkDocs, the theme, the plugins) lives through the build: Python's full
        # garbage collections leave it out until the build ends (or, in `mkdocs build`, for good:
        # the process exits). They write to every object they visit (docs/benchmarks/site.md).
        gc.freeze()
        config.markdown_extensions.append(self.engine)
        return config

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for source in self.site.sources:  # an edited compute function rebuilds the pages
            server.watch(str(source.path))
        return server

    def on_files(self, files: Any, config: Any) -> Any:
        options = self.site.options
        try:
            added, self.browser_config = browser.site_files(
                self.site.zipped, options.local_pyodide(self.site.config_dir), options.pyodide_cdn
            )
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None
        for name, content in added:
            if isinstance(content, bytes):
                files.append(File.generated(config, name, content=content))
            else:
                files.append(File.generated(config, name, abs_src_path=str(content)))
        self.browser_config["sw"] = publish.service_worker_url(RUNTIME)  # the site root's sw.js
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        file = page.file
        self.engine.open_page(self.site, file.src_path, file.content_string, page.meta, page.url)
        return markdown

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        output = pagedata.write(output, Path(config.site_dir, page.file.dest_path))
        return browser.add_tags(output, page.url, self.browser_config, self.site.strings)

    def on_post_build(self, config: Any) -> None:
        self._thaw()
        self.site.save()
        theme_font = config.theme.get("font")
        try:  # .nojekyll, sw.js at the site root, 404 check (lesson_plugins/publish.py)
            publish.finish_site(
                config.site_dir, config.site_url, theme_font, RUNTIME, self.browser_config
            )
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None

    def on_build_error(self, error: Exception) -> None:
        self._thaw()

    def _thaw(self) -> None:
        """Give the objects :func:`gc.freeze` set aside back to the collector, unless the process
        ends now anyway (a last full collection of everything cost 0.06 s on exit)."""
        if not self.one_shot:
            gc.unfreeze()

    # Search plugins index the page in their on_page_context: the outputs' data is lifted out of
    # the page before them and put back after them (lesson_plugins/unindexed.py).
    @event_priority(100)
    def _hide_data(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if page.content:
            page.content, self.hidden = unindexed.hide(page.content)
        return context

    @event_priority(-100)
    def _restore_data(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if page.content:
            page.content = unindexed.restore(page.content, self.hidden)
        self.hidden = []
        return context

    on_page_context = CombinedEvent(_hide_data, _restore_data)


def engine_options(
    plugin: dict[str, Any], extensions: list[Any], configs: dict[str, Any]
) -> dict[str, Any]:
    """The engine's options: those under ``markdown_extensions: - microscale:`` (the entry is
    taken out: the plugin adds the engine itself) and those of the plugin, which may not both set
    one option."""
    given = dict(plugin)
    if EXTENSION in extensions:
        extensions.remove(EXTENSION)
        for name, value in (configs.pop(EXTENSION, None) or {}).items():
            if name in given and given[name] != value:
                raise PluginError(
                    f"mkdocs.yml: option '{name}' is set both under the 'lessons' plugin and "
                    f"under markdown_extensions: {EXTENSION}; set it in one place (under "
                    f"{EXTENSION}, it applies on every host)"
                )
            given[name] = value
    return given
