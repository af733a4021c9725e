"""Reading the engine's HTML back, and the compute module the converter tests share."""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from typing import Any

#: ``lessonfns.py``, written beside ``mkdocs.yml``: ``convert(..., **WITH_LESSONFNS)``.
LESSONFNS = '''
import math


def shares(T: float = 1.0) -> dict:
    """A softmax over three scores at temperature T (bars)."""
    scores = {"Paris": 3.0, "Lyon": 1.5, "Nice": 1.0}
    weights = {k: math.exp(v / T) for k, v in scores.items()}
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}


def terms(T: float = 1.0, mode: str = "sum") -> dict:
    """Two numbers that depend on T and on a text parameter (readout)."""
    return {"first": T * 1.5, "second": T ** 2 if mode == "square" else T + 0.25}


def curve(T: float = 1.0) -> dict:
    """y = x * T on five points, with frames on the way there (plot)."""
    xs = [0.0, 0.25, 0.5, 0.75, 1.0]
    return {
        "x": xs,
        "series": {"y": [x * T for x in xs], "flat": [0.5 for _ in xs]},
        "frames": [{"y": [0.0 for _ in xs], "flat": [0.5 for _ in xs]}],
        "xlabel": "input",
    }


def fixed() -> dict:
    """A function without parameters (needs no control)."""
    return {"only": 0.5}
'''
WITH_LESSONFNS: dict[str, Any] = {"files": {"lessonfns.py": LESSONFNS}, "modules": ["lessonfns.py"]}


def namespace() -> dict[str, Any]:
    """The compute functions of :data:`LESSONFNS`, run here to compute what the page must show."""
    scope: dict[str, Any] = {}
    exec(LESSONFNS, scope)  # the tests' own module text
    return scope


def tree(html: str) -> etree.Element:
    """The page's HTML (XHTML-serialized by Python-Markdown) as one element."""
    return etree.fromstring(f"<div>{html}</div>")


def only(root: etree.Element, path: str) -> etree.Element:
    """The one element at ``path`` (ElementPath), failing when there are none or several."""
    found = root.findall(path)
    assert len(found) == 1, f"{len(found)} elements at {path}"
    return found[0]


def data_of(figure: etree.Element) -> dict[str, Any]:
    """The JSON of an output's ``<template class="ms-data">``."""
    return json.loads(only(figure, "template[@class='ms-data']").text)


def text(element: etree.Element) -> str:
    return "".join(element.itertext())


def directive(header: str, **options: object) -> str:
    """``/// HEADER`` with ``options`` (those that are not None) and its closing line."""
    lines = "".join(f"    {k}: {v}\n" for k, v in options.items() if v is not None)
    return f"/// {header}\n{lines}///\n"
