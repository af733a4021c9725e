"""What a compute function may return, checked the same way at build time and in the browser.

The plugin calls a lesson's compute function under CPython while building, and the Pyodide
worker calls it in the reader's browser. Both pass the result through :func:`normalize`, so a
result of the wrong shape gets the same message in both places. This file is shipped into the site
as it is, and must import nothing but the standard library.

Normalized results are plain JSON: lists of floats and strings.

- ``bars``: a mapping ``label -> value`` (or a list of ``(label, value)`` pairs), values >= 0
  -> ``{"labels": [...], "values": [...]}``
- ``readout``: a mapping ``name -> number`` -> ``{"labels": [...], "values": [...]}``
- ``plot``: ``{"x": [...], "series": {name: [...]}}`` with optional ``"frames"`` (a list of
  ``{name: [...]}``, intermediate states to animate through before ``series``), ``"xlabel"`` and
  ``"ylabel"`` -> the same dict with floats.
- ``scatter``: ``{"series": {name: {"x": [...], "y": [...]}}}`` (or one set of points,
  ``{"x": [...], "y": [...]}``, named ``points``), optional ``"xlabel"``, ``"ylabel"``
  -> ``{"series": {name: {"x": [...], "y": [...]}}, ...}``.
- ``hist``: ``{"values": [...]}`` (one sample, named ``count``; or ``{name: [...]}`` for several
  on the same bins), optional ``"bins"`` (a count, default 10, or the increasing bin edges),
  ``"xlabel"``, ``"ylabel"`` -> ``{"edges": [...], "counts": {name: [...]}, ...}``, binned as
  ``numpy.histogram`` does (equal bins over the range of the values; each bin holds its left edge,
  the last also its right one).
- ``heatmap``: ``{"z": [[...], ...]}`` (a matrix: a list of rows, or a 2-d array), optional
  ``"rows"`` and ``"cols"`` (labels; default 0, 1, ...), ``"xlabel"``, ``"ylabel"``
  -> the same with floats and labels.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
from collections.abc import Mapping
from typing import Any

PLOT_KEYS = ("x", "series", "frames", "xlabel", "ylabel")
LABELS = ("xlabel", "ylabel")


class ResultError(ValueError):
    """A compute function returned something its output cannot show."""


def number(value: Any, where: str) -> float:
    """``value`` as a finite float (numpy scalars welcome; text and booleans are not numbers)."""
    if isinstance(value, str | bytes | bool) or value is None:
        raise ResultError(f"{where} is {value!r}, not a number")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise ResultError(f"{where} is {_short(value)}, not a number") from None
    if not math.isfinite(result):
        raise ResultError(f"{where} is {result}, not a finite number")
    return result


def numbers(values: Any, where: str) -> list[float]:
    """A sequence (list, tuple, 1-d array) of finite numbers as floats."""
    if isinstance(values, str | bytes | Mapping) or not hasattr(values, "__iter__"):
        raise ResultError(f"{where} is {_short(values)}, not a list of numbers")
    return [number(v, f"{where}[{i}]") for i, v in enumerate(values)]


def labelled(value: Any, kind: str, *, non_negative: bool = False) -> dict[str, list]:
    """A mapping ``label -> number`` or a list of ``(label, number)`` pairs, in order."""
    if type(value) is dict and value:  # the usual result, checked in bulk (same outcome, faster)
        labels, values = list(value), list(value.values())
        if (
            all(type(label) is str for label in labels)
            and all(type(v) is float for v in values)
            and all(map(math.isfinite, values))
            and not (non_negative and min(values) < 0)
        ):
            return {"labels": labels, "values": values}
    expected = f"{kind} need a mapping label -> number or a list of (label, number) pairs"
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, list | tuple):
        pairs = list(value)
        for i, pair in enumerate(pairs):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ResultError(
                    f"item {i} is {_short(pair)}, not a (label, number) pair; {expected}"
                )
    else:
        raise ResultError(f"got {_short(value)}; {expected}")
    if not pairs:
        raise ResultError(f"got nothing to show; {expected}")
    labels, values = [], []
    for label, raw in pairs:
        if not isinstance(label, str | int) or isinstance(label, bool):
            raise ResultError(f"label {label!r} is not text; {expected}")
        label = str(label)
        if label in labels:
            raise ResultError(f"label {label!r} appears twice; labels must be unique")
        v = number(raw, f"the value of {label!r}")
        if non_negative and v < 0:
            raise ResultError(f"the value of {label!r} is {v!r}; bars show amounts >= 0")
        labels.append(label)
        values.append(v)
    return {"labels": labels, "values": values}


def plot(value: Any) -> dict[str, Any]:
    """A plot result: x values, named series of the same length, optional frames and labels."""
    if not isinstance(value, Mapping) or "x" not in value or "series" not in value:
        raise ResultError(
            f"got {_short(value)}; plot needs a mapping with 'x' (a list of numbers) and 'series' "
            "(a mapping name -> list of numbers)"
        )
    unknown = sorted(set(value) - set(PLOT_KEYS))
    if unknown:
        raise ResultError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; known: {', '.join(PLOT_KEYS)}"
        )
    x = numbers(value["x"], "x")
    if len(x) < 2:
        raise ResultError(f"x has {len(x)} value(s); a plot needs at least 2")
    result: dict[str, Any] = {"x": x, "series": _series(value["series"], x, "series")}
    if value.get("frames") is not None:
        frames = value["frames"]
        if isinstance(frames, str | Mapping) or not isinstance(frames, list | tuple):
            raise ResultError("frames must be a list of mappings name -> list of numbers")
        result["frames"] = [_series(f, x, f"frames[{i}]") for i, f in enumerate(frames)]
        for i, frame in enumerate(result["frames"]):
            if set(frame) != set(result["series"]):
                raise ResultError(f"frames[{i}] must have the same names as series")
    return _labels(value, result)


def _labels(value: Mapping, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with the axis labels of ``value``, when it has them."""
    for key in LABELS:
        if value.get(key) is not None:
            if not isinstance(value[key], str):
                raise ResultError(f"{key} must be text, got {_short(value[key])}")
            result[key] = value[key]
    return result


