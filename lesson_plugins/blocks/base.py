"""The base class of every Microscale directive.

pymdown-extensions leaves a block whose options do not validate as plain text and says nothing.
:class:`LessonBlock` replaces that silence with a :class:`~lesson_plugins.errors.DirectiveError`
naming the option and what it expects; the plugin adds ``file:line``.

A directive subclasses it like any pymdownx ``Block``: ``NAME``, ``ARGUMENT``, ``OPTIONS`` (a dict
of ``name: (default, parser)``; a parser raises ``ValueError`` with a readable message),
``REQUIRED`` (option names that must be given), and ``on_create``. It reaches the page being
rendered through :attr:`page`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from pymdownx.blocks.block import Block

from ..context import PageContext
from ..errors import DirectiveError


def number(value: Any) -> float:
    """A finite int or float (``True``/``False`` are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def integer(value: Any) -> int:
    """A whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def string(value: Any) -> str:
    """A non-empty string (numbers are accepted and converted, as YAML reads ``1e-3`` as text)."""
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise ValueError(f"expected text, got {value!r}")
    text = str(value).strip()
    if not text:
        raise ValueError("expected text, got an empty value")
    return text


def boolean(value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def choice(*accepted: str) -> Callable[[Any], str]:
    """One of ``accepted`` (case-insensitive)."""

    def parse(value: Any) -> str:
        text = string(value).lower()
        if text not in accepted:
            raise ValueError(f"expected one of {', '.join(accepted)}, got {value!r}")
        return text

    return parse


def suggest(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``word`` is close to one of ``options``, else ``''``."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class LessonBlock(Block):
    """A pymdownx Block that validates strictly and knows the page it is on."""

    NAME: ClassVar[str] = ""
    ARGUMENT: ClassVar[bool | None] = None
    ARGUMENT_HINT: ClassVar[str] = "TITLE"
    OPTIONS: ClassVar[dict[str, tuple[Any, Callable[[Any], Any] | None]]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    @property
    def page(self) -> PageContext:
        # A block belongs to one page: kept, for an output filled in after the page was parsed.
        page = self.__dict__.get("_page") or self.config["state"].page
        if page is None:  # pragma: no cover - the plugin always opens a page first
            raise RuntimeError("Microscale directives need the 'lessons' MkDocs plugin")
        self._page = page
        return page

    def fail(self, message: str) -> DirectiveError:
        """An error located at this directive's header line; ``raise self.fail(...)``."""
        return self.page.error(f"{self.NAME}: {message}")

    def _validate(self, parent: Any, arg: Any, **options: Any) -> bool:
        self.page.claim(self.NAME, arg)
        arg = arg.strip() if isinstance(arg, str) else arg
        if self.ARGUMENT is True and not arg:
            raise self.fail(f"needs an argument: write '/// {self.NAME} | {self.ARGUMENT_HINT}'")
        if self.ARGUMENT is False and arg:
            raise self.fail(f"takes no argument after '|', got {arg!r}")
        self.argument = arg
        parsed = {name: default for name, (default, _) in self.option_spec.items()}
        for name, value in options.items():
            if name not in self.option_spec:
                allowed = ", ".join(sorted(n for n in self.option_spec if n != "attrs"))
                raise self.fail(
                    f"unknown option '{name}'{suggest(name, self.option_spec)}; "
                    f"the options are: {allowed}"
                )
            parser = self.option_spec[name][1]
            if parser is not None:
                try:
                    value = parser(value)
                except (ValueError, TypeError) as exc:
                    raise self.fail(f"option '{name}': {exc}") from None
            parsed[name] = value
        missing = [name for name in self.REQUIRED if name not in options]
        if missing:
            raise self.fail(
                f"missing option '{missing[0]}': indent it under the header, "
                f"e.g. '    {missing[0]}: ...'"
            )
        self.options = parsed
        return self.on_validate(parent) is not False
