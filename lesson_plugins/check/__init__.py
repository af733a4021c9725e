"""``microscale check SITE_DIR``: every compute function of a built site, run in real Pyodide.

The build calls each compute function under CPython; the reader's browser calls it in Pyodide
0.27.7 (Python 3.12, numpy 2.0.2). Code that works in one and not the other builds fine and fails
only in the browser: ``np.cumulative_sum`` (numpy 2.1), ``import scipy`` (not in the site). This
command reads what the built site declares (:mod:`lesson_plugins.check.site`), runs each output's
function in Pyodide under Node, set up as the site's worker is (the site's sources zip and
``results.py``), and compares with the build:

- at the page's default state, with the values the build wrote into the page;
- at a seeded sample of other states: with the precomputed table when the page has one, else
  with this CPython running the same sources (``calls.py`` runs in both).

Labels and shapes must agree exactly, and numbers to ``1e-14`` relative, measured against the
largest magnitude in their list (a bar chart's values, a plot's series): a Gaussian fitted in 300
steps differs by up to 2.3e-13 relative in tail densities of 1e-40, far below anything a reader
can see, while a wrong function differs at the scale of the plot. Each failure is printed with
its page (and ``docs/page.md:LINE`` when the docs folder is found next to the site) and what
differed, or Pyodide's traceback. The exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .runtimes import (
    PYODIDE_ROOT,
    Usage,
    find_pyodide,
    indent,
    run_cpython,
    run_pyodide,
    site_files,
)
from .site import Output, Page, default_index, read_site, state_at, state_count

REL_TOL = 1e-14  # the README's: the same function, two runtimes, equal to the last bits or so
#: What the end of a Pyodide traceback usually means, for the author.
HINTS = {
    "ModuleNotFoundError": "the site's Pyodide has the standard library, numpy and the sources of "
    "the lessons plugin's `modules` option, nothing else",
    "module 'numpy' has no attribute": "Pyodide 0.27.7 has numpy 2.0.2: use what numpy 2.0 offers",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="a built site (mkdocs build)")
    parser.add_argument(
        "--pyodide",
        type=Path,
        help="a local Pyodide 0.27.7 (default: $PYODIDE_DIST, else the one the site hosts)",
    )
    parser.add_argument("--docs", type=Path, help="the docs folder (default: SITE_DIR/../docs)")
    parser.add_argument(
        "--samples", type=int, default=5, help="other states to check per output (default 5)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")


@dataclass
class Check:
    """One call to make and what the build says it returns (None: compare with CPython)."""

    page: Page
    output: Output
    args: dict[str, Any]
    expected: dict[str, Any] | None
    default: bool


def run(args: argparse.Namespace) -> int:
    try:
        return check(args.site, args.pyodide, args.docs, args.samples, args.seed)
    except Usage as exc:
        print(f"microscale check: {exc}", file=sys.stderr)
        return 2


def check(site: Path, pyodide: Path | None, docs: Path | None, samples: int, seed: int) -> int:
    if not site.is_dir():
        raise Usage(f"{site} is not a built site (run mkdocs build first)")
    pages = read_site(site)
    if not pages:
        print(f"{site}: no outputs to check")
        return 0
    checks = plan(pages, samples, random.Random(seed))
    sources, results = site_files(site, pages[0])
    dist = find_pyodide(site, pages[0], pyodide)
    docs = docs or site.resolve().parent / "docs"
    with tempfile.TemporaryDirectory(prefix="microscale-check-") as folder:
        work = Path(folder)
        calls = [
            {"id": i, "fn": c.output.data["fn"], "kind": c.output.kind, "args": c.args}
            for i, c in enumerate(checks)
        ]
        (work / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
        in_pyodide = run_pyodide(dist, sources, results, work)
        unknown = [call for c, call in zip(checks, calls, strict=True) if c.expected is None]
        in_cpython = run_cpython(sources, results, work, unknown)
    failures = 0
    failed_outputs: set[int] = set()
    for i, c in enumerate(checks):
        problem = compare(c, in_pyodide[i], in_cpython.get(i))
        if problem and id(c.output) not in failed_outputs:
            failed_outputs.add(id(c.output))  # one report per output: the first state that fails
            print(f"{where(c, docs)}: {problem}\n")
        failures += bool(problem)
    outputs = sum(len(p.outputs) for p in pages)
    print(
        f"microscale check: {outputs} outputs on {len(pages)} pages, {len(checks)} calls in "
        f"Pyodide ({dist}): "
        + (
            f"{len(failed_outputs)} of {outputs} outputs failed"
            if failures
            else "every result agrees"
        )
    )
    return 1 if failures else 0


def plan(pages: list[Page], samples: int, rng: random.Random) -> list[Check]:
    """The default state and up to ``samples`` other states of every output."""
    checks = []
    for page in pages:
        for output in page.outputs:
            missing = [n for n in output.data["params"] if n not in page.controls]
            if missing:
                raise Usage(f"/{page.url}: no control named {', '.join(missing)} on the page")
            controls = [page.controls[name] for name in output.data["params"]]
            total, at = state_count(controls), default_index(controls)
            others = [i for i in rng.sample(range(total), min(total, samples + 1)) if i != at]
            table = output.data.get("states")
            for index in [at, *others[:samples]]:
                args = dict(zip(output.data["params"], state_at(controls, index), strict=True))
                expected = {**table["common"], **table["each"][index]} if table else None
                if expected is None and index == at:
                    expected = shown(output)
                checks.append(Check(page, output, args, expected, index == at))
    return checks


def shown(output: Output) -> dict[str, Any] | None:
    """What a live output's HTML shows of its default result (``data-value``), by kind."""
    if output.kind in ("bars", "readout"):
        return {
            "labels": [label for label, _ in output.shown],
            "values": [v for _, v in output.shown],
        }
    if output.kind == "plot":
        return {"table": [v for _, v in output.shown]}  # row by row: x, then each series
    return None  # a kind this check does not know: compared with CPython instead


