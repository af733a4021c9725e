"""What sliders and choices have in common: a named parameter of the page's compute functions.

A control registers a :class:`Parameter` on the page; outputs bind to parameters by name when the
page is finished (see ``lesson_plugins/widgets.py``), so a control may come before or after the
outputs it drives.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .base import LessonBlock, string


@dataclass
class Parameter:
    """A control's name, its default, and the states it can take (computed only when asked)."""

    kind: str  # the directive: slider, choice
    name: str
    value: Any
    count: int  # how many states the control can take
    states: Callable[[], list[Any]]
    line: int | None
    domain: tuple = ()  # what decides the states (a slider's min, step, count), JSON-able


class ParameterBlock(LessonBlock):
    """A block named by its argument (a Python identifier) that registers a :class:`Parameter`."""

    ARGUMENT = True
    ARGUMENT_HINT = "NAME"

    def on_options(self, parent: Any) -> bool:
        if not self.argument.isidentifier():
            raise self.fail(
                f"{self.argument!r} is not a parameter name: use the name of the compute "
                "function's parameter, letters, digits and _ (e.g. '/// slider | T')"
            )
        for other in self.page.items.get("parameter", []):
            if other.name == self.argument:
                raise self.fail(
                    f"a control named {self.argument!r} is already on this page (line "
                    f"{other.line}); each parameter gets one control per page"
                )
        self.line = self.page.current_line
        self.check()
        return True

    def check(self) -> None:
        """Check the options together; ``raise self.fail(...)`` on a mistake."""

    def register(
        self, value: Any, count: int, states: Callable[[], list[Any]], domain: tuple
    ) -> None:
        self.page.add(
            "parameter",
            Parameter(self.NAME, self.argument, value, count, states, self.line, domain),
        )

    def container(self, parent: Any, tag: str) -> etree.Element:
        """The control's outer element, marked with the parameter's name for the browser."""
        return etree.SubElement(
            parent, tag, {"class": f"ms-control ms-{self.NAME}", "data-ms-param": self.argument}
        )

    def hint(self, element: etree.Element, control_id: str) -> None:
        """Add the ``hint`` option as a paragraph with the id ``{control_id}-hint``."""
        if self.options.get("hint"):
            p = etree.SubElement(element, "p", {"class": "ms-hint", "id": f"{control_id}-hint"})
            p.text = self.options["hint"]


OPTIONAL_TEXT = (None, string)  # an optional text option
