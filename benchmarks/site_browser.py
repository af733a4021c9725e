"""Browser measurements for the site benchmarks: a static server, Chromium, the bare Pyodide page.

The server is the tests' (``lesson_plugins/serve.py``), from the tree this file is in.

Every time is read inside the page with ``performance.now()`` (milliseconds since the navigation
started), so the cost of driving the browser from Python is not part of any number.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this tree's lesson_plugins

from lesson_plugins.serve import serving
from lesson_plugins.testing.chromium import CHROMIUM_ARGS


@contextlib.contextmanager
def serve(root: Path, compress: bool = False) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) while the block runs; yields the base URL.

    The server of the tests (``lesson_plugins/serve.py``): the same MIME types, the same site;
    ``compress``: text files gzipped, as GitHub Pages sends them.
    """
    with serving(root, compress=compress) as served:
        yield served.url


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (``MICROSCALE_CHROMIUM``, else /usr/bin/chromium), closed afterwards."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("MICROSCALE_CHROMIUM") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


PROBES = Path(__file__).resolve().parent / "probes"  # the pages and scripts run in Chromium


def write_bare_page(site: Path, pyodide_dir: Path) -> str:
    """Write the bare page into ``site/_bench/`` using the Pyodide at ``pyodide_dir`` (in ``site``).

    Returns the page's path relative to the site root.
    """
    folder = site / "_bench"
    folder.mkdir(exist_ok=True)
    index = os.path.relpath(pyodide_dir, folder).replace(os.sep, "/") + "/"
    (folder / "bare.html").write_text((PROBES / "bare.html").read_text())
    worker = (PROBES / "bare-worker.js").read_text().replace("INDEX_URL", index)
    (folder / "bare-worker.js").write_text(worker)
    return "_bench/bare.html"


def add_bare_start(html: Path, worker_url: str) -> None:
    """Make the page ``html`` (built without the plugin) start the bare page's worker from the top
    of its ``<head>``; :func:`bare_load` then measures it."""
    script = (PROBES / "bare-start.js").read_text().replace("WORKER_URL", worker_url)
    text = html.read_text(encoding="utf-8")
    if "<head>" not in text:
        raise RuntimeError(f"{html} has no <head>")
    html.write_text(text.replace("<head>", f"<head><script>{script}</script>", 1), "utf-8")


def bare_load(page: Any, url: str, timeout_ms: float = 120_000) -> dict[str, float]:
    """Load the bare page; milliseconds from navigation until numpy's result is back (``live``)
    and until the worker was created (``worker``)."""
    page.add_init_script(script=(PROBES / "timeline.js").read_text())
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.benchResult !== undefined", timeout=timeout_ms)
    result = page.evaluate("window.benchResult")
    if not 0.5 < result["value"] < 0.7:  # the teacher's Paris probability at T = 2
        raise RuntimeError(f"bare page computed {result['value']!r}")
    return {**page.evaluate("window.__timeline"), "live": result["at"]}


# ---------------------------------------------------------------------------------------------
# Lesson pages. Bars are ``li.ms-bar`` items with the exact value in ``data-value`` and the bar
# drawn in their ``.ms-value``; sliders are ``input[type=range]`` named after their parameter.


def first_paint(page: Any, url: str, timeout_ms: float = 30_000) -> dict[str, float]:
    """Load a lesson page with the first-paint probe; milliseconds from navigation.

    ``bars``: the first frame with a prerendered bar laid out with its number; ``dcl``:
    DOMContentLoaded; ``fcp``: first contentful paint.
    """
    page.add_init_script(script=(PROBES / "first-paint.js").read_text())
    page.goto(url, wait_until="commit")
    page.wait_for_function("__paint.bars && __paint.dcl && __paint.fcp", timeout=timeout_ms)
    return page.evaluate("__paint")


