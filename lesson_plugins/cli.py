"""The ``microscale`` command: the steps of a course that run outside a site generator.

Each subcommand lives in its own module and is listed once in :data:`COMMANDS` as
``name: (module, one-line help)``; the module has ``add_arguments(parser)`` and
``run(args) -> int`` (for ``module:variant``, ``add_variant_arguments`` and ``run_variant``).
``python -m lesson_plugins.cli`` is the same command without the console script.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any

#: Subcommand -> (module under lesson_plugins, help). A new subcommand is one line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "check",
        "run a built site's compute functions in Pyodide, compare with the build",
    ),
    "verify": ("publish", "check a local Pyodide distribution against the pinned sha256 sums"),
    "build": ("finish:build", "build the course with Zensical, then finish its site"),
    "finish": ("finish", "complete a site built by Zensical: browser files, Pyodide, sw.js"),
}


def _functions(spec: str) -> tuple[Any, Any]:
    """The ``add_arguments`` and ``run`` functions of a :data:`COMMANDS` module spec."""
    module, _, variant = spec.partition(":")
    loaded = importlib.import_module(f"lesson_plugins.{module}")
    if not variant:
        return loaded.add_arguments, loaded.run
    return getattr(loaded, f"add_{variant}_arguments"), getattr(loaded, f"run_{variant}")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="microscale", description="Steps of a Microscale course outside a site generator."
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(module=module)
        _functions(module)[0](command)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return _functions(args.module)[1](args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
