"""Site benchmarks with budgets: build time, page weight, first paint, live Python, slider latency.

Every number is compared with a baseline measured in the same run, interleaved with it:

- build: the same generated markdown (10, 100, 500 lessons) and the course itself, built by
  ``mkdocs build`` with the ``lessons`` plugin and by plain mkdocs-material without it (where the
  directive blocks stay in the markdown as plain text);
- page weight: the plugin's own JS and CSS on a lesson page, raw and gzip (Pyodide's files apart);
- first paint: prerendered bars painted with their numbers, against DOMContentLoaded;
- time to live Python: a lesson page against a bare page that only loads Pyodide 0.27.7 and numpy
  in a module worker from the same server (``$PYODIDE_DIST``), cold and warm cache;
- CPU until live Python: what Chromium's threads spent meanwhile, by kind, against the bare page;
- slider latency: ``input`` event to redrawn bars over a 100-step drag, precomputed and live.

Usage (docs/benchmarks/site.md explains every measure and shows the latest table)::

    PYODIDE_DIST=../shared/pyodide/0.27.7 python benchmarks/bench_site.py [--quick]

Timings are medians of ``--repeats`` runs; on a shared machine only the ratios mean much.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_browser
import site_build
import site_course
import site_lighthouse
import site_zensical

ROOT = Path(__file__).resolve().parent.parent
BUILD_BUDGET = 1.30  # x plain mkdocs-material
WEIGHT_BUDGET = 30 * 1024  # bytes of the plugin's own JS + CSS, gzip
LIVE_BUDGET = 1.10  # x the bare Pyodide + numpy page
PAINT_BUDGET = 100  # ms after DOMContentLoaded
SLIDER_BUDGET = 16  # ms, p95


@dataclass
class Row:
    measure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    budget: str = ""
    verdict: str = ""


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def print_table(rows: list[Row]) -> None:
    head = Row("measure", "value", "baseline (same run)", "ratio", "budget", "result")
    cols = list(vars(head))
    width = {c: max(len(getattr(r, c)) for r in [head, *rows]) for c in cols}
    for i, r in enumerate([head, *rows]):
        print("| " + " | ".join(getattr(r, c).ljust(width[c]) for c in cols) + " |")
        if i == 0:
            print("|" + "|".join("-" * (width[c] + 2) for c in cols) + "|")


# ---------------------------------------------------------------------------------------------
# Build time


def bench_generated_builds(work: Path, sizes: list[int], repeats: int) -> list[Row]:
    """Plugin vs plain builds of generated courses, interleaved, ``repeats`` times each."""
    courses = {n: site_course.write_course(work / f"course-{n}", n) for n in sizes}
    for variant in ("plain", "plugin"):  # untimed warm-up: file cache, .pyc files
        course = courses[sizes[0]]
        site_build.build(course / f"mkdocs-{variant}.yml", course / f"site-{variant}")
    times: dict[tuple[int, str], list[site_build.BuildTime]] = {}
    for rep in range(repeats):
        for n in sizes:
            order = ("plain", "plugin") if rep % 2 == 0 else ("plugin", "plain")
            for variant in order:
                course = courses[n]
                t = site_build.build(course / f"mkdocs-{variant}.yml", course / f"site-{variant}")
                times.setdefault((n, variant), []).append(t)
    rows = []
    overhead: dict[int, float] = {}
    for n in sizes:
        plain = site_build.median([t.wall for t in times[n, "plain"]])
        plugin = site_build.median([t.wall for t in times[n, "plugin"]])
        cpu_plain = site_build.median([t.cpu for t in times[n, "plain"]])
        cpu_plugin = site_build.median([t.cpu for t in times[n, "plugin"]])
        overhead[n] = (cpu_plugin - cpu_plain) / n * 1000
        rows.append(
            Row(
                f"build, {n} lessons (wall)",
                f"{plugin:.2f} s ({plugin / n * 1000:.0f} ms/lesson)",
                f"{plain:.2f} s ({plain / n * 1000:.0f} ms/lesson)",
                f"{plugin / plain:.2f}x",
                f"<= {BUILD_BUDGET:.2f}x",
                verdict(plugin / plain <= BUILD_BUDGET),
            )
        )
        rows.append(cpu_row(f"build, {n} lessons", cpu_plugin, cpu_plain))
    if len(sizes) >= 2:
        mid, big = sizes[-2], sizes[-1]
        linear = overhead[big] <= 1.5 * max(overhead[mid], 0) + 2.0  # 2 ms/lesson of noise
        rows.append(
            Row(
                "plugin CPU overhead per lesson",
                ", ".join(f"{overhead[n]:.1f} ms @ {n}" for n in sizes),
                "",
                "",
                f"linear ({big} <= 1.5x {mid})",
                verdict(linear),
            )
        )
    return rows


def cpu_row(label: str, plugin: float, plain: float) -> Row:
    """CPU time of a build, against the plain build's."""
    return Row(
        f"{label} (CPU)",
        f"{plugin:.2f} s",
        f"{plain:.2f} s",
        f"{plugin / plain:.2f}x",
        f"<= {BUILD_BUDGET:.2f}x",
        verdict(plugin / plain <= BUILD_BUDGET),
    )


