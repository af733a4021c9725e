"""``/// plot | TITLE``: line plots in inline SVG, e.g. a student's distribution and a loss curve.

```
/// plot | the student while it fits
    compute: pycore.lessons.distillation:fit
///
```

The compute function returns ``{"x": [...], "series": {name: [...]}}`` and optionally
``"frames"`` (a list of ``{name: [...]}``, intermediate states the browser animates through before
``series``, e.g. a student while it trains; skipped under ``prefers-reduced-motion``, with a replay
button), ``"xlabel"`` and ``"ylabel"``. Options: ``compute`` (required), ``format`` of the numbers
in the table of values (default ``.4g``), ``precompute``.

The SVG is decorative (``aria-hidden``); the text alternative is a table of every point, in a
``<details>`` under the chart, each cell with its exact value in ``data-value``.
The drawing is mirrored by ``assets/plot.js``: keep the geometry below and there in step.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .. import formats
from .output import NOT_SEARCHED, OutputBlock, header_row

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 280, 56, 12, 12, 40


def extent(values: list[float]) -> tuple[float, float]:
    """The range to draw ``values`` in: from 0 for positive values reaching near it, never empty."""
    low, high = min(values), max(values)
    if 0 < low < high / 2:
        low = 0.0
    if low == high:
        pad = abs(low) * 0.1 or 0.5
        return low - pad, high + pad
    return low, high


def points(xs: list[float], ys: list[float], xr: tuple, yr: tuple) -> str:
    """SVG polyline points of ``(xs, ys)`` in the plot area."""
    sx = (WIDTH - LEFT - RIGHT) / (xr[1] - xr[0])
    sy = (HEIGHT - TOP - BOTTOM) / (yr[1] - yr[0])
    return " ".join(
        f"{LEFT + (x - xr[0]) * sx:.1f},{HEIGHT - BOTTOM - (y - yr[0]) * sy:.1f}"
        for x, y in zip(xs, ys, strict=True)
    )


class PlotBlock(OutputBlock):
    NAME = "plot"
    OPTIONS = {**OutputBlock.OPTIONS, "format": (".4g", formats.number_format)}  # noqa: RUF012

    def browser_options(self) -> dict[str, Any]:
        return {"format": self.options["format"]}

    def render(self, result: dict[str, Any]) -> None:
        svg = etree.SubElement(
            self.figure,
            "svg",
            {"class": "ms-svg", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "aria-hidden": "true"},
        )
        xr = extent(result["x"])
        every = [
            y
            for s in [result["series"], *result.get("frames", [])]
            for ys in s.values()
            for y in ys
        ]
        yr = extent(every)
        if result.get("frames"):
            svg.set("data-ms-frames", "")  # the browser offers to replay them
        self.axes(svg, xr, yr, result)
        for i, ys in enumerate(result["series"].values()):
            etree.SubElement(
                svg,
                "polyline",
                {"class": f"ms-line ms-c{i % 6}", "points": points(result["x"], ys, xr, yr)},
            )
        legend = etree.SubElement(self.figure, "ul", {"class": "ms-legend"})
        for i, name in enumerate(result["series"]):
            item = etree.SubElement(legend, "li")
            etree.SubElement(item, "span", {"class": f"ms-swatch ms-c{i % 6}"})
            etree.SubElement(item, "span").text = name
        self.table(result)

    def axes(self, svg: etree.Element, xr: tuple, yr: tuple, result: dict[str, Any]) -> None:
        bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
        etree.SubElement(svg, "path", {"class": "ms-axis", "d": f"M{LEFT} {TOP}V{bottom}H{right}"})
        labels = [
            (LEFT, bottom + 16, "start", xr[0]),
            (right, bottom + 16, "end", xr[1]),
            (LEFT - 6, bottom, "end", yr[0]),
            (LEFT - 6, TOP + 10, "end", yr[1]),
        ]
        for x, y, anchor, value in labels:
            text = etree.SubElement(svg, "text", {"x": str(x), "y": str(y), "text-anchor": anchor})
            text.text = format(value, ".3g")
        if result.get("xlabel"):
            text = etree.SubElement(
                svg,
                "text",
                {"x": str((LEFT + right) // 2), "y": str(HEIGHT - 4), "text-anchor": "middle"},
            )
            text.text = result["xlabel"]
        if result.get("ylabel"):
            text = etree.SubElement(svg, "text", {"x": str(LEFT + 6), "y": str(TOP + 10)})
            text.text = result["ylabel"]

    def table(self, result: dict[str, Any]) -> None:
        strings = self.page.site.strings
        details = etree.SubElement(self.figure, "details", {"class": "ms-values", **NOT_SEARCHED})
        etree.SubElement(details, "summary").text = strings["plot_table"]
        table = etree.SubElement(details, "table", {"class": "ms-table"})
        header_row(table, [result.get("xlabel") or "x", *result["series"]])
        body = etree.SubElement(table, "tbody")
        columns = [result["x"], *result["series"].values()]
        for row_values in zip(*columns, strict=True):
            row = etree.SubElement(body, "tr")
            for value in row_values:
                cell = etree.SubElement(row, "td", {"data-value": repr(value)})
                cell.text = format(value, self.options["format"])