def live_load(
    page: Any, url: str, name: str, figure: int, value: float, timeout_ms: float = 120_000
) -> float:
    """Load a lesson page and move slider ``name`` to ``value`` from DOMContentLoaded on.

    Returns milliseconds from navigation: until output ``figure`` (an index among the page's
    ``figure.ms-output``, beyond the precompute limit) shows bars computed by Python (``live``),
    until the worker was created (``worker``) and said it was ready (``ready``).
    ``page`` must be fresh (the probes are init scripts of the page).
    """
    args = json.dumps({"name": name, "figure": figure, "value": value})
    page.add_init_script(script=(PROBES / "timeline.js").read_text())
    page.add_init_script(script=(PROBES / "live.js").read_text().replace("ARGS", args))
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.__live", timeout=timeout_ms)
    return {**page.evaluate("window.__timeline"), "live": page.evaluate("window.__live")}


def _descendants(root: int) -> list[int]:
    """The processes under ``root`` (Linux: read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def chromium_threads() -> dict[tuple[int, int], tuple[str, float]]:
    """CPU seconds so far of every thread of the Chromium processes this process started, with a
    name saying what the thread does (Linux: /proc; threads that ended are missing)."""
    ticks = os.sysconf("SC_CLK_TCK")
    threads = {}
    for pid in _descendants(os.getpid()):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").split()
            if not argv or "chrom" not in Path(argv[0]).name:
                continue  # Playwright's driver
            process = next((a[7:] for a in argv if a.startswith("--type=")), "browser")
            for tid in os.listdir(f"/proc/{pid}/task"):
                stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
                fields = stat.rsplit(")", 1)[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
                threads[(pid, int(tid))] = (_thread_kind(process, name), seconds)
        except OSError:
            continue
    return threads


def _thread_kind(process: str, name: str) -> str:
    if process != "renderer":
        return "browser process" if process == "browser" else "other processes"
    if name.startswith("DedicatedWorker"):
        return "workers"
    if name.startswith("ThreadPoolForeg"):
        return "compile threads"  # V8's background compiles: mostly wasm tier-up
    return "page main thread" if name == "chromium" else "rest of the page's process"


def cpu_used(load: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    """``load()``'s result and the CPU seconds Chromium's threads spent meanwhile, by kind.

    The busiest dedicated worker thread is reported as ``Python worker``, the others (Material's
    search) as ``other workers``. Threads are sampled before and after: call it with no other page
    busy in the browser.
    """
    before = chromium_threads()
    result = load()
    after = chromium_threads()
    spent = {
        t: (kind, seconds - before.get(t, (kind, 0.0))[1]) for t, (kind, seconds) in after.items()
    }
    workers = sorted((s, t) for t, (kind, s) in spent.items() if kind == "workers")
    cpu: dict[str, float] = {}
    for thread, (kind, seconds) in spent.items():
        if kind == "workers":
            kind = "Python worker" if thread == workers[-1][1] else "other workers"
        cpu[kind] = cpu.get(kind, 0.0) + seconds
    return result, cpu


def settle(page: Any, timeout_ms: float = 120_000) -> None:
    """Wait until the service worker a lesson page registers controls it (untimed).

    The page registers it once Python is live, and it then fills its caches in the background:
    waiting for it makes the next load a later visit, not one that races the first visit's
    background work. Pages without the plugin's configuration (the bare page) have none.
    """
    page.wait_for_function(
        "!document.getElementById('ms-config') || !window.isSecureContext"
        " || navigator.serviceWorker.controller !== null",
        timeout=timeout_ms,
    )


def drag(
    page: Any,
    name: str,
    figure: int,
    label: str,
    steps: list[float],
    expect: list[float],
    patience_ms: float = 15_000,
) -> list[float]:
    """Drag slider ``name`` through ``steps`` (see probes/drag.js); each event's latency in ms.

    ``expect[i]`` is the value bar ``label`` of output ``figure`` shows at ``steps[i]``.
    """
    args = {"name": name, "figure": figure, "label": label, "steps": steps, "expect": expect}
    args["patience"] = patience_ms
    result = page.evaluate((PROBES / "drag.js").read_text(), args)
    if result["lost"]:
        raise RuntimeError(f"{result['lost']} of {len(steps)} slider steps were never drawn")
    return result["latencies"]


def fetched_urls(browser: Any, url: str, load: Callable[[Any, str], Any]) -> list[str]:
    """Every URL requested (by the page, its workers, its service worker) while ``load`` runs."""
    context = browser.new_context()
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    try:
        load(context.new_page(), url)
    finally:
        context.close()
    return list(dict.fromkeys(urls))
