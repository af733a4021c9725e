"""Generated courses for the site benchmarks: N lessons shaped like the distillation lesson.

Each lesson has YAML front matter, about a page of prose with headings, a list and an admonition,
and the widget pattern of the real lesson: a temperature slider driving two bar charts (few states,
so the plugin precomputes them) and an ``alpha`` slider that, with ``T``, drives a third chart with
too many states to precompute (so it is computed live by Pyodide in the browser). The compute
functions live in ``benchlessons.py`` beside ``mkdocs.yml``, shipped through the ``modules`` option.
Each lesson calls functions of its own (``teacher_007`` ...) with logits of its own, as the lessons
of a real course compute different things: no lesson can reuse another's numbers.

The same course is written with configurations that differ only in the ``lessons`` plugin:
``mkdocs-plain.yml`` (plain mkdocs-material; the directive blocks stay in the markdown and render
as plain text) and ``mkdocs-plugin.yml``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

#: Which widget of a generated lesson takes which path in the browser.
PRECOMPUTED_SLIDER = "T"  # 46 states: teacher/student bars are precomputed
LIVE_SLIDER = "alpha"  # 101 x 46 states with T: the mix chart is computed live

COMPUTE_MODULE = '''\
"""Compute functions of the generated benchmark lessons (numpy only).

Lesson n calls teacher_n, student_n and mix_n (n written with 3 digits), whose logits are shifted
by a lesson-specific amount; lesson 1's are also named teacher, student and mix.
"""

import numpy as np

LESSONS = {lessons}
CITIES = ("Paris", "Lyon", "Marseille", "Bordeaux", "Nice", "London", "Berlin", "Rome")
TEACHER = np.array([6.2, 2.8, 2.6, 1.9, 1.5, -0.5, -1.1, -1.4])
STUDENT = np.array([6.4, 2.9, 2.7, 2.0, 1.6, -0.3, -1.0, -1.3])


def _softmax(logits: np.ndarray, T: float) -> dict[str, float]:
    z = logits / T
    p = np.exp(z - z.max())
    return dict(zip(CITIES, (p / p.sum()).tolist(), strict=True))


def lesson_functions(n: int):
    """The compute functions of lesson n."""
    shift = np.linspace(0.0, 0.01 * (n - 1), len(CITIES))

    def teacher(T: float) -> dict[str, float]:
        """The teacher's distribution at temperature T."""
        return _softmax(TEACHER + shift, T)

    def student(T: float) -> dict[str, float]:
        """The student's distribution at temperature T."""
        return _softmax(STUDENT + shift, T)

    def mix(alpha: float, T: float) -> dict[str, float]:
        """alpha * teacher + (1 - alpha) * student, at temperature T."""
        t, s = teacher(T), student(T)
        return {{city: alpha * t[city] + (1 - alpha) * s[city] for city in CITIES}}

    return teacher, student, mix


teacher, student, mix = lesson_functions(1)
for _n in range(1, LESSONS + 1):
    _names = (f"teacher_{{_n:03d}}", f"student_{{_n:03d}}", f"mix_{{_n:03d}}")
    globals().update(zip(_names, lesson_functions(_n), strict=True))
