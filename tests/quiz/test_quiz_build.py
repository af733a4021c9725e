"""Build-time tests of quizzes, lesson headers, paper cards and the course index.

Every author mistake is a real MkDocs build (``build_pages``) that must fail with the file, the line
and a message that says how to fix it.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lesson_plugins.blocks.quiz import answer_key, hash53, obfuscate
from lesson_plugins.errors import DirectiveError

ASSETS = Path(__file__).resolve().parents[2] / "lesson_plugins" / "assets"

LESSON = """---
act: IV
act_title: How They Learn
lesson: distillation
minutes: 11
xp: 55
tagline: Watch teacher distributions flow into students
---

# Distillation & dark knowledge

"""

QUIZ = """/// quiz | What is 'dark knowledge' in the *distillation* sense?
- [ ] The teacher's hidden-layer activations
- [x] The information in the teacher's probabilities on the non-top answers
    > Yes: the runner-ups say which wrong answers are nearly right.
- [ ] Knowledge the teacher memorized from private data
    > No: distillation sees only the teacher's outputs.

The soft labels carry the `dark knowledge`.
///
"""


def html_of(site: Path, page: str = "index.html") -> str:
    return (site / page).read_text(encoding="utf-8")


def build_error(build_pages, pages: str | dict[str, str], name: str = "index.md") -> DirectiveError:
    with pytest.raises(DirectiveError) as info:
        build_pages(pages if isinstance(pages, dict) else {name: pages})
    return info.value


def quiz_div(html: str, index: int = 0) -> str:
    """The HTML from the start of quiz ``index`` to the next quiz or the end of the content."""
    return html.split('<form class="ms-quiz" ')[index + 1].split("</article>")[0]


# -- hashing: Python and the browser agree ---------------------------------------------------


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run progress.js")
def test_hash_matches_the_browser_module(tmp_path: Path) -> None:
    samples = ["", "a", "salt:0,2", "héllo €", "x" * 300]
    script = tmp_path / "hash.mjs"
    script.write_text(
        f"import {{ hash }} from {json.dumps((ASSETS / 'progress.js').as_uri())};\n"
        f"console.log(JSON.stringify({json.dumps(samples)}.map(hash)));\n",
        encoding="utf-8",
    )
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [hash53(s) for s in samples]


def test_obfuscate_round_trips_and_hides_the_digits() -> None:
    token = obfuscate("abcd1234", "0.693 0.0005")
    assert "0.693" not in token
    key = bytes.fromhex(hash53("abcd1234:n"))
    raw = base64.b64decode(token)
    assert bytes(b ^ key[i % len(key)] for i, b in enumerate(raw)).decode() == "0.693 0.0005"


# -- rendering ---------------------------------------------------------------------------------


def test_single_choice_renders_radios_in_a_fieldset_without_the_answer(build_pages) -> None:
    html = html_of(build_pages({"index.md": LESSON + QUIZ}))
    quiz = quiz_div(html)
    assert 'data-ms-kind="single"' in quiz
    assert quiz.count('type="radio"') == 3
    assert "<fieldset>" in quiz and "<legend>" in quiz
    assert "comprehension check · 1 / 1" in quiz
    assert "<em>distillation</em>" in quiz  # markdown in the question
    assert "<code>dark knowledge</code>" in quiz  # and in the explanation
    assert 'role="status"' in quiz
    # The right answer is nowhere in plain sight: no [x], no 'correct' flag, only a salted hash.
    assert "[x]" not in html and "correct" not in quiz.lower()
    salt = re.search(r'data-ms-salt="(\w+)"', quiz).group(1)
    key = re.search(r'data-ms-key="(\w+)"', quiz).group(1)
    assert key == answer_key(salt, [1]) != answer_key(salt, [0])


def test_feedback_stays_with_its_answer(build_pages) -> None:
    """Each feedback names its answer; it waits in the quiz's template until that is chosen."""
    quiz = quiz_div(html_of(build_pages({"index.md": LESSON + QUIZ})))
    template = quiz.split("<template>")[1].split("</template>")[0]
    feedback = dict(
        re.findall(
            r'<div class="ms-quiz-feedback" data-ms-for="(\d+)">(.*?)</div>', template, re.DOTALL
        )
    )
    assert sorted(feedback) == ["1", "2"]  # the first answer has none
    assert "runner-ups say" in feedback["1"] and "only the teacher" in feedback["2"]
    assert "ms-quiz-feedback" not in quiz.split("<template>")[0]


