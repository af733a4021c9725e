"""What the plugin ships to the browser, and the few tags that load it on every page.

Site layout (all URLs relative, so a site works under any sub-path)::

    assets/microscale/          the ES modules and CSS of assets/ (runtime.js is the entry)
    assets/microscale/python/   sources-<hash>.zip: pycore and the ``modules`` option
    assets/pyodide/0.27.7/      a local Pyodide (``pyodide_dist``), when one is given

Every page gets, before ``</head>``: a ``<script type="application/json" id="ms-config">`` (the
Pyodide and sources URLs, relative to ``runtime.js``, and the user-facing strings), the CSS, a
``<link rel="modulepreload">`` per entry of :data:`PRELOADS` and one ``<script type="module">`` per
entry of :data:`SCRIPTS`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from .config import PYODIDE_VERSION

ASSETS = Path(__file__).parent / "assets"
SITE_DIR = "assets/microscale"
PYODIDE_DIR = f"assets/pyodide/{PYODIDE_VERSION}"
#: ES modules loaded on every page (each imports ``runtime.js`` for ``onPage`` and ``t``).
SCRIPTS = ["runtime.js", "widgets.js", "quiz.js"]
#: Style sheets loaded on every page.
STYLES = ["widgets.css", "quiz.css"]
#: The modules those import, announced with ``modulepreload`` so that the browser fetches the whole
#: module graph at once instead of level by level: DOMContentLoaded, and with it the start of the
#: Python worker, comes sooner (benchmarks/bench_site.py, "time to live Python").
PRELOADS = sorted(
    p.name for p in ASSETS.glob("*.js") if p.name not in {*SCRIPTS, "worker.js", "sw.js"}
)
#: What the worker needs from a Pyodide distribution, besides the numpy wheel.
PYODIDE_CORE = [
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]


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


def site_files(config: Any, sources_zip: bytes, dist: Path | None) -> tuple[list[File], dict]:
    """The files to add to the site, and the browser config (URLs relative to ``runtime.js``)."""
    files = [
        File.generated(
            config, f"{SITE_DIR}/{path.relative_to(ASSETS).as_posix()}", abs_src_path=str(path)
        )
        for path in sorted(ASSETS.rglob("*"))
        if path.is_file() and path.name != "sw.js"  # a template: publish.py writes the root's
    ]
    results = Path(__file__).parent / "results.py"  # the worker checks results as the build does
    files.append(File.generated(config, f"{SITE_DIR}/results.py", abs_src_path=str(results)))
    digest = hashlib.sha256(sources_zip).hexdigest()[:12]
    sources = f"python/sources-{digest}.zip"
    files.append(File.generated(config, f"{SITE_DIR}/{sources}", content=sources_zip))
    pyodide = config.plugins["lessons"].config.pyodide_cdn
    if dist is not None:
        for name in pyodide_files(dist):
            files.append(
                File.generated(config, f"{PYODIDE_DIR}/{name}", abs_src_path=str(dist / name))
            )
        pyodide = f"../pyodide/{PYODIDE_VERSION}/"
    return files, {"pyodide": pyodide, "sources": sources}


def head(page_url: str, browser_config: dict, strings: dict[str, str]) -> str:
    """The tags that load the plugin's assets on the page at ``page_url``."""
    data = json.dumps(
        {**browser_config, "strings": strings}, ensure_ascii=False, separators=(",", ":")
    )
    data = data.replace("</", "<\\/")
    tags = [f'<script type="application/json" id="ms-config">{data}</script>']
    tags += [f'<link rel="stylesheet" href="{url(name, page_url)}">' for name in STYLES]
    tags += [f'<link rel="modulepreload" href="{url(name, page_url)}">' for name in PRELOADS]
    tags += [f'<script type="module" src="{url(name, page_url)}"></script>' for name in SCRIPTS]
    return "".join(tags)


def url(asset: str, page_url: str) -> str:
    """The URL of ``assets/microscale/<asset>`` relative to the page at ``page_url``."""
    return get_relative_url(f"{SITE_DIR}/{asset}", page_url)
