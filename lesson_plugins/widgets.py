"""Finishing a page: bind outputs to controls, prerender, precompute, embed the browser's data.

Runs once per page, after the markdown is parsed (a tree processor of ``LessonsExtension``), so
controls may come before or after the outputs they drive. For each output:

1. bind: each parameter of the compute function takes the same-named slider or choice of the page
   (a parameter with a default may have none);
2. prerender: call the function at the controls' values and write the result as static HTML;
3. precompute: when the bound controls have at most ``precompute_limit`` combined states, call it
   at every state, so the browser answers exactly, without Python (unless the table would add
   more than :data:`PRECOMPUTE_BYTES` to the page's data file, ``pagedata.py``, which the browser
   fetches once the page has loaded: then the output stays live);
4. embed the data ``assets/widgets.js`` needs as JSON in a ``<template class="ms-data">`` (not a
   ``<script>``: Material's ``navigation.instant`` re-creates the scripts of a page it swaps in
   without their ``type`` and runs them); once the page is built, its states move to the page's
   data file (``pagedata.py``);
5. give a live output (not precomputed) its ``<p class="ms-status">``, where the browser says
   whether Python is loading, ready or failed; a precomputed output needs Python only if its
   page's data file cannot be fetched (``assets/widgets.js`` then adds the paragraph itself), so
   it gets no empty one.

A control that no output takes is an error too: it is usually a misspelled parameter name.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import ondemand
from .blocks.base import suggest
from .blocks.output import NOT_SEARCHED, OutputBlock
from .blocks.parameter import Parameter
from .causes import author_frames, whole_number_hint
from .context import PageContext
from .results import ResultError, arguments, normalize

PRECOMPUTE_BYTES = 200_000  # the most a precomputed table may add to a page's data file
log = logging.getLogger("mkdocs.plugins.lessons")


def finish(page: PageContext, precompute_limit: int) -> None:
    """Fill every output of ``page`` (see the module docstring); errors name the output's line."""
    parameters = {p.name: p for p in page.items.get("parameter", [])}
    used: set[str] = set()
    for output in page.items.get("output", []):
        used.update(finish_output(page, output, parameters, precompute_limit))
    for parameter in parameters.values():
        if parameter.name not in used:
            taken = sorted({n for o in page.items.get("output", []) for n, _ in o.parameters})
            free = sorted({n for o in page.items.get("output", []) for n, d in o.parameters if d})
            hint = suggest(parameter.name, set(free) - used) or suggest(parameter.name, taken)
            raise page.error(
                f"{parameter.kind}: no output on this page takes a parameter named "
                f"{parameter.name!r}{hint} (their compute functions take: "
                f"{', '.join(taken) or 'none'}); rename the control or the function's parameter",
                parameter.line,
            )


def bind(page: PageContext, output: OutputBlock, parameters: dict[str, Parameter]) -> list[str]:
    """The names of the page's controls that ``output``'s function takes, in signature order."""
    bound = []
    for name, has_default in output.parameters:
        if name in parameters:
            bound.append(name)
        elif not has_default:
            known = ", ".join(sorted(parameters)) or "none"
            raise page.error(
                f"{output.NAME}: parameter {name!r} of {output.options['compute']} has no slider "
                f"or choice on this page (controls here: {known}); add '/// slider | {name}' or "
                "give the parameter a default",
                output.line,
            )
    return bound


