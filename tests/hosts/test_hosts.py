"""One engine, three hosts: the course builds with MkDocs, ProperDocs and Zensical, to the same
widgets, and an author's mistake fails every host's build with ``file:line``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hosts.hostbuild import ROOT, zensical_build

COURSE = ROOT / "mkdocs.yml"
#: What the engine writes into a page: every output figure, quiz, lesson header and course index.
PARTS = {
    "outputs": r'<figure class="ms-output.*?</figure>',
    "quizzes": r'<div class="ms-quiz".*?</fieldset>',
    "header": r'<div class="ms-lesson-header".*?</div>',
    "course": r'<div class="ms-course".*?</div></div>',
    "math": r"<math .*?</math>",
}


def engine_parts(site: Path) -> dict[str, dict[str, list[str]]]:
    """Per page of ``site``: the engine's markup, by :data:`PARTS`."""
    found = {}
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        found[page.relative_to(site).as_posix()] = {
            name: re.findall(pattern, html, re.S) for name, pattern in PARTS.items()
        }
    return found


@pytest.fixture(scope="module")
def both(build_site, zensical_site, pyodide_dist) -> tuple[Path, Path]:
    env = {"PYODIDE_DIST": str(pyodide_dist)}
    return build_site(COURSE, env=env), zensical_site(COURSE, env=env)


def test_mkdocs_and_zensical_make_the_same_pages(both) -> None:
    mkdocs, zensical = (engine_parts(site) for site in both)
    assert sorted(mkdocs) == sorted(zensical)
    for page, parts in mkdocs.items():
        for name, found in parts.items():
            assert zensical[page][name] == found, f"{page}: {name} differ"
    lesson = mkdocs["act-4/distillation/index.html"]
    assert len(lesson["outputs"]) >= 10 and len(lesson["quizzes"]) == 2 and lesson["header"]
    values = [v for f in lesson["outputs"] for v in re.findall(r'data-value="([^"]+)"', f)]
    assert len(values) > 50  # the comparison covered real numbers


def test_zensical_site_is_finished_like_the_mkdocs_one(both) -> None:
    mkdocs, zensical = both
    for name in ("sw.js", ".nojekyll"):
        assert (zensical / name).is_file(), name
    shipped = sorted(p.relative_to(mkdocs).as_posix() for p in (mkdocs / "assets").rglob("*"))
    ours = {p for p in shipped if p.startswith(("assets/microscale/", "assets/pyodide/"))}
    assert ours <= {p.relative_to(zensical).as_posix() for p in zensical.rglob("*")}
    lesson = "act-4/distillation/index.html"
    tags = [re.findall(r'<script[^>]*id="ms-[a-z]+"|<script type="module"[^>]*>', (site / lesson)
            .read_text(encoding="utf-8")) for site in both]  # fmt: skip
    assert tags[0] == tags[1] and tags[0]
    manifests = [
        json.loads(re.search(r"const MANIFEST = (\{.*?\n\});", (s / "sw.js").read_text(), re.S)[1])
        for s in both
    ]
    assert manifests[0]["runtime"] == manifests[1]["runtime"]


def test_properdocs_builds_the_course_strictly(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(COURSE), "-d",
         str(tmp_path / "site")],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lesson = (tmp_path / "site" / "act-4" / "distillation" / "index.html").read_text()
    assert 'class="ms-output ms-bars"' in lesson and 'id="ms-config"' in lesson


LESSON = "---\nact: I\nact_title: Basics\nlesson: {id}\nminutes: 1\nxp: 5\ntagline: hi\n---\n\n"
MISTAKES = {
    "unknown option": (
        "# A\n\n/// slider | T\n    mn: 0\n    max: 1\n    step: 0.5\n///\n",
        3,
        "slider: unknown option 'mn' (did you mean 'min'?)",
    ),
    "missing compute": ("# A\n\n/// bars | chart\n///\n", 3, "bars: missing option 'compute'"),
    "unknown function": (
        "# A\n\n/// readout | r\n    compute: pycore.kd:nothing\n///\n",
        3,
        "readout: compute: 'pycore.kd' has no function 'nothing'",
    ),
    "front matter not YAML": (
        "---\nlesson: a\ntagline: Teacher: student\n---\n\n# A\n",
        3,
        "front matter is not valid YAML",
    ),
    "bad math": (
        "# A\n\nSee $\\frac{1}{2$ here.\n",
        3,
        "math $\\frac{1}{2$: a '{' is never closed",
    ),
    "lesson field": (
        LESSON.format(id="a").replace("minutes: 1", "minutes: soon") + "# A\n",
        5,
        "lesson front matter: field 'minutes'",
    ),
    "quiz without a right answer": (
        "# A\n\n/// quiz | Which?\n- [ ] one\n- [ ] two\n///\n",
        3,
        "quiz:",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_an_author_mistake_fails_the_zensical_build_with_file_and_line(tmp_path, mistake) -> None:
    page, line, message = MISTAKES[mistake]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n"
        "  - microscale\n",
        encoding="utf-8",
    )
    done = zensical_build(config, tmp_path / "site")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"microscale: docs/index.md:{line}: {message}"), done.stderr[-2000:]


def test_a_course_without_the_engine_listed_fails_to_finish(tmp_path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# A\n\n/// course\n///\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\ntheme:\n  name: material\n", encoding="utf-8")
    done = zensical_build(config, tmp_path / "site")
    assert done.returncode == 1
    assert "markdown_extensions does not list 'microscale'" in done.stderr
