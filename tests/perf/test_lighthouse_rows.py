"""The Lighthouse rows of benchmarks/bench_site.py: medians, paired ratios and verdicts, on
made-up reports (the runs themselves need Lighthouse and minutes; docs/benchmarks/site.md)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_site
import site_lighthouse
from site_lighthouse import Report


def report(score: float, tbt: float, dom: int) -> Report:
    return Report(score=score, tbt=tbt, fcp=1000.0, lcp=2000.0, dom=dom)


def rows_by_label(runs) -> dict[str, bench_site.Row]:
    rows = bench_site.lighthouse_rows(runs) + bench_site.shell_rows(runs)
    return {row.measure: row for row in rows}


def test_the_verdicts_are_against_the_plain_page_and_a_zero_tbt_counts_as_the_floor() -> None:
    runs = {
        ("mobile", "lesson"): [report(0.80, 60.0, 600), report(0.70, 80.0, 600)],
        ("mobile", "plain"): [report(0.83, 0.0, 339), report(0.75, 0.0, 339)],
        ("mobile", "shell"): [report(0.60, 200.0, 339), report(0.50, 300.0, 339)],
    }
    rows = rows_by_label(runs)
    score = rows["Lighthouse mobile: performance score"]
    assert (score.ratio, score.verdict) == ("-0.04", "pass")  # median of -0.03 and -0.05
    tbt = rows["Lighthouse mobile: total blocking time"]
    assert (tbt.ratio, tbt.verdict) == ("1.40x", "pass")  # 60/50 and 80/50: a 0 ms TBT is 50
    dom = rows["Lighthouse mobile: DOM elements"]
    assert (dom.ratio, dom.verdict) == ("1.77x", "pass")
    shell = rows["Lighthouse mobile, against the plain page + bare Pyodide: performance score"]
    assert shell.ratio == "+0.20" and not shell.verdict  # reported, judged by nothing


def test_a_page_over_its_dom_budget_misses() -> None:
    runs = {
        (preset, name): [report(0.9, 0.0, dom)]
        for preset in ("mobile", "desktop")
        for name, dom in (("lesson", 1000), ("plain", 339), ("shell", 339))
    }
    rows = rows_by_label(runs)
    assert rows["Lighthouse mobile: DOM elements"].verdict == "MISS"
    assert rows["Lighthouse desktop: DOM elements"].verdict == "MISS"
    assert not rows["Lighthouse desktop: performance score"].verdict  # the goal is the phone's


def test_the_gzipped_rows_compare_the_lesson_with_the_plain_page_and_judge_nothing() -> None:
    runs = {
        ("mobile, gzipped", "lesson"): [report(0.90, 120.0, 600)],
        ("mobile, gzipped", "plain"): [report(0.93, 40.0, 339)],
    }
    rows = {row.measure: row for row in bench_site.gzipped_rows(runs)}
    score = rows["Lighthouse mobile, both pages served gzipped: performance score"]
    assert score.ratio == "-0.03" and not score.verdict
    assert (
        rows["Lighthouse mobile, both pages served gzipped: total blocking time"].ratio == "2.40x"
    )
    assert bench_site.gzipped_rows({}) == []


def test_a_report_reads_the_blocking_time_from_navigation_off_the_long_tasks() -> None:
    """TBT counts only after the first paint; ``blocking`` counts every long task's time over
    50 ms, before the paint too, and is reported beside it, judged by nothing."""
    audits = {
        name: {"numericValue": value}
        for name, value in [
            ("total-blocking-time", 120.0),
            ("first-contentful-paint", 900.0),
            ("largest-contentful-paint", 1500.0),
            ("dom-size", 700),
        ]
    }
    audits["mainthread-work-breakdown"] = {"details": {"items": []}}
    audits["bootup-time"] = {"details": {"items": []}}
    audits["long-tasks"] = {"details": {"items": [{"duration": 170.0}, {"duration": 80.0}]}}
    parsed = site_lighthouse.parse(
        {"audits": audits, "categories": {"performance": {"score": 0.9}}}
    )
    assert (parsed.tbt, parsed.blocking) == (120.0, 150.0)  # 120 + 30
    runs = {
        ("mobile", "lesson"): [Report(0.8, 60.0, 1000.0, 2000.0, 600, blocking=300.0)],
        ("mobile", "plain"): [Report(0.8, 60.0, 1000.0, 2000.0, 400, blocking=200.0)],
    }
    row = {r.measure: r for r in bench_site.lighthouse_rows(runs)}[
        "Lighthouse mobile: blocking time from navigation"
    ]
    assert (row.value, row.baseline, row.ratio, row.verdict) == ("300 ms", "200 ms", "1.50x", "")