def visible(kind: str, result: dict[str, Any], expected: dict[str, Any]) -> tuple[dict, dict]:
    """``expected`` and ``result`` in the same shape: all of a result, or what the HTML shows."""
    if kind == "plot" and set(expected) == {"table"}:  # the table of values: x, then each series
        columns = [result["x"], *result["series"].values()]
        flat = expected["table"]
        return {"columns": [flat[i :: len(columns)] for i in range(len(columns))]}, {
            "columns": columns
        }
    if set(expected) == {"labels", "values"}:
        return expected, {"labels": result.get("labels"), "values": result.get("values")}
    return expected, result


def compare(check: Check, pyodide: dict, cpython: dict | None) -> str | None:
    """What is wrong with Pyodide's answer to ``check``, or None."""
    state = ", ".join(f"{k}={v!r}" for k, v in check.args.items()) or "no controls"
    at = f"{'the default state' if check.default else 'another state'} ({state})"
    if "error" in pyodide:
        error = pyodide["error"].replace(PYODIDE_ROOT, "")
        last = error.splitlines()[-1]
        if cpython and "error" in cpython and cpython["error"].splitlines()[-1] == last:
            return None  # the function rejects this state in both runtimes, as it may
        hint = next((f"\n  ({text})" for key, text in HINTS.items() if key in last), "")
        return f"Pyodide raised at {at}:\n{indent(error)}{hint}"
    expected, source = check.expected, "the build"
    if expected is None:
        if cpython is None or "error" in cpython:
            return f"CPython raised at {at}:\n{indent((cpython or {}).get('error', '?'))}"
        expected, source = cpython["value"], "CPython"
    expected, got = visible(check.output.kind, pyodide["value"], expected)
    diffs = differences(expected, got)
    if not diffs:
        return None
    shown_diffs = "\n".join(f"  {d}" for d in diffs[:5])
    more = f"\n  ... and {len(diffs) - 5} more" if len(diffs) > 5 else ""
    return f"Pyodide differs from {source} at {at}:\n{shown_diffs}{more}"


def differences(expected: Any, got: Any, path: str = "", scale: float = 0.0) -> list[str]:
    """Where ``got`` differs from ``expected``: labels and shapes at all, numbers beyond
    ``REL_TOL`` of the largest magnitude in their list (``scale``; see the module docstring)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        if expected.keys() != got.keys():
            return [f"{path or 'keys'}: {sorted(expected)} in the build, {sorted(got)} in Pyodide"]
        return [d for k in expected for d in differences(expected[k], got[k], f"{path}.{k}")]
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} items expected, {len(got)} in Pyodide"]
        scale = max((abs(v) for v in expected if _number(v)), default=0.0)
        return [
            d
            for i, (a, b) in enumerate(zip(expected, got, strict=True))
            for d in differences(a, b, f"{path}[{i}]", scale)
        ]
    if _number(expected) and _number(got):
        if math.isclose(expected, got, rel_tol=REL_TOL, abs_tol=REL_TOL * scale):
            return []
    elif expected == got:
        return []
    return [f"{path.lstrip('.')}: expected {expected!r}, Pyodide gave {got!r}"]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def where(check: Check, docs: Path) -> str:
    """``docs/page.md:LINE: kind "title" (page URL)``, the source when it can be found."""
    page, output = check.page, check.output
    name = f'{output.kind} "{output.title.strip()}" on page /{page.url}'
    source = find_source(docs, page.url, output)
    return f"{source}: {name}" if source else name


def find_source(docs: Path, url: str, output: Output) -> str | None:
    """The markdown file and line of ``output``'s directive, when the docs folder has it."""
    stem = url.removesuffix("/").removesuffix(".html")
    names = (
        [f"{stem}.md", f"{stem}/index.md", f"{stem}/README.md"]
        if stem
        else ["index.md", "README.md"]
    )
    for name in names:
        file = docs / name
        if not file.is_file():
            continue
        title = output.title.strip()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            head, _, argument = line.strip().partition("|")
            if head.strip() == f"/// {output.kind}" and argument.strip() == title:
                return f"{relative(file)}:{number}"
        return relative(file)
    return None


def relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
