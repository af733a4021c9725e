"""Keeping the numbers an output computes out of the site's search, and out of its parse.

An output marks its data (the bars' list, the plot's table of values, the readout's list, the
``<template>`` of precomputed JSON) with ``data-search-exclude="true"``
(``blocks/output.py``: ``NOT_SEARCHED``), the attribute Material's search plugin documents for
content it must not index. Its parser still reads every tag of an excluded element, about a third
of the plugin's build time on a lesson with three charts, so the plugin also lifts those elements
out of the page while the search plugins read it (:func:`hide`, first of the ``on_page_context``
handlers) and puts them back right after (:func:`restore`, last). Readers get the same page: the
charts' titles stay searchable, and every element stays in the page for screen readers.
"""

from __future__ import annotations

import re

ATTRIBUTE = ' data-search-exclude="true"'
#: The start tag of an element marked by ``NOT_SEARCHED``; none holds an element of its own tag.
_MARKED = re.compile(rf"<(ol|table|details|dl|template)\b[^>]*?{ATTRIBUTE}[^>]*>")
_HIDDEN = re.compile(r"<!--ms-unindexed:(\d+)-->")


def hide(html: str) -> tuple[str, list[str]]:
    """``html`` with each marked element replaced by a numbered comment, and the elements."""
    parts: list[str] = []
    hidden: list[str] = []
    done = 0
    while match := _MARKED.search(html, done):
        end = html.find(f"</{match.group(1)}>", match.end())
        if end < 0:
            break
        end += len(match.group(1)) + 3
        parts += [html[done : match.start()], f"<!--ms-unindexed:{len(hidden)}-->"]
        hidden.append(html[match.start() : end].replace(ATTRIBUTE, "", 1))  # as search strips it
        done = end
    parts.append(html[done:])
    return "".join(parts), hidden


def restore(html: str, hidden: list[str]) -> str:
    """Put back the elements :func:`hide` lifted out of ``html``."""
    if not hidden:
        return html
    return _HIDDEN.sub(lambda m: hidden[int(m.group(1))], html)
