"""``/// hist | TITLE``: a histogram, e.g. the logits of a batch or the errors of a rounding.

```
/// hist | rounding errors of int8
    compute: mylessons:errors
///
```

The compute function returns ``{"values": [...]}`` (or ``{"values": {name: [...]}}``: several
samples on the same bins), optionally ``"bins"`` (a count, default 10, or the bin edges),
``"xlabel"`` and ``"ylabel"``; the values are binned in Python as ``numpy.histogram`` bins them
(``lesson_plugins/results.py``), at build time and in the browser alike. Options: ``compute``
(required), ``precompute``, ``format`` of the counts in the table (default ``.4g``), ``x`` and
``y`` (``auto``, ``all`` or ``[low, high]``), ``xscale`` (``linear`` or ``log``), ``legend``.

The chart (``blocks/chart.py``) is decorative; its text alternative is a table of the bins and
their counts. ``assets/hist.js`` redraws it.
"""

from __future__ import annotations

from typing import Any

from .. import formats
from .chart import (
    AXIS_OPTIONS,
    SIZE,
    axis_options,
    build_axis,
    check_log,
    coord,
    frame,
    position,
    sub,
)
from .output import OutputBlock, values_table

EDGE_FORMAT = ".4g"  # the bin edges in the table


class HistBlock(OutputBlock):
    NAME = "hist"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        **OutputBlock.OPTIONS,
        **{k: v for k, v in AXIS_OPTIONS.items() if k != "yscale"},
        "format": (".4g", formats.number_format),
    }

    def browser_options(self) -> dict[str, Any]:
        return {"format": self.options["format"], "legend": self.options["legend"], **self.specs}

    def render(self, result: dict[str, Any]) -> None:
        o = {**self.options, "yscale": "linear"}
        self.options = o
        states = [result]
        if "all" in (o["x"], o["y"]):
            states = self.every_state(result, "x: all" if o["x"] == "all" else "y: all")
        elif o["xscale"] == "log":  # checked in every state there is
            states = self.every_state(result, None)
        edges = [e for s in states for e in s["edges"]]
        try:
            check_log(self, "x", edges)
        except ValueError as exc:
            raise self.page.error(f"hist: {exc}", self.line) from None
        counts = [0.0, *(c for s in states for cs in s["counts"].values() for c in cs)]
        self.specs = {
            "x": axis_options(self, "x", False, edges),
            "y": axis_options(self, "y", True, counts),
        }
        xa = build_axis(self.specs["x"], result["edges"])
        ya = build_axis(
            self.specs["y"], [0.0, *(c for cs in result["counts"].values() for c in cs)]
        )
        svg = frame(self.figure, xa, ya, result, list(result["counts"]), o["legend"])
        for attrs in bars(xa, ya, result):
            sub(svg, "rect", attrs)
        values_table(self, *table(result))


def bars(xa: dict, ya: dict, result: dict[str, Any]) -> list[dict[str, str]]:
    """The rectangles: each bin split among the samples, side by side, from the axis's foot."""
    edges, n = result["edges"], len(result["counts"])
    rects = []
    for i, counts in enumerate(result["counts"].values()):
        for j, count in enumerate(counts):
            a, b = position(xa, edges[j]), position(xa, edges[j + 1])
            width = (b - a) / n
            top = 1 - position(ya, count)
            rects.append(
                {
                    "class": f"ms-c{i % 6}",
                    "x": coord((a + width * i) * SIZE),
                    "y": coord(top * SIZE),
                    "width": coord(width * SIZE),
                    "height": coord((1 - top) * SIZE),
                }
            )
    return rects


def table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows: a bin (``low – high``) and its count in each sample."""
    edges, names = result["edges"], list(result["counts"])
    rows = [
        [
            f"{format(edges[j], EDGE_FORMAT)} – {format(edges[j + 1], EDGE_FORMAT)}",
            *(result["counts"][n][j] for n in names),
        ]
        for j in range(len(edges) - 1)
    ]
    return [result.get("xlabel") or "bin", *names], rows
