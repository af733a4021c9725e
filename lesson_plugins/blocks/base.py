"""The base class of every Microscale directive.

pymdown-extensions leaves a block whose options do not validate as plain text and says nothing.
:class:`LessonBlock` replaces that silence with a :class:`~lesson_plugins.errors.DirectiveError`
naming the option and what it expects, at the directive's ``file:line``. It uses pymdownx's public
hooks only: pymdownx is given no parser (it accepts any value), :meth:`LessonBlock.on_validate`
parses the options with :func:`parse_options`, and a header that pymdownx still refused (an
argument where none belongs, an unknown option, options that are not YAML) is explained by
:func:`diagnose`, which the engine calls for every header no block claimed.

A directive subclasses it like any pymdownx ``Block``: ``NAME``, ``ARGUMENT``, ``OPTIONS`` (a dict
of ``name: (default, parser)``; a parser raises ``ValueError`` with a readable message),
``REQUIRED`` (option names that must be given), ``on_options`` (checks after parsing) and
``on_create``. It reaches the page being rendered through :attr:`page`.
"""

from __future__ import annotations

import difflib
import math
import textwrap
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import yaml
from pymdownx.blocks.block import Block

from ..context import PageContext
from ..errors import DirectiveError
from ..source import Header, SourceMap


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


_GIVEN_NOT = object()  # what pymdownx fills in for an option the author did not write


def parse_options(
    block: type[LessonBlock], argument: Any, given: dict[str, Any]
) -> tuple[str | None, dict[str, Any]]:
    """The block's argument and parsed options; ValueError with what to fix."""
    name = block.NAME
    argument = argument.strip() if isinstance(argument, str) else argument
    if block.ARGUMENT is True and not argument:
        raise ValueError(f"needs an argument: write '/// {name} | {block.ARGUMENT_HINT}'")
    if block.ARGUMENT is False and argument:
        raise ValueError(f"takes no argument after '|', got {argument!r}")
    parsed = {option: default for option, (default, _) in block.OPTIONS.items()}
    for option, value in given.items():
        if option == "attrs":
            continue
        if option not in block.OPTIONS:
            allowed = ", ".join(sorted(block.OPTIONS))
            raise ValueError(
                f"unknown option '{option}'{suggest(option, block.OPTIONS)}; "
                f"the options are: {allowed}"
            )
        parser = block.OPTIONS[option][1]
        if parser is not None:
            try:
                value = parser(value)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"option '{option}': {exc}") from None
        parsed[option] = value
    missing = [option for option in block.REQUIRED if option not in given]
    if missing:
        raise ValueError(
            f"missing option '{missing[0]}': indent it under the header, "
            f"e.g. '    {missing[0]}: ...'"
        )
    return argument, parsed


def diagnose(block: type[LessonBlock], header: Header, source: SourceMap) -> str:
    """Why pymdownx refused the block at ``header``: the message an author needs."""
    lines = source.option_lines(header.line)
    text = "\n".join(source.lines[n - 1] for n in lines)
    options = read_options(textwrap.dedent(text))
    if options is None:
        for number in lines:
            written = source.lines[number - 1].strip()
            if read_options(written) is None:
                option, _, value = (part.strip() for part in written.partition(":"))
                if ": " in value:
                    return (
                        f"option '{option}' (line {number}): its value contains ': ', which YAML "
                        "reads as the start of a mapping; quote the value, e.g. "
                        f'{option}: "{value}"'
                    )
                return (
                    f"option '{option}' (line {number}): its value {value!r} is not valid YAML "
                    "(an unclosed bracket or quote?); write a plain value, or quote it"
                )
        return "the options under this header are not 'name: value' lines of valid YAML"
    try:
        parse_options(block, header.argument, options)
    except ValueError as exc:
        return str(exc)
    return (
        "the options under this header could not be read; write them as 'name: value' lines "
        "indented by 4 spaces, with valid YAML values"
    )


def read_options(text: str) -> dict[str, Any] | None:
    """Block options as ``pymdownx.blocks.get_frontmatter`` reads them, with libyaml's parser when
    PyYAML has it (the same YAML rules, about 8 times faster).

    ``{}`` for nothing; ``None`` for YAML that does not parse or is not a mapping (pymdownx then
    leaves the block as text, and the engine reports its header with :func:`diagnose`).
    """
    try:
        options = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:
        return None
    if options is None:
        return {}
    return options if isinstance(options, dict) else None


class LessonBlock(Block):
    """A pymdownx Block that validates strictly and knows the page it is on."""

    NAME: ClassVar[str] = ""
    ARGUMENT: ClassVar[bool | None] = None
    ARGUMENT_HINT: ClassVar[str] = "TITLE"
    OPTIONS: ClassVar[dict[str, tuple[Any, Callable[[Any], Any] | None]]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def on_init(self) -> None:
        # pymdownx checks nothing: on_validate parses (an argument or unknown option it still
        # refuses is explained by diagnose()).
        self.arg_spec = None
        self.option_spec = {
            **{name: (_GIVEN_NOT, None) for name in self.OPTIONS},
            "attrs": self.option_spec["attrs"],
        }

    @property
    def page(self) -> PageContext:
        return self.config["page"]

    def fail(self, message: str) -> DirectiveError:
        """An error located at this directive's header line; ``raise self.fail(...)``."""
        return self.page.error(f"{self.NAME}: {message}")

    def on_validate(self, parent: Any) -> bool:
        self.page.claim(self.NAME, self.argument)
        given = {k: v for k, v in self.options.items() if v is not _GIVEN_NOT}
        try:
            self.argument, parsed = parse_options(type(self), self.argument, given)
        except ValueError as exc:
            raise self.fail(str(exc)) from None
        self.options = {**parsed, "attrs": self.options["attrs"]}  # pymdownx's own option
        return self.on_options(parent) is not False

    def on_options(self, parent: Any) -> bool | None:
        """Check the parsed options together (``raise self.fail(...)``); False: not this block."""
        return True
