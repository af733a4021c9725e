"""The published site in Chromium: under a sub-path, self-hosted, offline, updated, from a CDN.

The site (``site/``) is built for https://example.github.io/repo/ and served on 127.0.0.1 under
``/repo/``, as GitHub Pages serves a project site. Every request that leaves 127.0.0.1 is aborted
and recorded, so a self-hosted site must work with no other origin at all.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lesson_plugins import publish

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]

HERE = Path(__file__).parent
SITE = HERE / "site" / "mkdocs.yml"
SITE_URL = "https://example.github.io/repo/"
CDN = "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/"
PAGES = {True: ["", "deep/er/lesson/"], False: ["index.html", "deep/er/lesson.html"]}
WAIT = 60_000  # ms; Pyodide boots in a few seconds here


def cpython_shares(T: float) -> dict[str, float]:
    """The site's compute function, run by CPython."""
    spec = importlib.util.spec_from_file_location("publishlab", HERE / "site" / "publishlab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.shares(T)


class Network:
    """Routes a browser context: 127.0.0.1 goes through, any other origin is aborted and recorded.

    With ``offline()``, the server is out of reach too: requests for files of the site that the
    service worker does not keep (pages, CSS, scripts) are answered from the built folder, as if
    the browser still had the page; every other request is aborted and recorded.
    """

    def __init__(self, context, served, site: Path) -> None:
        self.served, self.site = served, site
        self.outside: list[str] = []
        self.refused: list[str] = []
        self.is_offline = False
        self.keeps = set(manifest_urls(site, served.url))
        context.route("**/*", self.handle)

    def offline(self) -> None:
        self.is_offline = True

    def handle(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname != "127.0.0.1":
            self.outside.append(url)
            return route.abort()
        if not self.is_offline:
            return route.continue_()
        path = url.split("?")[0].removeprefix(self.served.url)
        file = self.site / (path + "index.html" if path.endswith("/") or not path else path)
        if url.split("?")[0] in self.keeps or not file.is_file():
            self.refused.append(url)
            return route.abort("internetdisconnected")
        return route.fulfill(path=file)


def manifest_urls(site: Path, base: str) -> list[str]:
    """The absolute URLs the service worker of ``site`` keeps when it is served at ``base``."""
    text = (site / "sw.js").read_text(encoding="utf-8")
    urls = [
        line.split('"')[1]
        for line in text.splitlines()
        if line.startswith('    "') and len(line.split('"')) > 3
    ]
    return [url if url.startswith("http") else base + url for url in urls]


def wait_live(page) -> None:
    """Wait until every output of the page runs on live Python."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.ms-output')].every("
        "f => f.dataset.msState === 'ready')",
        timeout=WAIT,
    )


def move_and_check(page, value: str) -> None:
    """Move the slider to ``value``; the bars must show what CPython computes, exactly."""
    expected = cpython_shares(float(value))
    page.locator("input[type=range]").fill(value)
    bars = page.locator("figure.ms-output .ms-bar")
    page.wait_for_function(
        "([label, v]) => document.querySelector(`.ms-bar[data-label='${label}']`)"
        "?.dataset.value === v",
        arg=["a", repr(expected["a"])],
        timeout=WAIT,
    )
    shown = {bars.nth(i).get_attribute("data-label"): bars.nth(i).get_attribute("data-value")
             for i in range(bars.count())}
    assert {label: float(v) for label, v in shown.items()} == expected


def cache_contents(page) -> dict[str, list[str]]:
    return page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
            }
            return out;
        }"""
    )


def sw_scope(page) -> str:
    return page.evaluate(
        "async () => (await navigator.serviceWorker.ready).scope"
    )


@pytest.fixture(scope="module", params=[True, False], ids=["dir-urls", "file-urls"])
def subpath(request, build_site, serve, pyodide_dist: Path):
    site = build_site(
        SITE,
        env={"PYODIDE_DIST": str(pyodide_dist)},
        site_url=SITE_URL,
        use_directory_urls=request.param,
    )
    return site, serve(site, prefix="/repo/"), PAGES[request.param]


def test_every_page_works_under_the_sub_path(subpath, browser) -> None:
    site, served, pages = subpath
    context = browser.new_context()
    network = Network(context, served, site)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    start = len(served.requests)
    # The deepest page first: it registers the service worker from three folders down.
    page.goto(served.url + pages[1])
    assert sw_scope(page) == served.url
    wait_live(page)
    move_and_check(page, "3")
    # Material's instant navigation to the home page keeps the Python worker.
    page.get_by_role("link", name="Back home").click()
    page.wait_for_url(served.url + pages[0])
    wait_live(page)
    move_and_check(page, "0.5")
    stats = "async () => (await import('./assets/microscale/runtime.js')).stats.workers"
    assert page.evaluate(stats) == 1
    context.close()
    requests = served.requests[start:]
    assert [r for r in requests if r[1] not in (200, 304)] == [], "nothing 404s"
    assert any(path.endswith(".wasm") for path, _ in requests), "Pyodide came from the site"
    assert network.outside == [], "a self-hosted site asks no other origin"
    assert errors == []


def test_404_page_works_at_any_depth(subpath, browser) -> None:
    """Pages answers a missing address with 404.html; its styles and scripts must still load."""
    site, served, _ = subpath
    context = browser.new_context()
    Network(context, served, site)
    page = context.new_page()
    missing = served.url + "no/such/folder/page/"
    page.route(
        missing, lambda route: route.fulfill(status=404, path=site / "404.html")
    )
    failed = []
    page.on("response", lambda r: r.url != missing and r.status >= 400 and failed.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(missing)
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "404 - Not found"
    sheets = page.evaluate("[...document.styleSheets].map((s) => s.href).filter(Boolean)")
    assert any("/repo/assets/stylesheets/main." in href for href in sheets)
    assert page.locator(".md-header").is_visible()
    assert failed == []
    context.close()


def test_a_second_visit_starts_python_without_the_server(subpath, browser) -> None:
    site, served, pages = subpath
    context = browser.new_context()
    network = Network(context, served, site)
    page = context.new_page()
    page.goto(served.url + pages[0])
    wait_live(page)
    caches = cache_contents(page)
    kept = sorted(url for urls in caches.values() for url in urls)
    assert kept == sorted(network.keeps), "the first visit kept exactly the runtime and sources"
    assert not any(url.endswith((".html", "/")) for url in kept), "never a page"
    page.close()

    network.offline()
    before = len(served.requests)
    page = context.new_page()
    page.goto(served.url + pages[1])
    wait_live(page)
    move_and_check(page, "2.5")
    assert len(served.requests) == before, "the server was not reached"
    assert network.outside == []
    assert all(url in network.keeps for url in network.refused), network.refused
    context.close()


def test_a_new_build_replaces_the_old_caches(build_site, serve, pyodide_dist, browser, tmp_path):
    """A new version of the course takes over at once: new sources, old caches deleted."""
    changed = tmp_path / "changed"
    shutil.copytree(SITE.parent, changed)
    module = changed / "publishlab.py"
    module.write_text(module.read_text().replace('"a", "b"', '"A", "b"'))
    env = {"PYODIDE_DIST": str(pyodide_dist)}
    first = build_site(SITE, env=env, site_url=SITE_URL)
    second = build_site(changed / "mkdocs.yml", env=env, site_url=SITE_URL)
    live = tmp_path / "live"
    shutil.copytree(first, live)
    served = serve(live, prefix="/repo/")
    context = browser.new_context()
    Network(context, served, live)
    page = context.new_page()
    page.goto(served.url)
    wait_live(page)
    old = set(cache_contents(page))

    shutil.rmtree(live)
    shutil.copytree(second, live)  # the new version is published
    page.reload()
    wait_live(page)
    page.locator("input[type=range]").fill("2")
    page.wait_for_selector(".ms-bar[data-label='A']", timeout=WAIT)  # the new Python, not stale
    page.wait_for_function(
        "async (old) => { const names = await caches.keys();"
        " return names.length === 2 && names.filter((n) => old.includes(n)).length === 1; }",
        arg=sorted(old),
        timeout=WAIT,
    )
    new = set(cache_contents(page))
    assert {n for n in old if n.startswith("microscale-pyodide-")} <= new, "Pyodide kept"
    assert {n for n in old if n.startswith("microscale-python-")}.isdisjoint(new), "old deleted"
    context.close()


@pytest.fixture(scope="module")
def cdn_site(build_site, serve):
    site = build_site(SITE, env={"PYODIDE_DIST": None}, site_url=SITE_URL)
    return site, serve(site, prefix="/repo/")


def route_cdn(context, dist: Path, tamper: str | None = None) -> list[str]:
    """Answer the CDN's Pyodide URLs from ``dist`` (this machine is offline), ``tamper`` altered."""
    asked: list[str] = []

    def answer(route) -> None:
        name = route.request.url.removeprefix(CDN).split("?")[0]
        asked.append(name)
        body = (dist / name).read_bytes()
        if name == tamper:
            body = body[:-1] + bytes([body[-1] ^ 1])
        kind = {"wasm": "application/wasm", "mjs": "text/javascript", "js": "text/javascript"}
        route.fulfill(
            body=body,
            headers={
                "access-control-allow-origin": "*",
                "content-type": kind.get(name.rsplit(".", 1)[-1], "application/octet-stream"),
            },
        )

    context.route(CDN + "*", answer)
    return asked


def test_cdn_files_are_checked_by_the_service_worker(cdn_site, browser, pyodide_dist) -> None:
    site, served = cdn_site
    context = browser.new_context()
    Network(context, served, site)
    asked = route_cdn(context, pyodide_dist, tamper="python_stdlib.zip")
    page = context.new_page()
    page.goto(served.url)
    page.wait_for_selector("figure.ms-output[data-ms-state='failed']", timeout=WAIT)
    assert "python_stdlib.zip" in asked
    kept = [url for urls in cache_contents(page).values() for url in urls]
    assert CDN + "python_stdlib.zip" not in kept, "a file that fails its sha256 is never kept"
    context.close()

    context = browser.new_context()
    Network(context, served, site)
    asked = route_cdn(context, pyodide_dist)
    page = context.new_page()
    page.goto(served.url)
    wait_live(page)
    move_and_check(page, "1.5")
    assert set(publish.PYODIDE_RUNTIME) <= set(asked)
    context.close()
