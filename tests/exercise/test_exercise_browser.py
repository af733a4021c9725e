"""Code exercises in a real Chromium with real Pyodide, against the site in ``site/``.

The lesson ``act-1/softmax`` (40 xp) has a counted exercise (softmax_T), a quiz, and an exercise
that does not count; ``act-1/loop`` has a slider whose bars only Python redraws beside an exercise
with a time limit of 3 s; ``index.md`` is the course index. Each test gets a fresh browser context
(empty ``localStorage``). Every page load boots Pyodide: the tests share loads where they can.

An exercise gets its editor, its controls and the exercises' Python when it comes near the
viewport or its starter code gets the focus (``assets/exercise/exercise.js``): a test scrolls to
the exercise it uses, as a reader does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

SITE = Path(__file__).parent / "site" / "mkdocs.yml"
LESSON = "act-1/softmax/"
BOOT_MS = 180_000  # Pyodide boots in a worker: slow on a busy machine

RIGHT = """import numpy as np

def softmax_T(z, T):
    scaled = z / T
    e = np.exp(scaled - scaled.max())
    return e / e.sum()
"""


@pytest.fixture
def url(build_site, serve, pyodide_dist) -> str:
    return serve(build_site(SITE)).url


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def exercise(page, index: int = 0):
    return page.locator(".ms-exercise").nth(index)


def open_ready(page, url: str, path: str = LESSON) -> None:
    page.goto(url + path)
    exercise(page).scroll_into_view_if_needed()
    expect()(exercise(page).get_by_role("button", name="Run")).to_be_enabled(timeout=BOOT_MS)


def type_code(page, code: str, index: int = 0) -> None:
    """Replace the editor's text by typing, as a reader would (auto-indent taken into account)."""
    content = exercise(page, index).locator(".cm-content")
    content.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for line in code.splitlines():
        page.keyboard.press("Home")
        page.keyboard.press("Shift+Home")  # drop the auto-indent: each line brings its own
        page.keyboard.insert_text(line)
        page.keyboard.press("Enter")


def status(page, index: int = 0):
    return exercise(page, index).locator(".ms-exercise-status")


def test_static_page_shows_the_instructions_and_starter_with_a_note(build_site, pyodide_dist):
    html = (build_site(SITE) / LESSON / "index.html").read_text()
    section = html[html.index('<section aria-labelledby="') :]
    assert '<pre class="ms-exercise-starter"><code class="language-python">import numpy' in section
    assert "This exercise runs Python in your browser" in section
    assert "Write <code>softmax_T(z, T)</code>" in section


#: Pushes the lesson's exercises four screens below its title, out of the editor's lazy reach.
FAR_BELOW = """
const sheet = new CSSStyleSheet();
sheet.replaceSync(".md-content h1 { margin-bottom: 400vh !important }");
document.adoptedStyleSheets = [sheet];
"""
#: An IntersectionObserver that never reports: an exercise stays "far" whatever is scrolled.
NEVER_NEAR = """
window.IntersectionObserver = class { observe() {} unobserve() {} disconnect() {} };
"""


def test_the_editor_waits_below_the_fold_until_the_exercise_comes_near(page, page_errors, url):
    page.add_init_script(script=FAR_BELOW)
    page.goto(url + LESSON)
    ex = exercise(page)
    expect()(ex.locator(".ms-exercise-starter")).to_have_attribute("tabindex", "0")
    page.wait_for_timeout(500)  # time for an editor that should not come
    assert page.locator(".ms-exercise .cm-editor, .ms-exercise-buttons").count() == 0
    assert ex.locator("template.ms-exercise-extra").count() == 1  # hints, solution: not in the DOM
    assert ex.locator("li, .ms-exercise-solution").count() == 0
    ex.scroll_into_view_if_needed()
    expect()(ex.get_by_role("button", name="Run")).to_be_visible()
    assert ex.locator(".ms-exercise-starter, .ms-exercise-note").count() == 0  # replaced
    page_errors.assert_none()


