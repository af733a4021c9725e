"""``/// heatmap | TITLE``: a matrix in colour, e.g. attention weights or a confusion matrix.

```
/// heatmap | the teacher's probabilities across temperatures
    compute: pycore.lessons.distillation:temperature_grid
    range: [0, 1]
///
```

The compute function returns ``{"z": [[...], ...]}`` (a list of rows, or a 2-d array) and
optionally ``"rows"`` and ``"cols"`` (labels), ``"xlabel"`` (what the columns are) and ``"ylabel"``
(what the rows are); see ``lesson_plugins/results.py``. Options: ``compute`` (required),
``precompute``, ``format`` of the numbers (default ``.2f``), ``range``: ``auto`` (the matrix's
own, the default), ``all`` (one range over every state, so that colours compare between two
positions of a slider) or ``[low, high]``; ``values: false`` to leave the numbers out of the cells.

The colour scale is viridis in :data:`STEPS` classes (``.ms-h0`` ... in ``widgets.css``, each
with a text colour of AA contrast on it): it runs dark to light, so it reads in grey and for
colour-blind readers too, and a legend under the matrix gives each colour's values. Cells hold
their numbers unless ``values: false``. The text alternative is a table of the matrix with exact
values. ``assets/heatmap.js`` redraws it.
"""

from __future__ import annotations

import math
from typing import Any

from .. import formats
from .base import boolean
from .chart import range_option, sub
from .output import OutputBlock, values_table

STEPS = 8  # colour classes


def scale(low: float, high: float) -> tuple[float, float]:
    """The colour range of values from ``low`` to ``high``, never empty."""
    return (low - 0.5, high + 0.5) if low == high else (low, high)


def step(value: float, lo: float, hi: float) -> int:
    """The colour class of ``value`` on the range ``[lo, hi]``."""
    return min(STEPS - 1, max(0, math.floor((value - lo) / (hi - lo) * STEPS)))


class HeatmapBlock(OutputBlock):
    NAME = "heatmap"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        **OutputBlock.OPTIONS,
        "format": (".2f", formats.number_format),
        "range": ("auto", range_option),
        "values": (True, boolean),
    }

    def browser_options(self) -> dict[str, Any]:
        keep = ("format", "values")
        return {**{k: self.options[k] for k in keep}, "range": self.fixed, "steps": STEPS}

    def render(self, result: dict[str, Any]) -> None:
        choice = self.options["range"]
        self.fixed = choice if isinstance(choice, list) else None
        if choice == "all":
            every = [
                v for s in self.every_state(result, "range: all") for row in s["z"] for v in row
            ]
            self.fixed = list(scale(min(every), max(every)))
        values = [v for row in result["z"] for v in row]
        lo, hi = self.fixed or scale(min(values), max(values))
        fmt, shown = self.options["format"], self.options["values"]
        chart = sub(self.figure, "div", {"class": "ms-chart", "aria-hidden": "true"})
        if result.get("ylabel"):
            sub(chart, "p", {"class": "ms-ylabel"}, result["ylabel"])
        grid = sub(chart, "div", {"class": "ms-heat", "style": f"--cols:{len(result['cols'])}"})
        sub(grid, "span")
        for label in result["cols"]:
            sub(grid, "span", {"class": "ms-col"}, label)
        for label, row in zip(result["rows"], result["z"], strict=True):
            sub(grid, "span", {"class": "ms-row"}, label)
            for v in row:
                sub(
                    grid,
                    "span",
                    {"class": f"ms-h{step(v, lo, hi)}"},
                    format(v, fmt) if shown else "",
                )
        if result.get("xlabel"):
            sub(chart, "p", {"class": "ms-xlabel"}, result["xlabel"])
        legend = sub(chart, "ul", {"class": "ms-scale"})
        for k in range(STEPS):
            edge = lo + (hi - lo) * k / STEPS
            text = f"≥ {format(edge, fmt)}" if k else f"< {format(lo + (hi - lo) / STEPS, fmt)}"
            sub(legend, "li", {"class": f"ms-h{k}"}, text)
        headers = [result.get("ylabel") or "row", *result["cols"]]
        values_table(
            self,
            headers,
            [[label, *row] for label, row in zip(result["rows"], result["z"], strict=True)],
        )
