"""``/// readout | TITLE``: named numbers, e.g. the two terms of a loss.

```
/// readout | the two terms of L_KD
    compute: pycore.lessons.distillation:loss_terms
    format: .4f
///
```

The compute function returns a mapping name -> number. Options: ``compute`` (required),
``format`` (default ``.4g``; ``.1%``, ``,.0f``, ``.2e`` ...), ``precompute``. Each entry is a
``<dt>`` (its name) and a ``<dd class="ms-item" data-label="..." data-value="...">`` (its number,
formatted, and the exact value), straight in the ``<dl>``: a label-value grid, no wrapper.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .. import formats
from .output import NOT_SEARCHED, OutputBlock


class ReadoutBlock(OutputBlock):
    NAME = "readout"
    OPTIONS = {**OutputBlock.OPTIONS, "format": (".4g", formats.number_format)}  # noqa: RUF012

    def browser_options(self) -> dict[str, Any]:
        return {"format": self.options["format"]}

    def render(self, result: dict[str, Any]) -> None:
        items = etree.SubElement(self.figure, "dl", {"class": "ms-list", **NOT_SEARCHED})
        for label, value in zip(result["labels"], result["values"], strict=True):
            etree.SubElement(items, "dt").text = label
            etree.SubElement(
                items, "dd", {"class": "ms-item", "data-label": label, "data-value": repr(value)}
            ).text = format(value, self.options["format"])
