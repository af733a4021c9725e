"""The published site in Chromium: under a sub-path, self-hosted, offline, updated, from a CDN.

The site (``site/``) is built for https://example.github.io/repo/ and served on 127.0.0.1 under
``/repo/``, as GitHub Pages serves a project site. Every request that leaves 127.0.0.1 is aborted
and recorded, so a self-hosted site must work with no other origin at all.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lesson_plugins import publish
from lesson_plugins.testing import same_document

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]

HERE = Path(__file__).parent
SITE = HERE / "site" / "mkdocs.yml"
COURSE = HERE.parent.parent / "mkdocs.yml"
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


def open_site(browser, served, site: Path) -> tuple[Network, object, list[str]]:
    """A fresh context routed by :class:`Network`, a page in it, and that page's errors."""
    context = browser.new_context()
    network = Network(context, served, site)
    page = context.new_page()
    errors: list[str] = []
    collect_errors(page, errors)
    return network, page, errors


def collect_errors(page, errors: list[str]) -> None:
    """Append the console errors and uncaught exceptions of ``page`` to ``errors``."""
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))


def manifest_urls(site: Path, base: str) -> list[str]:
    """The absolute URLs the service worker of ``site`` keeps when it is served at ``base``."""
    data = publish.read_manifest(site)
    urls = [*data["runtime"], *data["python"]]
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
    shown = {
        bars.nth(i).get_attribute("data-label"): bars.nth(i).get_attribute("data-value")
        for i in range(bars.count())
    }
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


def cached(contents: dict[str, list[str]]) -> list[str]:
    """Every URL in the caches ``contents`` (from :func:`cache_contents`)."""
    return [url for urls in contents.values() for url in urls]


def wait_for_caches(page, done, seconds: float = WAIT / 1000) -> dict[str, list[str]]:
    """Poll the page's caches until ``done(contents)``; the contents."""
    deadline = time.monotonic() + seconds
    while not done(contents := cache_contents(page)):
        assert time.monotonic() < deadline, f"caches never settled: {contents}"
        page.wait_for_timeout(100)
    return contents


def sw_scope(page) -> str:
    return page.evaluate("async () => (await navigator.serviceWorker.ready).scope")


@pytest.fixture(
    params=[("mkdocs", True), ("mkdocs", False), ("zensical", True), ("zensical", False)],
    ids=["dir-urls", "file-urls", "zensical-dir-urls", "zensical-file-urls"],
)
def subpath(request, build_site, zensical_site, pyodide_dist: Path, serve):
    host, directory_urls = request.param
    site = (build_site if host == "mkdocs" else zensical_site)(
        SITE,
        env={"PYODIDE_DIST": str(pyodide_dist)},
        site_url=SITE_URL,
        use_directory_urls=directory_urls,
    )
    return site, serve(site, prefix="/repo/"), PAGES[directory_urls]


def urls_kind(pages: list[str]) -> str:
    return "dir-urls" if pages == PAGES[True] else "file-urls"


def test_sub_path_self_hosted_then_offline(subpath, browser) -> None:
    """Every page works under /repo/ with no other origin; then (once: the service worker is the
    same for both URL styles) with the server stopped, Python starts again from its cache."""
    site, served, pages = subpath
    network, page, errors = open_site(browser, served, site)
    context = page.context
    wasm: list[bool] = []  # each time the page's Python fetched Pyodide's wasm: from the SW?

    def fetched(response) -> None:
        if response.url.endswith(".wasm") and response.request.service_worker is None:
            wasm.append(response.from_service_worker)

    context.on("response", fetched)
    # The deepest page first: it registers the service worker from three folders down.
    page.goto(served.url + pages[1])
    wait_live(page)
    assert sw_scope(page) == served.url
    assert wasm == [False], "a first visit fetches Python itself, not through the service worker"
    move_and_check(page, "3")
    # Material's instant navigation to the home page keeps the Python worker.
    with same_document(page):
        page.get_by_role("link", name="Back home").click()
        page.wait_for_url(served.url + pages[0])
        page.get_by_role("heading", name="Published").wait_for()  # the home page's content
        wait_live(page)
    move_and_check(page, "0.5")
    runtime = "document.querySelector('script[src$=\"/runtime.js\"]').src"
    stats = f"async () => (await import({runtime})).stats.workers"
    assert page.evaluate(stats) == 1
    assert [r for r in served.requests if r[1] not in (200, 304)] == [], "nothing 404s"
    assert any(path.endswith(".wasm") for path, _ in served.requests), "Pyodide came from here"
    assert network.outside == [], "a self-hosted site asks no other origin"
    # The service worker, registered once Python is live, keeps the runtime and the sources.
    wait_for_caches(page, lambda names: sorted(cached(names)) == sorted(network.keeps))
    page.close()
    if urls_kind(pages) == "file-urls":
        assert errors == []
        return

    served.stop()
    network.offline()
    page = context.new_page()
    collect_errors(page, errors)
    page.goto(served.url + pages[1])
    wait_live(page)
    assert wasm[1:] == [True], "offline, the service worker served Pyodide from its cache"
    # Chromium's static routes (sw.js, addRoutes): the page itself went to the network without
    # the service worker, which only answers for Pyodide and the Python sources.
    # (workerStart is when the service worker was asked; 0: it was not.)
    assert page.evaluate("performance.getEntriesByType('navigation')[0].workerStart") == 0
    move_and_check(page, "2.5")
    assert all(url in network.keeps for url in network.refused), network.refused
    assert network.outside == []
    assert errors == []
    context.close()


