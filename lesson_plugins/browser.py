"""What the plugin ships to the browser, and the few tags that load it on every page.

Site layout (all URLs relative, so a site works under any sub-path)::

    assets/microscale/<hash>/   the ES modules and CSS of assets/ (runtime.js is the entry) and
                                results.py; <hash> is :data:`VERSION`
    assets/microscale/python/   sources-<hash>.zip: pycore and the ``modules`` option
    assets/pyodide/0.27.7/      a local Pyodide (``pyodide_dist``), when one is given

Every file's URL changes with its content. A reader whose browser kept a page from before a deploy
(GitHub Pages lets browsers keep a page for 10 minutes) gets the scripts that page was built with,
not newer ones that expect other markup or another worker protocol; a new page never runs a
cached older script.

Every page gets, before its first stylesheet or script (the first thing a classic script waits
for): a ``<script type="application/json" id="ms-config">`` (the Pyodide and sources URLs,
relative to ``runtime.js``, what the scripts share with Python (``contract.py``), and the
user-facing strings) and ``assets/boot.js`` inline, which on a
page with an output only Python can update starts the Python worker at once: as early as a page
that does nothing else (benchmarks/bench_site.py, "time to live Python"); on a phone or a slow
or save-data connection, once the page has loaded (its Lighthouse section). Such a page also carries
``worker.js`` itself, in a ``<script type="text/plain" id="ms-worker">``, so that the worker starts
from a ``blob:`` URL without waiting for a request the browser holds back. Before ``</head>``: the
CSS (:data:`STYLES` joined into one file), a ``<link rel="modulepreload">`` per module of
:data:`PRELOADS` and one
``<script type="module">``: ``runtime.js``, which the site serves as :data:`BUNDLE`, the modules of
:data:`ENTRIES` and all they import joined into one file (:mod:`lesson_plugins.bundle`), at low
fetch priority.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from mkdocs.utils import get_relative_url

from .bundle import bundle, uncommented
from .config import PYODIDE_VERSION
from .contract import browser_data
from .publish import PYODIDE_RUNTIME, PYODIDE_SHA256

ASSETS = Path(__file__).parent / "assets"
RESULTS = Path(__file__).parent / "results.py"  # the worker checks results as the build does
SITE_DIR = "assets/microscale"
PYODIDE_DIR = f"assets/pyodide/{PYODIDE_VERSION}"
#: The ES modules every page runs (each imports ``runtime.js`` for ``onPage`` and ``t``): the site
#: serves them, and every module they import, as one file named ``runtime.js`` (:data:`BUNDLE`).
ENTRIES = ["runtime.js", "widgets.js", "quiz.js"]
#: Modules the bundle imports instead of joining them: ``exercise/exercise.js`` (not in the bundle:
#: only a page with an exercise loads it) imports them too, and a module must run once.
EXTERNAL = {"progress.js"}
#: Style sheets every page gets: the site serves them as one file, under the first one's name (one
#: request that holds back the first paint instead of two).
STYLES = ["widgets.css", "quiz.css"]
#: Not copied as it is: sw.js is a template (publish.py). (boot.js goes inline into every page, and
#: is in the bundle too, where a Content-Security-Policy refuses inline scripts.)
INLINED = {"sw.js"}
BUNDLE = bundle(ASSETS, ENTRIES, EXTERNAL)
#: Announced with ``modulepreload``, so that the browser fetches them beside ``runtime.js``
#: instead of after it (benchmarks/bench_site.py, "time to live Python").
PRELOADS = sorted(BUNDLE.external)
#: Where developer tools find each line of ``runtime.js`` in the module it was written in.
SOURCE_MAP = f"{ENTRIES[0]}.map"
#: The files served only inside another, and the name of that one.
_JOINED = {
    **{name: ENTRIES[0] for name in BUNDLE.modules if name != ENTRIES[0]},
    **{name: STYLES[0] for name in STYLES[1:]},
}
#: What the worker needs from a Pyodide distribution, besides the numpy wheel.
PYODIDE_CORE = [
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]


def shipped() -> list[tuple[str, Path | bytes]]:
    """The files of the site's version folder as the site serves them, ``(name in it, file or
    content)``: every browser file of assets/ and results.py, but those served inside another
    (``runtime.js`` and ``widgets.css`` stay: the site serves the joined files under their names,
    :func:`served`), and the joined module's source map, :data:`SOURCE_MAP`."""
    files = [
        (path.relative_to(ASSETS).as_posix(), path)
        for path in sorted(ASSETS.rglob("*"))
        if path.is_file() and path.name not in INLINED
    ]
    files = [file for file in files if file[0] not in _JOINED] + [("results.py", RESULTS)]
    return [(name, _SERVED.get(name, path)) for name, path in files] + [
        (SOURCE_MAP, _SERVED[SOURCE_MAP])
    ]


