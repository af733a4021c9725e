"""``/// plot``: an inline SVG (decorative), a legend and a table of every point."""

from __future__ import annotations

import pytest
from enginehtml import WITH_LESSONFNS, data_of, namespace, only, tree

from lesson_plugins.blocks import plot

SLIDER = "/// slider | T\n    min: 1\n    max: 2\n    step: 1\n///\n\n"
PLOT = "/// plot | y against x\n    compute: lessonfns:curve\n///\n"


def test_chart_legend_and_table(convert) -> None:
    figure = only(tree(convert(SLIDER + PLOT, **WITH_LESSONFNS)), "figure")
    assert figure.get("class") == "ms-output ms-plot"
    # the table of values waits in a template, its summary before it (lesson_plugins/ondemand.py)
    assert [c.tag for c in figure] == ["figcaption", "div", "p", "details", "template"]
    chart = figure[1]
    assert chart.attrib == {
        "class": "ms-chart",
        "data-legend": "top",
        "aria-hidden": "true",  # decorative: the table below is the text alternative
        "data-ms-frames": "",  # the result has frames: the browser offers a replay
    }
    result = namespace()["curve"](1.0)
    legend = only(chart, "ul[@class='ms-legend']")
    # one element per series: its name, coloured by its class (the swatch is CSS)
    assert [(item.text, item.get("class"), len(item)) for item in legend] == [
        ("y", "ms-c0", 0),
        ("flat", "ms-c1", 0),
    ]
    svg = only(chart, "div[@class='ms-frame']/div[@class='ms-area']/svg")
    assert svg.get("class") == "ms-svg"
    lines = svg.findall("polyline")
    assert [line.get("class") for line in lines] == ["ms-line ms-c0", "ms-line ms-c1"]
    assert svg.find("path[@class='ms-dots ms-c0']") is None  # markers: false
    xa = plot.build_axis({"fixed": None, "log": False, "extend": False}, result["x"])
    ya = plot.build_axis({"fixed": None, "log": False, "extend": True}, plot.ys_of(result))
    assert lines[0].get("points") == plot.points(xa, ya, result["x"], result["series"]["y"], False)
    # the tick labels are the frame's own children, after the plot area: no element per axis
    box = only(chart, "div[@class='ms-frame']")
    ylabels = [format(t, ya["format"]) for t in ya["ticks"]]
    assert box.get("style") == f"--ch:{max(map(len, ylabels))}"
    assert [c.get("class") for c in box] == (
        ["ms-area"] + ["ms-ytick"] * len(ya["ticks"]) + ["ms-xtick"] * len(xa["ticks"])
    )
    yticks = box.findall("span[@class='ms-ytick']")
    assert [t.text for t in yticks] == ylabels
    assert [t.get("style") for t in yticks] == [f"--p:{plot.x_at(ya, t)}" for t in ya["ticks"]]
    ticks = box.findall("span[@class='ms-xtick']")
    assert [t.text for t in ticks] == [format(t, xa["format"]) for t in xa["ticks"]]
    assert [t.get("style") for t in ticks] == [f"--p:{plot.x_at(xa, t)}" for t in xa["ticks"]]
    assert only(chart, "p[@class='ms-xlabel']").text == "input"
    assert figure[2].get("class") == "ms-values-summary"
    details = figure[3]
    assert details.attrib == {"class": "ms-values", "data-search-exclude": "true"}
    rows_text = f"({len(result['x'])} rows)"
    summary = details.find("summary")
    assert (summary.text, len(summary)) == (f"values as a table {rows_text}", 0)  # one text
    table = details.find("template/table")
    assert [th.text for th in table.findall("thead/tr/th")] == ["input", "y", "flat"]
    rows = table.findall("tbody/tr")
    assert len(rows) == len(result["x"])
    assert [td.get("data-value") for td in rows[-1]] == [repr(1.0), repr(1.0), repr(0.5)]


def test_markers_and_a_fixed_range(convert) -> None:
    page = SLIDER + PLOT.replace("///\n", "    markers: true\n    y: [0, 4]\n///\n", 1)
    figure = only(tree(convert(page, **WITH_LESSONFNS)), "figure")
    svg = figure.find(".//svg")
    assert [p.get("class") for p in svg.findall("path")][1:] == ["ms-dots ms-c0", "ms-dots ms-c1"]
    assert data_of(figure)["options"]["y"] == {"fixed": [0.0, 4.0], "log": False, "extend": True}


def test_data_template(convert) -> None:
    figure = only(tree(convert(SLIDER + PLOT, **WITH_LESSONFNS)), "figure")
    data = data_of(figure)
    assert (data["kind"], data["params"]) == ("plot", ["T"])
    assert data["options"] == {
        "format": ".4g",
        "legend": "top",
        "markers": False,
        "step": False,
        "x": {"fixed": None, "log": False, "extend": False},
        "y": {"fixed": None, "log": False, "extend": True},
    }
    curve = namespace()["curve"]
    each = data["states"]["each"]
    assert [state["series"]["y"] for state in each] == [curve(t)["series"]["y"] for t in (1, 2)]
    assert data["states"]["common"]["x"] == curve(1.0)["x"]  # the same in every state


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("    legend: left\n", "option 'legend': expected one of"),
        ("    y: [1]\n", "option 'y'"),
        ("    yscale: log\n", "log"),
        ("    y: all\n    precompute: false\n", "y: all"),
    ],
)
def test_option_errors_at_the_header_line(fails, options, message) -> None:
    page = SLIDER + PLOT.replace("///\n", options + "///\n", 1)
    error = fails(page, **WITH_LESSONFNS)
    assert (error.path, error.line) == ("docs/lesson.md", 7)
    assert error.detail.startswith("plot: ") and message in error.detail


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
