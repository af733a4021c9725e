"""Axes shared by ``plot``, ``scatter`` and ``hist``: ranges, nice ticks, positions, the frame.

A chart is HTML around an SVG that holds only the marks (lines, dots, bars)::

    <div class="ms-chart" data-legend="top" aria-hidden="true">
      <ul class="ms-legend"><li class="ms-c0">teacher</li>...</ul>   (unless legend: none)
      <p class="ms-ylabel">probability</p>
      <div class="ms-frame" style="--ch:4">
        <div class="ms-area"><svg viewBox="0 0 1000 1000" preserveAspectRatio="none">...</svg></div>
        <span class="ms-ytick" style="--p:250">0.25</span>...
        <span class="ms-xtick" style="--p:500">2.5</span>...
      </div>
      <p class="ms-xlabel">T</p>
    </div>

The SVG stretches to the plot area (strokes keep their width: ``vector-effect``); tick labels and
axis labels are HTML outside it, placed by their position ``--p`` (0 to 1000 along the axis, as in
the SVG), so their text keeps its CSS size on a phone instead of shrinking with the drawing. The
frame's padding makes room for the labels (``--ch``: the widest y label, in characters), which it
places itself: no element per axis.

``assets/chart.js`` builds the same markup for a live redraw, with the same arithmetic (integer
tick counts, decimal powers of ten from text, coordinates rounded by :func:`coord`); the browser
tests redraw every chart kind and compare its markup with the build's. The block's choices
(ranges, log axes, legend...) reach the browser as data (:func:`axis_options`).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from typing import Any

from .base import number, string

SIZE = 1000  # the SVG's user units across and down the plot area
TICKS = 5  # about how many intervals an axis is divided into
LEGENDS = ("top", "bottom", "right", "none")
MULTIPLES = {0: (2, 3, 5), 1: (2, 3, 5), 2: (2, 5)}  # log ticks between powers of ten


def exponent(x: float) -> int:
    """The decimal exponent of ``x`` (``floor(log10(|x|))``, read from exact text, not ``log``)."""
    return int(f"{abs(x):.16e}".split("e")[1])


def power(e: int) -> float:
    """``10 ** e`` as the float nearest the decimal (as the browser reads ``1e-3``)."""
    return float(f"1e{e}")


def coord(x: float) -> str:
    """A coordinate with one decimal, written the same way by the browser."""
    return repr(math.floor(x * 10 + 0.5) / 10).removesuffix(".0")


def extent(values: Sequence[float], log: bool, from_zero: bool) -> tuple[float, float]:
    """The range to show ``values`` in, never empty; ``from_zero``: from 0 for positive values
    reaching near it (a y axis)."""
    low, high = min(values), max(values)
    if log:
        return (low / 2, high * 2) if low == high else (low, high)
    if from_zero and 0 < low < high / 2:
        low = 0.0
    if low == high:
        pad = abs(low) * 0.1 or 0.5
        return low - pad, high + pad
    return low, high


def axis(values: Sequence[float], fixed: Sequence[float] | None, log: bool, extend: bool) -> dict:
    """An axis over ``values`` (or the ``fixed`` range): ``{lo, hi, log, ticks, format}``.

    ``extend`` widens a range taken from the values out to the nearest ticks.
    """
    lo, hi = fixed if fixed else extent(values, log, extend)
    extend = extend and not fixed
    if log:
        e0, e1 = exponent(lo), exponent(hi)
        e1 += power(e1) < hi
        if extend:
            lo, hi = power(e0), power(e1)
        every = max(1, math.ceil((e1 - e0) / TICKS))
        ticks = [power(e) for e in range(e0, e1 + 1, every)]
        if e1 - e0 <= 2:  # few decades: 2 and 5 times each power too (and 3 within one)
            ticks += [m * power(e) for e in range(e0, e1) for m in MULTIPLES[e1 - e0]]
        ticks = sorted(t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9))
        if len(ticks) < 2:  # a narrow range: evenly spaced ticks, placed on the log scale
            return {**axis(values, [lo, hi], False, False), "log": True}
        return {"lo": lo, "hi": hi, "log": True, "ticks": ticks, "format": "g"}
    raw = (hi - lo) / TICKS
    base = power(exponent(raw))
    step = next(m * base for m in (1, 2, 5, 10) if m * base >= raw)
    if extend:
        lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    ticks = [k * step for k in range(first, last + 1)]
    places = max(0, -exponent(step))
    small = places <= 6 and max(abs(lo), abs(hi)) < 1e6
    return {
        "lo": lo,
        "hi": hi,
        "log": False,
        "ticks": ticks,
        "format": f".{places}f" if small else ".3g",
    }


def position(a: dict, value: float) -> float:
    """Where ``value`` lies along axis ``a``: 0 at ``lo``, 1 at ``hi``."""
    if a["log"]:
        return math.log(value / a["lo"]) / math.log(a["hi"] / a["lo"])
    return (value - a["lo"]) / (a["hi"] - a["lo"])


def x_at(a: dict, value: float) -> str:
    return coord(position(a, value) * SIZE)


def y_at(a: dict, value: float) -> str:
    return coord((1 - position(a, value)) * SIZE)


# Options ----------------------------------------------------------------------------------------


def range_option(value: Any) -> str | list[float]:
    """``auto`` (each state's own), ``all`` (one range over every state) or ``[low, high]``."""
    if isinstance(value, str) and value.strip().lower() in ("auto", "all"):
        return value.strip().lower()
    if isinstance(value, list) and len(value) == 2:
        low, high = (number(v) for v in value)
        if low < high:
            return [low, high]
    raise ValueError(f"expected auto, all or [low, high] with low < high, got {value!r}")


def scale_option(value: Any) -> str:
    text = string(value).lower()
    if text not in ("linear", "log"):
        raise ValueError(f"expected linear or log, got {value!r}")
    return text


def legend_option(value: Any) -> str:
    text = string(value).lower()
    if text not in LEGENDS:
        raise ValueError(f"expected one of {', '.join(LEGENDS)}, got {value!r}")
    return text


#: The options every axis chart takes (``plot``, ``scatter``, ``hist``).
AXIS_OPTIONS: dict[str, tuple[Any, Any]] = {
    "x": ("auto", range_option),
    "y": ("auto", range_option),
    "xscale": ("linear", scale_option),
    "yscale": ("linear", scale_option),
    "legend": ("top", legend_option),
}


def check_log(block: Any, name: str, values: Sequence[float]) -> None:
    """A log axis needs values > 0; otherwise the result cannot be drawn (ValueError)."""
    if block.options[f"{name}scale"] == "log":
        bad = [v for v in values if v <= 0]
        if bad:
            raise ValueError(f"{name}scale: log needs values > 0, got {bad[0]!r}")


# Markup -----------------------------------------------------------------------------------------


def sub(parent: etree.Element, tag: str, attrs: dict[str, str] | None = None, text: str = ""):
    element = etree.SubElement(parent, tag, attrs or {})
    if text:
        element.text = text
    return element


def frame(
    parent: etree.Element,
    xa: dict,
    ya: dict,
    result: dict[str, Any],
    names: Sequence[str],
    legend: str,
) -> etree.Element:
    """The chart's HTML (see the module docstring); returns the SVG, for the marks."""
    chart = sub(parent, "div", {"class": "ms-chart", "data-legend": legend, "aria-hidden": "true"})
    if legend != "none":
        items = sub(chart, "ul", {"class": "ms-legend"})
        for i, name in enumerate(names):
            sub(items, "li", {"class": f"ms-c{i % 6}"}, name)  # its swatch: CSS, li::before
    if result.get("ylabel"):
        sub(chart, "p", {"class": "ms-ylabel"}, result["ylabel"])
    ylabels = [format(t, ya["format"]) for t in ya["ticks"]]
    width = max(map(len, ylabels), default=1)
    box = sub(chart, "div", {"class": "ms-frame", "style": f"--ch:{width}"})
    area = sub(box, "div", {"class": "ms-area"})
    svg = sub(
        area,
        "svg",
        {"viewBox": f"0 0 {SIZE} {SIZE}", "preserveAspectRatio": "none", "class": "ms-svg"},
    )
    grid = "".join(f"M0 {y_at(ya, t)}H{SIZE}" for t in ya["ticks"])
    sub(svg, "path", {"class": "ms-grid", "d": grid or "M0 0"})
    for t, label in zip(ya["ticks"], ylabels, strict=True):
        sub(box, "span", {"class": "ms-ytick", "style": f"--p:{x_at(ya, t)}"}, label)
    for t in xa["ticks"]:
        label = format(t, xa["format"])
        sub(box, "span", {"class": "ms-xtick", "style": f"--p:{x_at(xa, t)}"}, label)
    if result.get("xlabel"):
        sub(chart, "p", {"class": "ms-xlabel"}, result["xlabel"])
    return svg


def axis_options(block: Any, name: str, extend: bool, over: list[float] | None) -> dict:
    """The browser's description of axis ``name`` (``x`` or ``y``): the fixed range if any."""
    choice = block.options[name]
    fixed = choice if isinstance(choice, list) else None
    log = block.options[f"{name}scale"] == "log"
    if choice == "all" and over:
        whole = axis(over, None, log, extend)
        fixed = [whole["lo"], whole["hi"]]
    return {"fixed": fixed, "log": log, "extend": extend}


def build_axis(spec: dict, values: Sequence[float]) -> dict:
    return axis(values, spec["fixed"], spec["log"], spec["extend"])