def _inheriting(config: Path, cfg: Any, path: Path, **overrides: Any) -> Path:
    """A config at ``path`` that inherits ``config`` (MkDocs ``INHERIT``), with ``overrides``."""
    import yaml

    inherited = {
        "INHERIT": str(config),
        "docs_dir": str(Path(cfg.docs_dir).resolve()),
        "watch": list(cfg.watch),  # absolute: relative paths would resolve against `work`
    }
    path.write_text(yaml.safe_dump({**inherited, **overrides}))
    return path


def plain_config_of(config: Path, work: Path) -> Path:
    """A config that builds the same docs as ``config`` without the ``lessons`` plugin.

    It inherits everything (MkDocs ``INHERIT``) and only replaces the plugin list.
    """
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config))
    # Material registers `search` as `material/search`: keep it (and any other), under the name
    # an author writes, so that both builds index the same pages.
    plugins = [n.removeprefix("material/") for n in cfg.plugins if n != "lessons"]
    return _inheriting(config, cfg, work / "mkdocs-plain.yml", plugins=plugins)


def bench_course_build(work: Path, repeats: int) -> list[Row]:
    """The course's own ``mkdocs.yml``, with and without the plugin, interleaved."""
    config = ROOT / "mkdocs.yml"
    if not config.exists():
        return [Row("build, the course", "no mkdocs.yml at the project root", verdict="n/a")]
    configs = {"plain": plain_config_of(config, work), "plugin": config}
    times: dict[str, list[site_build.BuildTime]] = {v: [] for v in configs}
    for rep in range(repeats + 1):
        order = ("plain", "plugin") if rep % 2 == 0 else ("plugin", "plain")
        for variant in order:
            t = site_build.build(configs[variant], work / f"course-site-{variant}")
            if rep:  # the first round warms up
                times[variant].append(t)
    wall = {v: site_build.median([t.wall for t in ts]) for v, ts in times.items()}
    cpu = {v: site_build.median([t.cpu for t in ts]) for v, ts in times.items()}
    return [
        Row(
            "build, the course (wall)",
            f"{wall['plugin']:.2f} s",
            f"{wall['plain']:.2f} s",
            f"{wall['plugin'] / wall['plain']:.2f}x",
            f"<= {BUILD_BUDGET:.2f}x",
            verdict(wall["plugin"] / wall["plain"] <= BUILD_BUDGET),
        ),
        cpu_row("build, the course", cpu["plugin"], cpu["plain"]),
    ]


# ---------------------------------------------------------------------------------------------
# Page weight


def weight_rows(label: str, weight: site_build.Weight) -> list[Row]:
    kb = 1024
    rows = [
        Row(
            f"plugin JS + CSS, {label}",
            f"{weight.own_gz / kb:.1f} KB gzip ({weight.own_raw / kb:.1f} KB raw)",
            "",
            "",
            f"<= {WEIGHT_BUDGET // kb} KB gzip",
            verdict(weight.own_gz <= WEIGHT_BUDGET),
        )
    ]
    for kind in ("python", "data", "exercise", "other"):
        if weight.raw.get(kind):
            rows.append(
                Row(
                    f"plugin {kind} files, {label}"
                    + (" (only pages with an exercise load them)" if kind == "exercise" else ""),
                    f"{weight.gz[kind] / kb:.1f} KB gzip ({weight.raw[kind] / kb:.1f} KB raw)",
                )
            )
    return rows


def bench_weight(work: Path) -> list[Row]:
    """Page weight on a generated lesson (and on the course's lesson when there is one)."""
    course = site_course.write_course(work / "weight-course", 2)
    sites = {}
    for variant in ("plain", "plugin"):
        sites[variant] = course / f"site-{variant}"
        site_build.build(course / f"mkdocs-{variant}.yml", sites[variant])
    page = "lessons/lesson-001/index.html"
    return weight_rows("generated lesson", site_build.plugin_weight(*sites.values(), page))


