"""``microscale build`` and ``microscale finish``: a course built by Zensical, made complete.

Zensical runs the engine (a Markdown extension) on every page but runs no plugins, so what a site
needs beyond its pages is done after its build, from ``mkdocs.yml`` alone, the same way the MkDocs
plugin does it during its build:

- the browser files in ``assets/microscale/<hash>/``, the lessons' Python sources, and a
  self-hosted Pyodide checked against the pinned sha256 sums (``lesson_plugins/browser.py``);
- in every page, the tags that load them (the same tags as under MkDocs), and its precomputed
  states and tables' rows moved into a data file beside it (``lesson_plugins/pagedata.py``);
- ``sw.js``, ``.nojekyll`` and the 404 check (``lesson_plugins/publish.py``).

``microscale finish`` does that to a built site. ``microscale build`` is the Zensical build
command of a course: ``zensical build --clean`` (Zensical keeps pages it already rendered, but a
page's numbers change with the Python it calls, which Zensical does not watch), then
``finish``. When Zensical stops on an author's mistake, its traceback ends with the engine's
``file:line`` message printed once more, as the last line, and the command exits with status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from . import browser, compute, pagedata, publish
from .cache import FOLDER
from .errors import DirectiveError
from .site import CACHE_VARIABLE, Options

RUNTIME = f"{browser.ASSET_DIR}/runtime.js"
EXTENSION = "microscale"
#: How Zensical reports an exception raised in a Markdown extension (Zensical 0.0.73).
_ERROR = re.compile(r"^RuntimeError: Python error: (?:\w+\.)*DirectiveError: (.*)$", re.M)
#: How it reports front matter it cannot read, before the engine sees the page.
_FRONT_MATTER = re.compile(
    r"^RuntimeError: error reading page metadata '(?P<page>[^']+)': (?P<problem>.*?)"
    r"(?: at byte \d+)? line (?P<line>\d+) column \d+$",
    re.M,
)


class _Lenient(yaml.SafeLoader):
    """YAML with the ``!!python/name:`` and ``!ENV`` tags of ``mkdocs.yml`` read as nothing."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config_file: str) -> dict[str, Any]:
    """``mkdocs.yml`` as a mapping (tags that name Python objects read as None)."""
    with open(config_file, encoding="utf-8") as stream:
        config = yaml.load(stream, Loader=_Lenient) or {}
    if not isinstance(config, dict):
        raise DirectiveError(config_file, None, "expected 'name: value' settings")
    return config


def listed_options(entries: Any, name: str) -> dict[str, Any] | None:
    """The options of ``name`` in a list of ``mkdocs.yml`` such as ``plugins`` or
    ``markdown_extensions``: ``{}`` when it is listed bare, None when it is not listed."""
    for entry in entries or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """The options under ``markdown_extensions: - microscale:`` (``{}`` when it is listed bare;
    an error when it is not listed: Zensical would build the pages without the engine)."""
    options = listed_options(config.get("markdown_extensions"), EXTENSION)
    if options is not None:
        return options
    raise DirectiveError(
        "mkdocs.yml",
        None,
        f"markdown_extensions does not list '{EXTENSION}': Zensical would publish the lessons' "
        f"directives as text; add '  - {EXTENSION}' under markdown_extensions",
    )


def finish(config_file: str) -> Path:
    """Complete the site that Zensical built from ``config_file`` (module docstring); returns
    its folder."""
    config = read_config(config_file)
    root = os.path.dirname(os.path.abspath(config_file))
    site_dir = Path(root, config.get("site_dir") or "site")
    try:
        options = Options.parse(engine_options(config))
    except ValueError as exc:
        raise DirectiveError(
            "mkdocs.yml", None, f"markdown_extensions: {EXTENSION}: {exc}"
        ) from None
    if not (site_dir / "index.html").is_file() and not any(site_dir.glob("*.html")):
        raise DirectiveError(
            str(site_dir), None, "holds no built pages: run 'zensical build' first"
        )
    sources = compute.sources(root, list(options.modules))
    files, browser_config = browser.site_files(
        compute.zip_sources(sources), options.local_pyodide(root), options.pyodide_cdn
    )
    for name, content in files:
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.read_bytes())
    browser_config["sw"] = publish.service_worker_url(RUNTIME)
    from .strings import resolve

    strings = resolve(dict(options.strings))
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'id="ms-config"' in html or page.name == "404.html":
            continue  # finished already; the 404 page has no widgets (as under MkDocs)
        url = page_url(page.relative_to(site_dir).as_posix())
        html = pagedata.write(html, page)
        page.write_text(browser.add_tags(html, url, browser_config, strings), encoding="utf-8")
    theme = config.get("theme") or {}
    font = theme.get("font", True) if isinstance(theme, dict) else True
    publish.finish_site(site_dir, config.get("site_url"), font, RUNTIME, browser_config)
    return site_dir


