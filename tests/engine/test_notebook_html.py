"""``/// notebook``: download, Open in Colab and View on GitHub links for a notebook."""

from __future__ import annotations

import pytest
from enginehtml import only, tree

from lesson_plugins.engine import convert as engine_convert
from lesson_plugins.site import Options, Project, open_site

NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
PAGE = "/// notebook\n    ipynb: lab.ipynb\n///\n"


def test_download_alone_without_a_repository(convert) -> None:
    nav = only(tree(convert(PAGE, path="lab/index.md", pages={"lab/lab.ipynb": NOTEBOOK})), "nav")
    assert nav.attrib == {"class": "ms-notebook", "aria-label": "Notebook"}
    (download,) = nav
    assert download.attrib == {"class": "md-button", "href": "lab.ipynb", "download": ""}
    assert download.text == "Download the notebook (.ipynb)"


def test_links_into_the_github_repository(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "docs" / "lab").mkdir(parents=True)
    (tmp_path / "docs" / "lab" / "lab.ipynb").write_text(NOTEBOOK)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "lab.ipynb").write_text(NOTEBOOK)
    project = Project(
        config_dir=str(tmp_path),
        docs_dir=str(tmp_path / "docs"),
        site_dir=str(tmp_path / "site"),
        repo_url="https://github.com/octo/course",
    )
    site = open_site(project, Options(cache=False), fresh=True)
    options = "    ipynb: lab.ipynb\n    source: notebooks/lab.ipynb\n    branch: dev\n"
    page = f"/// notebook\n{options}///\n"
    nav = only(tree(engine_convert(site, "lab/index.md", page)), "nav")
    assert [(a.get("href"), a.text) for a in nav] == [
        ("lab.ipynb", "Download the notebook (.ipynb)"),
        (
            "https://colab.research.google.com/github/octo/course/blob/dev/notebooks/lab.ipynb",
            "Open in Colab",
        ),
        ("https://github.com/octo/course/blob/dev/notebooks/lab.ipynb", "View on GitHub"),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("", "missing option 'ipynb'"),
        ("    ipynb: lab.py\n", "option 'ipynb': expected a path to a .ipynb file"),
        ("    ipynb: https://x.org/lab.ipynb\n", "expected a path relative to the page"),
        ("    ipynb: other.ipynb\n", "option 'ipynb': docs/lab/other.ipynb does not exist"),
        ("    ipynb: lab.ipynb\n    source: gone.ipynb\n", "option 'source': gone.ipynb does not"),
        ("    ipynb: lab.ipynb\n    branch: a..b\n", "'a..b' is not a git branch name"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    error = fails(
        f"# Lab\n\n/// notebook\n{options}///\n",
        path="lab/index.md",
        pages={"lab/lab.ipynb": NOTEBOOK},
    )
    assert (error.path, error.line) == ("docs/lab/index.md", 3)
    assert error.detail.startswith("notebook: ") and message in error.detail
