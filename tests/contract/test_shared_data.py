"""What the scripts take from Python: the worker messages are the set contract.py names, and the
page's ms-config carries the bars' width format (chart geometry:
tests/plugin/test_chart_build.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lesson_plugins import browser, contract
from lesson_plugins.blocks import bars

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


def test_the_page_config_carries_the_bar_width_format() -> None:
    tags = browser.early_tags("lesson/", {"pyodide": "p/", "sources": "s.zip"}, {}, live=False)
    data = json.loads(re.search(r'id="ms-config">(.*?)</script>', tags).group(1))
    assert data["bars"] == {"share": bars.SHARE_FORMAT}
    script = (ASSETS / "bars.js").read_text(encoding="utf-8")
    assert "config.bars" in script and f'"{bars.SHARE_FORMAT}"' not in script  # read, not copied
