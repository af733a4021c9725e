"""The output kinds have one source: the output blocks' names, in Python.

Each output hands its kind to the browser in its data (``"kind": "bars"``, checked in
``test_bars.py`` and the others); ``assets/widgets.js`` only maps a kind to the module that draws
it. This test proves the map holds every kind Python makes, and nothing else.
"""

from __future__ import annotations

import re

from lesson_plugins import browser
from lesson_plugins.blocks import BLOCKS
from lesson_plugins.blocks.output import OutputBlock

WIDGETS = (browser.ASSETS / "widgets.js").read_text(encoding="utf-8")


def python_kinds() -> set[str]:
    return {block.NAME for block in BLOCKS if issubclass(block, OutputBlock)}


def test_the_browser_draws_every_output_kind() -> None:
    table = re.search(r"^const KINDS = \{([^}]*)\};$", WIDGETS, re.M)
    assert table, "assets/widgets.js: no 'const KINDS = { ... };' line"
    assert {name.strip() for name in table.group(1).split(",")} == python_kinds()


def test_each_kind_is_the_module_of_its_name() -> None:
    for kind in python_kinds():
        assert f'import * as {kind} from "./{kind}.js";' in WIDGETS
        module = (browser.ASSETS / f"{kind}.js").read_text(encoding="utf-8")
        for name in ("render", "summary"):  # what widgets.js's Output calls
            assert re.search(rf"^export function {name}\(", module, re.M), f"{kind}.js: {name}"
