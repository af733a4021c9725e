"""The ``notebook`` directive: download, Open in Colab and View on GitHub links, and its errors."""

from __future__ import annotations

import logging
import re

import pytest

from lesson_plugins.errors import DirectiveError

NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
PAGE = "# Lab\n\n/// notebook\n    ipynb: lab.ipynb\n    source: lab/lab.ipynb\n///\n"
FILES = {"docs/lab/lab.ipynb": NOTEBOOK, "lab/lab.ipynb": NOTEBOOK}
CONFIG = "site_name: test\n{repo}theme:\n  name: material\n  font: false\nplugins:\n  - lessons\n"
ACTIONS = ("GITHUB_ACTIONS", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL")


@pytest.fixture(autouse=True)
def _not_in_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ACTIONS:  # CI may itself run in GitHub Actions
        monkeypatch.delenv(name, raising=False)


def links(site) -> dict[str, str]:
    html = (site / "lab" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav aria-label="Notebook" class="ms-notebook">(.*?)</nav>', html).group(1)
    return {text: href for href, text in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def build(build_pages, page: str = PAGE, repo: str = "", files: dict | None = None):
    config = {"mkdocs.yml": CONFIG.format(repo=repo)}
    return build_pages({"lab/index.md": page}, files={**config, **FILES, **(files or {})})


def test_links_follow_repo_url(build_pages) -> None:
    site = build(build_pages, repo="repo_url: https://github.com/octo/course.git\n")
    assert links(site) == {
        "Download the notebook (.ipynb)": "lab.ipynb",
        "Open in Colab": "https://colab.research.google.com/github/octo/course/blob/main/lab/lab.ipynb",
        "View on GitHub": "https://github.com/octo/course/blob/main/lab/lab.ipynb",
    }
    html = (site / "lab" / "index.html").read_text(encoding="utf-8")
    assert 'download="" href="lab.ipynb"' in html
    assert (site / "lab" / "lab.ipynb").read_text() == NOTEBOOK  # the download is in the site


def test_github_actions_build_knows_its_repository(build_pages, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/course")
    page = PAGE.replace("    source: lab/lab.ipynb\n", "    branch: gh-lessons\n")
    site = build(build_pages, page=page)  # source defaults to the docs copy
    assert links(site)["Open in Colab"] == (
        "https://colab.research.google.com/github/octo/course/blob/gh-lessons/docs/lab/lab.ipynb"
    )


def test_without_a_github_repository_only_the_download(build_pages, caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.lessons")
    site = build(build_pages, repo="repo_url: https://gitlab.com/octo/course\n")
    assert links(site) == {"Download the notebook (.ipynb)": "lab.ipynb"}
    assert "docs/lab/index.md:3: notebook: no 'Open in Colab' link: set repo_url" in caplog.text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("ipynb: lab.ipynb", "ipynb: missing.ipynb"),
            "option 'ipynb': docs/lab/missing.ipynb does",
        ),
        (("ipynb: lab.ipynb", "ipynb: lab.py"), "option 'ipynb': expected a path to a .ipynb file"),
        (("source: lab/lab.ipynb", "source: notes/lab.ipynb"), "option 'source': notes/lab.ipynb"),
        (("source: lab/lab.ipynb", "source: /lab/lab.ipynb"), "expected a path relative to"),
        (("source: lab", "branch: a b\n    source: lab"), "option 'branch': 'a b' is not a git"),
        (("source: lab", "sorce: lab"), "unknown option 'sorce' (did you mean 'source'?)"),
        (("    ipynb: lab.ipynb\n", ""), "missing option 'ipynb'"),
        (("/// notebook", "/// notebook | Lab"), "takes no argument after '|'"),
    ],
)
def test_author_mistakes_fail_at_the_header_line(build_pages, edit, message) -> None:
    with pytest.raises(DirectiveError) as err:
        build(build_pages, page=PAGE.replace(*edit))
    assert str(err.value).startswith("docs/lab/index.md:3: notebook: ")
    assert message in str(err.value)


def test_a_notebook_outside_the_docs_folder_fails(build_pages, tmp_path) -> None:
    """It would not be published: the download link would be broken (issue 22)."""
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "n.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(DirectiveError, match="is outside the docs folder, so it is not published"):
        build_pages({"index.md": "# A\n\n/// notebook\n    ipynb: ../lab/n.ipynb\n///\n"})