def test_the_editor_mounts_when_the_starter_is_tabbed_to(page, page_errors, url):
    page.add_init_script(script=NEVER_NEAR)
    page.goto(url + LESSON)
    ex = exercise(page)
    expect()(ex.locator(".ms-exercise-starter")).to_have_attribute("tabindex", "0")
    assert page.locator(".ms-exercise .cm-editor").count() == 0
    page.locator("h1").click()  # where sequential focus navigation starts
    page.keyboard.press("Tab")  # to the starter code: the editor replaces it and takes the focus
    expect()(ex.locator(".cm-content")).to_be_focused()
    assert ex.locator(".ms-exercise-starter, .ms-exercise-note").count() == 0
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("# typed")
    expect()(ex.get_by_role("button", name="Run")).to_be_visible()
    assert exercise(page, 1).locator(".cm-editor").count() == 0  # not focused: still waiting
    page.reload()  # the kept code shows in the starter's place until the editor comes
    expect()(ex.locator(".ms-exercise-starter")).to_contain_text("# typed")
    page_errors.assert_none()


def test_wrong_code_names_the_failing_case_and_its_feedback(page, page_errors, url):
    open_ready(page, url)
    ex = exercise(page)
    ex.get_by_role("button", name="Check").click()  # the starter: exp overflows on ±1000
    expect()(status(page)).to_contain_text("case 2 of 2", timeout=60_000)
    text = status(page).text_content()
    assert "z=[1000.0, -1000.0, 0.0], T=1.0" in text
    assert "Expected: [1, 0, 0]" in text and "returned: [nan, 0, 0]" in text
    expect()(ex.locator(".ms-exercise-feedback")).to_have_text(
        "Subtract the largest logit before exp."
    )
    assert ex.get_attribute("data-ms-state") == "failed"
    page_errors.assert_none()


def test_right_code_passes_awards_xp_persists_and_shows_on_the_index(page, page_errors, url):
    open_ready(page, url)
    page.locator("label", has_text="No").first.click()  # the quiz
    expect()(page.locator(".ms-quiz-summary")).to_have_text(
        "Comprehension check: 1 of 2 answered correctly."
    )
    type_code(page, RIGHT)
    exercise(page).get_by_role("button", name="Check").click()
    expect()(status(page)).to_have_text(
        "Passed: your function matches the reference on all 2 cases.", timeout=60_000
    )
    expect()(page.locator(".ms-quiz-summary")).to_have_text(
        "Comprehension check: 2 of 2 answered correctly. Comprehension check complete: +40 xp."
    )
    saved = json.loads(page.evaluate("localStorage.getItem('microscale.progress.v1:/')"))
    exercise_id = exercise(page).get_attribute("data-ms-exercise")
    assert saved["lessons"]["softmax"]["answers"][exercise_id] == "passed"
    assert saved["lessons"]["softmax"]["done"] is True

    page.reload()
    open_ready(page, url)
    expect()(status(page)).to_have_text("You passed this exercise before.")
    assert "e = np.exp(scaled - scaled.max())" in exercise(page).locator(".cm-content").inner_text()
    page.goto(url)
    lesson = page.locator(".ms-course-lesson[data-ms-lesson=softmax]")
    expect()(lesson.locator(".ms-course-state")).to_have_text("completed · exercises: 1 / 2")
    expect()(page.locator(".ms-course-total")).to_have_text("40 / 40 xp earned")
    page_errors.assert_none()


