"""Lighthouse runs for the site benchmarks: one page, one preset, one JSON report, the numbers kept.

Lighthouse 12.2.3 comes from npm (it is not a Python package)::

    npm install --prefix .bench/lighthouse lighthouse@12.2.3     # .bench/ is git-ignored

and runs on Node 20 with Debian's Chromium (``CHROME_PATH``: ``$MICROSCALE_CHROMIUM``, else
``/usr/bin/chromium``). ``$LIGHTHOUSE`` names another ``lighthouse`` executable. The mobile preset
is Lighthouse's default (simulated slow 4G, 4x CPU slowdown, a phone's viewport); ``desktop`` is
``--preset=desktop``. Only the performance category runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "12.2.3"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
PRESETS = ("mobile", "desktop")
#: Lighthouse's main-thread categories (``mainthread-work-breakdown``), in its own words.
CATEGORIES = {
    "styleLayout": "style & layout",
    "scriptEvaluation": "script",
    "scriptParseCompile": "parse & compile",
    "parseHTML": "HTML & CSS parsing",
    "paintCompositeRender": "paint",
    "garbageCollection": "GC",
    "other": "other",
}


def install_hint() -> str:
    return f"no lighthouse: npm install --prefix .bench/lighthouse lighthouse@{VERSION}"


def executable() -> str | None:
    """The ``lighthouse`` command to run, or None when there is none."""
    local = ROOT / ".bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
    found = os.environ.get("LIGHTHOUSE") or (str(local) if local.exists() else None)
    return found or shutil.which("lighthouse")


@dataclass
class Report:
    """The numbers of one Lighthouse run."""

    score: float  # performance, 0..1
    tbt: float  # total blocking time, ms
    fcp: float  # ms
    lcp: float  # ms
    dom: int  # elements in the body
    #: What the tasks over 50 ms block from navigation on, not only after the first paint (the
    #: audit ``long-tasks``, simulated as TBT is, at most 20 tasks): TBT starts counting at FCP,
    #: so a page that paints before Material's bundle runs gets the bundle's tasks in its TBT,
    #: and one that paints after it does not.
    blocking: float = 0.0
    main: dict[str, float] = field(default_factory=dict)  # main-thread ms by category
    bootup: dict[str, float] = field(default_factory=dict)  # script ms by URL (bootup-time)


def run(url: str, preset: str, timeout: float = 240) -> Report:
    """Lighthouse on ``url`` with ``preset`` (``mobile`` or ``desktop``)."""
    command = executable()
    if command is None:
        raise RuntimeError(install_hint())
    args = [
        command,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    chrome = os.environ.get("MICROSCALE_CHROMIUM") or "/usr/bin/chromium"
    env = {**os.environ, "CHROME_PATH": chrome}
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse {url} failed:\n{done.stderr[-2000:]}")
    return parse(json.loads(done.stdout))


def parse(lhr: dict) -> Report:
    """The numbers of a Lighthouse result (its JSON report)."""
    if lhr.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {lhr['runtimeError']}")
    audits = lhr["audits"]

    def value(audit: str) -> float:
        return float(audits[audit]["numericValue"])

    main = {
        item["group"]: float(item["duration"])
        for item in audits["mainthread-work-breakdown"]["details"]["items"]
    }
    bootup = {
        item["url"]: float(item["total"])
        for item in audits["bootup-time"].get("details", {}).get("items", [])
    }
    return Report(
        score=float(lhr["categories"]["performance"]["score"]),
        tbt=value("total-blocking-time"),
        fcp=value("first-contentful-paint"),
        lcp=value("largest-contentful-paint"),
        dom=int(value("dom-size")),
        blocking=sum(
            max(0.0, float(task["duration"]) - 50)
            for task in audits.get("long-tasks", {}).get("details", {}).get("items", [])
        ),
        main=main,
        bootup=bootup,
    )


def material_bootup(report: Report) -> float:
    """Main-thread ms of Material's own scripts (``assets/javascripts/bundle.*.min.js``)."""
    return sum(ms for url, ms in report.bootup.items() if "/javascripts/bundle." in url)