# ---------------------------------------------------------------------------------------------
# In Chromium: first paint, time to live Python, slider latency


@dataclass
class Lesson:
    """A lesson page to measure and its widget whose output only Python can change."""

    label: str
    path: str  # URL path under the served root
    slider: str  # the slider to move
    figure: int  # index of the live output among the page's figure.ms-output
    value: float  # where to move the slider
    shell: str  # the same page built without the plugin, starting the bare page's worker


def course_lesson(site: Path) -> str | None:
    """The course's lesson page (the first page under act-4/ with bars), relative to ``site``."""
    for html in sorted(site.glob("act-*/**/*.html")):
        if 'class="ms-bar"' in html.read_text():
            return html.relative_to(site).as_posix()
    return None


def pyodide_in(site: Path) -> Path:
    found = sorted(site.rglob("pyodide.asm.wasm"))
    if not found:
        raise RuntimeError(f"the plugin copied no Pyodide into {site}")
    return found[0].parent


def load_times(
    browser: Any,
    url: str,
    load: Callable[[Any, str], dict[str, float]],
    warm_loads: int,
    cold: list[dict[str, float]],
    warm: list[dict[str, float]],
) -> None:
    """One cold load (fresh context: empty HTTP and code caches) then ``warm_loads`` warm ones,
    each a later visit: after the service worker the first visit registered has taken over."""
    context = browser.new_context()
    try:
        for i in range(1 + warm_loads):
            page = context.new_page()
            (warm if i else cold).append(load(page, url))
            site_browser.settle(page)
            page.close()
    finally:
        context.close()


def served_lessons(work: Path, pyodide: str) -> tuple[Path, list[Lesson], str, Path]:
    """The folder to serve, the lessons in it, the bare page's path, the generated course.

    ``generated/`` is a generated lesson (its live chart is beyond the precompute limit);
    ``course/`` the course itself built with precomputing off, so that its first slider's first
    chart can only change through Python; ``_bench/bare.html`` the bare Pyodide + numpy page;
    ``generated-plain/`` and ``course-plain/`` the same markdown built without the plugin, whose
    lesson page starts the bare page's worker from its ``<head>``: what the page costs to show
    with Pyodide and numpy loading, the plugin's work apart.
    """
    root = work / "served"
    root.mkdir()
    course = site_course.write_course(work / "browser-course", 2)
    generated = site_build.build_site(
        course / "mkdocs-plugin.yml", course / "site", pyodide=pyodide
    )
    pyodide_dir = root / "generated" / pyodide_in(generated).relative_to(generated)
    bare = site_browser.write_bare_page(root, pyodide_dir)
    worker = "/" + bare.replace("bare.html", "bare-worker.js")

    def serve_site(name: str, site: Path, plain: Path, page: str) -> tuple[str, str]:
        return serve_pair(root, name, site, plain, page, worker)

    page = "lessons/lesson-001/index.html"
    plain = site_build.build_site(course / "mkdocs-plain.yml", course / "site-plain")
    path, shell = serve_site("generated", generated, plain, page)
    lessons = [Lesson("generated lesson", path, site_course.LIVE_SLIDER, 2, 0.3, shell)]
    if (ROOT / "mkdocs.yml").exists():
        site = site_build.build_site(
            lessons_only(ROOT / "mkdocs.yml", work),
            work / "course-site",
            pyodide=pyodide,
            precompute_limit=0,
        )
        page = course_lesson(site)
        if page:
            tag = re.search(r'<input[^>]*type="range"[^>]*>', (site / page).read_text()).group(0)
            name = re.search(r'name="([^"]+)"', tag).group(1)
            high = float(re.search(r'max="([^"]+)"', tag).group(1))
            plain = site_build.build_site(
                plain_config_of(ROOT / "mkdocs.yml", work), work / "course-site-plain"
            )
            path, shell = serve_site("course", site, plain, page)
            lessons.append(Lesson("course lesson", path, name, 0, high, shell))
    return root, lessons, bare, course


def lessons_only(config: Path, work: Path) -> Path:
    """``config`` with its lessons only: the author guide's examples of `y: all` need precomputing,
    and the lab's notebook is found relative to the folder of ``config``, not of this copy."""
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config))
    return _inheriting(config, cfg, work / "mkdocs-lessons.yml", exclude_docs="guide/\nlab/\n")


