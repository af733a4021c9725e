"""The one error type that authors see.

Every mistake in a directive or in front matter raises :class:`DirectiveError`, a MkDocs
``PluginError`` whose message is ``docs/path.md:LINE: what is wrong and how to fix it``; MkDocs
prints it and aborts the build.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError


def located(path: str, line: int | None, message: str) -> str:
    """Format an error as ``path:line: message`` (``path: message`` when the line is unknown)."""
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"


class DirectiveError(PluginError):
    """An author's mistake at ``path:line``."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(located(path, line, message))
        self.path = path
        self.line = line
        self.detail = message