@dataclass(frozen=True)
class Call:
    """One output's computation: ``spec`` at the controls' values, and at every state of
    ``grid``."""

    spec: str  # module:function
    kind: str  # the output's directive: bars, readout, plot
    names: list[str]  # the bound parameters, in signature order
    default: tuple  # their values on the page
    grid: list[list[Any]] | None  # the states of each, when precomputing

    def run(self, function: Callable[..., Any]) -> tuple[dict, str | None]:
        """The result at ``default`` and the JSON table of every state; raises CallError."""
        if self.grid is None:
            return self.evaluate(function, self.default), None
        states = [self.evaluate(function, s) for s in itertools.product(*self.grid)]
        position = [g.index(v) for g, v in zip(self.grid, self.default, strict=True)]
        return states[index(position, [len(g) for g in self.grid])], dumps(compact(states))

    def evaluate(self, function: Callable[..., Any], state: tuple) -> dict:
        """``function`` at ``state``, normalized (``lesson_plugins/results.py``)."""
        args = arguments(dict(zip(self.names, state, strict=True)))  # as the worker passes them
        try:
            value = function(**args)
        except Exception as exc:
            hint = whole_number_hint(exc, args)
            raise CallError(f"{self._call(args)} raised {type(exc).__name__}: {exc}{hint}") from exc
        try:
            return normalize(self.kind, value)
        except ResultError as exc:
            raise CallError(f"{self._call(args)} returned a wrong result: {exc}") from None

    def _call(self, args: dict[str, Any]) -> str:
        """The call as an author writes it, e.g. ``bars: mod:teacher(T=2)``."""
        return f"{self.kind}: {self.spec}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


class CallError(Exception):
    """A compute function raised, or returned what its output cannot show."""


def finish_output(
    page: PageContext, output: OutputBlock, parameters: dict[str, Parameter], limit: int
) -> list[str]:
    """Prerender (and maybe precompute) one output; returns the names of its controls."""
    names = bind(page, output, parameters)
    controls = [parameters[name] for name in names]
    count = math.prod(p.count for p in controls)
    default = tuple(p.value for p in controls)
    precompute = output.options["precompute"] and 0 < count <= limit
    domains = [p.domain for p in controls] if precompute else None
    # The same call gives the same numbers as long as the shipped sources are the same: other
    # pages, `mkdocs serve` rebuilds and later builds reuse it (lesson_plugins/cache.py).
    cache = page.site.cache
    key = cache.key(output.options["compute"], output.NAME, names, default, domains)
    computed = cache.get(key)
    if computed is None:
        grid = [p.states() for p in controls] if precompute else None
        call = Call(output.options["compute"], output.NAME, names, default, grid)
        try:
            computed = call.run(output.function)
        except CallError as exc:
            cause, site = exc.__cause__, page.site
            frames = author_frames(cause, site.sources, site.config_dir) if cause else ""
            raise page.error(f"{exc}{frames}", output.line) from cause
        cache.put(key, computed)
    fill(page, output, names, count, computed)
    return names


def fill(
    page: PageContext,
    output: OutputBlock,
    names: list[str],
    count: int,
    computed: tuple[dict, str | None],
) -> None:
    """Write a computation into ``output``'s figure: the static HTML, then the browser's data."""
    result, table = computed
    output.states = table  # "y: all" ranges over every state
    output.render(result)
    ondemand.defer(output.figure, page.site.strings)
    if table and len(table) > PRECOMPUTE_BYTES:
        log.info(
            f"{page.src_path}:{output.line}: {output.NAME}: {count} states would add "
            f"{len(table) // 1000} kB to the page's data file; computing it live instead"
        )
        table = None
    if not table:  # only a live output has something to say: Python's state, its failures
        etree.SubElement(output.figure, "p", {"class": "ms-status"})
    data = {
        "fn": output.options["compute"],
        "kind": output.NAME,
        "params": names,
        "options": output.browser_options(),
        "states": None,  # last: the table's JSON, made once, goes in its place
    }
    text = dumps(data)
    if table:
        text = text.removesuffix("null}") + table + "}"
    etree.SubElement(output.figure, "template", {"class": "ms-data", **NOT_SEARCHED}).text = text


def index(positions: list[int], counts: list[int]) -> int:
    """The row-major index of a combination of control positions (the browser does the same)."""
    result = 0
    for position, count in zip(positions, counts, strict=True):
        result = result * count + position
    return result


def compact(states: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"common": {...}, "each": [...]}``: keys equal in every state are written once."""
    first = states[0]
    common = {k: v for k, v in first.items() if all(s.get(k, ...) == v for s in states)}
    return {
        "common": common,
        "each": [{k: v for k, v in s.items() if k not in common} for s in states],
    }


def dumps(data: Any) -> str:
    """Compact JSON (``</`` written ``<\\/``); floats keep their shortest exact repr."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).replace(
        "</", "<\\/"
    )
