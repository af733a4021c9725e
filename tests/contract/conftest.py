"""Run the browser's ES modules under Node 20 and compare their answers with Python's."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ASSETS = Path(__file__).parents[2] / "lesson_plugins" / "assets"


@pytest.fixture
def node_js(tmp_path: Path) -> Callable[[str, Any], Any]:
    """``node_js(body, data)``: runs ``body`` as an ES module under Node with ``data`` (JSON) as
    ``DATA`` and ``ASSETS`` as the URL of ``lesson_plugins/assets/``; returns what it wrote with
    ``done(value)``, parsed from JSON."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node (20 or later) to run the browser's modules")

    def run(body: str, data: Any = None) -> Any:
        (tmp_path / "data.json").write_text(json.dumps(data), encoding="utf-8")
        script = tmp_path / "run.mjs"
        script.write_text(
            'import { readFileSync, writeFileSync } from "node:fs";\n'
            f"const ASSETS = {json.dumps(ASSETS.as_uri() + '/')};\n"
            f"const DATA = JSON.parse(readFileSync({json.dumps(str(tmp_path / 'data.json'))}));\n"
            "const done = (value) =>\n"
            f"  writeFileSync({json.dumps(str(tmp_path / 'out.json'))}, JSON.stringify(value));\n"
            + body,
            encoding="utf-8",
        )
        proc = subprocess.run(
            [node, str(script)], capture_output=True, text=True, timeout=120, check=False
        )
        assert proc.returncode == 0, proc.stderr[-4000:]
        return json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))

    return run