def test_loose_answers_with_blank_lines_parse_the_same(build_pages) -> None:
    loose = QUIZ.replace("\n- [ ] Knowledge", "\n\n- [ ] Knowledge").replace(
        "\n    > Yes", "\n\n    > Yes"
    )
    quiz = quiz_div(html_of(build_pages({"index.md": LESSON + loose})))
    assert quiz.count('type="radio"') == 3
    assert "<label" in quiz and "<p>" not in quiz.split("<template>")[0].split("<label")[1]
    assert "runner-ups say" in quiz


def test_multiple_choice_has_checkboxes_and_a_check_button(build_pages) -> None:
    text = """/// quiz | Which are distributions?
- [x] (0.2, 0.8)
- [ ] (0.5, 0.6)
- [x] (1, 0)
///
"""
    quiz = quiz_div(html_of(build_pages({"index.md": text})))
    assert 'data-ms-kind="multiple"' in quiz
    assert quiz.count('type="checkbox"') == 3
    assert 'type="submit"' in quiz and ">Check<" in quiz
    salt = re.search(r'data-ms-salt="(\w+)"', quiz).group(1)
    assert f'data-ms-key="{answer_key(salt, [0, 2])}"' in quiz


def test_numeric_question_hides_its_value(build_pages) -> None:
    text = """/// quiz | What is ln 2?
    type: numeric
    answer: 0.693
    tolerance: 1%
> Hint: a little less than 0.7.

ln 2 = 0.6931
///
"""
    quiz = quiz_div(html_of(build_pages({"index.md": text})))
    assert 'type="number"' in quiz and 'step="any"' in quiz
    assert "0.693 " not in quiz and "0.00693" not in quiz
    salt = re.search(r'data-ms-salt="(\w+)"', quiz).group(1)
    token = re.search(r'data-ms-key="([^"]+)"', quiz).group(1)
    assert token == obfuscate(salt, f"{0.693!r} {0.693 * 1 / 100!r}")
    feedback, explanation = quiz.split("ms-quiz-explanation")
    assert "a little less" in feedback and "ln 2 = 0.6931" in explanation


def test_quizzes_are_numbered_as_one_check(build_pages) -> None:
    second = QUIZ.replace("What is", "Really, what is")
    html = html_of(build_pages({"index.md": LESSON + QUIZ + "\ntext\n\n" + second}))
    assert "comprehension check · 1 / 2" in quiz_div(html, 0)
    assert "comprehension check · 2 / 2" in quiz_div(html, 1)


def test_strings_come_from_the_plugin_options(build_pages) -> None:
    site = build_pages(
        {"index.md": LESSON + QUIZ},
        plugin_options={"strings": {"quiz_count": "Frage {index} von {total}"}},
    )
    assert "Frage 1 von 1" in html_of(site)


# -- build errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("/// quiz | Q?\n- [ ] a\n- [ ] b\n///\n", 1, "no correct answer"),
        (
            "/// quiz |\n- [ ] a\n- [x] b\n///\n",
            1,
            "needs an argument: write '/// quiz | QUESTION'",
        ),
        ("/// quiz | Q?\n- [ ] a\n- [x]\n///\n", 3, "answer 2 is empty"),
        ("/// quiz | Q?\n- [x] a\n- [ ] b\n- [ ]  A \n///\n", 4, "answer 3 repeats answer 1"),
        ("/// quiz | Q?\n- [x] a\n- b\n///\n", 3, "answer 2 must start with '[ ]'"),
        ("/// quiz | Q?\n- [x] only\n///\n", 1, "at least two answers"),
        ("/// quiz | Q?\nJust text.\n///\n", 1, "no answers: list them"),
        ("/// quiz | Q?\n    type: numeric\n///\n", 1, "a numeric question needs its value"),
        (
            "/// quiz | Q?\n    type: numeric\n    answer: 1\n    tolerance: -0.1\n///\n",
            1,
            "option 'tolerance': must not be negative",
        ),
        (
            "/// quiz | Q?\n    type: numeric\n    answer: 1\n    tolerance: lots\n///\n",
            1,
            "option 'tolerance': expected a number",
        ),
        ("/// quiz | Q?\n    type: numeric\n    answer: one\n///\n", 1, "option 'answer'"),
        (
            "/// quiz | Q?\n    type: numeric\n    answer: 1\n- [x] a\n- [ ] b\n///\n",
            4,
            "a numeric question has no answer list",
        ),
        (
            "/// quiz | Q?\n    answer: 1\n- [x] a\n- [ ] b\n///\n",
            1,
            "option 'answer' is for numeric",
        ),
        (
            "/// quiz | Q?\n    tpye: numeric\n- [x] a\n- [ ] b\n///\n",
            1,
            "unknown option 'tpye' (did you mean 'type'?)",
        ),
        (
            "/// quiz | Q?\n    type: essay\n- [x] a\n- [ ] b\n///\n",
            1,
            "expected one of choice, numeric",
        ),
    ],
)
def test_quiz_errors(build_pages, text: str, line: int, message: str) -> None:
    padded = "# Page\n\nSome text.\n\n" + text  # the quiz starts at line 5
    err = build_error(build_pages, padded)
    assert err.path == "docs/index.md"
    assert err.line == line + 4, str(err)
    assert message in err.detail, str(err)
    assert str(err).startswith(f"docs/index.md:{line + 4}: quiz: ")


