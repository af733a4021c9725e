"""Chromium steps ``<input type=range>`` onto the values ``formats.grid`` computes.

The build precomputes and prerenders a slider at ``formats.grid``'s values (decimal arithmetic:
``0.5 + 16 × 0.1`` is 2.1, not 2.1000000000000005). A reader moves the slider with the keyboard;
each value the browser then reports must read as the same double, or the page would show and
compute a state the build never made.
"""

from __future__ import annotations

import pytest

from lesson_plugins import formats

SLIDERS = [  # (min, max, step): the course's, and steps whose float sums drift
    (0.5, 5.0, 0.1),
    (0.0, 1.0, 0.05),
    (-1.0, 1.0, 0.1),
    (0.1, 0.7, 0.1),
    (1e-3, 0.03, 1e-3),
    (-2.5, 7.5, 0.25),
    (0.0, 2.1, 0.07),
]


@pytest.mark.browser
def test_keyboard_steps_land_on_the_build_grid(page, page_errors) -> None:
    inputs = "".join(
        f'<input type="range" aria-label="s{i}" min="{low!r}" max="{high!r}" step="{step!r}" '
        f'value="{low!r}">'
        for i, (low, high, step) in enumerate(SLIDERS)
    )
    page.set_content(f"<!doctype html><title>grid</title>{inputs}")
    for i, (low, high, step) in enumerate(SLIDERS):
        expected = formats.grid(low, step, int(formats.steps(low, high, step)) + 1)
        slider = page.get_by_label(f"s{i}")
        slider.focus()
        seen = [float(slider.input_value())]
        for _ in expected[1:]:
            page.keyboard.press("ArrowRight")
            seen.append(float(slider.input_value()))
        assert seen == expected, (low, high, step)
        page.keyboard.press("ArrowRight")  # at max: stays
        assert float(slider.input_value()) == expected[-1]
    page_errors.assert_none()
