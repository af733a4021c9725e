"""The numbers a page needs only once a reader acts on it, in a file beside the page.

Two parts of a lesson page are read by no one until the reader does something:

- an output's precomputed states (``widgets.py``: its result at every position of its controls,
  used when a control moves), 53 kB of the distillation lesson;
- the rows of a chart's table of values (``ondemand.py``: shown when its disclosure opens),
  47 kB more.

In the page they were half its bytes, which a phone downloads and parses before its first paint
(Lighthouse's mobile preset, ``docs/benchmarks/site.md``). :func:`split` takes them out of a
built page into a JSON file in the page's folder, named after the page and a hash of its content
(``index.5c2f0b1e9a.json``: a page always asks for the data it was built with, even from a
browser that kept an older copy of one of the two), and leaves references in their place:

- an output's data says ``"states": {"at": i}`` instead of the table itself, in a
  ``<template class="ms-data" data-ms-file="NAME">`` (a live output keeps ``"states": null``);
- a table's ``<template>`` keeps the table's head and an empty body, and says where its rows are:
  ``<template data-ms-file="NAME" data-ms-rows="j">``.

The file is ``{"states": [...], "rows": ["<tr>...</tr>...", ...]}``. The browser fetches it once
the page has loaded, so that a control or a table answers at once, and offline later on
(``assets/runtime.js``: ``pageData``). :func:`join` puts a page back as the engine wrote it: tools
that read the built site (``microscale check``, the tests) read pages through :func:`read`.

Both hosts split every page the same way (the MkDocs plugin in ``on_post_page``, ``microscale
finish`` after Zensical), so that their sites stay the same.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

from .widgets import dumps  # the JSON of the outputs' data, as the engine writes it

_DATA = re.compile(r'(<template class="ms-data"[^>]*>)(.*?)(</template>)', re.S)
_STATES = '"states":'
_TABLE = re.compile(
    r'(<details class="ms-values"[^>]*><summary>[^<]*</summary><template)(>'
    r"<table[^>]*>.*?<tbody>)(.*?)(</tbody></table></template>)",
    re.S,
)
_FILE = 'data-ms-file="{}"'
_NAMED = re.compile(r' data-ms-file="([^"]+)"')
_SPLIT_TABLE = re.compile(
    r'<template data-ms-file="[^"]+" data-ms-rows="(\d+)">(<table[^>]*>.*?<tbody>)'
    r"(</tbody></table></template>)",
    re.S,
)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def split(page: str, stem: str) -> tuple[str, str | None, str | None]:
    """``page`` without its states and rows, the name of their file and its JSON (both None
    when the page has none). ``stem`` is the page file's name without ``.html``."""
    states: list[Any] = []
    rows: list[str] = []
    marks: list[tuple[str, Any]] = []  # in page order: ("states", match) or ("rows", match)

    for match in _DATA.finditer(page):
        data = json.loads(html.unescape(match.group(2)))
        if data.get("states") is not None:
            marks.append(("states", match))
            states.append(data["states"])
    for match in _TABLE.finditer(page):
        marks.append(("rows", match))
        rows.append(match.group(3))
    if not marks:
        return page, None, None
    text = dumps({"states": states, "rows": rows})
    name = f"{stem}.{hashlib.sha256(text.encode()).hexdigest()[:10]}.json"
    parts, done, counts = [], 0, {"states": 0, "rows": 0}
    for kind, match in sorted(marks, key=lambda mark: mark[1].start()):
        at = counts[kind]
        counts[kind] += 1
        parts.append(page[done : match.start()])
        if kind == "states":
            head, body, end = match.groups()
            tail = _STATES + _escape(dumps(states[at])) + "}"
            if not body.endswith(tail):  # the engine writes "states" last (widgets.fill)
                raise ValueError(f"an output's data does not end with its states: {body[:80]}")
            reference = _STATES + dumps({"at": at}) + "}"
            head = f"{head[:-1]} {_FILE.format(name)}>"
            parts.append(head + body[: -len(tail)] + reference + end)
        else:
            start, table, _, end = match.groups()
            parts.append(f'{start} {_FILE.format(name)} data-ms-rows="{at}"{table}{end}')
        done = match.end()
    parts.append(page[done:])
    return "".join(parts), name, text


def join(page: str, data: str) -> str:
    """The page that :func:`split` made ``page`` and ``data`` of: the engine's page."""
    loaded = json.loads(data)

    def states(match: re.Match) -> str:
        head, body, end = match.groups()
        named = _NAMED.search(head)
        if not named:
            return match.group(0)  # a live output ("states": null)
        at = body.rfind(_STATES)
        table = _escape(dumps(loaded["states"][json.loads(body[at + len(_STATES) : -1])["at"]]))
        return head[: named.start()] + head[named.end() :] + body[:at] + _STATES + table + "}" + end

    page = _DATA.sub(states, page)
    return _SPLIT_TABLE.sub(
        lambda m: f"<template>{m.group(2)}{loaded['rows'][int(m.group(1))]}{m.group(3)}", page
    )


def read(file: Path) -> str:
    """The built page ``file`` with its data file put back (:func:`join`)."""
    page = file.read_text(encoding="utf-8")
    name = _NAMED.search(page)
    if not name:
        return page
    data = (file.parent / name.group(1)).read_text(encoding="utf-8")
    return join(page, data)


def write(page: str, file: Path) -> str:
    """``page``, to be written to ``file``, split (:func:`split`): its data file is written
    beside it."""
    page, name, data = split(page, file.stem)
    if name is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        (file.parent / name).write_text(data, encoding="utf-8")
    return page
