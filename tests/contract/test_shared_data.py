"""What the scripts take from Python: the worker messages are the set contract.py names, and the
page's ms-config carries the plot geometry blocks/plot.py draws with."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lesson_plugins import browser, contract
from lesson_plugins.blocks import bars, plot

ASSETS = Path(browser.__file__).parent / "assets"
SENT = re.compile(r"\b(?:postMessage|post|hear)\(\{\s*type:\s*\"(\w+)\"")
READ = re.compile(r"\.type\s*===\s*\"(\w+)\"")


def types(pattern: re.Pattern, *names: str) -> set[str]:
    return {t for n in names for t in pattern.findall((ASSETS / n).read_text(encoding="utf-8"))}


def test_the_worker_messages_are_the_contracts() -> None:
    # The worker answers (worker.js), or boot.js speaks for a worker that failed to start.
    assert types(SENT, "worker.js", "boot.js") == set(contract.MESSAGES["worker"])
    assert types(SENT, "runtime.js") == set(contract.MESSAGES["page"])
    # runtime.js tells the worker's messages apart (the last, "error", is what is left).
    read = types(READ, "runtime.js")
    assert read and read < set(contract.MESSAGES["worker"])


def test_the_page_config_carries_the_plot_geometry() -> None:
    tags = browser.early_tags("lesson/", {"pyodide": "p/", "sources": "s.zip"}, {}, live=False)
    data = json.loads(re.search(r'id="ms-config">(.*?)</script>', tags).group(1))
    assert data["plot"] == {
        "width": plot.WIDTH,
        "height": plot.HEIGHT,
        "left": plot.LEFT,
        "right": plot.RIGHT,
        "top": plot.TOP,
        "bottom": plot.BOTTOM,
        "tick": plot.TICK_FORMAT,
        "point": plot.POINT_FORMAT,
    }
    assert data["bars"] == {"share": bars.SHARE_FORMAT}
    script = (ASSETS / "plot.js").read_text(encoding="utf-8")
    assert "config.plot" in script and str(plot.WIDTH) not in script  # read, not copied
    for name, spec in [("plot.js", plot.POINT_FORMAT), ("bars.js", bars.SHARE_FORMAT)]:
        assert f'"{spec}"' not in (ASSETS / name).read_text(encoding="utf-8")