def _mapping(value: Any, kind: str, keys: tuple[str, ...], needs: str) -> Mapping:
    """``value`` as a mapping with nothing but ``keys``, or a ResultError saying what is needed."""
    if not isinstance(value, Mapping):
        raise ResultError(f"got {_short(value)}; {kind} needs a mapping with {needs}")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise ResultError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; known: {', '.join(keys)}"
        )
    return value


def scatter(value: Any) -> dict[str, Any]:
    """Named sets of points, each with ``x`` and ``y`` of the same length."""
    needs = "'series' (name -> {'x': [...], 'y': [...]}) or 'x' and 'y' (lists of numbers)"
    value = _mapping(value, "scatter", ("series", "x", "y", *LABELS), needs)
    if "series" in value:
        raw = value["series"]
        if not isinstance(raw, Mapping) or not raw:
            raise ResultError("series must be a non-empty mapping name -> {'x': [...], 'y': [...]}")
    elif "x" in value and "y" in value:
        raw = {"points": {"x": value["x"], "y": value["y"]}}
    else:
        raise ResultError(f"scatter needs {needs}")
    series = {}
    for name, points in raw.items():
        if not isinstance(points, Mapping) or set(points) != {"x", "y"}:
            raise ResultError(f"series[{name!r}] must be a mapping with 'x' and 'y'")
        x = numbers(points["x"], f"series[{name!r}]['x']")
        y = numbers(points["y"], f"series[{name!r}]['y']")
        if len(x) != len(y) or not x:
            raise ResultError(f"series[{name!r}] has {len(x)} x and {len(y)} y; give as many, > 0")
        series[str(name)] = {"x": x, "y": y}
    return _labels(value, {"series": series})


