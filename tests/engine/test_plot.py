"""``/// plot``: an inline SVG (decorative), a legend and a table of every point."""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, data_of, namespace, only, tree

from lesson_plugins.blocks import plot

SLIDER = "/// slider | T\n    min: 1\n    max: 2\n    step: 1\n///\n\n"
PLOT = "/// plot | y against x\n    compute: lessonfns:curve\n///\n"


def test_svg_legend_and_table(convert) -> None:
    figure = only(tree(convert(SLIDER + PLOT, **WITH_LESSONFNS)), "figure")
    assert figure.get("class") == "ms-output ms-plot"
    assert [c.tag for c in figure] == ["figcaption", "svg", "ul", "details", "p", "template"]
    svg = figure[1]
    assert svg.attrib == {
        "class": "ms-svg",
        "viewBox": f"0 0 {plot.WIDTH} {plot.HEIGHT}",
        "aria-hidden": "true",
        "data-ms-frames": "",  # the result has frames: the browser offers a replay
    }
    result = namespace()["curve"](1.0)
    lines = svg.findall("polyline")
    assert [line.get("class") for line in lines] == ["ms-line ms-c0", "ms-line ms-c1"]
    y_range = plot.extent(
        [v for s in (result["series"], *result["frames"]) for ys in s.values() for v in ys]
    )
    assert lines[0].get("points") == plot.points(
        result["x"], result["series"]["y"], plot.extent(result["x"]), y_range
    )
    assert "input" in [t.text for t in svg.findall("text")]  # the xlabel
    legend = figure[2]
    assert legend.get("class") == "ms-legend"
    assert [item.findall("span")[1].text for item in legend] == ["y", "flat"]
    assert [item.find("span").get("class") for item in legend] == [
        "ms-swatch ms-c0",
        "ms-swatch ms-c1",
    ]
    details = figure[3]
    assert details.attrib == {"class": "ms-values", "data-search-exclude": "true"}
    assert details.find("summary").text == "values as a table"
    assert [th.text for th in details.findall("table/thead/tr/th")] == ["input", "y", "flat"]
    rows = details.findall("table/tbody/tr")
    assert len(rows) == len(result["x"])
    assert [td.get("data-value") for td in rows[-1]] == [repr(1.0), repr(1.0), repr(0.5)]


def test_data_template(convert) -> None:
    figure = only(tree(convert(SLIDER + PLOT, **WITH_LESSONFNS)), "figure")
    data = data_of(figure)
    assert (data["kind"], data["params"], data["options"]) == ("plot", ["T"], {"format": ".4g"})
    curve = namespace()["curve"]
    each = data["states"]["each"]
    assert [state["series"]["y"] for state in each] == [curve(t)["series"]["y"] for t in (1, 2)]
    assert data["states"]["common"]["x"] == curve(1.0)["x"]  # the same in every state


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (
            "def f(T: float) -> dict:\n    return {'x': [0, 1], 'series': {'y': [1]}}\n",
            "plot: mine:f(T=1.0) returned a wrong result",
        ),
        ("def f(T: float) -> dict:\n    return {'a': 1}\n", "plot: mine:f(T=1.0) returned a wrong"),
        ("def f(T: float) -> dict:\n    raise KeyError('nope')\n", "raised KeyError"),
    ],
)
def test_a_wrong_result_fails_at_the_header(fails, module, message) -> None:
    error = fails(
        SLIDER + "/// plot | f\n    compute: mine:f\n///\n",
        files={"mine.py": module},
        modules=["mine.py"],
    )
    assert (error.path, error.line) == ("docs/lesson.md", 7)
    assert message in error.detail
