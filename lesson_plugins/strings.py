"""Every user-facing string of the plugin, in one place.

Authors override any of them in ``mkdocs.yml``::

    plugins:
      - lessons:
          strings:
            python_loading: "Python lädt…"

Strings may contain ``{placeholders}`` filled by the code that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULTS: dict[str, str] = {
    # Live Python status, shown on every interactive widget.
    "python_loading": "live Python is loading…",
    "python_ready": "live Python",
    "python_failed": "live Python is unavailable: {reason}",
    "python_error": "Python error: {message}",
}


def resolve(overrides: Mapping[str, str]) -> dict[str, str]:
    """The defaults with ``overrides`` applied; an unknown key is an error naming the known ones."""
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown string(s) {', '.join(unknown)} in 'strings'; known: {', '.join(DEFAULTS)}"
        )
    return {**DEFAULTS, **{k: str(v) for k, v in overrides.items()}}
