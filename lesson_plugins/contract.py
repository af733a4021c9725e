"""What the build and the browser must agree on: written once, in Python, and handed to the JS.

- Number formats: :data:`lesson_plugins.formats.FORMAT` decides which specs an author may write;
  every widget's spec travels in its markup, and ``assets/util.js`` formats exactly as Python's
  ``format`` does (tests/contract runs it under Node against ``format`` on a corpus).
- Slider grids and the precomputed table: :func:`lesson_plugins.formats.grid` and
  :func:`lesson_plugins.widgets.index` / ``compact``; ``assets/util.js`` reads them back (tested
  the same way).
- Chart geometry (axes, nice ticks, coordinates): ``blocks/chart.py`` and ``assets/chart.js`` do
  the same integer and decimal arithmetic, checked against each other under Node on random axes
  (``tests/plugin/test_chart_build.py``); the block's choices travel in each chart's data.
- The format of bar widths: ``blocks/bars.py``, sent in the page's ``ms-config``
  (:func:`browser_data`), read by ``assets/bars.js``.
- Worker messages: :data:`MESSAGES` (tests/contract checks every ``type`` the JS sends or reads).
- Call arguments: :func:`lesson_plugins.results.arguments`, used where either runtime calls a
  compute function.
"""

from __future__ import annotations

from typing import Any

from .blocks import bars

#: The ``type`` of every message between the page and the Python worker, by who sends it.
MESSAGES = {
    "page": ("call",),  # {type, id, fn: "module:function", kind, args}
    "worker": ("ready", "failed", "result", "error"),
}


def browser_data() -> dict[str, Any]:
    """What ``assets/`` reads from the page's ``ms-config`` besides URLs and strings."""
    return {"bars": {"share": bars.SHARE_FORMAT}}