def serve_pair(
    root: Path, name: str, site: Path, plain: Path, page: str, worker: str
) -> tuple[str, str]:
    """Serve ``site`` and ``plain`` (its build without the plugin, whose copy of ``page`` starts
    the bare worker at URL path ``worker``) under ``root``; the URL paths of ``page`` in both."""
    (root / name).symlink_to(site, target_is_directory=True)
    (root / f"{name}-plain").symlink_to(plain, target_is_directory=True)
    site_browser.add_bare_start(plain / page, worker)
    url = page.removesuffix("index.html")
    return f"{name}/{url}", f"{name}-plain/{url}"


def shell_label(lesson: Lesson) -> str:
    return f"{lesson.label} without the plugin + bare Pyodide"


def live_loader(lesson: Lesson) -> Callable[[Any, str], dict[str, float]]:
    return functools.partial(
        site_browser.live_load, name=lesson.slider, figure=lesson.figure, value=lesson.value
    )


def bench_browser(
    work: Path, pyodide: str, repeats: int, warm_loads: int, cpu: bool = False
) -> list[Row]:
    root, lessons, bare, course = served_lessons(work, pyodide)
    targets = [("bare page", bare, site_browser.bare_load)]
    targets += [(lesson.label, lesson.path, live_loader(lesson)) for lesson in lessons]
    targets += [(shell_label(lesson), lesson.shell, site_browser.bare_load) for lesson in lessons]
    cold: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in targets}
    warm: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in targets}
    paints: dict[str, list[dict[str, float]]] = {lesson.label: [] for lesson in lessons}
    with site_browser.serve(root) as base, site_browser.chromium() as browser:
        for rep in range(repeats):
            for label, path, load in targets if rep % 2 == 0 else targets[::-1]:
                load_times(browser, base + path, load, warm_loads, cold[label], warm[label])
            for lesson in lessons:
                context = browser.new_context()
                page = context.new_page()
                paints[lesson.label].append(site_browser.first_paint(page, base + lesson.path))
                context.close()
        used = {label: [] for label, _, _ in targets} if cpu else {}
        for rep in range(repeats if cpu else 0):
            for label, path, load in targets if rep % 2 == 0 else targets[::-1]:
                context = browser.new_context()
                page = context.new_page()
                traced = functools.partial(load, page, base + path)
                used[label].append(site_browser.cpu_used(traced)[1])
                context.close()
        latencies = bench_drag(browser, base + lessons[0].path, course)
        fetched = {
            lesson.label: site_browser.fetched_urls(
                browser, base + lesson.path, live_loader(lesson)
            )
            for lesson in lessons
        }
    rows = paint_rows(lessons, paints) + live_rows(lessons, cold, warm) + cpu_rows(used)
    rows += latency_rows(latencies)
    for label, urls in fetched.items():
        rows += fetched_rows(label, urls, base, root)
    return rows


def paint_rows(lessons: list[Lesson], paints: dict[str, list[dict[str, float]]]) -> list[Row]:
    rows = []
    for lesson in lessons:
        runs = paints[lesson.label]
        after = site_build.median([p["bars"] - p["dcl"] for p in runs])
        rows.append(
            Row(
                f"first paint of bars, {lesson.label}",
                f"{site_build.median([p['bars'] for p in runs]):.0f} ms ({after:+.0f} ms vs DCL)",
                f"DCL {site_build.median([p['dcl'] for p in runs]):.0f} ms",
                "",
                f"<= DCL + {PAINT_BUDGET} ms",
                verdict(after <= PAINT_BUDGET),
            )
        )
    return rows


def live_rows(
    lessons: list[Lesson],
    cold: dict[str, list[dict[str, float]]],
    warm: dict[str, list[dict[str, float]]],
) -> list[Row]:
    """Medians, and the median of the ratios of loads measured back to back (same round)."""
    rows = []
    for kind, times in (("cold", cold), ("warm", warm)):
        bare = times["bare page"]
        for lesson in lessons:
            ours = times[lesson.label]
            pairs = zip(ours, bare, strict=True)
            ratio = site_build.median([o["live"] / b["live"] for o, b in pairs])
            rows.append(
                Row(
                    f"time to live Python, {lesson.label}, {kind}",
                    f"{site_build.median([t['live'] for t in ours]):.0f} ms",
                    f"bare page {site_build.median([t['live'] for t in bare]):.0f} ms",
                    f"{ratio:.2f}x",
                    f"<= {LIVE_BUDGET:.2f}x",
                    verdict(ratio <= LIVE_BUDGET),
                )
            )
    for kind, times in (("cold", cold), ("warm", warm)):  # the plugin's share, no budget
        for lesson in lessons:
            ours, shell = times[lesson.label], times[shell_label(lesson)]
            pairs = zip(ours, shell, strict=True)
            rows.append(
                Row(
                    f"  {lesson.label}, {kind}, against the page without the plugin + bare Pyodide",
                    f"{site_build.median([t['live'] for t in ours]):.0f} ms",
                    f"{site_build.median([t['live'] for t in shell]):.0f} ms",
                    f"{site_build.median([o['live'] / b['live'] for o, b in pairs]):.2f}x",
                )
            )
    for label, times in cold.items():  # where the time goes, cold
        marks = {
            mark: site_build.median([t[mark] for t in times])
            for mark in ("dcl", "worker", "ready", "live")
            if all(mark in t for t in times)
        }
        timeline = ", ".join(f"{k} {v:.0f}" for k, v in marks.items())
        rows.append(Row(f"  timeline (ms), {label}, cold", timeline))
    return rows


