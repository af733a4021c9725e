"""The test server's ``sitemap.xml``, which lets Material's navigation.instant work in the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from lesson_plugins.serve import sitemap_for

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


def test_the_server_types_files_and_keeps_to_its_prefix(tmp_path):
    """The tests' and the benchmarks' server (``lesson_plugins/serve.py``)."""
    import urllib.error
    import urllib.request

    from lesson_plugins.serve import serving

    for name in ("a/app.mjs", "a/pyodide.asm.wasm", "a/sources.zip", "index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    with serving(tmp_path, "/repo/") as served:
        assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/repo/")
        types = {}
        for name in ("a/app.mjs", "a/pyodide.asm.wasm", "a/sources.zip"):
            with urllib.request.urlopen(served.url + name) as response:
                types[name] = response.headers["Content-Type"]
        assert types == {
            "a/app.mjs": "text/javascript",
            "a/pyodide.asm.wasm": "application/wasm",
            "a/sources.zip": "application/zip",
        }
        outside = served.url.removesuffix("repo/") + "index.html"
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(outside)
        assert caught.value.code == 404
        assert served.not_found() == ["/index.html"]
    with pytest.raises((urllib.error.URLError, ConnectionError)):  # stopped: offline
        urllib.request.urlopen(served.url + "a/app.mjs", timeout=5)


def test_compress_sends_text_gzipped_as_a_host_would(tmp_path):
    """``compress=True`` (the Lighthouse rows "served gzipped"): HTML, CSS and JS go gzipped to a
    client that accepts gzip, the rest as it is; a folder's address without its "/" is still
    redirected, and nothing is gzipped without the option."""
    import gzip
    import urllib.error
    import urllib.request

    from lesson_plugins.serve import serving

    page = "<html>" + "lesson " * 500 + "</html>"
    (tmp_path / "lesson").mkdir()
    (tmp_path / "lesson" / "index.html").write_text(page)
    (tmp_path / "app.js").write_text("let x = 1;\n" * 200)
    (tmp_path / "pyodide.asm.wasm").write_bytes(b"\0asm" * 100)

    def get(url: str, gzipped: bool = True):
        headers = {"Accept-Encoding": "gzip"} if gzipped else {}
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.headers, response.read(), response.url

    with serving(tmp_path, compress=True) as served:
        headers, body, _ = get(served.url + "lesson/")
        assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"] == "text/html"
        assert gzip.decompress(body).decode() == page and len(body) < len(page) / 10
        assert get(served.url + "app.js")[0]["Content-Encoding"] == "gzip"
        assert get(served.url + "pyodide.asm.wasm")[0]["Content-Encoding"] is None
        assert get(served.url + "lesson/", gzipped=False)[1].decode() == page
        assert get(served.url + "lesson")[2].endswith("/lesson/")  # redirected, then gzipped
    with serving(tmp_path) as served:
        assert get(served.url + "lesson/")[0]["Content-Encoding"] is None
