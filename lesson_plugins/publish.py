"""Publishing: what a built site needs to be served from GitHub Pages, also under a sub-path.

After the build (``on_post_build``) the plugin calls :func:`finish_site`, which

- writes ``.nojekyll`` (GitHub Pages' Jekyll step would drop folders whose name starts with ``_``);
- writes the service worker ``sw.js`` at the site root, so that its scope is the whole site, also
  at ``https://user.github.io/repo/``. It caches only the Python runtime (the Pyodide files and
  the numpy wheel, checked against their sha256) and the lesson's Python sources, never a page;
- warns when the 404 page, which Pages serves at any depth, links its assets relatively, and when
  a site with a self-hosted Pyodide still loads its fonts from Google Fonts;
- fails when the CDN address does not pin Pyodide's exact version, or when a self-hosted Pyodide
  is not the pinned one.

``python -m lesson_plugins.publish verify DIR`` checks a local Pyodide distribution against the
sha256 sums pinned below (the Pages workflow runs it on the files it fetched).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .config import PYODIDE_VERSION

log = logging.getLogger("mkdocs.plugins.lessons")

SERVICE_WORKER = "sw.js"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"

# sha256 of the Pyodide 0.27.7 files (the npm package `pyodide@0.27.7` and the CDN's `full/`
# folder serve the same bytes; the numpy sum is also the one in pyodide-lock.json).
PYODIDE_SHA256: dict[str, str] = {
    NUMPY_WHEEL: "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08",
    "package.json": "bf221f60c881626236d3501375a97753672a7fa6fed70e469e083f157c8a30d4",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}
# What a module worker fetches to start Python with numpy (pyodide.js and package.json are not).
PYODIDE_RUNTIME = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    NUMPY_WHEEL,
)


def sha256_file(path: Path) -> str:
    """The hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_dist(dist: str | Path) -> list[str]:
    """What is wrong with the Pyodide distribution in ``dist`` (empty when it is the pinned one)."""
    dist = Path(dist)
    problems = []
    for name, expected in PYODIDE_SHA256.items():
        path = dist / name
        if not path.is_file():
            problems.append(f"{path}: missing (Pyodide {PYODIDE_VERSION} needs it)")
        elif (actual := sha256_file(path)) != expected:
            problems.append(
                f"{path}: sha256 {actual} is not the pinned {expected} of Pyodide "
                f"{PYODIDE_VERSION}; fetch the files again (see docs/guide/publish.md)"
            )
    return problems


def cdn_pin_problem(cdn: str) -> str | None:
    """Why the Pyodide CDN address ``cdn`` does not pin the exact version (None when it does)."""
    segments = urlsplit(cdn).path.strip("/").split("/")
    if PYODIDE_VERSION in segments or f"v{PYODIDE_VERSION}" in segments:
        return None
    return (
        f"pyodide_cdn '{cdn}' does not name Pyodide {PYODIDE_VERSION} exactly; a floating "
        f"address (latest, dev, another version) may serve files that do not match this site. "
        f"Use a folder of version {PYODIDE_VERSION}, e.g. "
        f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
    )


def write_nojekyll(site_dir: str | Path) -> None:
    """Tell GitHub Pages to publish the folder as it is, without a Jekyll build."""
    (Path(site_dir) / ".nojekyll").write_bytes(b"")


def cache_manifest(site_dir: str | Path, pyodide: str, python_files: Iterable[str]) -> dict:
    """The files the service worker may cache, as ``{"runtime": {url: sha256}, "python": ...}``.

    ``pyodide`` is the Pyodide folder: a path inside the site (self-hosted) or an absolute URL
    (a CDN); ``python_files`` are paths inside the site. Manifest URLs are relative to the site
    root (the service worker's scope) or absolute. The runtime's sums are the pinned ones for the
    CDN, and those of the copied files for a self-hosted Pyodide, which must equal the pinned ones.
    """
    site = Path(site_dir)
    if urlsplit(pyodide).scheme:
        if problem := cdn_pin_problem(pyodide):
            raise ValueError(problem)
        runtime = {urljoin(pyodide, name): PYODIDE_SHA256[name] for name in PYODIDE_RUNTIME}
    else:
        folder = pyodide.strip("/")
        runtime = {
            f"{folder}/{path.name}": sha256_file(path)
            for path in sorted((site / folder).iterdir())
            if path.is_file()
        }
        wrong = [
            url
            for url, digest in runtime.items()
            if PYODIDE_SHA256.get(url.rsplit("/", 1)[-1], digest) != digest
        ]
        if wrong:
            raise ValueError(
                f"the Pyodide copied into the site is not the pinned {PYODIDE_VERSION}: "
                f"{', '.join(wrong)} differ; check the distribution with "
                f"'python -m lesson_plugins.publish verify DIR'"
            )
    python = {name: sha256_file(site / name) for name in sorted(python_files)}
    return {"runtime": runtime, "python": python}


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


