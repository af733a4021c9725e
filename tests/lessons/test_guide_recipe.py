"""The author guide's recipe for a lesson with its own Python module, built exactly as written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "index.md"


def fenced(language: str, marker: str) -> str:
    """The first ``language`` code block of the guide that contains ``marker``, dedented."""
    pattern = rf"^( *)```{language}\n(.*?)^\1```"
    for m in re.finditer(pattern, GUIDE.read_text(encoding="utf-8"), re.M | re.S):
        if marker in m.group(2):
            return textwrap.dedent(m.group(2))
    raise AssertionError(f"no {language} block with {marker!r} in {GUIDE}")


def test_the_guide_recipe_builds_a_lesson(build_pages) -> None:
    module = fenced("python", "# lessons/attention.py")
    page = fenced("markdown", "lesson: attention")
    site = build_pages(
        {"attention.md": page},
        plugin_options={"modules": ["lessons"]},
        files={"lessons/__init__.py": "", "lessons/attention.py": module},
    )
    html = (site / "attention" / "index.html").read_text(encoding="utf-8")
    assert "Act II · How They Read" in html and "8 min · 40 xp" in html
    namespace: dict = {}
    exec(compile(module, "attention.py", "exec"), namespace)
    for label, value in namespace["weights"](1.0).items():
        assert f'data-label="{label}" data-value="{value!r}"' in html
