"""Code exercises: the editor's bytes, and the time from navigation to the first possible Run.

Builds the course twice, as it is and with the exercise blocks taken out of the distillation
lesson, and loads the lesson in Chromium from a local server with a fresh profile each time
(nothing cached), interleaving three loads:

- with exercises, scrolled to the first exercise as soon as the page is parsed
  (``DOMContentLoaded``; a reader who follows a link to the exercise): milliseconds from
  navigation until the exercises' own Python worker is ready, i.e. Run can be pressed
  (``assets/exercise/exercise.js`` marks it with ``performance.mark("microscale-exercise-ready")``).
  An exercise's editor and the exercises' Python start only when an exercise comes near the
  viewport (or its starter code gets the focus), so without the scroll there would be nothing to
  time: this is the earliest a reader can press Run;
- with exercises, not scrolled (a reader who starts at the top): milliseconds until the widgets'
  Python is live; the exercises' Python does not boot beside it;
- without exercises (the baseline): milliseconds until the widgets' Python is live (a figure
  only Python can update says ``data-ms-state="ready"``).

The editor's bytes are the files only a page with an exercise loads (``assets/vendor/`` and
``assets/exercise/``), raw and gzip, apart from the 30 KB budget of every lesson page
(``tests/perf/test_page_weight.py``).

Usage::

    PYODIDE_DIST=../shared/pyodide/0.27.7 python benchmarks/bench_exercise.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_browser
import site_build

ROOT = Path(__file__).resolve().parent.parent
LESSON = "act-4/distillation/"
_EXERCISE = re.compile(r"^/// exercise \|.*?^///\n", re.M | re.S)
#: Polls, in the page, for the two moments (a 5 ms grain, far below what is measured).
PROBE = """
const timer = setInterval(() => {
  const run = performance.getEntriesByName("microscale-exercise-ready")[0];
  if (run) window.__run ??= run.startTime;
  if (document.querySelector("figure.ms-output[data-ms-state=ready]"))
    window.__live ??= performance.now();
  if (window.__live !== undefined && (window.__run !== undefined || !window.__exercises))
    clearInterval(timer);
}, 5);
window.__exercises = null;
document.addEventListener("DOMContentLoaded", () => {
  const exercise = document.querySelector(".ms-exercise");
  window.__exercises = !!exercise && SCROLL;
  if (SCROLL) exercise?.scrollIntoView();
});
"""


def editor_bytes(site: Path) -> tuple[int, int, list[str]]:
    """Raw and gzip bytes of the files only a page with an exercise loads."""
    raw = gz = 0
    names = []
    for path in sorted(site.glob("assets/microscale/*/*/*")):
        rel = path.relative_to(site)
        if site_build.kind_of(rel) == "exercise" and path.suffix in (".js", ".css"):
            data = path.read_bytes()
            raw, gz = raw + len(data), gz + site_build.gzip_size(data)
            names.append(rel.as_posix())
    return raw, gz, names


def build_both(work: Path, pyodide: str) -> dict[str, Path]:
    plain = work / "plain"  # the project's layout: docs/ and what pages name beside it (lab/)
    docs = plain / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (plain / "lab").symlink_to(ROOT / "lab")
    shutil.copy(ROOT / "mkdocs.yml", plain / "mkdocs.yml")
    lesson = docs / "act-4" / "distillation.md"
    text, count = _EXERCISE.subn("", lesson.read_text(encoding="utf-8"))
    if count != 2:
        raise RuntimeError(f"expected 2 exercises in the lesson, found {count}")
    lesson.write_text(text, encoding="utf-8")
    sites = {}
    for name, cfg in (("exercises", ROOT / "mkdocs.yml"), ("plain", plain / "mkdocs.yml")):
        sites[name] = site_build.build_site(cfg, work / f"site-{name}", pyodide=pyodide)
    return sites


def load(browser, url: str, scroll: bool, timeout_ms: float = 180_000) -> dict[str, float]:
    """One cold load of ``url``; ``scroll``: to the first exercise, and wait for its Python."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(script=PROBE.replace("SCROLL", "true" if scroll else "false"))
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            "window.__live !== undefined && (window.__run !== undefined || !window.__exercises)",
            timeout=timeout_ms,
        )
        return page.evaluate("({live: window.__live, run: window.__run})")
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    pyodide = os.environ.get("PYODIDE_DIST")
    if not pyodide:
        print("PYODIDE_DIST is not set: the browser measures need a local Pyodide")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        sites = build_both(Path(tmp), os.path.abspath(pyodide))
        raw, gz, names = editor_bytes(sites["exercises"])
        times: dict[str, list[dict[str, float]]] = {"exercises": [], "top": [], "plain": []}
        with (
            site_browser.serve(sites["exercises"]) as with_url,
            site_browser.serve(sites["plain"]) as plain_url,
            site_browser.chromium() as browser,
        ):
            for _ in range(args.repeats):
                times["exercises"].append(load(browser, with_url + LESSON, scroll=True))
                times["top"].append(load(browser, with_url + LESSON, scroll=False))
                times["plain"].append(load(browser, plain_url + LESSON, scroll=False))
    run = statistics.median(t["run"] for t in times["exercises"])
    live_with = statistics.median(t["live"] for t in times["exercises"])
    live_top = statistics.median(t["live"] for t in times["top"])
    live_plain = statistics.median(t["live"] for t in times["plain"])
    print("| measure | value | baseline (same run) | ratio |\n|---|---|---|---|")
    print(
        f"| exercise editor + scripts (only pages with an exercise) | {gz / 1024:.1f} KB gzip "
        f"({raw / 1024:.1f} KB raw) | 30 KB gzip budget of every page, not counted in it | |"
    )
    print(
        f"| navigation to first possible Run, distillation lesson, scrolled to the exercise | "
        f"{run:.0f} ms | {live_plain:.0f} ms to live Python, lesson without exercises | "
        f"{run / live_plain:.2f}x |"
    )
    print(
        f"| navigation to live Python (widgets), with exercises, scrolled to the exercise | "
        f"{live_with:.0f} ms | {live_plain:.0f} ms without | {live_with / live_plain:.2f}x |"
    )
    print(
        f"| navigation to live Python (widgets), with exercises, read from the top | "
        f"{live_top:.0f} ms | {live_plain:.0f} ms without | {live_top / live_plain:.2f}x |"
    )
    print(f"\nmedians of {args.repeats} cold loads each; files: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
