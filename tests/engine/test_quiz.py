"""``/// quiz``: choice questions (radio buttons or checkboxes) and numeric questions.

The right answers are not in the page: a choice question carries a salted hash of the set of
right answers, a numeric one its value XOR-ed with a key (``lesson_plugins/blocks/quiz.py``).
Feedback and the explanation wait in the quiz's ``<template>`` until ``assets/quiz.js`` shows them.
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
    quiz = only(root, "form[@class='ms-quiz']")
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
    assert [c.tag for c in quiz] == ["fieldset", "p", "template"]
    legend = only(quiz, "fieldset/legend")
    assert [(c.tag, c.get("class")) for c in legend] == [("span", "ms-quiz-count"), ("em", None)]
    assert legend[0].text == "comprehension check · 1 / 1"
    assert text(legend).removeprefix(legend[0].text) == "Which is right?"  # markdown in it
    rows = quiz.findall("fieldset/label")
    assert [r.attrib for r in rows] == [{"class": "ms-quiz-answer"}] * 3
    for index, row in enumerate(rows):
        (radio,) = row  # the label holds its input: no id, no 'for'
        assert radio.attrib == {"type": "radio", "name": quiz_id, "value": str(index)}
    assert [text(r) for r in rows] == ["wrong", "right", "also wrong"]
    assert quiz.find("fieldset/button") is None  # a single choice is checked when chosen
    assert quiz[1].attrib == {"class": "ms-quiz-status", "role": "status"}
    # Feedback and explanation wait in the template, out of the live page, until shown.
    feedback, explanation = quiz[2]
    assert feedback.attrib == {"class": "ms-quiz-feedback", "data-ms-for": "1"}
    assert text(feedback) == "Yes: it is."
    assert explanation.attrib == {"class": "ms-quiz-explanation"}
    assert text(explanation).strip() == "Because it is."
    assert "right" not in quiz.get("data-ms-key")


def test_several_right_answers_are_checkboxes_with_a_check_button(convert) -> None:
    page = "/// quiz | Pick two\n- [x] one\n- [ ] two\n    > Not two.\n- [X] three\n///\n"
    quiz = only(tree(convert(page)), "form[@class='ms-quiz']")
    assert quiz.get("data-ms-kind") == "multiple"
    assert quiz.get("data-ms-key") == answer_key(salt_of("Pick two"), [0, 2])
    assert [i.get("type") for i in quiz.iter("input")] == ["checkbox"] * 3
    assert [c.tag for c in only(quiz, "fieldset")] == ["legend", *["label"] * 3, "button"]
    button = only(quiz, "fieldset/button")
    assert button.attrib == {"type": "submit", "class": "md-button md-button--primary"}
    assert button.text == "Check"
    (feedback,) = only(quiz, "template")  # no explanation written: none in the template
    assert feedback.get("data-ms-for") == "1" and text(feedback) == "Not two."


def test_numeric(convert) -> None:
    quiz = only(tree(convert(NUMERIC)), "form[@class='ms-quiz']")
    question = "What is ln 2?"
    quiz_id, salt = "q" + hash53(question)[-8:], salt_of(question)
    assert quiz.get("data-ms-kind") == "numeric"
    key = bytes.fromhex(hash53(f"{salt}:n"))
    hidden = base64.b64decode(quiz.get("data-ms-key"))
    assert (
        bytes(a ^ b for a, b in zip(hidden, cycle(key))).decode()
        == f"{0.693!r} {0.693 * 1 / 100!r}"
    )
    fieldset = only(quiz, "fieldset")
    assert [c.tag for c in fieldset] == ["legend", "label", "button"]
    label = fieldset[1]
    assert label.attrib == {} and label.text == "Your answer"  # inline, the button beside it
    (field,) = label
    assert field.attrib == {"type": "number", "step": "any", "name": quiz_id}
    feedback, explanation = only(quiz, "template")
    # The feedback to a wrong number: under the field (answer 0).
    assert feedback.attrib == {"class": "ms-quiz-feedback", "data-ms-for": "0"}
    assert text(feedback).strip() == "Not quite: think of halving."
    assert explanation.get("class") == "ms-quiz-explanation"
    assert text(explanation).strip() == "Explained."


def live_elements(element) -> int:
    """Elements as Lighthouse counts them: a ``<template>``'s content is no part of the page."""
    return 1 + sum(live_elements(c) for c in element if element.tag != "template")


@pytest.mark.parametrize(
    ("page", "elements"),
    [
        # form, fieldset, legend, its count span; 2 per answer (label, input); status; template
        (SINGLE, 4 + 2 * 3 + 2 + 1),  # and the question's <em>
        ("/// quiz | Pick two\n- [x] one\n- [ ] two\n- [X] three\n///\n", 4 + 2 * 3 + 1 + 2),
        (NUMERIC, 4 + 2 + 1 + 2),  # the number field in its label, the Check button
    ],
)
def test_a_quiz_is_few_elements_until_answered(convert, page: str, elements: int) -> None:
    """The lesson page's element budget (issue 21): feedback and explanation, markdown of any
    length, add no element to the page until the reader answers."""
    more = "Because *it* is:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    long = page.replace("Because it is.", more).replace("Explained.", more)
    for source in (page, long):
        quiz = only(tree(convert(source)), "form[@class='ms-quiz']")
        assert live_elements(quiz) == elements


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
