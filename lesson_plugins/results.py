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
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

PLOT_KEYS = ("x", "series", "frames", "xlabel", "ylabel")


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
    for key in ("xlabel", "ylabel"):
        if value.get(key) is not None:
            if not isinstance(value[key], str):
                raise ResultError(f"{key} must be text, got {_short(value[key])}")
            result[key] = value[key]
    return result


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
    if kind == "plot":
        return plot(value)
    return labelled(value, kind, non_negative=kind == "bars")


def to_json(kind: str, value: Any) -> str:
    """:func:`normalize`, as JSON text (the worker's reply); floats keep their exact value."""
    return json.dumps(normalize(kind, value), allow_nan=False, separators=(",", ":"))


def _short(value: Any) -> str:
    text = repr(value)
    kind = type(value).__name__
    return f"{kind} {text}" if len(text) <= 60 else f"a {kind} ({text[:50]}…)"