def cpu_rows(used: dict[str, list[dict[str, float]]]) -> list[Row]:
    """Chromium's CPU time until live Python, cold, by thread kind (medians), against the bare
    page's (the median of the ratios of loads made back to back)."""
    if not used:
        return []
    rows = []
    bare = [sum(u.values()) for u in used["bare page"]]
    for label, loads in used.items():
        totals = [sum(u.values()) for u in loads]
        kinds = sorted({k for u in loads for k in u}, key=lambda k: -loads[0].get(k, 0))
        parts = ", ".join(
            f"{k} {site_build.median([u.get(k, 0.0) for u in loads]):.2f}" for k in kinds
        )
        ratio = site_build.median([t / b for t, b in zip(totals, bare, strict=True)])
        rows.append(
            Row(
                f"CPU until live Python, {label}, cold",
                f"{site_build.median(totals):.2f} s ({parts})",
                f"bare page {site_build.median(bare):.2f} s",
                f"{ratio:.2f}x",
            )
        )
    return rows


def latency_rows(latencies: dict[str, list[float]]) -> list[Row]:
    rows = []
    for path, values in latencies.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        rows.append(
            Row(
                f"slider input -> bars, {path} path",
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
                f"{len(values)} steps",
                "",
                f"p95 <= {SLIDER_BUDGET} ms",
                verdict(p95 <= SLIDER_BUDGET),
            )
        )
    return rows


#: The plugin's code inline in a page (assets/boot.js, and worker.js on a page that starts Python
#: from its <head>): plugin JS that comes with the HTML.
INLINE_CODE = re.compile(
    r'<script type="text/plain" id="ms-worker">(.*?)</script>'
    r"|<script>(window\.microscaleStart.*?)</script>",
    re.DOTALL,
)


def fetched_rows(label: str, urls: list[str], base: str, root: Path) -> list[Row]:
    """What a lesson page really fetched until Python was live, by origin, raw and gzip; the
    plugin's inline code counts as plugin JS."""
    weight = site_build.Weight()
    for url in urls:
        if not url.startswith(base):
            continue
        rel = url[len(base) :].split("?")[0].split("#")[0]
        path = root / (rel + "index.html" if rel.endswith("/") or not rel else rel)
        if not path.is_file():
            continue
        if "/assets/pyodide/" in rel:
            kind = "Pyodide + numpy"
        elif "/assets/microscale/" in rel or rel.endswith("/sw.js"):
            kind = "plugin " + site_build.kind_of(path)
        else:
            kind = "page + theme"
            if path.suffix == ".html":  # the plugin's inline code apart
                html = path.read_text(encoding="utf-8")
                for code in INLINE_CODE.finditer(html):
                    weight.add("plugin js", (code[1] or code[2]).encode())
                weight.add(kind, INLINE_CODE.sub("", html).encode())
                continue
        weight.add(kind, path.read_bytes())
    own = weight.gz.get("plugin js", 0) + weight.gz.get("plugin css", 0)
    own_raw = weight.raw.get("plugin js", 0) + weight.raw.get("plugin css", 0)
    kb = 1024
    rows = [
        Row(
            f"fetched: plugin JS + CSS, {label}",
            f"{own / kb:.1f} KB gzip ({own_raw / kb:.1f} KB raw)",
            "",
            "",
            f"<= {WEIGHT_BUDGET // kb} KB gzip",
            verdict(own <= WEIGHT_BUDGET),
        )
    ]
    for kind in sorted(weight.raw):
        if kind not in ("plugin js", "plugin css"):
            rows.append(
                Row(
                    f"  fetched: {kind}",
                    f"{weight.gz[kind] / kb:.1f} KB gzip ({weight.raw[kind] / kb:.1f} KB raw)",
                )
            )
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def bench_drag(browser: Any, url: str, course: Path) -> dict[str, list[float]]:
    """100-step drags on the generated lesson: the live slider, then the precomputed one."""
    spec = importlib.util.spec_from_file_location("benchlessons", course / "benchlessons.py")
    benchlessons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchlessons)

    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    # Move the live slider to its start and wait (generously) until Python has drawn it.
    t = 2.0
    alphas = [round(0.01 * i, 2) for i in range(101)]
    mix = [benchlessons.mix(a, t)["Paris"] for a in alphas]
    site_browser.drag(page, "alpha", 2, "Paris", alphas[:1], mix[:1], patience_ms=120_000)
    live = site_browser.drag(page, "alpha", 2, "Paris", alphas[1:], mix[1:])
    temps = [round(0.5 + 0.1 * i, 1) for i in range(46)]
    drag = temps[1:] + temps[::-1][1:] + temps[1:11]  # up, down, up: 100 steps from 0.5
    site_browser.drag(page, "T", 0, "Paris", [0.5], [benchlessons.teacher(0.5)["Paris"]])
    expect = [benchlessons.teacher(v)["Paris"] for v in drag]
    pre = site_browser.drag(page, "T", 0, "Paris", drag, expect)
    context.close()
    return {"precomputed": pre, "live": live}


