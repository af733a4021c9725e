"""The published site under attack and under strict policies (issue 22), in Chromium with Pyodide.

All GitHub Pages project sites of a user share one origin (``USER.github.io``), and with it Cache
Storage; any page of the origin can write a course's caches. These tests plant files in them, serve
two courses on one origin, tamper with each of the six runtime files a CDN serves, post calls to
the Python worker that no widget makes, and serve the site under Content-Security-Policies. The
site, the CDN routing and the waits are those of ``test_served.py``.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from lesson_plugins import csp, publish
from tests.publish.test_served import (
    CDN,
    SITE,
    SITE_URL,
    WAIT,
    cache_contents,
    cached,
    cdn_site,  # noqa: F401 (a fixture)
    collect_errors,
    manifest_urls,
    move_and_check,
    refused_status,
    route_cdn,
    wait_for_caches,
    wait_live,
)

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]


@pytest.fixture(scope="module")
def site(build_site, pyodide_dist: Path) -> Path:
    """The test site with a self-hosted Pyodide, built for https://example.github.io/repo/."""
    return build_site(SITE, env={"PYODIDE_DIST": str(pyodide_dist)}, site_url=SITE_URL)


def prerendered(site: Path) -> dict[str, str]:
    """The bars' values the build wrote into the home page."""
    html = (site / "index.html").read_text(encoding="utf-8")
    return dict(re.findall(r'class="ms-bar"[^>]*data-label="(\w)"[^>]*data-value="([^"]+)"', html))


def shown(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "figure.ms-output .ms-bar",
        "bars => Object.fromEntries(bars.map((b) => [b.dataset.label, b.dataset.value]))",
    )


def controlled(page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=WAIT)


def cache_named(page, kind: str) -> str:
    (name,) = [n for n in cache_contents(page) if n.startswith(f"microscale-{kind}-")]
    return name


def plant(page, cache: str, url: str, body: bytes, content_type: str) -> None:
    """What another page of the origin can do: replace ``url`` in the cache ``cache``."""
    page.evaluate(
        """async ([cache, url, body, type]) => {
            const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
            const response = new Response(bytes, { headers: { "content-type": type } });
            await (await caches.open(cache)).put(url, response);
        }""",
        [cache, url, base64.b64encode(body).decode(), content_type],
    )


def cached_sha256(page, cache: str, url: str) -> str:
    return page.evaluate(
        """async ([cache, url]) => {
            const hit = await (await caches.open(cache)).match(url);
            const digest = await crypto.subtle.digest("SHA-256", await hit.arrayBuffer());
            return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
        }""",
        [cache, url],
    )


def only_local(context) -> None:
    context.route("**/*", lambda r: r.continue_() if "//127.0.0.1" in r.request.url else r.abort())


# -- The service worker's cache ---------------------------------------------------------------


def test_a_planted_runtime_file_is_never_run(site, serve, browser) -> None:
    """Another page of the origin replaces pyodide.mjs in the course's cache: the service worker
    finds that it does not match the pinned sha256, deletes it and fetches it again."""
    served = serve(site, prefix="/repo/")
    context = browser.new_context()
    only_local(context)
    page = context.new_page()
    errors: list[str] = []
    page.goto(served.url)
    wait_live(page)
    urls = set(manifest_urls(site, served.url))
    wait_for_caches(page, lambda names: set(cached(names)) == urls)
    controlled(page)
    mjs = next(u for u in urls if u.endswith("/pyodide.mjs"))
    runtime = cache_named(page, "pyodide")
    planted = b'export function loadPyodide() { throw new Error("PLANTED CODE RAN"); }\n'
    plant(page, runtime, mjs, planted, "text/javascript")

    collect_errors(page, errors)
    page.reload()
    wait_live(page)
    move_and_check(page, "3")
    pinned = publish.PYODIDE_SHA256["pyodide.mjs"]
    assert cached_sha256(page, runtime, mjs) == pinned, "fetched again and kept"
    assert not [e for e in errors if "PLANTED" in e]
    context.close()


