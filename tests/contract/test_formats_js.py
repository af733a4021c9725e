"""assets/util.js writes numbers exactly as Python's ``format`` and ``repr`` do.

Every spec shape :data:`lesson_plugins.formats.FORMAT` accepts (``[,][.N](f|e|g|%)``) is run on a
corpus made here: exact ties (0.25, 2.5, 0.125 ...) and near ties (0.35, 2.675), large numbers up to
the largest double (all their digits, also from 1e21 on), tiny and subnormal ones, both zeros,
nan and the infinities, the edges where ``g`` changes notation, and random doubles. Node runs the
browser's module on the same values (given as their ``repr``) and every string must be equal.
"""

from __future__ import annotations

import itertools
import math
import random
import struct

from lesson_plugins.formats import FORMAT, number_format

FORMATTER = """
const { formatNumber, pyRepr } = await import(ASSETS + "util.js");
const parse = (text) => ({ nan: NaN, inf: Infinity, "-inf": -Infinity })[text] ?? Number(text);
done(DATA.map(([specs, values]) => {
  const numbers = values.map(parse);
  return [numbers.map(pyRepr), specs.map((spec) => numbers.map((x) => formatNumber(x, spec)))];
}));
"""


def specs(precisions: list[str]) -> list[str]:
    """Every ``[,][.N](f|e|g|%)`` with N from ``precisions`` ("" for none), checked by FORMAT."""
    result = [
        f"{comma}{'.' + n if n else ''}{kind}"
        for comma, n, kind in itertools.product(["", ","], precisions, "efg%")
    ]
    assert all(FORMAT.match(spec) and number_format(spec) == spec for spec in result)
    return result


#: Every precision FORMAT allows: none, 0 to 9, and 00 to 99 (".05f" is precision 5).
ALL_PRECISIONS = ["", *map(str, range(10)), *(f"{n:02d}" for n in range(100))]


def edge_values() -> list[float]:
    ties = [k / 2**n for n in range(1, 8) for k in range(1, 2**n, 2)]  # exact: 0.5, 0.25 ...
    ties += [k + 0.5 for k in range(10)] + [0.125, 0.375, 1.0625, 12.5, 1250.5, 0.0125]
    near = [0.35, 0.45, 1.005, 2.675, 0.015, 1.115, 0.0005, 8.325, 0.285, 99.995, 0.9995]
    large = [1e15, 1e16, 1e17, 9.999999e20, 1e21, 1e22, 2.0**53, 2.0**53 + 2, 1.5e300]
    large += [123456789012345678901234.0, 999999.5, 99999.5, 9999999.0, 1.7976931348623157e308]
    tiny = [5e-324, 2.2250738585072014e-308, 1e-300, 1e-5, 1e-4, 0.0001, 9.9995e-5, 1e-7]
    edges = [9.9995, 9.99995, 99.9995, 0.00099995, 123456.5, 1234567.0, 0.1, 0.2, 0.3, 1 / 3]
    special = [0.0, -0.0, math.nan, math.inf, -math.inf]
    values = [*ties, *near, *large, *tiny, *edges]
    return [*values, *(-v for v in values), *special]


def random_values(count: int, seed: int = 17) -> list[float]:
    rng = random.Random(seed)
    values = []
    while len(values) < count:
        kind = len(values) % 3
        if kind == 0:  # any double at all, from its 64 bits
            value = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if not math.isfinite(value):
                continue
        elif kind == 1:  # a magnitude a lesson shows
            value = rng.choice([-1, 1]) * 10 ** rng.uniform(-12, 25)
        else:  # a short decimal, as an author writes or a probability reads
            value = round(rng.uniform(-1000, 1000), rng.randrange(0, 6))
        values.append(value)
    return values


def compare(node_js, corpus: list[tuple[list[str], list[float]]]) -> int:
    """Run the corpus in Node; assert every repr and format string equals Python's; count them."""
    data = [(spec_list, [repr(v) for v in values]) for spec_list, values in corpus]
    answers = node_js(FORMATTER, data)
    wrong, checked = [], 0
    for (spec_list, values), (reprs, formatted) in zip(corpus, answers, strict=True):
        for value, text in zip(values, reprs, strict=True):
            checked += 1
            if text != repr(value):
                wrong.append(f"repr({value!r}): js {text!r}")
        for spec, row in zip(spec_list, formatted, strict=True):
            for value, text in zip(values, row, strict=True):
                checked += 1
                if text != format(value, spec):
                    wrong.append(
                        f"format({value!r}, {spec!r}) = {format(value, spec)!r}, js {text!r}"
                    )
    assert not wrong, f"{len(wrong)} of {checked} differ:\n" + "\n".join(wrong[:40])
    return checked


def test_the_reviews_cases(node_js) -> None:
    """The two disagreements the code review found: a tie, and a number from 1e21 on."""
    answers = node_js(
        'const { formatNumber } = await import(ASSETS + "util.js");\n'
        "done(DATA.map(([x, spec]) => formatNumber(x, spec)));",
        [[0.25, ".1f"], [1e21, ",.0f"], [0.35, ".1f"], [2.5, ".0f"]],
    )
    assert answers == ["0.2", "1,000,000,000,000,000,000,000", "0.3", "2"]
    assert answers == [format(0.25, ".1f"), format(1e21, ",.0f"), format(0.35, ".1f"), "2"]


def test_every_spec_on_the_edge_values(node_js) -> None:
    assert compare(node_js, [(specs(ALL_PRECISIONS), edge_values())]) > 100_000


def test_precisions_0_to_12_on_random_doubles(node_js) -> None:
    precisions = ["", *map(str, range(13))]
    assert compare(node_js, [(specs(precisions), random_values(600))]) > 60_000


def test_an_unknown_spec_fails_loudly(node_js) -> None:
    """A spec Python would not accept is an error in the browser too, not a guess."""
    answer = node_js(
        'const { formatNumber } = await import(ASSETS + "util.js");\n'
        "try { formatNumber(1, DATA); done(null); } catch (error) { done(error.message); }",
        ".2x",
    )
    assert answer and ".2x" in answer
