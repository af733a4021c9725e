"""The test server's ``sitemap.xml``, which lets Material's navigation.instant work in the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from lesson_plugins.testing import sitemap_for

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}
</urlset>"""


def site(tmp_path: Path, pages: list[str], locs: list[str]) -> Path:
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<html></html>")
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(SITEMAP.format("".join(f"<url><loc>{loc}</loc></url>" for loc in locs)))
    return sitemap


@pytest.mark.parametrize(
    ("pages", "site_url", "locs"),
    [
        (["index.html", "a/b/index.html"], "https://example.org/", ["", "a/b/"]),
        (["deep/er/lesson/index.html"], "https://example.github.io/repo/", ["deep/er/lesson/"]),
        (
            ["index.html", "deep/er/lesson.html"],
            "https://x.io/repo/",
            ["index.html", "deep/er/lesson.html"],
        ),
        (["repo/index.html", "index.html"], "https://x.io/repo/", ["", "repo/"]),
    ],
)
def test_the_sitemap_is_served_for_the_servers_address(tmp_path, pages, site_url, locs):
    sitemap = site(tmp_path, pages, [site_url + loc for loc in locs])
    served = sitemap_for(sitemap, "http://127.0.0.1:4321/sub/")
    assert served == SITEMAP.format(
        "".join(f"<url><loc>http://127.0.0.1:4321/sub/{loc}</loc></url>" for loc in locs)
    )


def test_a_site_without_site_url_has_no_addresses_to_move(tmp_path):
    sitemap = site(tmp_path, ["index.html"], [])
    assert sitemap_for(sitemap, "http://127.0.0.1:4321/") == sitemap.read_text()