def test_a_planted_sources_archive_is_not_run_offline(site, serve, browser) -> None:
    """Offline, the service worker answers the Python sources from its cache: a planted archive
    is refused there (the widgets say Python is unavailable) instead of being run."""
    served = serve(site, prefix="/repo/")
    context = browser.new_context()
    page = context.new_page()
    offline = {"on": False}

    def handle(route) -> None:
        url = route.request.url
        if "//127.0.0.1" not in url or (offline["on"] and "/assets/microscale/python/" in url):
            return route.abort("internetdisconnected")
        return route.continue_()

    context.route("**/*", handle)
    page.goto(served.url)
    wait_live(page)
    urls = set(manifest_urls(site, served.url))
    wait_for_caches(page, lambda names: set(cached(names)) == urls)
    controlled(page)
    sources = next(u for u in urls if re.search(r"/sources-\w+\.zip$", u))
    module = (SITE.parent / "publishlab.py").read_text()
    planted = "{'a': 123.0, 'b': 0.0, 'c': 0.0, 'd': 0.0} or dict("
    evil = module.replace("return dict(", f"return {planted}")
    archive = io.BytesIO()
    real_zip = site / sources.removeprefix(served.url)
    with zipfile.ZipFile(archive, "w") as out, zipfile.ZipFile(real_zip) as real:
        for name in real.namelist():
            out.writestr(name, evil if name == "publishlab.py" else real.read(name))
    plant(page, cache_named(page, "python"), sources, archive.getvalue(), "application/zip")

    offline["on"] = True
    page.reload()
    status = refused_status(page)
    assert status.startswith("live Python is unavailable: ") and "sources-" in status, status
    assert shown(page) == prerendered(site), "the prerendered numbers stay"
    assert "123" not in json.dumps(shown(page))
    context.close()


def test_two_courses_on_one_origin_keep_their_caches(site, serve, browser, tmp_path) -> None:
    """Course B's service worker, activating, leaves course A's caches alone."""
    for course in ("a", "b"):
        shutil.copytree(site, tmp_path / course)
    served = serve(tmp_path)
    context = browser.new_context()
    only_local(context)
    page = context.new_page()
    page.goto(served.url + "a/")
    wait_live(page)
    a_urls = set(manifest_urls(site, served.url + "a/"))
    wait_for_caches(page, lambda names: set(cached(names)) == a_urls)
    a_caches = cache_contents(page)
    assert all(name.endswith("@" + served.url + "a/") for name in a_caches), a_caches

    page.goto(served.url + "b/")
    wait_live(page)
    b_urls = set(manifest_urls(site, served.url + "b/"))
    both = wait_for_caches(page, lambda names: set(cached(names)) == a_urls | b_urls)
    assert {name: sorted(both[name]) for name in a_caches} == {
        name: sorted(urls) for name, urls in a_caches.items()
    }, "A's caches are still there, whole"
    context.close()


# -- Failures to start Python end ------------------------------------------------------------


@pytest.mark.parametrize("tampered", publish.PYODIDE_RUNTIME)
def test_each_tampered_cdn_file_ends_in_unavailable(cdn_site, browser, pyodide_dist, tampered):  # noqa: F811
    """One flipped byte in any of the six files of a CDN's Pyodide: the worker refuses it and the
    widget says which file, instead of "loading" for ever; the prerendered numbers stay."""
    site, served = cdn_site
    context = browser.new_context()
    only_local(context)
    route_cdn(context, pyodide_dist, tamper=tampered)
    page = context.new_page()
    page.goto(served.url)
    # The worker answers 502; Pyodide fetches the wheel with the lock file's integrity
    # attribute, so Chromium refuses that one before the worker sees it ("Failed to fetch").
    why = "Failed to fetch" if tampered.endswith(".whl") else "502 Integrity check failed"
    assert refused_status(page) == (
        f"live Python is unavailable: {CDN}{tampered} could not be loaded ({why})"
    )
    assert shown(page) == prerendered(site)
    context.close()


# -- Content-Security-Policy ------------------------------------------------------------------


def serve_with_policy(context, policy: str, *, meta: bool = False) -> None:
    """Answer the site's files with ``policy``: as a header, or as a <meta> in every page."""

    def handle(route) -> None:
        if "//127.0.0.1" not in route.request.url:
            return route.fallback()
        response = route.fetch()
        headers = dict(response.headers)
        if not meta:
            headers["content-security-policy"] = policy
            return route.fulfill(response=response, headers=headers)
        if "text/html" not in headers.get("content-type", ""):
            return route.fulfill(response=response)
        tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        body = response.text().replace("<head>", "<head>" + tag, 1)
        return route.fulfill(response=response, body=body)

    context.route("**/*", handle)


WATCH = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
window.states = new Set();
new MutationObserver((records) => records.forEach((r) => states.add(r.target.dataset.msState)))
  .observe(document, { subtree: true, attributeFilter: ["data-ms-state"] });