def version(files: list[tuple[str, Path | bytes]]) -> str:
    """A short hash of the names and contents of ``files`` (in any order)."""
    digest = hashlib.sha256()
    for name, content in sorted(files, key=lambda file: file[0]):
        data = content if isinstance(content, bytes) else content.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()[:12]


def pyodide_files(dist: Path) -> list[str]:
    """The files of a local Pyodide distribution the site needs; ValueError if it is not one."""
    try:
        version = json.loads((dist / "package.json").read_text())["version"]
        lock = json.loads((dist / "pyodide-lock.json").read_text())
        numpy = lock["packages"]["numpy"]["file_name"]
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"pyodide_dist: {dist} is not a Pyodide distribution ({exc})") from None
    if version != PYODIDE_VERSION:
        raise ValueError(
            f"pyodide_dist: {dist} holds Pyodide {version}; this plugin needs {PYODIDE_VERSION}"
        )
    names = [*PYODIDE_CORE, numpy]
    missing = [n for n in names if not (dist / n).is_file()]
    if missing:
        raise ValueError(f"pyodide_dist: {dist} lacks {', '.join(missing)}")
    return names


def site_files(
    sources_zip: bytes, dist: Path | None, cdn: str
) -> tuple[list[tuple[str, Path | bytes]], dict]:
    """The files to add to the site, as ``(path in the site, file or content)``, and the browser
    config (URLs relative to ``runtime.js``). ``dist``: a local Pyodide to copy, else ``cdn``."""
    files: list[tuple[str, Path | bytes]] = [
        (f"{ASSET_DIR}/{name}", content) for name, content in _FOLDER
    ]
    digest = hashlib.sha256(sources_zip).hexdigest()[:12]
    sources = f"python/sources-{digest}.zip"
    files.append((f"{SITE_DIR}/{sources}", sources_zip))
    sources = f"../{sources}"  # from runtime.js, in the version folder
    pyodide = cdn
    if dist is not None:
        for name in pyodide_files(dist):
            files.append((f"{PYODIDE_DIR}/{name}", dist / name))
        return files, {"pyodide": f"../../pyodide/{PYODIDE_VERSION}/", "sources": sources}
    # From a CDN, the Python worker checks the files against these sums when no service worker
    # serves the page (a first visit): import() takes no integrity attribute.
    sums = {name: PYODIDE_SHA256[name] for name in PYODIDE_RUNTIME}
    return files, {"pyodide": pyodide, "sources": sources, "sums": sums}


#: What :func:`widgets.finish_output` writes into the data of an output without a precomputed
#: table, i.e. an output only the Python worker can update.
LIVE_OUTPUT = '"states":null}</template>'
#: Where the early tags go: before the first stylesheet or script of the <head>.
_FIRST_BLOCKING = re.compile(r"<script|<link[^>]*\brel=[\"']?stylesheet", re.IGNORECASE)
#: assets/boot.js without its comments and indentation, line by line.
_BOOT = [line.strip() for line in uncommented((ASSETS / "boot.js").read_text("utf-8")).splitlines()]
#: The line after it that starts the worker on a live page. It reads worker.js's URL (relative to
#: the page) from ms-config, so that it is the same on every page: one inline script, one hash for
#: a Content-Security-Policy (docs/guide/publish.md).
START = (
    'var c = document.getElementById("ms-config"); microscaleStart(new URL(c.dataset.worker, '
    "document.baseURI), JSON.parse(c.textContent), "
    'document.getElementById("ms-worker").textContent);'
)
#: assets/worker.js without its comment lines (indentation kept: it holds Python), for the pages
#: that start the worker.
_WORKER = uncommented((ASSETS / "worker.js").read_text(encoding="utf-8"))
if "</script" in _WORKER.lower() or "<!--" in _WORKER:  # the HTML parser would end it early
    raise RuntimeError("assets/worker.js must not contain '</script' or '<!--'")
