"""A built site served on 127.0.0.1 as a static host serves it: the tests' and benchmarks' server.

:func:`serve` starts a threaded ``http.server`` on a free port, in a thread of its own, and
returns a :class:`Served`: its ``url`` (ending with ``/``), the ``(path, status)`` of every
request, and :meth:`Served.stop`. Files get the MIME types a browser insists on (``.mjs``,
``.wasm``, ``.json``, ``.zip``); a ``prefix`` serves the site under a sub-path such as ``/repo/``
(a project site on GitHub Pages). ``sitemap.xml`` is handed out as if the site's ``site_url`` were
the server's own address (:func:`sitemap_for`), so that Material's ``navigation.instant`` works
as it does online.

``tests/conftest.py`` (the ``serve`` fixture) and ``benchmarks/site_browser.py`` both use it.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import io
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote


def sitemap_for(sitemap: Path, url: str) -> str:
    """The text of a site's ``sitemap.xml`` with its pages' addresses moved to ``url``.

    Material's ``navigation.instant`` takes over a click only on a link listed in ``sitemap.xml``,
    whose ``<loc>`` addresses MkDocs writes under ``site_url`` (none without one). Material puts
    the page's scheme and host into them, not its port nor its path: served on 127.0.0.1:PORT,
    or under another prefix, every click would be a full page load. So the server hands out
    the sitemap as if ``site_url`` were its own ``url``. The base it replaces (``site_url``) is the
    start of the ``<loc>`` addresses after which each names a page that the site folder holds.
    """
    text = sitemap.read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    if not locs:
        return text  # no site_url: Material navigates by full page loads, as it would online
    addresses = [html.unescape(loc) for loc in locs]
    start = re.match(r"[a-z]+://[^/]+/", addresses[0]).end()  # MkDocs writes absolute addresses
    for cut in [start, *(m.end() for m in re.finditer("/", addresses[0]) if m.end() > start)]:
        base = addresses[0][:cut]
        if all(a.startswith(base) and _holds(sitemap.parent, a[cut:]) for a in addresses):
            return text.replace(f"<loc>{html.escape(base)}", f"<loc>{html.escape(url)}")
    return text


def _holds(site: Path, page_url: str) -> bool:
    """Whether the built ``site`` has the page at ``page_url`` (relative to the site's root)."""
    file = site / unquote(page_url)
    return (file / "index.html" if not page_url or page_url.endswith("/") else file).is_file()


class Handler(SimpleHTTPRequestHandler):
    """Files under ``directory``, below ``prefix``; each request logged into ``log``."""

    extensions_map = {  # noqa: RUF012 (the http.server API)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
        ".whl": "application/zip",
        ".py": "text/x-python",
    }

    #: What a host such as GitHub Pages sends gzipped, with ``compress=True``.
    COMPRESSED = ("text/html", "text/css", "text/javascript", "application/json", "image/svg+xml")

    def __init__(
        self, *args: Any, prefix: str, log: list, compress: bool = False, **kwargs: Any
    ) -> None:
        self.prefix, self.log, self.compress = prefix, log, compress
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_head(self) -> Any:
        """Files as they are, except the site's ``sitemap.xml``: see :func:`sitemap_for`; a 404
        outside the prefix."""
        if not self.path.startswith(self.prefix):
            self.send_error(404, "outside the served prefix")
            return None
        if self.path.split("?")[0] != self.prefix + "sitemap.xml":
            return self.send_gzipped() or super().send_head()
        sitemap = Path(self.directory) / "sitemap.xml"
        if not sitemap.is_file():
            return super().send_head()
        host, port = self.server.server_address[:2]
        body = sitemap_for(sitemap, f"http://{host}:{port}{self.prefix}").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_gzipped(self) -> Any:
        """A text file gzipped, as a host would send it, when asked to and the browser takes it."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():  # http.server redirects a folder's address without its "/"
            if not self.path.split("?")[0].endswith("/"):
                return None
            path = path / "index.html"
        kind = self.guess_type(str(path))
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepted and kind in self.COMPRESSED and path.is_file()):
            return None
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.log.append((self.path, int(code) if str(code).isdigit() else code))

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection (navigating away) is not an error worth a trace."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Served:
    """A directory served on 127.0.0.1: ``url`` (ends with ``/``) and the ``(path, status)`` log."""

    url: str
    requests: list[tuple[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = field(default=None, repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    def not_found(self) -> list[str]:
        return [path for path, status in self.requests if status == 404]

    def stop(self) -> None:
        """Stop serving (a site gone offline)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None


def serve(directory: str | Path, prefix: str = "/", compress: bool = False) -> Served:
    """Serve ``directory`` on 127.0.0.1 at a free port under ``prefix`` until ``stop()``; with
    ``compress``, text files go gzipped to a browser that accepts it, as GitHub Pages sends them."""
    log: list[tuple[str, Any]] = []
    directory = str(Path(directory).resolve())
    handler = partial(Handler, directory=directory, prefix=prefix, log=log, compress=compress)
    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return Served(f"http://127.0.0.1:{server.server_port}{prefix}", log, server, thread)


@contextlib.contextmanager
def serving(directory: str | Path, prefix: str = "/", compress: bool = False) -> Iterator[Served]:
    """:func:`serve` while the ``with`` block runs."""
    served = serve(directory, prefix, compress)
    try:
        yield served
    finally:
        served.stop()
