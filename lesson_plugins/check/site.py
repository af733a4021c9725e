"""What a built site declares about its widgets, read from its HTML alone (any host built it).

Each page with widgets has (see ``lesson_plugins/widgets.py`` and ``browser.py``):

- ``<script type="application/json" id="ms-config">``: the Pyodide folder and the sources zip,
  relative to the ``runtime.js`` that a ``<script type="module">`` loads;
- its controls, ``[data-ms-param]``: a range input (``min``, ``max``, ``step``, ``value``), radio
  buttons or a ``<select>``;
- its outputs, ``<figure class="ms-output ms-KIND">``: a ``<figcaption>`` title, the values the
  build wrote (``data-label``/``data-value``) and a ``<template class="ms-data">`` holding
  ``{"fn", "kind", "params", "options", "states"}``, ``states`` being the precomputed table
  ``{"common": {...}, "each": [...]}`` (row-major over the controls' states) or null; the tables
  and the charts' rows of values are read from the page's data file (``pagedata.read``).
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .. import formats, pagedata
from ..finish import page_url

_TEMPLATE = re.compile(r'<template class="ms-data"[^>]*>(.*?)</template>', re.S)
_CONFIG = re.compile(
    r'<script type="application/json"[^>]*\bid="ms-config"[^>]*>(.*?)</script>', re.S
)
_RUNTIME = re.compile(r'<script type="module" src="([^"]*runtime\.js)"')


@dataclass
class Control:
    """A slider or a choice: its states in order and the one the page starts at."""

    name: str
    states: list[Any]
    default: int  # index into states

    @classmethod
    def slider(cls, name: str, attrs: dict[str, str]) -> Control:
        low, high, step = (float(attrs[k]) for k in ("min", "max", "step"))
        count = int(formats.steps(low, high, step)) + 1
        at = int(formats.steps(low, float(attrs.get("value", low)), step))
        return cls(name, formats.grid(low, step, count), at)


@dataclass
class Output:
    """One output figure: its title, the build's data and the values its HTML shows."""

    kind: str
    title: str
    data: dict[str, Any]
    shown: list[tuple[str | None, float]] = field(default_factory=list)  # (data-label, value)


@dataclass
class Page:
    url: str  # relative to the site's root, as in the site's links: "act-4/distillation/"
    file: Path
    config: dict[str, Any]
    runtime: str | None  # the URL of runtime.js relative to the site's root
    controls: dict[str, Control]
    outputs: list[Output]

    def site_path(self, relative_to_runtime: str) -> str:
        """A URL the config gives relative to ``runtime.js``, relative to the site's root."""
        return posixpath.normpath(
            posixpath.join(posixpath.dirname(self.runtime), relative_to_runtime)
        )


class _Reader(HTMLParser):
    """Controls, figures, captions and data-values of one page (the templates are read apart)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: dict[str, Control] = {}
        self.figures: list[Output] = []
        self.param: str | None = None  # the control being read
        self.choice: list[str] = []
        self.chosen = 0
        self.caption = False

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        classes = attrs.get("class", "").split()
        if "data-ms-param" in attrs:
            self.finish_choice()
            self.param, self.choice, self.chosen = attrs["data-ms-param"], [], 0
        elif tag == "figure" and "ms-output" in classes:
            kind = next((c[3:] for c in classes if c.startswith("ms-") and c != "ms-output"), "")
            self.figures.append(Output(kind, "", {}))
        elif tag == "figcaption" and self.figures and not self.figures[-1].title:
            self.caption = True
        elif tag == "input" and self.param and attrs.get("type") == "range":
            self.controls[self.param] = Control.slider(self.param, attrs)
            self.param = None
        elif tag in ("input", "option") and self.param and "value" in attrs:
            if "checked" in attrs or "selected" in attrs:
                self.chosen = len(self.choice)
            self.choice.append(attrs["value"])
        if "data-value" in attrs and self.figures:
            value = float(attrs["data-value"])
            self.figures[-1].shown.append((attrs.get("data-label"), value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("fieldset", "select"):
            self.finish_choice()
        if tag == "figcaption":
            self.caption = False

    def handle_data(self, data: str) -> None:
        if self.caption:
            self.figures[-1].title += data

    def finish_choice(self) -> None:
        if self.param and self.choice:
            self.controls[self.param] = Control(self.param, self.choice, self.chosen)
        self.param, self.choice = None, []


def read_page(site: Path, file: Path) -> Page | None:
    """The widgets of one built page; None for a page without outputs."""
    text = pagedata.read(file)  # with its states and tables, as the engine wrote it
    templates = _TEMPLATE.findall(text)
    if not templates:
        return None
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader.finish_choice()
    if len(templates) != len(reader.figures):
        raise ValueError(
            f"{file}: {len(reader.figures)} output figures but {len(templates)} ms-data templates"
        )
    for output, data in zip(reader.figures, templates, strict=True):
        output.data = json.loads(html.unescape(data))
        output.kind = output.data.get("kind", output.kind)
    relative = file.relative_to(site).as_posix()
    url = page_url(relative)
    config = _CONFIG.search(text)
    runtime = _RUNTIME.search(text)
    runtime_url = (
        posixpath.normpath(posixpath.join(posixpath.dirname(relative), runtime.group(1)))
        if runtime
        else None
    )
    return Page(
        url,
        file,
        json.loads(html.unescape(config.group(1))) if config else {},
        runtime_url,
        reader.controls,
        reader.figures,
    )


def read_site(site: Path) -> list[Page]:
    """Every page of ``site`` that has outputs, in path order."""
    pages = []
    for file in sorted(site.rglob("*.html")):
        if "assets" in file.relative_to(site).parts[:1]:
            continue
        page = read_page(site, file)
        if page is not None:
            pages.append(page)
    return pages


def state_count(controls: list[Control]) -> int:
    return math.prod(len(c.states) for c in controls)


def state_at(controls: list[Control], index: int) -> list[Any]:
    """The controls' values at a row-major ``index`` (as ``widgets.index`` counts)."""
    values = []
    for control in reversed(controls):
        index, position = divmod(index, len(control.states))
        values.append(control.states[position])
    return values[::-1]


def default_index(controls: list[Control]) -> int:
    index = 0
    for control in controls:
        index = index * len(control.states) + control.default
    return index