def test_404_page_works_at_any_depth(subpath, browser) -> None:
    """Pages answers a missing address with 404.html; its styles and scripts must still load."""
    site, served, _ = subpath
    context = browser.new_context()
    Network(context, served, site)
    page = context.new_page()
    missing = served.url + "no/such/folder/page/"
    page.route(missing, lambda route: route.fulfill(status=404, path=site / "404.html"))
    failed = []
    page.on("response", lambda r: r.url != missing and r.status >= 400 and failed.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(missing)
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "404 - Not found"
    sheets = page.evaluate("[...document.styleSheets].map((s) => s.href).filter(Boolean)")
    # Material: assets/stylesheets/main.*.css; Zensical: assets/stylesheets/modern/main.*.css
    assert any(re.search(r"/repo/assets/stylesheets/(modern/)?main\.", href) for href in sheets)
    assert page.locator(".md-header").is_visible()
    assert failed == []
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
    # Once Python is live, the service worker is installed (with the runtime and the sources in
    # its caches) and takes over the page.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)
    old = set(cache_contents(page))
    assert len(old) == 2 and all(cache_contents(page).values())

    shutil.rmtree(live)
    # The new version is published (new modification times, as a deployment gives).
    shutil.copytree(second, live, copy_function=shutil.copy)
    page.reload()
    wait_live(page)
    page.locator("input[type=range]").fill("2")
    page.wait_for_selector(".ms-bar[data-label='A']", timeout=WAIT)  # the new Python, not stale
    new = set(wait_for_caches(page, lambda names: len(names) == 2 and set(names) != old))
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


def refused_status(page) -> str:
    """The status of the page's first output once live Python has failed."""
    failed = page.wait_for_selector("figure.ms-output[data-ms-state='failed']", timeout=WAIT)
    return failed.eval_on_selector(".ms-status", "e => e.textContent")


def test_cdn_files_are_checked_by_the_worker_then_by_the_service_worker(
    cdn_site, browser, pyodide_dist
) -> None:
    """A first visit checks the CDN's files in the Python worker (no service worker yet); later
    visits through the service worker, which keeps only files with the pinned sha256."""
    site, served = cdn_site
    context = browser.new_context()
    Network(context, served, site)
    asked = route_cdn(context, pyodide_dist, tamper="python_stdlib.zip")
    # Whether the service worker controlled the page as it loaded (it may claim it later).
    context.add_init_script("window.controlledAtStart = !!navigator.serviceWorker.controller")
    page = context.new_page()
    page.goto(served.url)
    # The widget names the file that was refused, not Pyodide's "exit(1)".
    refused = (
        f"live Python is unavailable: {CDN}python_stdlib.zip could not be loaded "
        "(502 Integrity check failed)"
    )
    assert refused_status(page) == refused
    assert not page.evaluate("controlledAtStart"), "the worker checked it"
    assert "python_stdlib.zip" in asked
    kept = cached(wait_for_caches(page, lambda names: CDN + "pyodide.mjs" in cached(names)))
    assert CDN + "python_stdlib.zip" not in kept, "a file that fails its sha256 is never kept"
    # The caches are written while the service worker installs; it claims the page once active.
    # Reloading before that would race its activation.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)
    page.reload()  # now through the service worker, which lacks the file and checks it
    assert page.evaluate("controlledAtStart")
    assert refused_status(page) == refused
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


def test_the_course_works_under_the_sub_path(build_site, pyodide_dist, browser, serve) -> None:
    """Every page of the course itself, served under /repo/: every widget settles, nothing 404s,
    no other origin is asked."""
    site = build_site(COURSE, env={"PYODIDE_DIST": str(pyodide_dist)}, site_url=SITE_URL)
    served = serve(site, prefix="/repo/")
    network, page, errors = open_site(browser, served, site)
    context = page.context
    settled = (
        "() => [...document.querySelectorAll('figure.ms-output')].every("
        "f => ['ready', 'precomputed'].includes(f.dataset.msState))"
    )
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    for path in pages:
        if path == "404.html":
            continue
        page.goto(served.url + path.removesuffix("index.html"))
        page.wait_for_function(settled, timeout=WAIT)
    context.close()
    assert [r for r in served.requests if r[1] not in (200, 304)] == [], "nothing 404s"
    assert network.outside == []
    assert errors == []