# ---------------------------------------------------------------------------------------------
# Lighthouse: the course's lesson page against the same markdown without the plugin

LH_SCORE_BUDGET = 0.05  # the lesson's mobile score at most this much below the plain page's
LH_TBT_BUDGET = 1.5  # x the plain page's total blocking time (mobile)
#: A plain page with no task over 50 ms has a TBT of 0: its TBT counts as at least this (one task
#: of 100 ms), so that the ratio stays a ratio.
LH_TBT_FLOOR = 50.0
LH_DOM_BUDGET = 2.0  # x the plain page's element count


def bench_lighthouse(
    work: Path, pyodide: str, repeats: int, presets: tuple[str, ...] = site_lighthouse.PRESETS
) -> list[Row]:
    """Lighthouse's mobile and desktop presets on the course's lesson page (built as an author
    builds it, Pyodide self-hosted) and on the same markdown built without the plugin, served as
    it is (the issue's baseline: no Python at all) and as the shell of "time to live Python" (the
    same page starting the bare page's Pyodide worker from its ``<head>``), ``repeats`` runs
    each, the pages interleaved, their order alternating from round to round."""
    if site_lighthouse.executable() is None:
        return [Row("Lighthouse", "skipped: " + site_lighthouse.install_hint())]
    root = work / "lighthouse"
    root.mkdir()
    config = ROOT / "mkdocs.yml"
    site = site_build.build_site(config, work / "lighthouse-site", pyodide=pyodide)
    page = course_lesson(site)
    plain = site_build.build_site(plain_config_of(config, work), work / "lighthouse-plain")
    shutil.copytree(plain, root / "plain")  # before serve_pair adds the bare start to `plain`
    (root / "course").symlink_to(site, target_is_directory=True)  # the bare page's Pyodide
    bare = site_browser.write_bare_page(root, root / "course" / pyodide_in(site).relative_to(site))
    (root / "course").unlink()
    worker = "/" + bare.replace("bare.html", "bare-worker.js")
    lesson, shell = serve_pair(root, "course", site, plain, page, worker)
    pages = {"plain": "plain/" + page.removesuffix("index.html"), "lesson": lesson, "shell": shell}
    runs: dict[tuple[str, str], list[site_lighthouse.Report]] = {}
    with site_browser.serve(root) as base:
        for rep in range(repeats):
            for preset in presets:
                order = list(pages.items())
                for name, path in order if rep % 2 == 0 else order[::-1]:
                    report = site_lighthouse.run(base + path, preset)
                    runs.setdefault((preset, name), []).append(report)
        cpu = main_thread_cpu(base, {"lesson": lesson, "plain": pages["plain"]}, max(5, repeats))
    if "mobile" in presets:  # the same two pages as a reader gets them from GitHub Pages
        with site_browser.serve(root, compress=True) as base:
            for rep in range(repeats):
                order = [(n, pages[n]) for n in ("plain", "lesson")]
                for name, path in order if rep % 2 == 0 else order[::-1]:
                    report = site_lighthouse.run(base + path, "mobile")
                    runs.setdefault(("mobile, gzipped", name), []).append(report)
    label = "main thread CPU to load (phone viewport, no slowdown)"
    cpu_row = paired_row(label, cpu["lesson"], cpu["plain"], float, " ms", None)
    gzipped = {key: reports for key, reports in runs.items() if key[0] == "mobile, gzipped"}
    served = {key: reports for key, reports in runs.items() if key not in gzipped}
    return [*lighthouse_rows(served), *shell_rows(served), *gzipped_rows(gzipped), cpu_row]


