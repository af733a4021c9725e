"""The ``lessons`` MkDocs plugin: events only, each delegating to the modules beside it."""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from . import browser, compute, course, offload, publish, strings, unindexed
from .blocks import LessonsExtension, directive_names, quiz
from .cache import FOLDER, ComputeCache
from .check.numpy_version import newer_numpy_warning
from .config import LessonsConfig, pyodide_dist
from .context import PageContext, find_headers
from .math import MathExtension

log = logging.getLogger("mkdocs.plugins.lessons")
RUNTIME = f"{browser.ASSET_DIR}/runtime.js"  # where the browser entry lands in the site


class LessonsPlugin(BasePlugin[LessonsConfig]):
    """Compiles Microscale directives into static, prerendered, Pyodide-backed widgets."""

    def __init__(self) -> None:
        # `page` is the PageContext of the page being rendered (None between pages).
        self.state = SimpleNamespace(page=None, hidden=[])
        self.serving = False
        self.one_shot = False  # the process ends with this build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # rebuilds re-import edited Python
        self.one_shot = command in ("build", "gh-deploy")

    def on_config(self, config: Any) -> Any:
        try:
            self.strings = strings.resolve(self.config.strings)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None
        self.config_dir = os.path.dirname(config.config_file_path or ".")
        self.repo_url = config.repo_url  # the notebook directive's Colab and GitHub links
        try:  # the Python a page may call: pycore and the `modules` option
            self.sources = compute.sources(self.config_dir, self.config.modules)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None
        compute.make_importable(self.sources, reload_pycore=self.serving)
        if warning := newer_numpy_warning():  # on_config runs once per build
            log.warning(warning)
        self.zipped = compute.zip_sources(self.sources)
        folder = Path(self.config_dir, FOLDER) if self.config.cache else None
        self.cache = ComputeCache.open(self.zipped, folder)  # what earlier builds computed
        # What exists now (MkDocs, the theme, the plugins) lives through the build: Python's full
        # garbage collections leave it out until the build ends (or, in `mkdocs build`, for good:
        # the process exits). They write to every object they visit, so this also keeps a forked
        # compute process's memory shared rather than copied page by page (docs/benchmarks/site.md).
        gc.freeze()
        self.offload = offload.Offload(self.sources, self.config.parallel)  # what it has not
        if not self.cache.signatures:  # a first build of these sources: import them right away
            self.offload.start()
        config.markdown_extensions.append(LessonsExtension(self.state))
        config.markdown_extensions.append(MathExtension(self.state))  # $TeX$ -> MathML
        self.course = course.Course()  # the lessons of this build, for the course index
        return config

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for source in self.sources:  # an edited compute function rebuilds the pages
            server.watch(str(source.path))
        return server

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self.course.set_nav(nav)
        return nav

    def on_files(self, files: Any, config: Any) -> Any:
        dist = pyodide_dist(self.config.pyodide_dist)  # the option is relative to mkdocs.yml
        dist_path = (
            Path(self.config_dir if self.config.pyodide_dist else ".", dist) if dist else None
        )
        try:
            added, self.browser_config = browser.site_files(config, self.zipped, dist_path)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None
        for file in added:
            files.append(file)
        self.browser_config["sw"] = publish.service_worker_url(RUNTIME)  # the site root's sw.js
        return files

    def on_post_build(self, config: Any) -> None:
        self._thaw()
        self.offload.close()
        try:
            self.cache.save()
        except OSError as exc:
            log.warning(f"lessons: cannot save the compute cache ({exc}); the next build computes")
        try:  # .nojekyll, sw.js at the site root, 404 check (lesson_plugins/publish.py)
            publish.finish_site(config, RUNTIME, self.browser_config)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugin 'lessons': {exc}") from None

    def on_build_error(self, error: Exception) -> None:
        self._thaw()
        if hasattr(self, "offload"):
            self.offload.close()

    def _thaw(self) -> None:
        """Give the objects :func:`gc.freeze` set aside back to the collector, unless the process
        ends now anyway (a last full collection of everything cost 0.06 s on exit)."""
        if not self.one_shot:
            gc.unfreeze()

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return browser.add_tags(output, page.url, self.browser_config, self.strings)

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
        html = quiz.finish_page(html, context, self.strings)
        return self.course.page_content(html, page, context.src_path, self.strings)

    # Outputs computed in the compute process are filled in first (lesson_plugins/offload.py).
    # Search plugins index the page in their on_page_context: the outputs' data is lifted out of
    # the page before them and put back after them (lesson_plugins/unindexed.py).
    @event_priority(100)
    def _hide_data(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if page.content:
            page.content = self.offload.fill(page.content)
            page.content, self.state.hidden = unindexed.hide(page.content)
        return context

    def _fill_course(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        self.course.fill(page, self.strings)
        return context

    @event_priority(-100)
    def _restore_data(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if page.content:
            page.content = unindexed.restore(page.content, self.state.hidden)
        self.state.hidden = []
        return context

    on_page_context = CombinedEvent(_hide_data, _fill_course, _restore_data)

    def _display_path(self, config: Any, src_path: str) -> str:
        """The page's path as an author sees it, relative to the directory of mkdocs.yml."""
        full = os.path.join(config.docs_dir, src_path)
        return os.path.relpath(full, self.config_dir or ".").replace(os.sep, "/")