def page_url(path: str) -> str:
    """The URL of the page in the site file ``path`` (``a/b/index.html`` -> ``a/b/``)."""
    if path == "index.html":
        return ""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the course's mkdocs.yml")


def run(args: argparse.Namespace) -> int:
    """``microscale finish``: complete a site Zensical has built."""
    try:
        site_dir = finish(args.config_file)
    except (DirectiveError, ValueError) as exc:
        print(f"microscale: {exc}", file=sys.stderr)
        return 1
    print(f"microscale: {site_dir} is ready to publish")
    return 0


@contextlib.contextmanager
def with_settings(config_file: str, settings: dict[str, Any]) -> Iterator[str]:
    """``config_file``, or a copy of it beside it with top-level ``settings`` replaced (Zensical
    has neither command-line settings nor ``INHERIT``); the copy is removed afterwards."""
    if not settings:
        yield config_file
        return
    path = Path(config_file)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.split(":")[0].strip() not in settings]  # fmt: skip
    lines += [f"{key}: {json.dumps(value)}" for key, value in settings.items()]  # JSON is YAML
    copy = path.with_name(f".{path.stem}-{os.getpid()}.yml")
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        yield str(copy)
    finally:
        copy.unlink(missing_ok=True)


def run_build(args: argparse.Namespace) -> int:
    """``microscale build``: ``zensical build --clean``, then :func:`finish`."""
    settings = {"site_url": args.site_url} if args.site_url else {}
    with with_settings(args.config_file, settings) as config_file:
        return _build(config_file, args.strict)


def _build(config_file: str, strict: bool) -> int:
    command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", config_file]
    if strict:
        command.append("--strict")
    with compute_cache_kept(os.path.dirname(os.path.abspath(config_file))) as kept:
        environ = {**os.environ, CACHE_VARIABLE: str(kept)}
        done = subprocess.run(command, capture_output=True, text=True, env=environ)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode:
        output = done.stdout + done.stderr
        errors = _ERROR.findall(output)
        docs = read_config(config_file).get("docs_dir") or "docs"
        for m in _FRONT_MATTER.finditer(output):  # lines of the front matter: the file's + 1
            errors.append(
                f"{docs}/{m['page']}:{int(m['line']) + 1}: front matter is not valid YAML "
                f"({m['problem']}); a value with ': ' or '#' in it must be quoted, e.g. "
                'tagline: "Teacher: student"'
            )
        for message in errors:
            print(f"microscale: {message}", file=sys.stderr)
        if not errors:
            print(f"microscale: zensical build failed (status {done.returncode})", file=sys.stderr)
        return 1
    return run(argparse.Namespace(config_file=config_file))


@contextlib.contextmanager
def compute_cache_kept(root: str) -> Iterator[Path]:
    """The compute cache (``.cache/plugin/lessons``) moved out of ``.cache``, which
    ``zensical build --clean`` empties, while Zensical builds; the engine finds it through
    :data:`CACHE_VARIABLE`, and it goes back when the build is done."""
    cache = Path(root, FOLDER)
    kept = Path(root, f".microscale-cache-{os.getpid()}")
    if cache.is_dir():
        shutil.move(cache, kept)
    kept.mkdir(exist_ok=True)
    try:
        yield kept
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(kept, cache)


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    add_arguments(parser)
    parser.add_argument("--strict", action="store_true", help="fail on Zensical's warnings too")
    parser.add_argument("--site-url", help="build for this address (replaces site_url)")
