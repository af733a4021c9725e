"""The ``microscale`` command: the steps of a course that run outside a site generator.

Each subcommand lives in its own module and is listed once in :data:`COMMANDS` as
``name: (module, one-line help)``; the module has ``add_arguments(parser)`` and
``run(args) -> int``.
``python -m lesson_plugins.cli`` is the same command without the console script.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Subcommand -> (module under lesson_plugins, help). A new subcommand is one line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "verify": ("publish", "check a local Pyodide distribution against the pinned sha256 sums"),
    "csp": ("csp", "print the Content-Security-Policy a built site works under"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="microscale", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(module=module)
        importlib.import_module(f"lesson_plugins.{module}").add_arguments(command)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return importlib.import_module(f"lesson_plugins.{args.module}").run(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
