"""The distillation lesson in Chromium: every widget equals CPython, the fit runs in Pyodide.

The course site (the project's own ``mkdocs.yml``) is built once per session with the fixtures
of Microscale's pytest plugin (``lesson_plugins/testing``). Tests that need live Python take
``pyodide_dist`` and are skipped without ``PYODIDE_DIST``. Screenshots of the lesson (light and
dark palettes, desktop and phone widths) are kept in ``test-results/``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from pycore.lessons import distillation as d

ROOT = Path(__file__).resolve().parents[2]
LESSON = "act-4/distillation/"
SEED_TEACHER = ["60.9%", "11.1%", "10.1%", "7.1%", "5.8%", "2.1%", "1.6%", "1.4%"]
SEED_STUDENT = ["62.0%", "10.8%", "9.8%", "6.9%", "5.6%", "2.1%", "1.5%", "1.3%"]
LIVE_TIMEOUT_MS = 120_000  # booting Pyodide and numpy on a loaded 2-core machine

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson(build_site, serve, page) -> Any:
    """The lesson page, loaded."""
    page.goto(serve(build_site(ROOT / "mkdocs.yml")).url + LESSON)
    return page


def figure(page: Any, title: str) -> Any:
    caption = page.locator("figcaption").get_by_text(title, exact=True)
    return page.locator("figure.ms-output").filter(has=caption)


def values(fig: Any, row: str = ".ms-bar, .ms-item") -> dict[str, float]:
    """label -> exact value of a bars or readout figure, as written in its data-value attributes."""
    rows = fig.locator(row)
    rows.first.wait_for()
    return {r.get_attribute("data-label"): float(r.get_attribute("data-value")) for r in rows.all()}


def set_range(page: Any, name: str, value: float) -> None:
    """Move a slider as a pointer would: set its value and fire ``input``."""
    page.locator(f"input[type=range][name={name}]").evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        str(value),
    )


def choose(page: Any, name: str, value: str) -> None:
    page.locator(f"input[type=radio][name={name}][value={value}]").check()


def wait_live(page: Any, fig: Any) -> None:
    """Wait until a live-Python figure has drawn the result of the latest request."""
    fig.evaluate("f => f.dataset.msState")  # the figure exists
    page.wait_for_function(
        "f => f.dataset.msState === 'ready' && !f.classList.contains('ms-stale')",
        arg=fig.element_handle(),
        timeout=LIVE_TIMEOUT_MS,
    )


def plot_columns(fig: Any) -> dict[str, list[float]]:
    """The plot's table of values: column name -> exact values (opened: it is built on demand)."""
    details = fig.locator("details.ms-values")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.locator(":scope > table tbody tr").first.wait_for(state="attached")  # in the page now
    names = fig.locator(".ms-values thead th").all_text_contents()
    rows = fig.locator(".ms-values tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.dataset.value))"
    )
    return {name: [float(row[i]) for row in rows] for i, name in enumerate(names)}


def assert_same(shown: dict[str, float], expected: dict[str, float], rel: float = 0.0) -> None:
    assert list(shown) == list(expected)
    for key, value in expected.items():
        assert math.isclose(shown[key], value, rel_tol=rel, abs_tol=rel * 1e-12), key


def test_seed_figure_at_T2_before_any_script(lesson) -> None:
    teacher = figure(lesson, "teacher distribution · p_T")
    student = figure(lesson, "student distribution · p_T")
    assert teacher.locator(".ms-value").all_text_contents() == SEED_TEACHER
    assert student.locator(".ms-value").all_text_contents() == SEED_STUDENT
    assert_same(values(teacher), d.teacher(2.0))
    assert_same(values(student), d.student(2.0))
    assert lesson.locator("input[name=T]").get_attribute("aria-valuetext") == "2.0"


def test_temperature_slider_by_pointer_and_keyboard(lesson, page_errors) -> None:
    teacher = figure(lesson, "teacher distribution · p_T")
    student = figure(lesson, "student distribution · p_T")
    for T in (1.0, 5.0, 0.5):
        set_range(lesson, "T", T)
        assert_same(values(teacher), d.teacher(T))
        assert_same(values(student), d.student(T))
    shown = values(teacher)
    assert shown["Paris"] > 0.99  # T = 0.5: argmax-like
    lesson.locator("input[name=T]").fill("3")  # as the author guide shows it
    assert_same(values(teacher), d.teacher(3.0))
    set_range(lesson, "T", 0.5)
    slider = lesson.locator("input[name=T]")
    slider.focus()
    lesson.keyboard.press("ArrowRight")
    assert slider.get_attribute("aria-valuetext") == "0.6"
    assert_same(values(teacher), d.teacher(0.6))
    set_range(lesson, "T", 5.0)
    hot = values(teacher)
    assert hot["Lyon"] > 0.14  # at T = 5 Lyon is a visible candidate
    page_errors.assert_none()


