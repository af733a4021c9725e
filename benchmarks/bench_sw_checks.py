"""What the service worker's sha256 check of a cache hit costs: the six Pyodide runtime files.

sw.js checks every file it answers from Cache Storage against the sha256 of its build's manifest
(docs/guide/publish.md, "Security"). This serves ``$PYODIDE_DIST`` on 127.0.0.1, puts the six
files into a cache in Chromium, then times, in the page, seven rounds each of: hashing the bytes
with ``crypto.subtle`` alone; reading every cache hit's bytes (what answering from the cache costs
anyway); and reading plus hashing, as sw.js does. It prints the milliseconds of every round.

Usage::

    PYODIDE_DIST=../shared/pyodide/0.27.7 python benchmarks/bench_sw_checks.py
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import sync_playwright

from lesson_plugins.publish import PYODIDE_RUNTIME

MEASURE = """async (names) => {
  const bodies = await Promise.all(names.map(async (n) => (await fetch(n)).arrayBuffer()));
  const cache = await caches.open("bench");
  await Promise.all(names.map((n, i) => cache.put(n, new Response(bodies[i]))));
  const hex = async (b) => crypto.subtle.digest("SHA-256", b);
  const rounds = async (step) => {
    const ms = [];
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now();
      await Promise.all(names.map(step));
      ms.push(Math.round((performance.now() - t0) * 10) / 10);
    }
    return ms;
  };
  return {
    bytes: bodies.reduce((sum, b) => sum + b.byteLength, 0),
    hash_only_ms: await rounds(async (n, i) => hex(bodies[i])),
    read_hit_ms: await rounds(async (n) => (await cache.match(n)).arrayBuffer()),
    read_and_hash_ms: await rounds(async (n) => hex(await (await cache.match(n)).arrayBuffer())),
  };
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    dist = os.environ["PYODIDE_DIST"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=dist))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = os.environ.get("MICROSCALE_CHROMIUM") or shutil.which("chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/package.json")
            print(json.dumps(page.evaluate(MEASURE, list(PYODIDE_RUNTIME)), indent=1))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
