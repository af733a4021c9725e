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

from lesson_plugins import pagedata
from tests.hosts.hostbuild import ROOT, zensical_build

COURSE = ROOT / "mkdocs.yml"
#: What the engine writes into a page: every output figure, quiz, lesson header and course index.
PARTS = {
    "outputs": r'<figure class="ms-output.*?</figure>',
    "quizzes": r'<form class="ms-quiz".*?</form>',
    "header": r'<div class="ms-lesson-header".*?</div>',
    "course": r'<div class="ms-course".*?</div></div>',
    "math": r"<math .*?</math>",
}


def engine_parts(site: Path) -> dict[str, dict[str, list[str]]]:
    """Per page of ``site``: the engine's markup, by :data:`PARTS`."""
    found = {}
    for page in sorted(site.rglob("index.html")):
        html = pagedata.read(page)  # with the states and rows of its data file
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
    data = [sorted(p.relative_to(s).as_posix() for p in s.rglob("index.*.json")) for s in both]
    assert data[0] == data[1] and "act-4/distillation/" in " ".join(data[0])


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


SLIDER = "/// slider | T\n    min: 0\n    max: 2\n    step: 1\n    value: 1\n///\n"
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
    "output never closed": (
        "# A\n\n" + SLIDER + "/// bars | chart\n    compute: lab:clipped\n\nText.\n",
        9,
        "bars: the block '/// bars | chart' that starts here is never closed, so everything after "
        "it (to the end of the page) is inside it; add a line '///' after line 10",
    ),
    "content inside an output": (
        "# A\n\n" + SLIDER + "/// bars | chart\n    compute: lab:clipped\n\nText.\n///\n",
        9,
        "bars: an output takes no content, but text follows its options (line 12)",
    ),
    "misspelled directive": (
        "# A\n\n" + SLIDER + "/// slidr | clip\n    min: 0\n///\n",
        9,
        "unknown directive '/// slidr' (did you mean 'slider'?): it would be printed as text",
    ),
    "renamed parameter with a default": (
        "# A\n\n" + SLIDER + SLIDER.replace("| T", "| clip") + "/// bars | c\n    compute: "
        "lab:clipped\n///\n",
        9,
        "slider: no output on this page takes a parameter named 'clip' (did you mean 'clipping'?)",
    ),
    "slider value used as a whole number": (
        "# A\n\n" + SLIDER.replace("| T", "| bits") + "/// bars | c\n    compute: lab:levels\n"
        "///\n",
        9,
        "bars: lab:levels(bits=1.0) raised TypeError: 'float' object cannot be interpreted as an "
        "integer; sliders pass floats (bits=1.0, not 1)",
    ),
}
#: The module the mistakes' compute functions come from (the engine's option ``modules``).
LAB = """def clipped(T: float, clipping: float = 1.0) -> dict:
    return {"a": min(T, clipping)}

def levels(bits: float) -> dict:
    return {str(level): 1.0 for level in range(bits)}
"""


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_an_author_mistake_fails_the_zensical_build_with_file_and_line(tmp_path, mistake) -> None:
    page, line, message = MISTAKES[mistake]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "lab.py").write_text(LAB, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n"
        "  - microscale:\n      modules: [lab.py]\n      precompute_limit: 0\n",
        encoding="utf-8",
    )
    done = zensical_build(config, tmp_path / "site")
    assert done.returncode == 1
    said = [ln for ln in done.stderr.splitlines() if ln.startswith("microscale: docs/")]
    assert said and said[-1].startswith(f"microscale: docs/index.md:{line}: {message}"), (
        done.stderr[-2000:]
    )


def test_a_compute_error_under_zensical_shows_the_authors_frames(tmp_path) -> None:
    test_an_author_mistake_fails_the_zensical_build_with_file_and_line(
        tmp_path, "slider value used as a whole number"
    )
    # the same build again, to read the lines below the error
    done = zensical_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    frames = done.stderr[done.stderr.index("Traceback in your code") :].splitlines()
    assert frames[1:3] == [
        '  File "lab.py", line 5, in levels',
        "    return {str(level): 1.0 for level in range(bits)}",
    ], done.stderr[-2000:]


def test_a_course_without_the_engine_listed_fails_to_finish(tmp_path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# A\n\n/// course\n///\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\ntheme:\n  name: material\n", encoding="utf-8")
    done = zensical_build(config, tmp_path / "site")
    assert done.returncode == 1
    assert "markdown_extensions does not list 'microscale'" in done.stderr


def test_a_later_zensical_build_reuses_the_computed_results(tmp_path) -> None:
    """``zensical build --clean`` empties ``.cache``: ``microscale build`` keeps the compute
    cache out of its way, so a second build of the same sources computes nothing."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# A\n\n/// slider | T\n    min: 0\n    max: 1\n    step: 0.5\n///\n\n"
        "/// readout | the two animals\n    compute: lab:f\n///\n",
        encoding="utf-8",
    )
    (tmp_path / "lab.py").write_text(
        "import pathlib\n\n\ndef f(T: float) -> dict:\n"
        "    with pathlib.Path(__file__).with_name('calls.log').open('a') as log:\n"
        "        log.write('.')\n"
        "    return {'zebra': T, 'quokka': 1 - T}\n",
        encoding="utf-8",
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n"
        "  - microscale:\n      modules: [lab.py]\n",
        encoding="utf-8",
    )
    calls = tmp_path / "calls.log"
    for _ in range(2):
        done = zensical_build(config, tmp_path / "site")
        assert done.returncode == 0, done.stderr
        assert calls.read_text() == "...", "3 states of T, computed by the first build only"
    assert (tmp_path / ".cache" / "plugin" / "lessons" / "compute.json").is_file()
