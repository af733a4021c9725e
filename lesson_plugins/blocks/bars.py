"""``/// bars | TITLE``: a bar chart of ``label -> value``, drawn as an HTML table.

```
/// bars | teacher distribution · p_T
    compute: pycore.lessons.distillation:teacher
///
```

The compute function returns a mapping label -> value (or a list of ``(label, value)`` pairs),
values >= 0. Options: ``compute`` (required); ``format`` of the values (default ``.1%``); ``max``,
the value of a full-width bar (default 1, or the largest value when that is larger);
``precompute: false`` to always compute in the browser.

Each row is a bar: ``<tr class="ms-bar" data-label="Paris" data-value="0.6091...">`` (the exact
float), a row header with the label, and a cell with the bar and the formatted value. The table is
the chart's text alternative.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .. import formats
from .base import number
from .output import NOT_SEARCHED, OutputBlock, header_row

SHARE_FORMAT = ".4f"  # a bar's share of the full width, in its style (assets/bars.js: ms-config)


def positive(value: Any) -> float:
    result = number(value)
    if result <= 0:
        raise ValueError(f"expected a number > 0, got {value!r}")
    return result


class BarsBlock(OutputBlock):
    NAME = "bars"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        **OutputBlock.OPTIONS,
        "format": (".1%", formats.number_format),
        "max": (1.0, positive),
    }

    def browser_options(self) -> dict[str, Any]:
        return {"format": self.options["format"], "max": self.options["max"]}

    def render(self, result: dict[str, Any]) -> None:
        strings = self.page.site.strings
        table = etree.SubElement(self.figure, "table", {"class": "ms-table", **NOT_SEARCHED})
        header_row(table, [strings["table_label"], strings["table_value"]])
        body = etree.SubElement(table, "tbody")
        scale = max(self.options["max"], *result["values"])
        for label, value in zip(result["labels"], result["values"], strict=True):
            row = etree.SubElement(
                body, "tr", {"class": "ms-bar", "data-label": label, "data-value": repr(value)}
            )
            etree.SubElement(row, "th", {"scope": "row"}).text = label
            cell = etree.SubElement(row, "td")
            share = f"--v:{value / scale:{SHARE_FORMAT}}"  # the bar's share of the full width
            etree.SubElement(cell, "span", {"class": "ms-fill", "style": share})
            etree.SubElement(cell, "span", {"class": "ms-value"}).text = format(
                value, self.options["format"]
            )
