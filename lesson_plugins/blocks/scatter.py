"""``/// scatter | TITLE``: points, e.g. each token's teacher probability against the student's.

```
/// scatter | student against teacher
    compute: mylessons:agreement
    x: [0, 1]
    y: [0, 1]
///
```

The compute function returns ``{"series": {name: {"x": [...], "y": [...]}}}`` (or one set of
points, ``{"x": [...], "y": [...]}``) and optionally ``"xlabel"`` and ``"ylabel"``
(``lesson_plugins/results.py``). Options: ``compute`` (required), ``precompute``, ``format`` of
the table's numbers (default ``.4g``), and the axis options of ``plot``: ``x``, ``y`` (``auto``,
``all`` or ``[low, high]``), ``xscale``, ``yscale`` (``linear`` or ``log``), ``legend``.

The chart (``blocks/chart.py``) is decorative; its text alternative is a table of every point.
``assets/scatter.js`` redraws it.
"""

from __future__ import annotations

from typing import Any

from .. import formats
from .chart import AXIS_OPTIONS, axis_options, build_axis, check_log, frame, sub, x_at, y_at
from .output import OutputBlock, values_table


class ScatterBlock(OutputBlock):
    NAME = "scatter"
    OPTIONS = {**OutputBlock.OPTIONS, **AXIS_OPTIONS, "format": (".4g", formats.number_format)}  # noqa: RUF012

    def browser_options(self) -> dict[str, Any]:
        return {"format": self.options["format"], "legend": self.options["legend"], **self.specs}

    def render(self, result: dict[str, Any]) -> None:
        o = self.options
        states = [result]
        if "all" in (o["x"], o["y"]):
            states = self.every_state(result, "x: all" if o["x"] == "all" else "y: all")
        elif "log" in (o["xscale"], o["yscale"]):  # checked in every state there is
            states = self.every_state(result, None)
        self.specs = {}
        for name in ("x", "y"):
            every = [v for s in states for p in s["series"].values() for v in p[name]]
            try:
                check_log(self, name, every)
            except ValueError as exc:
                raise self.page.error(f"scatter: {exc}", self.line) from None
            self.specs[name] = axis_options(self, name, True, every)
        series = result["series"]
        xa = build_axis(self.specs["x"], [x for p in series.values() for x in p["x"]])
        ya = build_axis(self.specs["y"], [y for p in series.values() for y in p["y"]])
        svg = frame(self.figure, xa, ya, result, list(series), o["legend"])
        for i, p in enumerate(series.values()):
            d = "".join(
                f"M{x_at(xa, x)} {y_at(ya, y)}h0" for x, y in zip(p["x"], p["y"], strict=True)
            )
            sub(svg, "path", {"class": f"ms-dots ms-c{i % 6}", "d": d})
        values_table(self, *table(result))


def table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the points (a column of series names when there are several)."""
    series = result["series"]
    axes = [result.get("xlabel") or "x", result.get("ylabel") or "y"]
    many = len(series) > 1
    rows = [
        [*([name] if many else []), x, y]
        for name, p in series.items()
        for x, y in zip(p["x"], p["y"], strict=True)
    ]
    return (["series", *axes] if many else axes), rows
