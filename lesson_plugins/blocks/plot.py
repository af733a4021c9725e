"""``/// plot | TITLE``: line plots, e.g. a student's distribution and a loss curve.

```
/// plot | the student while it fits
    compute: pycore.lessons.distillation:fit
    y: [0, 1]
///
```

The compute function returns ``{"x": [...], "series": {name: [...]}}`` and optionally
``"frames"`` (a list of ``{name: [...]}``, intermediate states the browser animates through before
``series``, e.g. a student while it trains; skipped under ``prefers-reduced-motion``, with a replay
button), ``"xlabel"`` and ``"ylabel"``.

Options: ``compute`` (required); ``precompute``; ``format`` of the numbers in the table of values
(default ``.4g``); ``y`` and ``x``: ``auto`` (each state's own range, the default), ``all`` (one
range over every state of the controls, so that two positions of a slider compare; needs the
output precomputed) or ``[low, high]``; ``yscale``/``xscale``: ``linear`` or ``log``; ``legend``:
``top`` (default), ``bottom``, ``right`` or ``none``; ``markers: true`` (a dot at every point);
``step: true`` (a step line: each value holds until the next x).

The chart (``blocks/chart.py``) is decorative (``aria-hidden``); the text alternative is a table
of every point, in a ``<details>`` under the chart, each cell with its exact value in
``data-value``. ``assets/plot.js`` redraws it.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .. import formats
from .base import boolean
from .chart import AXIS_OPTIONS, axis_options, build_axis, check_log, frame, sub, x_at, y_at
from .output import OutputBlock, values_table


def points(xa: dict, ya: dict, xs: list[float], ys: list[float], step: bool) -> str:
    """SVG polyline points of ``(xs, ys)``; a step line holds each y until the next x."""
    out: list[tuple[str, str]] = []
    for x, y in zip(xs, ys, strict=True):
        if step and out:
            out.append((x_at(xa, x), out[-1][1]))
        out.append((x_at(xa, x), y_at(ya, y)))
    return " ".join(f"{x},{y}" for x, y in out)


def dots(xa: dict, ya: dict, xs: list[float], ys: list[float]) -> str:
    """An SVG path of zero-length segments with round caps: a dot at each point."""
    return "".join(f"M{x_at(xa, x)} {y_at(ya, y)}h0" for x, y in zip(xs, ys, strict=True))


class PlotBlock(OutputBlock):
    NAME = "plot"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        **OutputBlock.OPTIONS,
        **AXIS_OPTIONS,
        "format": (".4g", formats.number_format),
        "markers": (False, boolean),
        "step": (False, boolean),
    }

    def browser_options(self) -> dict[str, Any]:
        keep = ("format", "legend", "markers", "step")
        return {**{k: self.options[k] for k in keep}, "x": self.xspec, "y": self.yspec}

    def render(self, result: dict[str, Any]) -> None:
        o = self.options
        if "all" in (o["x"], o["y"]):
            states = self.every_state(result, "x: all" if o["x"] == "all" else "y: all")
        elif "log" in (o["xscale"], o["yscale"]):  # checked in every state there is
            states = self.every_state(result, None)
        else:
            states = [result]
        every_x = [x for s in states for x in s["x"]]
        every_y = [y for s in states for y in ys_of(s)]
        try:
            check_log(self, "x", every_x)
            check_log(self, "y", every_y)
        except ValueError as exc:
            raise self.page.error(f"plot: {exc}", self.line) from None
        self.xspec = axis_options(self, "x", False, every_x)
        self.yspec = axis_options(self, "y", True, every_y)
        xa, ya = build_axis(self.xspec, result["x"]), build_axis(self.yspec, ys_of(result))
        svg = frame(self.figure, xa, ya, result, list(result["series"]), self.options["legend"])
        if result.get("frames"):
            self.figure.find("div").set("data-ms-frames", "")  # the browser offers a replay
        marks(svg, xa, ya, result["x"], result["series"], self.options)
        names = list(result["series"])
        rows = [list(r) for r in zip(result["x"], *result["series"].values(), strict=True)]
        values_table(self, [result.get("xlabel") or "x", *names], rows)


def ys_of(result: dict[str, Any]) -> list[float]:
    """Every y of a result, its frames' included (they are drawn on the same axes)."""
    return [
        y for f in [result["series"], *result.get("frames", [])] for ys in f.values() for y in ys
    ]


def marks(svg: etree.Element, xa: dict, ya: dict, xs: list, series: dict, options: dict) -> None:
    for i, ys in enumerate(series.values()):
        line = points(xa, ya, xs, ys, options["step"])
        sub(svg, "polyline", {"class": f"ms-line ms-c{i % 6}", "points": line})
        if options["markers"]:
            sub(svg, "path", {"class": f"ms-dots ms-c{i % 6}", "d": dots(xa, ya, xs, ys)})
