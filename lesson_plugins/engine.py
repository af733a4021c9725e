"""The Microscale engine: one Python-Markdown extension that turns a lesson page into its HTML.

Everything a page needs happens in here, under any host: the directives (``blocks/``), their
prerendered and precomputed outputs (``widgets.py``), math (``math.py``), quizzes, the lesson
header and the course index. A host only says which page is being converted:

- MkDocs and ProperDocs: the ``lessons`` plugin (``plugin.py``) calls :meth:`open_page` before
  each page;
- Zensical: the engine reads the page and the project from Zensical's page context
  (``zensical.extensions.context``), which Zensical registers on every converter;
- anything else (a test, a script): :func:`convert`, one page of a
  :class:`~lesson_plugins.site.Site` made for the project's folder, Markdown in and HTML out.

List it in ``mkdocs.yml`` as ``markdown_extensions: [microscale]`` (its options, those of
:class:`~lesson_plugins.site.Options`, beneath it). Under MkDocs the plugin takes it from there.
"""

from __future__ import annotations

import os
from typing import Any

from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension

from .blocks import BLOCKS, directive_names, fast_options, quiz
from .blocks.base import diagnose
from .context import PageContext
from .course import nav_pages
from .errors import DirectiveError
from .header import front_matter
from .header import insert as insert_header
from .math import MathExtension
from .mistakes import check_headers, check_outputs, registered_blocks
from .site import Options, Project, Site, open_site
from .source import SourceMap


class MicroscaleExtension(BlocksExtension):
    """Microscale's directives, math, quizzes, lesson header and course index (module docs)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            name: [default, "see lesson_plugins/site.py: Options"]
            for name, default in Options().__dict__.items()
        }
        self.options_given = {k: v for k, v in kwargs.items()}
        self.site: Site | None = None
        self.next_page: PageContext | None = None
        super().__init__()  # options are checked by Options.parse, with file-level messages

    def open_page(
        self, site: Site, src_path: str, source: str, meta: dict[str, Any], url: str
    ) -> PageContext:
        """Convert the next page as ``src_path`` (relative to the docs folder) of ``site``."""
        self.site = site
        self.next_page = make_page(site, src_path, source, meta, url)
        return self.next_page

    def extendMarkdownBlocks(self, md: Any, block_mgr: Any) -> None:
        page, self.next_page = self.next_page or self._page_from_host(md), None
        if page is None:
            return  # a host's converter for something else than a page (no context)
        fast_options()
        for block in BLOCKS:
            block_mgr.register(block, {"page": page})
        MathExtension(page).extendMarkdown(md)
        md.treeprocessors.register(FinishPage(md, page), "microscale-finish", 1)
        md.treeprocessors.register(Decorate(md, page), "microscale-decorate", 0.5)

    def _page_from_host(self, md: Any) -> PageContext | None:
        """The page Zensical is converting, from its page context (None without Zensical)."""
        try:
            from zensical.extensions.context import ContextPreprocessor
        except ImportError:
            return None
        context = ContextPreprocessor.from_markdown(md)
        if context is None or getattr(context, "page", None) is None:
            return None
        site = zensical_site(context.config, self.options_given)
        path = os.path.join(site.project.docs_dir, context.page.path)
        with open(path, encoding="utf-8-sig") as stream:
            source = stream.read()
        url = site.page_url(context.page.path)  # Zensical's own is absolute: "/guide/x/"
        return make_page(site, context.page.path, source, context.page.meta, url)


def make_page(site: Site, src_path: str, source: str, meta: dict[str, Any], url: str) -> Any:
    """A :class:`PageContext`; front matter that does not parse fails here, at its line."""
    display = site.display_path(src_path)
    scanned = SourceMap(source)
    front_matter(display, scanned)  # the host may have shown broken front matter as text
    names = directive_names()
    headers = [h for h in scanned.headers if h.name in names]
    return PageContext(display, scanned, meta, url, src_path.replace(os.sep, "/"), site, headers)


def zensical_site(config: dict[str, Any], options: dict[str, Any]) -> Site:
    """The Site of the project Zensical is building (one per process and options)."""
    root = config.get("root_dir") or os.getcwd()
    project = Project(
        config_dir=root,
        docs_dir=os.path.join(root, config.get("docs_dir") or "docs"),
        site_dir=os.path.join(root, config.get("site_dir") or "site"),
        site_url=config.get("site_url"),
        repo_url=config.get("repo_url"),
        use_directory_urls=config.get("use_directory_urls", True),
        nav=tuple(_zensical_nav(config.get("nav"))) if config.get("nav") else None,
    )
    try:
        parsed = Options.parse(options)
    except ValueError as exc:
        raise DirectiveError(
            "mkdocs.yml", None, f"markdown_extensions: microscale: {exc}"
        ) from None
    return open_site(project, parsed)


def _zensical_nav(entries: Any) -> list[tuple[str, str | None]]:
    """Zensical's navigation (``{title, url, children}`` items) as :func:`nav_pages` gives it."""
    found: list[tuple[str, str | None]] = []
    for item in entries or []:
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(url, str) and url.endswith(".md"):
            found.append((url, item.get("title")))
        found += _zensical_nav(item.get("children") if isinstance(item, dict) else None)
    return found or nav_pages(entries)