"""


def policy_context(browser):
    """A context for the policy tests: no service worker (its requests are not what is tested,
    and a route that fetches for it can outlive the test)."""
    return browser.new_context(service_workers="block")


def close(context) -> None:
    context.unroute_all(behavior="ignoreErrors")  # requests still in flight are not errors
    context.close()


def open_with_policy(browser, served, policy: str, *, meta: bool = False):
    context = policy_context(browser)
    serve_with_policy(context, policy, meta=meta)
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    collect_errors(page, errors)
    page.goto(served.url)
    return page, errors


@pytest.mark.parametrize("meta", [False, True], ids=["header", "meta"])
def test_the_documented_policy_is_clean(site, serve, browser, meta: bool) -> None:
    """Under the policy of `microscale csp` (docs/guide/publish.md), as a header or as the <meta>
    a Pages site can carry: live Python, no violation, no console error."""
    policy = csp.policy(site)
    assert "'wasm-unsafe-eval'" in policy and "'unsafe-eval'" not in policy
    page, errors = open_with_policy(browser, serve(site, prefix="/repo/"), policy, meta=meta)
    wait_live(page)
    move_and_check(page, "2")
    assert page.evaluate("violations") == []
    assert errors == []
    close(page.context)


def test_the_cdn_policy_is_clean(cdn_site, browser, pyodide_dist) -> None:  # noqa: F811
    site, served = cdn_site
    context = policy_context(browser)
    serve_with_policy(context, csp.policy(site))
    route_cdn(context, pyodide_dist)
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    collect_errors(page, errors)
    page.goto(served.url)
    wait_live(page)
    move_and_check(page, "1.5")
    assert page.evaluate("violations") == []
    assert errors == []
    close(context)


def test_without_inline_scripts_python_still_starts(site, serve, browser) -> None:
    """No inline script runs (no hashes): runtime.js starts the worker itself."""
    policy = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:"
    page, _ = open_with_policy(browser, serve(site, prefix="/repo/"), policy)
    wait_live(page)
    move_and_check(page, "2")
    assert "failed" not in page.evaluate("[...states]")
    close(page.context)


def test_without_blob_workers_the_widget_never_says_failed(site, serve, browser) -> None:
    """worker-src 'self': the blob: worker is refused and replaced by worker.js from the site;
    the refused one's late error is not reported as Python failing."""
    policy = csp.policy(site).replace("worker-src 'self' blob:", "worker-src 'self'")
    page, _ = open_with_policy(browser, serve(site, prefix="/repo/"), policy)
    wait_live(page)
    move_and_check(page, "2")
    assert "failed" not in page.evaluate("[...states]"), page.evaluate("[...states]")
    assert any(v.startswith("worker-src") for v in page.evaluate("violations"))
    close(page.context)


def test_without_wasm_unsafe_eval_the_widget_says_why(site, serve, browser) -> None:
    policy = csp.policy(site).replace(" 'wasm-unsafe-eval'", "")
    page, _ = open_with_policy(browser, serve(site, prefix="/repo/"), policy)
    assert refused_status(page) == (
        "live Python is unavailable: this page's Content-Security-Policy does not allow "
        "WebAssembly (script-src needs 'wasm-unsafe-eval')"
    )
    assert shown(page) == prerendered(site)
    close(page.context)


# -- The Python worker runs compute functions only --------------------------------------------


def test_the_worker_runs_only_the_sites_compute_functions(site, serve, browser) -> None:
    served = serve(site, prefix="/repo/")
    context = browser.new_context()
    only_local(context)
    page = context.new_page()
    page.goto(served.url)
    wait_live(page)
    ask = """async ([fn, args]) => new Promise((resolve) => {
        const worker = window.microscaleWorker.worker;
        const id = 1e9 + Math.floor(Math.random() * 1e6);
        worker.addEventListener("message", function heard({ data }) {
            if (data.id !== id) return;
            worker.removeEventListener("message", heard);
            resolve(data);
        });
        worker.postMessage({ type: "call", id, fn, kind: "readout", args });
    })"""
    for fn, args in [
        ("pyodide.code:eval_code", {"code": "1 + 1"}),
        ("builtins:eval", {}),
        ("os:getcwd", {}),
        ("publishlab:np", {}),
        ("publishlab:__import__", {}),
        ("pycore.distributions:np", {}),
    ]:
        answer = page.evaluate(ask, [fn, args])
        assert answer["type"] == "error", (fn, answer)
        assert "is not a compute function of this site" in answer["message"], (fn, answer)
    good = page.evaluate(ask, ["publishlab:shares", {"T": 1.0}])
    assert good["type"] == "result", good
    context.close()