def main_thread_cpu(base: str, paths: dict[str, str], repeats: int) -> dict[str, list[float]]:
    """CPU milliseconds of the page's main thread (Linux, /proc) from navigation until 1.5 s after
    ``load``, phone viewport, fresh context, pages interleaved: unlike Lighthouse's times, which
    are wall times multiplied by its CPU slowdown, it barely moves with the load of a shared
    machine."""
    spent: dict[str, list[float]] = {name: [] for name in paths}
    with site_browser.chromium() as browser:
        for rep in range(repeats):
            for name, path in paths.items() if rep % 2 == 0 else reversed(paths.items()):
                context = browser.new_context(viewport={"width": 412, "height": 823})
                page = context.new_page()

                def load(page: Any = page, url: str = base + path) -> None:
                    page.goto(url, wait_until="load")
                    page.wait_for_timeout(1500)

                cpu = site_browser.cpu_used(load)[1]
                spent[name].append(cpu.get("page main thread", 0.0) * 1000)
                context.close()
    return spent


def score_row(label: str, ours: list[Any], other: list[Any], budget: float | None = None) -> Row:
    """Every run's score, and the median of the differences of the runs made back to back; judged
    against ``budget`` (the largest gap allowed) when there is one."""
    gap = site_build.median([o.score - p.score for o, p in zip(ours, other, strict=True)])
    scores = [" / ".join(f"{r.score:.2f}" for r in reports) for reports in (ours, other)]
    if budget is None:
        return Row(label, *scores, f"{gap:+.2f}")
    return Row(label, *scores, f"{gap:+.2f}", f">= -{budget:.2f}", verdict(gap >= -budget))


#: (name, value of a report, unit, the least a baseline value counts as)
TBT = ("total blocking time", lambda r: r.tbt, " ms", LH_TBT_FLOOR)
#: Not judged: TBT counts from the first paint on, this from navigation on (``Report.blocking``).
BLOCKING = ("blocking time from navigation", lambda r: r.blocking, " ms", LH_TBT_FLOOR)
FCP = ("first contentful paint", lambda r: r.fcp, " ms", 1.0)
LCP = ("largest contentful paint", lambda r: r.lcp, " ms", 1.0)


def lighthouse_rows(runs: dict[tuple[str, str], list[Any]]) -> list[Row]:
    """Medians of the lesson's and the plain page's runs; ratios are medians of the ratios of the
    runs made back to back (same round), the score's gap the median of their differences."""
    rows = []
    for preset in dict.fromkeys(preset for preset, _ in runs):
        ours, plain = runs[preset, "lesson"], runs[preset, "plain"]
        mobile = preset == "mobile"
        budget = LH_SCORE_BUDGET if mobile else None
        rows.append(score_row(f"Lighthouse {preset}: performance score", ours, plain, budget))
        measures = [
            (*TBT, LH_TBT_BUDGET if mobile else None),
            (*BLOCKING, None),
            (*FCP, None),
            (*LCP, None),
            ("DOM elements", lambda r: r.dom, "", 1.0, LH_DOM_BUDGET),
        ]
        for key, label in site_lighthouse.CATEGORIES.items():
            get = functools.partial(lambda key, r: r.main.get(key, 0.0), key)
            measures.append((f"main thread, {label}", get, " ms", 1.0, None))
        measures.append(("main thread, total", lambda r: sum(r.main.values()), " ms", 1.0, None))
        bundle = site_lighthouse.material_bootup
        measures.append(("Material's bundle, boot-up", bundle, " ms", 1.0, None))
        for label, get, unit, floor, budget in measures:
            name = f"Lighthouse {preset}: {label}"
            rows.append(paired_row(name, ours, plain, get, unit, budget, floor))
    return rows


def reported_rows(label: str, ours: list[Any], other: list[Any], measures: tuple) -> list[Row]:
    """The score row and the paired rows of ``measures`` against ``other``, judged by nothing."""
    rows = [score_row(f"{label}: performance score", ours, other)]
    for name, get, unit, floor in measures:
        rows.append(paired_row(f"{label}: {name}", ours, other, get, unit, None, floor))
    return rows