class FinishPage(Treeprocessor):
    """After the whole page is parsed (and inline markup done): bind and fill its outputs, and
    explain directives that pymdownx refused."""

    def __init__(self, md: Any, page: PageContext) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: Any) -> None:
        from .widgets import finish

        page = self.page
        blocks = {block.NAME: block for block in BLOCKS}
        check_headers(page, registered_blocks(self.md), blocks)
        for header in page.unclaimed():  # pymdownx left it as text: say why
            why = diagnose(blocks[header.name], header, page.source)
            raise page.error(f"{header.name}: {why}", header.line)
        check_outputs(page)
        page.serialize = self.md.serializer
        finish(page, page.site.options.precompute_limit)


class Decorate(Treeprocessor):
    """The page around its directives: quizzes numbered, the course index in place, the lesson
    header above the title. Runs after MkDocs has read the page title from the first ``<h1>``."""

    def __init__(self, md: Any, page: PageContext) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: Any) -> None:
        page, site = self.page, self.page.site
        quiz.number_quizzes(root, page, site.strings)
        for parent in root.iter():
            for at, child in enumerate(parent):
                if child.get("class") == "ms-course-index":
                    level = int(child.get("data-level"))
                    parent[at] = site.course.element(page.doc, site.strings, level)
        lesson = site.course.lesson_at(page.src_path) if "lesson" in page.meta else None
        if lesson is not None:
            insert_header(root, lesson, site.strings)


def convert(
    site: Site,
    src_path: str,
    text: str,
    extensions: list[Any] | None = None,
    url: str | None = None,
) -> str:
    """The HTML of one page of ``site``, converted outside any host.

    ``text`` is the page's markdown as written in ``src_path`` (relative to the docs folder),
    front matter included: as MkDocs does, the front matter is parsed (the page's ``meta``) and
    stripped before conversion. ``extensions`` are the other Markdown extensions to run
    (e.g. ``["attr_list", "pymdownx.superfences"]``); ``url`` defaults to the page's own
    (:meth:`Site.page_url`). An author's mistake raises the engine's
    :class:`~lesson_plugins.errors.DirectiveError`.
    """
    import markdown

    scanned = SourceMap(text)
    meta = front_matter(site.display_path(src_path), scanned)
    body = "\n".join(scanned.lines[scanned.body_start - 1 :])
    engine = MicroscaleExtension()
    engine.open_page(site, src_path, text, meta, url or site.page_url(src_path))
    md = markdown.Markdown(extensions=[*(extensions or []), engine])
    return md.convert(body)


def makeExtension(**kwargs: Any) -> MicroscaleExtension:
    return MicroscaleExtension(**kwargs)
