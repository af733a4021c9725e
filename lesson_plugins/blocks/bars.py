"""``/// bars | TITLE``: a bar chart of ``label -> value``, drawn as an HTML list.

```
/// bars | teacher distribution · p_T
    compute: pycore.lessons.distillation:teacher
///
```

The compute function returns a mapping label -> value (or a list of ``(label, value)`` pairs),
values >= 0. Options: ``compute`` (required); ``format`` of the values (default ``.1%``); ``max``,
the value of a full-width bar (default 1, or the largest value when that is larger);
``precompute: false`` to always compute in the browser.

Each bar is one item of an ``<ol>``, two elements a bar (issue 21: the page's element count)::

    <li class="ms-bar" data-label="Paris" data-value="0.6085382836978223" style="--v:0.6085">
      Paris <span class="ms-value">60.9%</span></li>

``data-value`` holds the exact float (its ``repr``), ``--v`` the bar's share of the full width.
``assets/widgets.css`` draws the bar in front of the value (``.ms-value::before``, its width from
``--v``), so the list reads "Paris 60.9%" to a screen reader and shows the numbers without script:
the list is the chart's text alternative. ``assets/bars.js`` redraws the same markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .. import formats
from .base import number
from .output import NOT_SEARCHED, OutputBlock

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
        bars = etree.SubElement(self.figure, "ol", NOT_SEARCHED)
        scale = max(self.options["max"], *result["values"])
        for label, value in zip(result["labels"], result["values"], strict=True):
            share = f"--v:{value / scale:{SHARE_FORMAT}}"  # the bar's share of the full width
            attributes = {"data-label": label, "data-value": repr(value), "style": share}
            bar = etree.SubElement(bars, "li", {"class": "ms-bar", **attributes})
            bar.text = f"{label} "
            value_text = format(value, self.options["format"])
            etree.SubElement(bar, "span", {"class": "ms-value"}).text = value_text
