"""Number formats and slider grids, shared by the directives.

Formats are the subset of Python's format specification that the browser reproduces exactly
(``formatNumber`` in ``assets/util.js``, which Node checks against ``format`` in tests/contract):
an optional ``,`` (thousands separator), an optional precision ``.N`` and one of ``f`` (fixed),
``e`` (exponent), ``g`` (general) or ``%`` (percent), e.g. ``.1%``, ``,.0f``, ``.3g``. Both round
the exact binary value half to even (``format(0.25, ".1f")`` is ``0.2``). Slider grids are computed
in decimal arithmetic, as browsers step ``<input type=range>``, so ``0.5 + 16 × 0.1`` is ``2.1``
exactly as the browser's value ``"2.1"`` reads (``assets/util.js`` reads counts and positions the
same way).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

FORMAT = re.compile(r"^,?(?:\.\d{1,2})?[efg%]$")


def number_format(value: Any) -> str:
    """Parse a format option: ``.1%``, ``,.0f``, ``.3g``, ``.2e``..."""
    text = str(value).strip()
    if not FORMAT.match(text):
        raise ValueError(
            f"expected a number format such as .1%, .3f, ,.0f, .4g or .2e, got {value!r}"
        )
    return text


def decimal(value: float) -> Decimal:
    """The decimal an author wrote (``0.1`` stays ``0.1``, not its binary neighbour)."""
    return Decimal(repr(float(value)))


def steps(low: float, high: float, step: float) -> Decimal:
    """How many steps from ``low`` to ``high`` (a whole number when ``high`` is on the grid)."""
    return (decimal(high) - decimal(low)) / decimal(step)


def grid(low: float, step: float, count: int, start: int = 0) -> list[float]:
    """The values ``low + k*step`` for ``k`` from ``start`` to ``count - 1``, each the float
    nearest the exact decimal."""
    low_, step_ = decimal(low), decimal(step)
    return [float(low_ + k * step_) for k in range(start, count)]


def default_format(*values: float) -> str:
    """A fixed format with as many decimals as the most precise of ``values``."""
    places = max(max(0, -decimal(v).normalize().as_tuple().exponent) for v in values)
    return f".{min(places, 12)}f"
