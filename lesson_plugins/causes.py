"""What an author needs to see when their compute function raises at build time.

The build error stays one ``docs/page.md:LINE: kind: module:function(args) raised Type: message``
(``lesson_plugins/widgets.py``); this module adds, below it, the traceback's frames in the
author's own code (the shipped sources: ``pycore`` and the ``modules`` option), with file, line
and the line's text, and, for the commonest mistake with sliders, how to fix it: a slider's value
is a float (``8.0``), which ``range``, ``np.zeros`` or an index refuse.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compute import Source


def whole_number_hint(exc: BaseException, args: dict[str, Any]) -> str:
    """``; sliders pass floats ...`` when ``exc`` comes from a float used as a whole number."""
    text = str(exc)
    used_as_int = (isinstance(exc, TypeError) and "float" in text) or (
        isinstance(exc, IndexError) and "integer" in text
    )
    floats = [name for name, value in args.items() if isinstance(value, float)]
    if not used_as_int or not floats:
        return ""
    name = next((n for n in floats if args[n].is_integer()), floats[0])
    value = args[name]
    shown = f"{name}={value!r}, not {int(value)}" if value.is_integer() else f"{name}={value!r}"
    return (
        f"; sliders pass floats ({shown}): convert where a whole number is needed, "
        f"e.g. range(int({name})) or np.zeros(int({name}))"
    )


def author_frames(exc: BaseException, sources: list[Source], config_dir: str) -> str:
    """The frames of ``exc``'s traceback in the shipped sources, Python's way, as lines to add
    below the error (``''`` when there are none)."""
    roots = [os.path.realpath(source.path) for source in sources]
    frames = traceback.extract_tb(exc.__traceback__)
    lines: list[str] = []
    for frame in frames:
        path = os.path.realpath(frame.filename)
        if not any(path == root or path.startswith(root + os.sep) for root in roots):
            continue
        shown = shown_path(path, config_dir)
        lines.append(f'  File "{shown}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line}")
    if not lines:
        return ""
    last = os.path.realpath(frames[-1].filename) if frames else ""
    if not any(last == r or last.startswith(r + os.sep) for r in roots):
        lines.append(f"  (raised in {shown_path(last, config_dir)}, called from the line above)")
    return "\nTraceback in your code (most recent call last):\n" + "\n".join(lines)


def shown_path(path: str, config_dir: str) -> str:
    """``path`` relative to the folder of ``mkdocs.yml`` when inside it, else to the import path
    it was imported from (``numpy/_core/function_base.py``), else as it is."""
    folder = os.path.realpath(config_dir)
    if path.startswith(folder + os.sep):
        return os.path.relpath(path, folder).replace(os.sep, "/")
    roots = [os.path.realpath(entry) for entry in sys.path if entry]
    inside = [root for root in roots if path.startswith(root + os.sep)]
    if inside:
        return os.path.relpath(path, max(inside, key=len)).replace(os.sep, "/")
    return path