def test_error_line_of_an_answer_skips_code_fences_and_nested_blocks(build_pages) -> None:
    text = (
        "```\n/// quiz | not a quiz\n- [ ] x\n```\n\n"
        "/// quiz | Q?\n- [x] a\n- [ ] b\n- [ ] a\n///\n"
    )
    err = build_error(build_pages, text)
    assert err.line == 9 and "answer 3 repeats answer 1" in err.detail


def test_two_quizzes_with_the_same_question(build_pages) -> None:
    err = build_error(build_pages, QUIZ + "\n" + QUIZ)
    assert err.line == 11 and "same question" in err.detail


# -- paper cards ---------------------------------------------------------------------------------

PAPER = """/// paper | MiniLLM: Knowledge Distillation of Large Language Models
    authors: Gu, Dong, Wang, Hou, Huang, Chen, Wei
    year: 2024
    venue: ICLR 2024
    arxiv: {arxiv}
Reverse KL for *language models*.
///
"""


def test_paper_card(build_pages) -> None:
    html = html_of(build_pages({"index.md": PAPER.format(arxiv="2306.08543")}))
    card = re.search(r'<article class="ms-paper">.*?</article>', html, re.DOTALL).group(0)
    assert ">paper<" in card
    assert '<a href="https://arxiv.org/abs/2306.08543">arXiv:2306.08543</a>' in card
    assert "Gu, Dong, Wang, Hou, Huang, Chen, Wei · 2024 · ICLR 2024" in card
    assert "<em>language models</em>" in card


def test_paper_arxiv_id_keeps_its_trailing_zero(build_pages) -> None:
    html = html_of(build_pages({"index.md": PAPER.format(arxiv="1503.02530")}))
    assert "https://arxiv.org/abs/1503.02530" in html  # YAML alone would read 1503.0253


@pytest.mark.parametrize(
    ("arxiv", "message"),
    [
        ("2306.8543", "not an arXiv id: ids have 4 digits after the dot until 2014"),
        ("1412.65432", "not an arXiv id"),
        ("2313.08543", "expected an arXiv id like"),
        ("hep-th/9901001", "expected an arXiv id like"),
        ("arXiv:2306.08543", "expected an arXiv id like"),
    ],
)
def test_paper_bad_arxiv(build_pages, arxiv: str, message: str) -> None:
    err = build_error(build_pages, "# P\n\n" + PAPER.format(arxiv=arxiv))
    assert (err.path, err.line) == ("docs/index.md", 3)
    assert "paper: option 'arxiv': " in err.detail and message in err.detail, str(err)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("    year: 2024\n", "    year: soon\n"), "option 'year': expected a whole number"),
        (("    year: 2024\n", "    year: 24\n"), "option 'year': expected a year"),
        (("    year: 2024\n", ""), "missing option 'year'"),
        (("    authors: Gu, Dong, Wang, Hou, Huang, Chen, Wei\n", ""), "missing option 'authors'"),
        (("    venue:", "    venu:"), "unknown option 'venu' (did you mean 'venue'?)"),
    ],
)
def test_paper_option_errors(build_pages, edit: tuple[str, str], message: str) -> None:
    err = build_error(build_pages, PAPER.format(arxiv="2306.08543").replace(*edit))
    assert err.line == 1 and message in err.detail, str(err)


# -- lesson header -------------------------------------------------------------------------------


def test_lesson_header_above_the_title_and_tagline_below(build_pages) -> None:
    html = html_of(build_pages({"index.md": LESSON + "Text.\n"}))
    act = html.index("Act IV · How They Learn")
    meta = html.index("11 min · 55 xp")
    title = html.index('<h1 id="distillation-dark-knowledge">')
    tagline = html.index("Watch teacher distributions flow into students</p>")
    assert act < meta < title < tagline
    assert 'data-ms-lesson="distillation" data-ms-xp="55"' in html


def test_lesson_header_without_a_heading_gets_the_title(build_pages) -> None:
    page = LESSON.replace("# Distillation & dark knowledge\n", "").replace(
        "---\n\n", "title: Distillation\n---\n\n"
    )
    html = html_of(build_pages({"index.md": page + "Text.\n"}))
    assert html.count("<h1") == 1
    assert html.index("11 min · 55 xp") < html.index("<h1>Distillation</h1>")


