"""The browser reads slider grids and precomputed tables as the build writes them.

``formats.grid`` and ``formats.steps`` decide a slider's values and their count; ``widgets.compact``
and ``widgets.index`` lay out a precomputed table. ``assets/util.js`` (``gridCount``,
``gridPosition``, ``precomputed``) reads them back; Node runs it on cases made here.
"""

from __future__ import annotations

import itertools
import random

from lesson_plugins import formats
from lesson_plugins.widgets import compact, index

RUN = """
const { gridCount, gridPosition, precomputed } = await import(ASSETS + "util.js");
done({
  grids: DATA.grids.map(([min, max, step, values]) => [
    gridCount(Number(min), Number(max), Number(step)),
    values.map((v) => gridPosition(Number(v), Number(min), Number(step))),
  ]),
  tables: DATA.tables.map(([table, counts, combos]) =>
    combos.map((positions) => precomputed(table, positions, counts)),
  ),
});
"""


def sliders(count: int, seed: int = 5) -> list[tuple[float, float, float]]:
    """(min, max, step) as authors write them: the course's own, and random valid ones."""
    rng = random.Random(seed)
    found = [(0.5, 5.0, 0.1), (0.0, 1.0, 0.05), (0.0, 0.3, 0.1), (-1.0, 1.0, 0.01), (1.0, 8.0, 1.0)]
    while len(found) < count:
        low = round(rng.uniform(-50, 50), rng.randrange(0, 4))
        step = rng.choice([0.1, 0.01, 0.05, 0.25, 1.0, 2.0, 0.001, 0.2, 0.3, 1e-6, 0.07, 2.5, 10.0])
        high = float(formats.decimal(low) + rng.randrange(1, 400) * formats.decimal(step))
        if formats.steps(low, high, step) % 1 == 0:  # a slider the build accepts
            found.append((low, high, step))
    return found


def tables(count: int, seed: int = 9) -> list[tuple[list[dict], list[int]]]:
    """Every state of 1 to 3 controls, some keys equal in every state (compact writes them once)."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        counts = [rng.randrange(1, 6) for _ in range(rng.randrange(1, 4))]
        states = [
            {"labels": ["a", "b"], "values": [rng.random(), float(i)], "xlabel": "t"}
            for i in range(len(list(itertools.product(*map(range, counts)))))
        ]
        made.append((states, counts))
    return made


def test_grid_counts_positions_and_tables_agree(node_js) -> None:
    grid_cases = sliders(300)
    table_cases = tables(40)
    data = {
        "grids": [
            # The page carries repr(min), repr(max), repr(step); the browser's value is a grid
            # value (it steps in decimal, as formats.grid does).
            [repr(low), repr(high), repr(step), [repr(v) for v in formats.grid(low, step, n)]]
            for low, high, step in grid_cases
            for n in [int(formats.steps(low, high, step)) + 1]
        ],
        "tables": [
            [compact(states), counts, [list(p) for p in itertools.product(*map(range, counts))]]
            for states, counts in table_cases
        ],
    }
    answers = node_js(RUN, data)
    for (low, high, step), (count, positions) in zip(grid_cases, answers["grids"], strict=True):
        expected = int(formats.steps(low, high, step)) + 1
        assert count == expected, (low, high, step)
        assert positions == list(range(expected)), (low, high, step)
    for (states, counts), found in zip(table_cases, answers["tables"], strict=True):
        combos = itertools.product(*map(range, counts))
        assert found == [states[index(list(p), counts)] for p in combos]