def test_editing_errors_reset_and_the_solution(page, page_errors, url):
    open_ready(page, url)
    ex = exercise(page)
    ex.get_by_role("button", name="Show the solution").click()  # no attempt yet
    expect()(status(page)).to_have_text("The solution can be shown after 1 more attempt(s).")
    expect()(ex.locator(".ms-exercise-solution")).to_be_hidden()

    type_code(page, "import numpy as np\n\ndef softmax_T(z, T)\n    return z\n")
    ex.get_by_role("button", name="Run").click()
    expect()(status(page)).to_have_text("Your code raised an error (line 3).", timeout=60_000)
    output = ex.locator(".ms-exercise-output")
    expect()(output).to_contain_text('File "exercise.py", line 3')
    expect()(output).to_contain_text("SyntaxError")

    type_code(page, "def softmax_T(z, T):\n    return z / 0 + undefined_name\n")
    ex.get_by_role("button", name="Check").click()
    expect()(status(page)).to_contain_text("Case 1 of 2 raised an error", timeout=60_000)
    text = output.inner_text()
    assert 'File "exercise.py", line 2, in softmax_T' in text
    assert "NameError" in text and "grader" not in text
    ex.get_by_role("button", name="Show the solution").click()  # one attempt made
    expect()(ex.locator(".ms-exercise-solution")).to_be_visible()

    page.reload()  # the code is kept
    open_ready(page, url)
    assert "undefined_name" in ex.locator(".cm-content").inner_text()
    ex.get_by_role("button", name="Reset the code").click()
    assert "e = np.exp(z / T)" in ex.locator(".cm-content").inner_text()
    expect()(status(page)).to_have_text("The starter code is back.")
    page.reload()
    open_ready(page, url)
    assert "e = np.exp(z / T)" in ex.locator(".cm-content").inner_text()
    page_errors.assert_none()


def test_an_endless_loop_is_stopped_while_the_slider_still_redraws(page, page_errors, url):
    open_ready(page, url, "act-1/loop/")
    bars = page.locator("figure.ms-output")
    expect()(bars).to_have_attribute("data-ms-state", "ready", timeout=BOOT_MS)
    exercise(page).get_by_role("button", name="Run").click()  # the starter: while True
    expect()(status(page)).to_have_text("Running…")
    paris = bars.locator(".ms-bar[data-label=Paris]")
    before = paris.get_attribute("data-value")
    page.locator("input[type=range]").fill("4")  # the widgets' worker answers meanwhile
    expect()(paris).not_to_have_attribute("data-value", before, timeout=2_500)
    assert status(page).text_content() == "Running…"  # the loop is still running
    expect()(status(page)).to_contain_text("time limit of 3 s", timeout=4_000)
    expect()(exercise(page).get_by_role("button", name="Run")).to_be_enabled(timeout=BOOT_MS)
    type_code(page, "print('after')")
    exercise(page).get_by_role("button", name="Run").click()
    expect()(exercise(page).locator(".ms-exercise-output")).to_have_text("after", timeout=60_000)
    page_errors.assert_none()


def test_the_whole_exercise_works_from_the_keyboard(page, page_errors, url):
    open_ready(page, url)
    ex = exercise(page)
    ex.locator("p", has_text="Write").click()  # where sequential focus navigation starts
    for _ in range(20):  # Tab into the editor
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cm-content')"):
            break
    assert page.evaluate("document.activeElement.closest('.ms-exercise') !== null")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("def softmax_T(z, T):\nreturn z")  # Enter auto-indents the body
    page.keyboard.press("Shift+Tab")  # Shift-Tab dedents; Tab indents back
    page.keyboard.press("Tab")
    assert ex.locator(".cm-content").inner_text() == "def softmax_T(z, T):\n    return z"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Escape, then Tab: out of the editor, to Run
    assert page.evaluate("document.activeElement.textContent") == "Run"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Check
    expect()(status(page)).to_contain_text("case 1 of 2", timeout=60_000)
    for name in ("Show a hint (1 of 2)", "Show the solution"):
        ex.get_by_role("button", name=name).focus()
        page.keyboard.press("Enter")
    expect()(ex.locator(".ms-exercise-hints li").first).to_be_visible()
    expect()(ex.locator(".ms-exercise-solution")).to_be_visible()  # one attempt made
    assert page.evaluate("document.activeElement.tagName") == "PRE"
    page_errors.assert_none()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_clean_and_fits_390px(page, page_errors, url, axe, scheme):
    open_ready(page, url)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    ex = exercise(page)
    ex.get_by_role("button", name="Check").click()
    expect()(status(page)).to_contain_text("case 2", timeout=60_000)
    ex.get_by_role("button", name=re.compile("Show a hint")).click()
    page.mouse.move(0, 0)  # a hovered button has Material's hover colours
    axe(page, ".md-main")  # Material's own footer left out, as in tests/quiz
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than it
    box = ex.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in ex.locator(".ms-exercise-buttons button:visible").all():
        b = button.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390, button.text_content()
    page_errors.assert_none()
