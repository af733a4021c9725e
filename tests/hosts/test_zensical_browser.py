"""The Zensical-built course in Chromium: the same widgets, live Python, quizzes and progress as
under MkDocs (the service worker's offline start and a sub-path deployment are in
``tests/publish/test_served.py``, whose sites are built by both hosts)."""

from __future__ import annotations

import pytest

from pycore.lessons import distillation as d
from tests.hosts.hostbuild import ROOT
from tests.lessons.test_lesson_browser import (
    LESSON,
    SEED_STUDENT,
    SEED_TEACHER,
    assert_same,
    figure,
    set_range,
    values,
    wait_live,
)
from tests.quiz.test_quiz_browser import SITE as QUIZ_SITE
from tests.quiz.test_quiz_browser import answer_all, expect, open_lesson

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def course_url(zensical_site, serve, pyodide_dist) -> str:
    site = zensical_site(ROOT / "mkdocs.yml", env={"PYODIDE_DIST": str(pyodide_dist)})
    return serve(site).url


def test_seed_figure_and_a_precomputed_slider(course_url, page, page_errors) -> None:
    page.goto(course_url + LESSON)
    teacher = figure(page, "teacher distribution · p_T")
    student = figure(page, "student distribution · p_T")
    assert teacher.locator(".ms-value").all_text_contents() == SEED_TEACHER
    assert student.locator(".ms-value").all_text_contents() == SEED_STUDENT
    for T in (1.0, 5.0):
        set_range(page, "T", T)
        assert_same(values(teacher), d.teacher(T))
        assert teacher.get_attribute("data-ms-state") == "precomputed"
    page_errors.assert_none()


@pytest.mark.pyodide
def test_live_python(course_url, page, page_errors) -> None:
    page.goto(course_url + LESSON)
    total = figure(page, "cache size for all tokens (TB)")
    set_range(page, "tokens", 9000)
    set_range(page, "k", 16)
    wait_live(page, total)
    assert_same(values(total), d.cache_total(9000, 16, "bf16"), rel=1e-12)
    page_errors.assert_none()


def test_a_quiz_answered_earns_its_progress(zensical_site, serve, page, page_errors) -> None:
    url = serve(zensical_site(QUIZ_SITE)).url
    open_lesson(page, url)
    answer_all(page)
    expect()(page.locator(".ms-quiz-summary")).to_have_text(
        "Comprehension check: 3 of 3 answered correctly. Comprehension check complete: +20 xp."
    )
    expect()(page.locator(".ms-lesson-state")).to_have_text("completed")
    page.goto(url)
    course = page.locator(".ms-course")
    expect()(course.locator("[data-ms-lesson=first] .ms-course-state")).to_have_text("completed")
    expect()(course.locator(".ms-course-total")).to_have_text("20 / 50 xp earned")
    page_errors.assert_none()