def test_pages_without_lesson_are_unchanged(build_pages) -> None:
    html = html_of(build_pages({"index.md": "---\nact: IV\n---\n\n# Plain\n\nText.\n"}))
    assert "ms-lesson-header" not in html


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (("minutes: 11\n", ""), None, "missing field 'minutes'"),
        (("act: IV\n", ""), None, "missing field 'act'"),
        (
            ("tagline: Watch teacher distributions flow into students\n", ""),
            None,
            "missing field 'tagline'",
        ),
        (
            ("minutes: 11", "minutes: eleven"),
            5,
            "field 'minutes': expected a whole number of at least 1",
        ),
        (("minutes: 11", "minutes: 0"), 5, "field 'minutes'"),
        (("xp: 55", "xp: -5"), 6, "field 'xp': expected a whole number of at least 0"),
        (("xp: 55", "xp: 5.5"), 6, "field 'xp'"),
        (("lesson: distillation", "lesson: Dark Knowledge!"), 4, "field 'lesson': expected an id"),
        (("act_title: How They Learn", "act_title: [a, b]"), 3, "field 'act_title': expected text"),
        (("tagline: Watch", "tagline: ''\nx: Watch"), 7, "field 'tagline': expected text"),
    ],
)
def test_lesson_header_errors(build_pages, edit, line, message) -> None:
    err = build_error(build_pages, LESSON.replace(*edit), name="act-4/distillation.md")
    assert err.path == "docs/act-4/distillation.md"
    assert err.line == line, str(err)
    assert message in err.detail, str(err)


def test_two_lessons_with_one_id(build_pages) -> None:
    err = build_error(build_pages, {"a.md": LESSON, "b.md": LESSON})
    assert err.path == "docs/b.md"
    assert "lesson id 'distillation' is already used by docs/a.md" in err.detail


# -- course index --------------------------------------------------------------------------------


def lesson_page(act: str, act_title: str, lesson: str, xp: int, title: str) -> str:
    return (
        LESSON.replace("IV", act)
        .replace("How They Learn", act_title)
        .replace("distillation", lesson)
        .replace("55", str(xp))
        .replace("Distillation & dark knowledge", title)
    )


def test_course_index_lists_acts_and_lessons_in_nav_order(build_pages, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme: {name: material}\nplugins: [lessons]\n"
        "nav: [index.md, b/two.md, a/one.md, c/three.md]\n",
        encoding="utf-8",
    )
    site = build_pages(
        {
            "index.md": "# Course\n\n/// course\n///\n",
            "a/one.md": lesson_page("II", "Later", "one", 10, "One"),
            "b/two.md": lesson_page("I", "First", "two", 20, "Two & *more*"),
            "c/three.md": lesson_page("I", "First", "three", 30, "Three"),
        }
    )
    html = html_of(site)
    course = re.search(r'<div class="ms-course".*?</div></div>', html, re.DOTALL).group(0)
    order = re.findall(r'data-ms-lesson="(\w+)"', course)
    assert order == ["two", "three", "one"]  # act I first (as in the nav), lessons in nav order
    assert course.index("<h2>Act I · First</h2>") < course.index("<h2>Act II · Later</h2>")
    assert '<a href="b/two/">Two &amp; more</a>' in course  # the h1's text, escaped once
    assert "11 min · 30 xp" in course and "lesson three" not in course
    assert 'data-ms-total="60"' in course
    for control in ("data-ms-export", "data-ms-import", "data-ms-reset", 'type="file"'):
        assert control in course


def test_course_acts_are_headings_below_the_section_holding_the_index(build_pages) -> None:
    home = "# Home\n\n```\n## not a heading\n```\n\n## The course\n\n/// course\n///\n"
    site = build_pages({"index.md": home, "a.md": lesson_page("I", "A", "one", 1, "One")})
    assert "<h3>Act I · A</h3>" in html_of(site)


def test_course_links_are_relative_from_a_nested_page(build_pages) -> None:
    site = build_pages(
        {
            "guide/home.md": "# Home\n\n/// course\n///\n",
            "a/one.md": lesson_page("I", "A", "one", 1, "One"),
        }
    )
    assert '<a href="../../a/one/">One</a>' in html_of(site, "guide/home/index.html")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/// course | all\n///\n", "takes no argument"),
        ("/// course\nSome text.\n///\n", "takes no content"),
        ("/// course\n///\n\n/// course\n///\n", "at most one course index"),
    ],
)
def test_course_errors(build_pages, text: str, message: str) -> None:
    err = build_error(build_pages, text)
    assert err.path == "docs/index.md" and err.line is not None and message in err.detail