def test_loss_readout(lesson, page_errors) -> None:
    readout = figure(lesson, "the two terms of L_KD and the soft term's gradient")
    assert_same(values(readout), d.kd_terms(0.5, 2.0))
    for alpha, T in ((0.0, 0.5), (0.3, 5.0), (1.0, 1.0)):
        set_range(lesson, "alpha", alpha)
        set_range(lesson, "temperature", T)
        assert_same(values(readout), d.kd_terms(alpha, T))
    page_errors.assert_none()


def test_two_teachers(lesson, page_errors) -> None:
    assert_same(values(figure(lesson, '"8B" teacher · T = 2')), d.teacher_8b())
    assert_same(values(figure(lesson, '"70B" teacher · T = 2')), d.teacher_70b())
    gap = figure(lesson, "where they disagree · |p(8B) − p(70B)|")
    assert_same(values(gap), d.teacher_disagreement())
    mixed = figure(lesson, "mixed target")
    distance = figure(lesson, "distance between the targets (total variation)")
    for weight, mode in ((0.5, "arithmetic"), (0.25, "geometric"), (1.0, "geometric")):
        set_range(lesson, "weight", weight)
        choose(lesson, "mode", mode)
        assert_same(values(mixed), d.mixed_teacher(weight, mode))
        assert_same(values(distance), d.teacher_gap(weight, mode))
    page_errors.assert_none()


def test_cache_per_token_and_topk_mass(lesson, page_errors) -> None:
    per_token = figure(lesson, "bytes per token (V = 128,256)")
    mass = figure(lesson, "teacher probability that the top-k keeps, on the eight cities")
    assert per_token.locator("dd").first.text_content() == "256,512"  # full bf16 cache
    for k, precision in ((1, "fp8"), (64, "fp32"), (8, "bf16")):
        set_range(lesson, "k", k)
        choose(lesson, "precision", precision)
        assert_same(values(per_token), d.cache_per_token(k, precision))
        assert_same(values(mass), d.topk_mass(k))
    page_errors.assert_none()


@pytest.mark.pyodide
def test_live_widgets_in_pyodide(lesson, page_errors, pyodide_dist) -> None:
    """The cache total (too many states to precompute) and the fit run in live Pyodide."""
    total = figure(lesson, "cache size for all tokens (TB)")
    set_range(lesson, "tokens", 9000)
    set_range(lesson, "k", 16)
    wait_live(lesson, total)
    assert_same(values(total), d.cache_total(9000, 16, "bf16"), rel=1e-12)

    fit = figure(lesson, "teacher and student after training")
    loss = figure(lesson, "the divergence during training")
    x = d.FIT_GRID
    for divergence in ("forward", "reverse", "skew_reverse"):
        choose(lesson, "divergence", divergence)
        wait_live(lesson, fit)
        wait_live(lesson, loss)
        columns = plot_columns(fit)
        expected = d.fit_student(divergence, 0.1)["series"]
        for name in ("teacher", "student"):
            for got, want in zip(columns[name], expected[name], strict=True):
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-15)
        curve = plot_columns(loss)["loss"]
        assert curve == pytest.approx(d.fit_loss(divergence, 0.1)["series"]["loss"], rel=1e-9)
        q = columns["student"]
        mean = sum(p * xi for p, xi in zip(q, x, strict=True))
        std = math.sqrt(sum(p * (xi - mean) ** 2 for p, xi in zip(q, x, strict=True)))
        if divergence == "forward":
            assert abs(mean) < 0.3 and std > 1.8, (mean, std)  # spans both modes
        else:
            assert abs(abs(mean) - 2.0) < 0.2 and std < 0.8, (mean, std)  # sits on one mode
    page_errors.assert_none()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_and_screenshots(build_site, serve, browser, scheme) -> None:
    """No axe-core violation; screenshots at desktop and phone widths for a person to look at."""
    from axe_playwright_python.sync_playwright import Axe

    url = serve(build_site(ROOT / "mkdocs.yml")).url + LESSON
    folder = ROOT / "test-results"
    folder.mkdir(exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            reduced_motion="reduce",
        )
        try:
            page = context.new_page()
            page.goto(url)
            expected = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected
            page.screenshot(
                path=str(folder / f"lesson-distillation-{scheme}-{width}.png"), full_page=True
            )
            violations = Axe().run(page).response["violations"]
            found = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
            assert not violations, found
        finally:
            context.close()


def test_lesson_reached_by_instant_navigation(tmp_path, serve, page, page_errors) -> None:
    """From the home page's course index to the lesson without a reload: widgets still answer.

    Material navigates instantly only when ``site_url`` is the address the site is served from
    (``mkdocs serve`` and the Pages workflow set it so), hence a build of its own for this test.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    served = serve(tmp_path)
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path), site_url=served.url))
    page.goto(served.url)
    page.evaluate("window.msMarker = 1")  # survives only if the page is not reloaded
    page.locator(".ms-course-lesson a[href*=distillation]").click()
    page.wait_for_url("**/" + LESSON)
    teacher = figure(page, "teacher distribution · p_T")
    teacher.and_(page.locator("[data-ms-state]")).wait_for(timeout=10_000)  # widgets attached
    assert page.evaluate("window.msMarker") == 1
    set_range(page, "T", 1.0)
    assert_same(values(teacher), d.teacher(1.0))
    page_errors.assert_none()
