"""The ``notebook`` directive: links to a Jupyter notebook (download, Open in Colab, GitHub).

::

    /// notebook
        ipynb: distillation_lab.ipynb
        source: lab/distillation_lab.ipynb
    ///

``ipynb`` (required) is the notebook in ``docs/``, relative to the page; MkDocs copies it into the
site as it is, and the first link downloads it. ``source`` is the notebook's path in the
repository, relative to the folder of ``mkdocs.yml`` (default: the ``docs/`` copy); ``branch``
(default ``main``) is the branch Colab and GitHub open it from.

"Open in Colab" and "View on GitHub" need to know the repository: ``repo_url`` in ``mkdocs.yml``
when it is a ``https://github.com/OWNER/REPO`` address, else, in a GitHub Actions build (the
Pages workflow), the repository being built (``GITHUB_REPOSITORY``). Without either, the page
offers the download alone and the build log says why.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from .base import LessonBlock, string

log = logging.getLogger("mkdocs.plugins.lessons")

_GITHUB = re.compile(r"^https://github\.com/(?P<slug>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def github_slug(repo_url: str | None, env: dict[str, str] | os._Environ = os.environ) -> str | None:
    """``OWNER/REPO`` of the site's GitHub repository, or None when it is not known.

    >>> github_slug("https://github.com/octo/course.git")
    'octo/course'
    >>> github_slug(None, {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/course"})
    'octo/course'
    """
    m = _GITHUB.match(repo_url or "")
    if m:
        return m.group("slug")
    in_actions = env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_REPOSITORY")
    if in_actions and env.get("GITHUB_SERVER_URL", "https://github.com") == "https://github.com":
        return env["GITHUB_REPOSITORY"]
    return None


def colab_url(slug: str, branch: str, path: str) -> str:
    """Colab's address for a notebook in a public GitHub repository."""
    return f"https://colab.research.google.com/github/{slug}/blob/{branch}/{path}"


def ipynb_path(value: Any) -> str:
    """A relative path to a ``.ipynb`` file."""
    text = string(value).replace("\\", "/")
    if not text.endswith(".ipynb"):
        raise ValueError(f"expected a path to a .ipynb file, got {text!r}")
    if text.startswith("/") or re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
        raise ValueError(f"expected a path relative to the page, got {text!r}")
    return text


def branch_name(value: Any) -> str:
    """A git branch name (no spaces, no '..')."""
    text = string(value)
    if re.search(r"\s|\.\.|^/|/$|[~^:?*\[\\]", text):
        raise ValueError(f"{text!r} is not a git branch name")
    return text


class NotebookBlock(LessonBlock):
    """Download / Open in Colab / View on GitHub links for a notebook (see the module docstring)."""

    NAME = "notebook"
    ARGUMENT = False
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        "ipynb": ("", ipynb_path),
        "source": ("", ipynb_path),
        "branch": ("main", branch_name),
    }
    REQUIRED = ("ipynb",)

    def on_options(self, parent: etree.Element) -> bool:
        root = Path(self.page.site.config_dir)
        page_file = root / self.page.src_path
        local = (page_file.parent / self.options["ipynb"]).resolve()
        if not local.is_file():
            raise self.fail(
                f"option 'ipynb': {os.path.relpath(local, root)} does not exist; the notebook must "
                "be in the docs folder, and the path is relative to this page"
            )
        docs = Path(self.page.site.project.docs_dir).resolve()
        if not local.is_relative_to(docs):
            raise self.fail(
                f"option 'ipynb': {os.path.relpath(local, root)} is outside the docs folder, so it "
                "is not published and the download link would be broken; move the notebook into "
                "the docs folder (or copy it there) and give its path relative to this page"
            )
        source = self.options["source"] or os.path.relpath(local, root).replace(os.sep, "/")
        if not (root / source).resolve().is_relative_to(root.resolve()):
            log.warning(
                "%s:%s: notebook: option 'source': %s is outside the project; the Colab and "
                "GitHub links point into the repository, where it is not",
                self.page.src_path,
                self.page.current_line,
                source,
            )
        if not (root / source).is_file():
            raise self.fail(
                f"option 'source': {source} does not exist; give the notebook's path in the "
                "repository, relative to the folder of mkdocs.yml"
            )
        self.options["source"] = source
        return True

    def on_create(self, parent: etree.Element) -> etree.Element:
        strings = self.page.site.strings
        nav = etree.SubElement(
            parent, "nav", {"class": "ms-notebook", "aria-label": strings["notebook_label"]}
        )
        download = etree.SubElement(
            nav, "a", {"class": "md-button", "href": self.options["ipynb"], "download": ""}
        )
        download.text = strings["notebook_download"]
        slug = github_slug(self.page.site.project.repo_url)
        if slug is None:
            log.info(
                "%s:%s: notebook: no 'Open in Colab' link: set repo_url in mkdocs.yml to the "
                "repository's https://github.com/OWNER/REPO address",
                self.page.src_path,
                self.page.current_line,
            )
            return nav
        branch, source = self.options["branch"], self.options["source"]
        links = [
            ("md-button", colab_url(slug, branch, source), "notebook_colab"),
            ("md-button", f"https://github.com/{slug}/blob/{branch}/{source}", "notebook_github"),
        ]
        for css, href, label in links:
            etree.SubElement(nav, "a", {"class": css, "href": href}).text = strings[label]
        nav.tail = "\n"
        return nav
