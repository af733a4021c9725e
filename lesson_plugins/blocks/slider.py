"""``/// slider | NAME``: a native range input bound to the compute parameter ``NAME``.

```
/// slider | T
    label: temperature
    min: 0.5
    max: 5
    step: 0.1
    value: 2.0
    hint: low T = sharp (argmax-like) · high T = flat (rich dark knowledge)
///
```

Options: ``min``, ``max``, ``step`` (required); ``value`` (default: ``min``), on the step grid;
``label`` (default: the name), the accessible name; ``hint``, a line under the slider;
``format``, how the value is shown (default: as many decimals as ``min``/``step``/``value``).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .. import formats
from .base import number
from .parameter import OPTIONAL_TEXT, ParameterBlock


class SliderBlock(ParameterBlock):
    NAME = "slider"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        "min": (None, number),
        "max": (None, number),
        "step": (None, number),
        "value": (None, number),
        "label": OPTIONAL_TEXT,
        "hint": OPTIONAL_TEXT,
        "format": (None, formats.number_format),
    }
    REQUIRED = ("min", "max", "step")

    def check(self) -> None:
        o = self.options
        low, high, step = o["min"], o["max"], o["step"]
        if step <= 0:
            raise self.fail(f"step must be > 0, got {step:g}")
        if low >= high:
            raise self.fail(f"min ({low:g}) must be less than max ({high:g})")
        if formats.steps(low, high, step) % 1:
            raise self.fail(
                f"max {high:g} is not on the step grid: min {low:g} plus a whole number of "
                f"steps of {step:g}; change max or step"
            )
        value = low if o["value"] is None else o["value"]
        if not low <= value <= high:
            raise self.fail(f"value {value:g} is out of range: it must lie in [{low:g}, {high:g}]")
        if formats.steps(low, value, step) % 1:
            raise self.fail(
                f"value {value:g} is off the step grid: it must be {low:g} plus a whole number "
                f"of steps of {step:g}"
            )
        self.count = int(formats.steps(low, high, step)) + 1
        self.index = int(formats.steps(low, value, step))
        self.format = o["format"] or formats.default_format(low, step, value)

    def on_create(self, parent: Any) -> etree.Element:
        o = self.options
        low, step = o["min"], o["step"]
        value = formats.grid(low, step, self.index + 1, start=self.index)[0]
        states = lambda: formats.grid(low, step, self.count)  # noqa: E731 (only when precomputing)
        self.register(value, self.count, states, (low, step, self.count))
        control_id = f"ms-{self.argument}"
        shown = format(value, self.format)
        div = self.container(parent, "div")
        div.set("data-ms-format", self.format)
        label = etree.SubElement(div, "label", {"for": control_id})
        label.text = o["label"] or self.argument
        attrs = {"type": "range", "id": control_id, "name": self.argument}
        attrs.update({k: repr(o[k]) for k in ("min", "max", "step")})
        attrs.update({"value": repr(value), "aria-valuetext": shown})
        if o["hint"]:
            attrs["aria-describedby"] = f"{control_id}-hint"
        etree.SubElement(div, "input", attrs)
        output = etree.SubElement(div, "output", {"for": control_id, "aria-hidden": "true"})
        output.text = shown
        self.hint(div, control_id)
        return div