def hist(value: Any) -> dict[str, Any]:
    """Samples binned as ``numpy.histogram`` bins them."""
    value = _mapping(value, "hist", ("values", "bins", *LABELS), "'values' (a list of numbers)")
    if "values" not in value:
        raise ResultError("hist needs 'values': a list of numbers, or a mapping name -> list")
    raw = value["values"] if isinstance(value["values"], Mapping) else {"count": value["values"]}
    samples = {str(name): numbers(v, f"values[{name!r}]") for name, v in raw.items()}
    every = [v for vs in samples.values() for v in vs]
    if not every:
        raise ResultError("hist got no values to count")
    bins = value.get("bins", 10)
    if isinstance(bins, int) and not isinstance(bins, bool):
        if not 1 <= bins <= 200:
            raise ResultError(f"bins is {bins}; give a count from 1 to 200, or the bin edges")
        lo, hi = min(every), max(every)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = [lo + i * ((hi - lo) / bins) for i in range(bins)] + [hi]
    else:
        edges = numbers(bins, "bins")
        if len(edges) < 2 or any(b <= a for a, b in itertools.pairwise(edges)):
            raise ResultError("bins must be a count or at least 2 increasing edges")
    counts = {name: _count(vs, edges) for name, vs in samples.items()}
    return _labels(value, {"edges": edges, "counts": counts})


def _count(values: list[float], edges: list[float]) -> list[float]:
    """How many of ``values`` fall in each bin (left edge in, the last bin's right edge too)."""
    n = len(edges) - 1
    counts = [0.0] * n
    for v in values:
        if v < edges[0] or v > edges[-1]:
            continue
        i = min(n - 1, bisect.bisect_right(edges, v) - 1)
        counts[i] += 1
    return counts


def heatmap(value: Any) -> dict[str, Any]:
    """A matrix of numbers with row and column labels."""
    value = _mapping(
        value, "heatmap", ("z", "rows", "cols", *LABELS), "'z' (a matrix: a list of rows)"
    )
    if "z" not in value:
        raise ResultError("heatmap needs 'z': a matrix (a list of rows of numbers)")
    if isinstance(value["z"], str | bytes | Mapping) or not hasattr(value["z"], "__iter__"):
        raise ResultError(f"z is {_short(value['z'])}, not a list of rows")
    z = [numbers(row, f"z[{i}]") for i, row in enumerate(value["z"])]
    if not z or not z[0] or any(len(row) != len(z[0]) for row in z):
        raise ResultError("z must have at least one row, every row as long as the first (> 0)")
    result = {"z": z}
    for key, count in (("rows", len(z)), ("cols", len(z[0]))):
        labels = value.get(key)
        if labels is None:
            result[key] = [str(i) for i in range(count)]
            continue
        if isinstance(labels, str | bytes | Mapping) or not hasattr(labels, "__iter__"):
            raise ResultError(f"{key} must be a list of labels, got {_short(labels)}")
        result[key] = [str(label) for label in labels]
        if len(result[key]) != count:
            raise ResultError(f"{key} has {len(result[key])} labels for {count} {key} of z")
    return _labels(value, result)


def _series(value: Any, x: list[float], where: str) -> dict[str, list[float]]:
    if not isinstance(value, Mapping) or not value:
        raise ResultError(f"{where} must be a non-empty mapping name -> list of numbers")
    series = {}
    for name, ys in value.items():
        ys = numbers(ys, f"{where}[{name!r}]")
        if len(ys) != len(x):
            raise ResultError(f"{where}[{name!r}] has {len(ys)} values but x has {len(x)}")
        series[str(name)] = ys
    return series


def normalize(kind: str, value: Any) -> dict[str, Any]:
    """Check ``value`` for an output of ``kind`` and return it as plain JSON data."""
    if kind in SHAPES:
        return SHAPES[kind](value)
    return labelled(value, kind, non_negative=kind == "bars")


SHAPES = {"plot": plot, "scatter": scatter, "hist": hist, "heatmap": heatmap}


def arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of a compute call, of the same types in both runtimes.

    A slider's value is always a float: the browser sends ``2.0`` as the JSON number ``2``, which
    Python would read as an int (and ``f"k={k}"`` would say ``k=2`` in the browser, ``k=2.0`` in
    the built page). A choice's value stays a str.
    """
    return {name: float(v) if type(v) is int else v for name, v in values.items()}


def to_json(kind: str, value: Any) -> str:
    """:func:`normalize`, as JSON text (the worker's reply); floats keep their exact value."""
    return json.dumps(normalize(kind, value), allow_nan=False, separators=(",", ":"))


def _short(value: Any) -> str:
    text = repr(value)
    kind = type(value).__name__
    return f"{kind} {text}" if len(text) <= 60 else f"a {kind} ({text[:50]}…)"
