"""What an author writes for ``/// exercise`` (:mod:`lesson_plugins.blocks.exercise`), read:
its options, and the fenced code blocks of its body (the last one is the starter code).

Each option's reader takes the YAML value and returns it checked, or raises ``ValueError`` with
what was expected; the block API turns that into ``docs/page.md:LINE: ...``.
"""

from __future__ import annotations

import re
from typing import Any

from .base import boolean, integer, number, string

_NAME = re.compile(r"^[A-Za-z_]\w*$")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_OPENER = re.compile(r"^\s*/{3,}\s*[\w-]+")
_CLOSER = re.compile(r"^\s*/{3,}\s*$")

DEFAULT_TOLERANCE = {"rel": 1e-6, "abs": 1e-9}


def identifier(value: Any) -> str:
    text = string(value)
    if not _NAME.match(text):
        raise ValueError(f"expected a Python function name, got {value!r}")
    return text


def positive(value: Any) -> float:
    amount = number(value)
    if amount <= 0:
        raise ValueError(f"expected a number of seconds above 0, got {value!r}")
    return amount


def tolerances(value: Any) -> dict[str, float]:
    """``{rel: R, abs: A}`` (either may be left out) -> ``{"rel": R, "abs": A}``."""
    if not isinstance(value, dict) or not set(value) <= {"rel", "abs"}:
        raise ValueError(f"expected a mapping like '{{rel: 1.0e-6, abs: 1.0e-9}}', got {value!r}")
    found = {**DEFAULT_TOLERANCE, **{k: number(v) for k, v in value.items()}}
    if min(found.values()) < 0:
        raise ValueError(f"tolerances must not be negative, got {value!r}")
    return found


def texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a list of texts ('- a hint' lines), got {value!r}")
    return [string(v) for v in value]


def cases_option(value: Any) -> list[Any] | str:
    if isinstance(value, list) and value:
        return value
    if isinstance(value, str) and ":" in value:
        return value.strip()
    raise ValueError(
        "expected a list of argument mappings ('- {x: 1.0}') or 'module:function' returning one, "
        f"got {value!r}"
    )


#: ``name: (default, reader)``, as pymdownx blocks take them (``None``: no default).
OPTIONS: dict[str, tuple[Any, Any]] = {
    "check": (None, string),
    "entry": (None, identifier),
    "cases": (None, cases_option),
    "tolerance": (DEFAULT_TOLERANCE, tolerances),
    "hints": ([], texts),
    "solution": (None, string),
    "solution_after": (0, integer),
    "counts": (True, boolean),
    "time_limit": (5.0, positive),
}
REQUIRED = ("check", "entry", "cases")


def fences(lines: list[str], header_line: int) -> list[tuple[int, str]]:
    """``(line, code)`` of each fenced code block in the block whose header is at ``header_line``
    (1-based lines of the file; ``line`` is the opening fence's). Nested blocks are skipped."""
    found: list[tuple[int, str]] = []
    depth, index = 1, header_line
    while index < len(lines):
        line = lines[index]
        m = _FENCE.match(line)
        if m:
            indent, fence = len(m.group("indent")), m.group("fence")
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(fence):
                end += 1
            if depth == 1:
                body = [_dedent(ln, indent) for ln in lines[index + 1 : end]]
                found.append((index + 1, "\n".join(body) + "\n"))
            index = end + 1
            continue
        if _CLOSER.match(line):
            depth -= 1
            if depth == 0:
                break
        elif _OPENER.match(line):
            depth += 1
        index += 1
    return found


def _dedent(line: str, indent: int) -> str:
    """``line`` without the fence's indentation (less where it has less)."""
    cut = len(line) - len(line.lstrip())
    return line[min(cut, indent) :]


def plain(value: Any) -> Any:
    """``value`` as JSON data: numpy arrays and scalars, tuples become lists and numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
