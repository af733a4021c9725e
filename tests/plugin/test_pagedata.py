"""The page's data file (lesson_plugins/pagedata.py, issue 21): precomputed states and the rows of
the tables of values leave the page for a file beside it, and come back exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lesson_plugins import pagedata

SITE = Path(__file__).resolve().parents[1] / "browser" / "site" / "mkdocs.yml"


@pytest.fixture(scope="module")
def site(build_site) -> Path:
    return build_site(SITE)


def test_a_built_page_keeps_references_and_its_file_the_numbers(site) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    (name,) = set(re.findall(r'data-ms-file="([^"]+)"', page))
    assert re.fullmatch(r"index\.[0-9a-f]{10}\.json", name)
    data = json.loads((site / name).read_text(encoding="utf-8"))
    references = re.findall(r'"states":\{"at":(\d+)\}\}</template>', page)
    assert [int(at) for at in references] == list(range(len(data["states"]))) != []
    assert all(len(states["each"]) > 1 for states in data["states"])
    assert '"each"' not in page  # no state is left in the page
    tables = re.findall(r'<template data-ms-file="[^"]+" data-ms-rows="(\d+)"><table', page)
    assert [int(at) for at in tables] == list(range(len(data["rows"]))) != []
    assert all(rows.startswith("<tr>") for rows in data["rows"])
    assert "<tbody></tbody>" in page and "<tbody><tr>" not in page


def test_a_live_output_keeps_its_null_states_and_names_no_file(site) -> None:
    page = (site / "other" / "index.html").read_text(encoding="utf-8")
    live = re.findall(r'<template class="ms-data"([^>]*)>[^<]*"states":null\}</template>', page)
    assert live and not any("data-ms-file" in attributes for attributes in live)
    assert pagedata.read(site / "other" / "index.html") == page  # it has no data file


def test_join_gives_back_the_engines_page_and_read_reads_it(site) -> None:
    for file in [site / "index.html", site / "charts" / "index.html"]:
        page = file.read_text(encoding="utf-8")
        whole = pagedata.read(file)
        again, name, data = pagedata.split(whole, "index")
        assert (again, name) == (page, re.search(r'data-ms-file="([^"]+)"', page)[1])
        assert pagedata.join(page, data) == whole and len(whole) > len(page)


def test_a_page_without_outputs_is_left_alone_and_the_name_follows_the_content() -> None:
    plain = "<html><body><p>no widgets</p></body></html>"
    assert pagedata.split(plain, "index") == (plain, None, None)
    page = '<template class="ms-data">{"fn":"m:f","states":{"common":{},"each":[%s]}}</template>'
    names = {pagedata.split(page % value, "lesson")[1] for value in ("{}", '{"a":1}')}
    assert len(names) == 2 and all(n.startswith("lesson.") for n in names)


def test_data_that_does_not_end_with_its_states_is_refused() -> None:
    page = '<template class="ms-data">{"states":{"each":[]},"fn":"m:f"}</template>'
    with pytest.raises(ValueError, match="does not end with its states"):
        pagedata.split(page, "index")
