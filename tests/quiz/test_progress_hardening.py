"""Progress that other pages of the origin cannot spoil (issue 22), in a real Chromium.

All GitHub Pages project sites of a user share one origin, and with it localStorage. The quiz
site (``site/``) is built once and served twice on one origin, at ``/a/`` and ``/b/``, as two
courses of one user. Helpers come from ``test_quiz_browser``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.quiz.test_quiz_browser import SITE, answer_all, expect, open_lesson

pytestmark = pytest.mark.browser

LEGACY = "microscale.progress.v1"  # the key of builds before issue 22


@pytest.fixture
def origin(build_site, serve, tmp_path_factory) -> str:
    """The quiz course served at ``/a/`` and ``/b/`` of one origin; the origin's URL."""
    site = build_site(SITE)
    both = tmp_path_factory.mktemp("origin")
    for prefix in ("a", "b"):
        shutil.copytree(site, both / prefix)
    return serve(both).url


def stored(page, key: str) -> dict | None:
    return json.loads(page.evaluate(f"localStorage.getItem({json.dumps(key)})") or "null")


def total(page):
    return page.locator(".ms-course .ms-course-total")


def test_two_courses_on_one_origin_keep_their_own_progress(page, page_errors, origin):
    """Finishing a lesson in A leaves B untouched; resetting B leaves A untouched."""
    a, b = origin + "a/", origin + "b/"
    open_lesson(page, a)
    answer_all(page)
    expect()(page.locator(".ms-lesson-state")).to_have_text("completed")
    page.goto(a)
    expect()(total(page)).to_have_text("20 / 50 xp earned")

    page.goto(b)  # never visited: nothing earned there
    expect()(total(page)).to_have_text("0 / 50 xp earned")
    state = page.locator(".ms-course [data-ms-lesson=first] .ms-course-state")
    expect()(state).to_have_text("not started")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset progress").click()
    expect()(page.locator(".ms-course-message")).to_have_text("Progress reset.")

    page.goto(a)
    expect()(total(page)).to_have_text("20 / 50 xp earned")
    assert stored(page, f"{LEGACY}:/a/")["lessons"]["first"]["done"] is True
    assert stored(page, f"{LEGACY}:/b/")["lessons"] == {}
    assert stored(page, LEGACY) is None, "nothing is written under the origin-wide key"
    page_errors.assert_none()


def test_progress_under_the_old_key_is_migrated_not_lost(page, page_errors, origin):
    old = {
        "format": "microscale-progress",
        "version": 1,
        "lessons": {"first": {"answers": {}, "done": True}, "second": {"answers": {}}},
    }
    page.add_init_script(
        f"if (!localStorage.getItem({json.dumps(LEGACY)})) "
        f"localStorage.setItem({json.dumps(LEGACY)}, {json.dumps(json.dumps(old))})"
    )
    for course in ("a", "b"):  # every course of the origin takes its copy
        page.goto(origin + course + "/")
        expect()(total(page)).to_have_text("20 / 50 xp earned")
        assert stored(page, f"{LEGACY}:/{course}/")["lessons"]["first"]["done"] is True
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset progress").click()
    page.reload()  # reset stays reset: the old key is not migrated a second time
    expect()(total(page)).to_have_text("0 / 50 xp earned")
    page_errors.assert_none()


def test_stored_wrong_answers_do_not_count(page, page_errors, origin):
    """Answers planted in storage (or saved before the author changed the right option) are
    checked like typed ones: a wrong one neither counts nor completes the lesson."""
    page.goto(origin + "a/act-1/first/")
    ids = page.eval_on_selector_all(".ms-quiz", "qs => qs.map((q) => q.dataset.msQuiz)")
    wrong = {ids[0]: "0", ids[1]: "0,1,2", ids[2]: "12"}
    planted = {
        "format": "microscale-progress",
        "version": 1,
        "lessons": {"first": {"answers": wrong, "done": False}},
    }
    for key in (f"{LEGACY}:/a/", LEGACY):  # the course's key, and the one builds before it read
        page.evaluate(f"localStorage.setItem('{key}', {json.dumps(json.dumps(planted))})")
    open_lesson(page, origin + "a/")  # asserts "0 of 3 answered correctly."
    expect()(page.locator(".ms-lesson-state")).to_have_text("")
    expect()(page.locator(".ms-quiz .ms-quiz-explanation").first).to_be_hidden()
    for key in (f"{LEGACY}:/a/", LEGACY):
        assert stored(page, key)["lessons"]["first"]["done"] is False
    page.goto(origin + "a/")
    expect()(total(page)).to_have_text("0 / 50 xp earned")
    page_errors.assert_none()


def test_a_lesson_called_constructor(page, page_errors, build_site, serve, tmp_path):
    """A lesson id that is also a property of every JS object is an id like any other."""
    docs = tmp_path / "site"
    shutil.copytree(SITE.parent, docs)
    lesson = docs / "docs" / "act-1" / "second.md"
    lesson.write_text(lesson.read_text().replace("lesson: second", "lesson: constructor"))
    url = serve(build_site(docs / "mkdocs.yml")).url
    page.goto(url)
    state = page.locator(".ms-course [data-ms-lesson=constructor] .ms-course-state")
    expect()(state).to_have_text("not started")
    page.goto(url + "act-1/second/")
    page.get_by_label("Yes").check()
    expect()(page.locator(".ms-lesson-state")).to_have_text("completed")
    page.goto(url)
    expect()(state).to_have_text("completed")
    expect()(total(page)).to_have_text("30 / 50 xp earned")
    page_errors.assert_none()


def test_an_import_over_the_storage_quota_says_so(page, page_errors, origin, tmp_path: Path):
    """localStorage is full (another course's data, say): the import is refused, and said so."""
    page.goto(origin + "a/")
    page.evaluate(
        """() => {
            const block = "x".repeat(1 << 20);
            for (let i = 0; ; i++) {
                try { localStorage.setItem(`filler-${i}`, block); }
                catch { break; }
            }
            for (let size = 1 << 19; size > 0; size >>= 1) {
                try { localStorage.setItem(`filler-small-${size}`, "x".repeat(size)); }
                catch { /* next, smaller */ }
            }
        }"""
    )
    big = {
        "format": "microscale-progress",
        "version": 1,
        "lessons": {"first": {"answers": {"q": "x" * 200_000}, "done": True}},
    }
    file = tmp_path / "progress.json"
    file.write_text(json.dumps(big))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import progress").click()
    chooser.value.set_files(str(file))
    expect()(page.locator(".ms-course-message")).to_contain_text("nothing was saved")
    page.evaluate(
        "() => Object.keys(localStorage)"
        ".forEach((k) => k.startsWith('filler') && localStorage.removeItem(k))"
    )
    page.reload()
    expect()(total(page)).to_have_text("0 / 50 xp earned")
    page_errors.assert_none()
