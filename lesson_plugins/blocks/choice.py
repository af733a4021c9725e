"""``/// choice | NAME``: a radio group (or a ``<select>``) bound to the text parameter ``NAME``.

```
/// choice | divergence
    label: divergence
    options: [forward, reverse, skew, skew_reverse]
    labels: [forward KL, reverse KL, skew KL, skew reverse KL]
    value: forward
///
```

Options: ``options`` (required), the values passed to the compute function, at least two;
``value`` (default: the first option); ``labels``, what the reader sees for each option (default:
the options themselves); ``label`` (default: the name), the group's accessible name; ``hint``;
``style``: ``radio`` (default) or ``select``.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from .base import choice, string
from .parameter import OPTIONAL_TEXT, ParameterBlock


def texts(value: Any) -> list[str]:
    """A YAML list of texts, e.g. ``[forward, reverse]``."""
    if not isinstance(value, list):
        raise ValueError(f"expected a list such as [forward, reverse], got {value!r}")
    return [string(item) for item in value]


class ChoiceBlock(ParameterBlock):
    NAME = "choice"
    OPTIONS = {  # noqa: RUF012 (pymdownx API)
        "options": (None, texts),
        "labels": (None, texts),
        "value": (None, string),
        "label": OPTIONAL_TEXT,
        "hint": OPTIONAL_TEXT,
        "style": ("radio", choice("radio", "select")),
    }
    REQUIRED = ("options",)

    def check(self) -> None:
        values, labels = self.options["options"], self.options["labels"]
        if len(values) < 2:
            raise self.fail("options: give at least two options to choose from")
        if len(set(values)) < len(values):
            raise self.fail("options: each option must appear once")
        if labels is not None and len(labels) != len(values):
            raise self.fail(f"labels: give one label per option ({len(values)}), got {len(labels)}")
        value = self.options["value"] or values[0]
        if value not in values:
            raise self.fail(f"value {value!r} is not one of the options: {', '.join(values)}")
        self.value = value

    def on_create(self, parent: Any) -> etree.Element:
        values = self.options["options"]
        shown = self.options["labels"] or values
        self.register(self.value, len(values), lambda: values, tuple(values))
        control_id = f"ms-{self.argument}"
        label = self.options["label"] or self.argument
        described = {"aria-describedby": f"{control_id}-hint"} if self.options["hint"] else {}
        if self.options["style"] == "select":
            box = self.container(parent, "div")
            etree.SubElement(box, "label", {"for": control_id}).text = label
            select = etree.SubElement(
                box, "select", {"id": control_id, "name": self.argument, **described}
            )
            for value, text in zip(values, shown, strict=True):
                option = etree.SubElement(select, "option", {"value": value})
                option.text = text
                if value == self.value:
                    option.set("selected", "selected")
        else:
            box = self.container(parent, "fieldset")
            box.attrib.update(described)
            etree.SubElement(box, "legend").text = label
            for value, text in zip(values, shown, strict=True):
                item = etree.SubElement(box, "label")
                radio = etree.SubElement(
                    item, "input", {"type": "radio", "name": self.argument, "value": value}
                )
                if value == self.value:
                    radio.set("checked", "checked")
                radio.tail = f" {text}"
        self.hint(box, control_id)
        return box