'''

PROSE = """\
Classical supervised learning trains on hard labels: each example says which answer is right and
nothing more. Distillation trains a small model on the full probability distribution of a larger
one. That distribution says more than "the answer is Paris": it also says that Lyon and Marseille
were plausible and that London was not. The runner-up probabilities carry the structure the
teacher has learned about the task, and the student can pick it up from them.

A temperature T divides the logits before the softmax. At T = 1 the teacher's distribution is as
sharp as it was trained to be; as T grows the distribution flattens and the small probabilities
grow, so the student sees more of the teacher's ranking of the wrong answers.
"""

LIST = """\
The recipe, step by step:

1. Run the teacher on the training data and keep its logits.
2. Soften teacher and student with the same temperature.
3. Add the KL term, scaled by T squared, to the usual cross-entropy.
4. Train the student; use T = 1 at inference time.
"""

ADMONITION = """\
!!! note "Why T squared"
    The gradient of the softened softmax shrinks like 1/T squared, so the KL term is multiplied
    by T squared to keep its scale comparable to the hard-label term as T changes.
"""


def widgets(number: int = 1) -> str:
    """The directive blocks of lesson ``number``, in the syntax of the ``lessons`` plugin."""
    return textwrap.dedent(
        f"""\
        /// slider | {PRECOMPUTED_SLIDER}
            label: temperature
            min: 0.5
            max: 5
            step: 0.1
            value: 2.0
            hint: low T = sharp (argmax-like) · high T = flat (rich dark knowledge)
        ///

        /// bars | teacher distribution · p_T
            compute: benchlessons:teacher_{number:03d}
        ///

        /// bars | student distribution · p_T
            compute: benchlessons:student_{number:03d}
        ///

        /// slider | {LIVE_SLIDER}
            label: teacher weight
            min: 0
            max: 1
            step: 0.01
            value: 0.5
        ///

        /// bars | mixture · alpha · teacher + (1 - alpha) · student
            compute: benchlessons:mix_{number:03d}
        ///
        """
    )


def lesson(number: int) -> str:
    """The markdown of generated lesson ``number`` (1-based)."""
    act = (number - 1) // 10 + 1
    return (
        "---\n"
        f"act: '{act}'\n"
        f"act_title: Generated act {act}\n"
        f"lesson: lesson-{number:03d}\n"
        "minutes: 11\n"
        "xp: 55\n"
        f"tagline: Generated lesson {number} of the build benchmark\n"
        "---\n\n"
        f"# Lesson {number}: distillation, take {number}\n\n"
        "## Hard labels and soft labels\n\n"
        f"{PROSE}\n"
        "## Temperature\n\n"
        f"{widgets(number)}\n"
        f"{LIST}\n"
        f"{ADMONITION}\n"
        "## What the student keeps\n\n"
        f"{PROSE}"
    )


def config(name: str, plugin: bool, lessons: int) -> str:
    """An ``mkdocs.yml`` for the generated course, with or without the ``lessons`` plugin."""
    options = "      modules: [benchlessons.py]\n"
    plugins = "  - search\n" + (f"  - lessons:\n{options}" if plugin else "")
    nav = "".join(
        f"  - Act {act}:\n"
        + "".join(
            f"    - lessons/lesson-{n:03d}.md\n"
            for n in range(act * 10 - 9, min(act * 10, lessons) + 1)
        )
        for act in range(1, (lessons + 9) // 10 + 1)
    )
    return (
        f"site_name: {name}\n"
        "docs_dir: docs\n"
        # The theme and extensions of the course's own mkdocs.yml.
        "theme:\n"
        "  name: material\n"
        "  font: false\n"
        "  features: [navigation.instant, navigation.sections, navigation.top,"
        " content.code.copy]\n"
        "  palette:\n"
        "    - media: '(prefers-color-scheme: light)'\n"
        "      scheme: default\n"
        "      primary: indigo\n"
        "    - media: '(prefers-color-scheme: dark)'\n"
        "      scheme: slate\n"
        "      primary: indigo\n"
        "markdown_extensions:\n"
        "  - admonition\n"
        "  - attr_list\n"
        "  - toc:\n"
        "      permalink: true\n"
        "  - pymdownx.superfences\n"
        f"plugins:\n{plugins}"
        f"nav:\n  - index.md\n{nav}"
    )


def write_course(root: Path, lessons: int) -> Path:
    """Write a course of ``lessons`` lessons under ``root``; return ``root``.

    ``root/mkdocs-plain.yml`` and ``root/mkdocs-plugin.yml`` build the same ``root/docs``.
    """
    docs = root / "docs" / "lessons"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text(
        f"# Generated course\n\n{lessons} lessons for the build benchmark.\n\n/// course\n///\n"
    )
    for n in range(1, lessons + 1):
        (docs / f"lesson-{n:03d}.md").write_text(lesson(n))
    (root / "benchlessons.py").write_text(COMPUTE_MODULE.format(lessons=lessons))
    name = f"Benchmark course ({lessons} lessons)"
    (root / "mkdocs-plain.yml").write_text(config(name, plugin=False, lessons=lessons))
    (root / "mkdocs-plugin.yml").write_text(config(name, plugin=True, lessons=lessons))
    return root
