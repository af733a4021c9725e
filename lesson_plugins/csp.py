"""A Content-Security-Policy for a built site: ``microscale csp SITE_DIR``.

GitHub Pages sends no policy; a host that does, or a ``<meta http-equiv>`` in a theme override,
must allow what a course needs and nothing more (docs/guide/publish.md, "Security"):

- ``script-src 'self' 'wasm-unsafe-eval'`` and the sha256 of every inline script of the site's
  pages (Material's and the plugin's ``assets/boot.js``); WebAssembly is how Pyodide runs. With a
  CDN's Pyodide also the CDN and ``blob:``: the Python worker runs the CDN's scripts from the bytes
  it checked, through ``blob:`` URLs;
- ``worker-src 'self' blob:``: the Python worker starts from a ``blob:`` URL where allowed;
- ``style-src 'self' 'unsafe-inline'`` (Material sets inline styles), ``img-src 'self' data:``;
- ``connect-src 'self'`` (and the CDN): Pyodide fetches its files, the page its sitemap.

The hashes change with the theme and the plugin, so the policy is printed for a built site.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import publish

#: An inline classic or module script: no ``src``, and a JavaScript type (or none).
_INLINE = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_JS_TYPES = {"", "text/javascript", "module", "application/javascript"}


def inline_script_hashes(site_dir: str | Path) -> list[str]:
    """``'sha256-…'`` of every distinct inline script of the HTML pages of ``site_dir``."""
    found: set[str] = set()
    for page in sorted(Path(site_dir).rglob("*.html")):
        for m in _INLINE.finditer(page.read_text(encoding="utf-8")):
            attrs = m.group("attrs")
            kind = re.search(r"""\stype=["']?([^"'\s>]+)""", attrs)
            if re.search(r"\ssrc=", attrs) or (kind and kind.group(1).lower() not in _JS_TYPES):
                continue
            digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(found)


def policy(site_dir: str | Path) -> str:
    """The Content-Security-Policy the built site at ``site_dir`` works under, and no looser."""
    manifest = publish.read_manifest(site_dir)
    origins = sorted(
        {f"{u.scheme}://{u.netloc}" for u in map(urlsplit, manifest["runtime"]) if u.scheme}
    )
    cdn = " ".join(origins)
    scripts = ["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(site_dir)]
    if origins:
        scripts += [*origins, "blob:"]
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(scripts),
        "worker-src": "'self' blob:",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "connect-src": f"'self' {cdn}".strip(),
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_arguments(parser: Any) -> None:
    """``microscale csp SITE_DIR``."""
    parser.add_argument("site", metavar="SITE_DIR", help="the built site (mkdocs build's site/)")


def run(args: Any) -> int:
    """Print the policy of a built site; exit 1 when the folder is not a built course."""
    try:
        print(policy(args.site))
    except (OSError, ValueError) as exc:
        print(f"{args.site}: not a built Microscale site ({exc})", file=sys.stderr)
        return 1
    return 0
