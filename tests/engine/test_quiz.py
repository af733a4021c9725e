"""``/// quiz``: choice questions (radio buttons or checkboxes) and numeric questions.

The right answers are not in the page: a choice question carries a salted hash of the set of
right answers, a numeric one its value XOR-ed with a key (``lesson_plugins/blocks/quiz.py``).
"""

from __future__ import annotations

import base64
from itertools import cycle

import pytest
from enginehtml import only, text, tree

from lesson_plugins.blocks.quiz import answer_key, hash53

SINGLE = """# Lesson

/// quiz | Which is *right*?
- [ ] wrong
- [x] right
    > Yes: it is.
- [ ] also wrong

Because it is.
///
"""

NUMERIC = """/// quiz | What is ln 2?
    type: numeric
    answer: 0.693
    tolerance: 1%

> Not quite: think of halving.

Explained.
///
"""


def salt_of(question: str, path: str = "docs/lesson.md") -> str:
    return hash53(f"{path}\n{question}")[-8:]


def test_single_choice(convert) -> None:
    root = tree(convert(SINGLE))
    quiz = only(root, "div[@class='ms-quiz']")
    question = "Which is *right*?"
    quiz_id = "q" + hash53(question)[-8:]
    salt = salt_of(question)
    assert quiz.attrib == {
        "class": "ms-quiz",
        "id": quiz_id,
        "data-ms-quiz": quiz_id,
        "data-ms-salt": salt,
        "data-ms-kind": "single",
        "data-ms-key": answer_key(salt, [1]),
    }
    assert [c.tag for c in quiz] == ["form", "p", "div"]
    legend = only(quiz, "form/fieldset/legend")
    assert [s.get("class") for s in legend] == ["ms-quiz-count", "ms-quiz-question"]
    assert legend[0].text == "comprehension check · 1 / 1"
    rows = quiz.findall("form/fieldset/div[@class='ms-quiz-answers']/div")
    assert [r.get("class") for r in rows] == ["ms-quiz-answer"] * 3
    for index, row in enumerate(rows):
        radio, label = row[0], row[1]
        assert radio.attrib == {
            "type": "radio",
            "name": quiz_id,
            "id": f"{quiz_id}-{index}",
            "value": str(index),
        }
        assert label.get("for") == f"{quiz_id}-{index}"
    assert [text(r.find("label")) for r in rows] == ["wrong", "right", "also wrong"]
    feedback = rows[1].find("div")
    assert feedback.attrib == {"class": "ms-quiz-feedback", "hidden": "hidden"}
    assert text(feedback) == "Yes: it is."
    assert quiz.find("form//button") is None  # a single choice is checked when chosen
    assert quiz[1].attrib == {"class": "ms-quiz-status", "role": "status"}
    assert quiz[2].attrib == {"class": "ms-quiz-explanation", "hidden": "hidden"}
    assert text(quiz[2]).strip() == "Because it is."
    assert "right" not in quiz.get("data-ms-key")


def test_several_right_answers_are_checkboxes_with_a_check_button(convert) -> None:
    page = "/// quiz | Pick two\n- [x] one\n- [ ] two\n- [X] three\n///\n"
    quiz = only(tree(convert(page)), "div[@class='ms-quiz']")
    assert quiz.get("data-ms-kind") == "multiple"
    assert quiz.get("data-ms-key") == answer_key(salt_of("Pick two"), [0, 2])
    assert [i.get("type") for i in quiz.iter("input")] == ["checkbox"] * 3
    button = only(quiz, "form/fieldset/div/button")
    assert button.attrib == {"type": "submit", "class": "md-button md-button--primary"}
    assert button.text == "Check"


def test_numeric(convert) -> None:
    quiz = only(tree(convert(NUMERIC)), "div[@class='ms-quiz']")
    question = "What is ln 2?"
    quiz_id, salt = "q" + hash53(question)[-8:], salt_of(question)
    assert quiz.get("data-ms-kind") == "numeric"
    key = bytes.fromhex(hash53(f"{salt}:n"))
    hidden = base64.b64decode(quiz.get("data-ms-key"))
    assert (
        bytes(a ^ b for a, b in zip(hidden, cycle(key))).decode()
        == f"{0.693!r} {0.693 * 1 / 100!r}"
    )
    group = only(quiz, "form/fieldset/div[@class='ms-quiz-answers']")
    assert [c.tag for c in group] == ["label", "input", "div", "button"]
    assert group[0].attrib == {"for": f"{quiz_id}-n"} and group[0].text == "Your answer"
    assert group[1].attrib == {
        "type": "number",
        "step": "any",
        "id": f"{quiz_id}-n",
        "name": quiz_id,
    }
    assert group[2].get("class") == "ms-quiz-feedback"
    assert text(group[2]).strip() == "Not quite: think of halving."
    assert text(quiz.find("div[@class='ms-quiz-explanation']")).strip() == "Explained."


def test_quizzes_are_numbered_on_the_page(convert) -> None:
    counts = tree(convert(SINGLE + "\n" + NUMERIC)).findall(".//span[@class='ms-quiz-count']")
    assert [c.text for c in counts] == [
        "comprehension check · 1 / 2",
        "comprehension check · 2 / 2",
    ]


@pytest.mark.parametrize(
    ("page", "line", "message"),
    [
        ("/// quiz | Q\nNo list.\n///\n", 1, "no answers: list them as '- [ ] a wrong answer'"),
        ("/// quiz | Q\n- [ ] a\n- [ ] b\n///\n", 1, "no correct answer"),
        ("/// quiz | Q\n- [x] a\n///\n", 1, "a choice question needs at least two answers"),
        ("/// quiz | Q\n- [x] a\n- [ ] a\n///\n", 3, "answer 2 repeats answer 1"),
        ("/// quiz | Q\n- [x] a\n- b\n///\n", 3, "answer 2 must start with '[ ]'"),
        ("/// quiz | Q\n    type: numeric\n///\n", 1, "a numeric question needs its value"),
        ("/// quiz | Q\n    answer: 2\n- [x] a\n- [ ] b\n///\n", 1, "option 'answer' is for"),
        (
            "/// quiz | Q\n    type: numeric\n    answer: 1\n    tolerance: -1\n///\n",
            1,
            "option 'tolerance': must not be negative",
        ),
        (
            "/// quiz | Q\n    type: numeric\n    answer: 1\n- [x] a\n- [ ] b\n///\n",
            4,
            "a numeric question has no answer list",
        ),
        (
            "/// quiz | Q\n    type: essay\n///\n",
            1,
            "option 'type': expected one of choice, numeric",
        ),
        ("/// quiz\n- [x] a\n- [ ] b\n///\n", 1, "needs an argument: write '/// quiz | QUESTION'"),
    ],
)
def test_mistakes_fail_at_their_line(fails, page, line, message) -> None:
    error = fails(page)
    assert (error.path, error.line) == ("docs/lesson.md", line)
    assert error.detail.startswith("quiz: ") and message in error.detail


def test_the_same_question_twice_fails(fails) -> None:
    page = "/// quiz | Q\n- [x] a\n- [ ] b\n///\n\n/// quiz | Q\n- [x] c\n- [ ] d\n///\n"
    error = fails(page)
    assert error.line == 6 and "another quiz on this page asks the same question" in error.detail