def gzipped_rows(runs: dict[tuple[str, str], list[Any]]) -> list[Row]:
    """The lesson against the plain page, both served gzipped (as GitHub Pages serves them):
    reported, judged by nothing (the issue's baseline is served as it is)."""
    if not runs:
        return []
    ours, plain = runs["mobile, gzipped", "lesson"], runs["mobile, gzipped", "plain"]
    label = "Lighthouse mobile, both pages served gzipped"
    return reported_rows(label, ours, plain, (TBT, BLOCKING, FCP, LCP))


def shell_rows(runs: dict[tuple[str, str], list[Any]]) -> list[Row]:
    """The lesson against the plain page that also starts Pyodide (the shell of "time to live
    Python"): what the page costs beyond a Pyodide download that both start."""
    rows = []
    for preset in dict.fromkeys(preset for preset, _ in runs):
        ours, shell = runs[preset, "lesson"], runs[preset, "shell"]
        label = f"Lighthouse {preset}, against the plain page + bare Pyodide"
        rows += reported_rows(label, ours, shell, (TBT,))
    return rows


def paired_row(
    label: str,
    ours: list[Any],
    plain: list[Any],
    get: Callable[[Any], float],
    unit: str,
    budget: float | None,
    floor: float = 1.0,
) -> Row:
    """Medians of ``get`` over both lists and the median of the ratios of the runs paired, each
    baseline value taken as at least ``floor``."""
    pairs = zip(ours, plain, strict=True)
    ratio = site_build.median([get(o) / max(get(p), floor) for o, p in pairs])
    return Row(
        label,
        f"{site_build.median([get(r) for r in ours]):.0f}{unit}",
        f"{site_build.median([get(r) for r in plain]):.0f}{unit}",
        f"{ratio:.2f}x",
        f"<= {budget:.1f}x" if budget else "",
        verdict(ratio <= budget) if budget else "",
    )


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small courses, one repeat")
    parser.add_argument("--repeats", type=int, help="timed runs per measure (default 3, quick 1)")
    parser.add_argument(
        "--only",
        default="build,course,zensical,weight,browser,cpu,lighthouse",
        help="comma-separated sections: build, course, zensical (microscale build against "
        "zensical build), weight, browser, cpu (browser's loads again, traced: Chromium's CPU "
        "time by thread), lighthouse (the course's lesson page against the same markdown "
        "without the plugin, mobile and desktop presets)",
    )
    parser.add_argument(
        "--presets",
        default=",".join(site_lighthouse.PRESETS),
        help="Lighthouse presets to run: mobile, desktop (default both)",
    )
    parser.add_argument("--keep", type=Path, help="keep the generated courses and sites here")
    parser.add_argument(
        "--cold", action="store_true", help="builds start without the plugin's compute cache"
    )
    args = parser.parse_args(argv)
    site_build.COLD_CACHE = args.cold
    repeats = args.repeats or (1 if args.quick else 3)
    sizes = [10, 50] if args.quick else [10, 100, 500]
    sections = set(args.only.split(","))

    work = (args.keep or Path(tempfile.mkdtemp(prefix="bench-site-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    rows: list[Row] = []
    try:
        if "build" in sections:
            rows += bench_generated_builds(work, sizes, repeats)
        if "course" in sections:
            rows += bench_course_build(work, repeats)
        if "zensical" in sections:  # benchmarks/site_zensical.py
            rows += [Row(*row) for row in site_zensical.rows(work, sizes, repeats)]
        if "weight" in sections:
            rows += bench_weight(work)
        if "browser" in sections:
            if os.environ.get("PYODIDE_DIST"):
                rows += bench_browser(
                    work,
                    os.environ["PYODIDE_DIST"],
                    repeats,
                    warm_loads=1 if args.quick else 2,
                    cpu="cpu" in sections,
                )
            else:
                rows.append(Row("browser measures", "skipped: PYODIDE_DIST is not set"))
        if "lighthouse" in sections:
            if os.environ.get("PYODIDE_DIST"):
                presets = tuple(args.presets.split(","))
                rows += bench_lighthouse(work, os.environ["PYODIDE_DIST"], repeats, presets)
            else:
                rows.append(Row("Lighthouse", "skipped: PYODIDE_DIST is not set"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{platform.node()} · {platform.machine()} · {os.cpu_count()} CPUs · "
        f"load {os.getloadavg()[0]:.1f} · python {platform.python_version()}"
        f" · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {time.time() - started:.0f} s"
        f" · repeats {repeats}{' · cold compute cache' if args.cold else ''}\n"
    )
    print_table(rows)
    return 0 if all(r.verdict != "MISS" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
