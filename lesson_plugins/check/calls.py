"""Call compute functions as the Pyodide worker does; print each normalized result or traceback.

Run by ``microscale check`` twice, with the same files: in Pyodide under Node (``pyodide.mjs``) and
in this CPython. Next to this file lie the site's Python sources (its ``sources-*.zip``, unpacked)
and the site's ``results.py`` as ``_microscale_results.py``, as in the worker
(``lesson_plugins/assets/worker.js``). Usage: ``calls.py CALLS.json``, where the file holds
``[{"id": ..., "fn": "module:function", "kind": ..., "args": {...}}]``; the last line printed is
``MARK`` followed by ``[{"id": ..., "value": ...} or {"id": ..., "error": "traceback"}]``.
"""

import importlib
import json
import sys
import traceback
from pathlib import Path

MARK = "@@microscale-check@@"
sys.path.insert(0, str(Path(__file__).parent))

from _microscale_results import to_json  # noqa: E402 (the site's own, found next to this file)


def call(spec: dict) -> dict:
    """One call, answered as the worker answers it: the result through ``to_json``, or why not."""
    try:
        module, name = spec["fn"].split(":")
        function = getattr(importlib.import_module(module), name)
        value = json.loads(to_json(spec["kind"], function(**spec["args"])))
    except Exception as exc:
        # Without this file's frame: the traceback starts where the author's code begins.
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)
        return {"id": spec["id"], "error": "".join(lines).rstrip()}
    return {"id": spec["id"], "value": value}


if __name__ == "__main__":
    calls = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    answers = [call(spec) for spec in calls]
    print(MARK + json.dumps(answers, allow_nan=False))