_MARKER = "/* MANIFEST */ null"  # in assets/sw.js: `const MANIFEST = /* MANIFEST */ null;`


def render_service_worker(manifest: Mapping[str, Mapping[str, str]]) -> str:
    """``assets/sw.js`` with the cache manifest and the cache names of this build filled in."""
    template = (Path(__file__).parent / "assets" / SERVICE_WORKER).read_text(encoding="utf-8")
    config = {
        # The runtime cache survives site updates that keep the same Pyodide files;
        # the Python cache belongs to one build (its name is the hash of the whole manifest).
        "runtimeCache": f"microscale-pyodide-{_digest(manifest['runtime'])}",
        "pythonCache": f"microscale-python-{_digest([manifest, template])}",
        **manifest,
    }
    if _MARKER not in template:
        raise RuntimeError(f"assets/{SERVICE_WORKER} lost its '{_MARKER}' placeholder")
    return template.replace(_MARKER, json.dumps(config, indent=2, sort_keys=True))


def read_manifest(site_dir: str | Path) -> dict:
    """The manifest that :func:`render_service_worker` wrote into a built site's ``sw.js``."""
    script = (Path(site_dir) / SERVICE_WORKER).read_text(encoding="utf-8")
    declaration = "const MANIFEST = "
    start = script.index(declaration) + len(declaration)
    return json.JSONDecoder().raw_decode(script, start)[0]


_LOCAL_URL = re.compile(r"""\b(?:src|href)=["']?(?!["'#]|[a-z][a-z0-9+.-]*:|//)([^"'\s>]+)""")


def relative_urls_in_404(site_dir: str | Path, site_url: str | None) -> list[str]:
    """Local links of ``404.html`` that would break when Pages serves it at another depth.

    Pages answers every missing path, at any depth, with the site's 404 page, so its links must
    be absolute paths under the site's own path (MkDocs makes them so when ``site_url`` is set).
    """
    page = Path(site_dir) / "404.html"
    if not page.is_file():
        return []
    base = urlsplit(site_url or "/").path
    base = base if base.endswith("/") else base + "/"
    links = _LOCAL_URL.findall(page.read_text(encoding="utf-8"))
    return sorted({link for link in links if not link.startswith(base)})


def finish_site(
    site_dir: str | Path, site_url: str | None, theme_font: Any, runtime: str, browser: dict
) -> None:
    """Make the built site in ``site_dir`` ready for a static host (module docstring).

    ``runtime`` is the path of ``runtime.js`` inside the site; ``browser`` is the configuration the
    runtime reads (``pyodide``: the Pyodide folder, ``sources``: the Python sources archive, both
    relative to ``runtime.js`` unless absolute). The Python the worker fetches is that archive and
    the ``.py`` files beside ``runtime.js``.
    """
    site_dir = Path(site_dir)
    write_nojekyll(site_dir)
    pyodide = urljoin(runtime, browser["pyodide"])
    python = {urljoin(runtime, browser["sources"])} | {
        path.relative_to(site_dir).as_posix() for path in (site_dir / runtime).parent.rglob("*.py")
    }
    manifest = cache_manifest(site_dir, pyodide, python)
    (site_dir / SERVICE_WORKER).write_text(render_service_worker(manifest), encoding="utf-8")
    broken = relative_urls_in_404(site_dir, site_url)
    if broken:
        log.warning(
            "404.html links %s relative to itself; Pages serves it at every depth, where these "
            "break. Set site_url in mkdocs.yml to the published address.",
            ", ".join(broken[:5]),
        )
    if not urlsplit(pyodide).scheme and theme_font:
        log.warning(
            "mkdocs.yml: Pyodide is self-hosted, but the theme loads its fonts from Google Fonts, "
            "so pages still ask another origin; set 'font: false' under 'theme' (the system "
            "fonts are used) to make the site work without any other origin"
        )


def service_worker_url(runtime: str) -> str:
    """The URL of the service worker relative to ``runtime.js`` at ``runtime`` inside the site."""
    return "../" * runtime.count("/") + SERVICE_WORKER


def add_arguments(parser: Any) -> None:
    """``microscale verify DIR``."""
    parser.add_argument("dist", metavar="PYODIDE_DIR", help="the Pyodide folder to check")


def run(args: Any) -> int:
    """Check a Pyodide distribution; print each problem, exit 1 when there is one."""
    problems = verify_dist(args.dist)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{args.dist}: Pyodide {PYODIDE_VERSION}, {len(PYODIDE_SHA256)} files, sha256 OK")
    return 1 if problems else 0


if __name__ == "__main__":  # python -m lesson_plugins.publish verify DIR, as before
    from .cli import main

    raise SystemExit(main(sys.argv[1:]))