#: What the site serves in place of a file of assets/: the bundle as runtime.js, the style sheets
#: joined as widgets.css, and without their comment lines (for the repository's readers; the
#: browser files count against a byte budget, tests/perf) worker.js, which pages also inline, and
#: progress.js.
_SERVED = {
    ENTRIES[0]: f"{BUNDLE.text}//# sourceMappingURL={SOURCE_MAP}\n".encode(),
    SOURCE_MAP: BUNDLE.source_map(ENTRIES[0]).encode(),
    STYLES[0]: b"\n".join((ASSETS / name).read_bytes() for name in STYLES),
    "worker.js": _WORKER.encode(),
    **{n: uncommented((ASSETS / n).read_text(encoding="utf-8")).encode() for n in EXTERNAL},
}


def served(name: str) -> bytes:
    """The bytes the site serves for the asset ``name``; ValueError for a file it serves only
    inside another."""
    if name in _JOINED:
        raise ValueError(f"{name} is served inside {_JOINED[name]}")
    return _SERVED.get(name) or (ASSETS / name).read_bytes()


#: The version folder's files as the site serves them.
_FOLDER = shipped()
#: The folder of this version of the browser files (they do not change while MkDocs runs), named
#: after what it serves: a change to any file, or to how the bundle joins them, names another.
VERSION = version(_FOLDER)
ASSET_DIR = f"{SITE_DIR}/{VERSION}"


def add_tags(html: str, page_url: str, browser_config: dict, strings: dict[str, str]) -> str:
    """The page ``html`` (at ``page_url``) with the tags that load the plugin's assets."""
    end = html.find("</head>")
    if end < 0:
        return html
    first = _FIRST_BLOCKING.search(html, 0, end)
    at = first.start() if first else end
    live = LIVE_OUTPUT in html
    early = early_tags(page_url, browser_config, strings, live)
    return html[:at] + early + html[at:end] + late_tags(page_url) + html[end:]


def early_tags(page_url: str, browser_config: dict, strings: dict[str, str], live: bool) -> str:
    """The configuration and assets/boot.js, which starts Python at once when ``live``."""
    data = json.dumps(
        {**browser_config, **browser_data(), "strings": strings},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    data = data.replace("</", "<\\/")
    boot = "\n".join([*_BOOT, START] if live else _BOOT)
    worker = f'<script type="text/plain" id="ms-worker">{_WORKER}</script>' if live else ""
    worker_url = url("worker.js", page_url)
    return (
        f'<script type="application/json" data-worker="{worker_url}" id="ms-config">{data}'
        f"</script>{worker}<script>{boot}</script>"
    )


def late_tags(page_url: str) -> str:
    """The stylesheets and the ES modules, the modules at low priority: Chromium fetches a module
    at high priority, beside the page's stylesheets, although a module never holds back the first
    paint; on a slow phone connection those bytes came before the stylesheets' (Lighthouse, whose
    mobile preset counts every high-priority script as one the first paint waits for,
    ``docs/benchmarks/site.md``)."""
    low = 'fetchpriority="low"'
    tags = [f'<link rel="stylesheet" href="{url(STYLES[0], page_url)}">']
    tags += [f'<link rel="modulepreload" href="{url(n, page_url)}" {low}>' for n in PRELOADS]
    tags.append(f'<script type="module" src="{url(ENTRIES[0], page_url)}" {low}></script>')
    return "".join(tags)


def url(asset: str, page_url: str) -> str:
    """The URL of the browser file ``asset`` relative to the page at ``page_url``."""
    return get_relative_url(f"{ASSET_DIR}/{asset}", page_url)
