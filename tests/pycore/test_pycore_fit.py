"""fit_gaussian_student: mean-seeking forward KL vs mode-seeking reverse KL."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pycore import DIVERGENCES, discretized_gaussian, fit_gaussian_student, gaussian_mixture

GRID = np.linspace(-6.0, 6.0, 201)
TWO_MODES = gaussian_mixture(GRID, [-2.0, 2.0], [0.6, 0.6])


def test_reverse_kl_picks_one_mode():
    fit = fit_gaussian_student(TWO_MODES, GRID, "reverse")
    assert abs(fit["mean"][-1] - 2.0) < 0.1  # the default start leans right, so it ends right
    assert fit["std"][-1] == pytest.approx(0.6, abs=0.1)
    left = fit_gaussian_student(TWO_MODES, GRID, "reverse", init=(-0.5, 0.5))
    assert abs(left["mean"][-1] + 2.0) < 0.1


def test_forward_kl_spreads_over_both_modes():
    fit = fit_gaussian_student(TWO_MODES, GRID, "forward")
    assert abs(fit["mean"][-1]) < 0.1
    assert fit["std"][-1] > 1.8  # wider than the gap between the modes' centres allows one mode
    student = np.array(fit["student"])
    assert student[np.argmin(np.abs(GRID))] > 0.5 * student.max()  # mass in the valley


@pytest.mark.parametrize("name", ["forward", "reverse"])
def test_one_mode_teacher_is_matched(name):
    # a Gaussian teacher lies in the student family: both divergences must recover it,
    # which also checks the hand-derived gradients of the mean and the log-std
    teacher = discretized_gaussian(GRID, 1.0, 0.8)
    fit = fit_gaussian_student(teacher, GRID, name, steps=400)
    assert fit["mean"][-1] == pytest.approx(1.0, abs=1e-2)
    assert fit["std"][-1] == pytest.approx(0.8, abs=1e-2)
    assert fit["loss"][-1] < 1e-4


@pytest.mark.parametrize("name", list(DIVERGENCES))
def test_every_divergence_lowers_its_loss(name):
    fit = fit_gaussian_student(TWO_MODES, GRID, name, steps=100)
    assert fit["loss"][-1] < fit["loss"][0]
    assert all(np.isfinite(fit["loss"]))


def test_trajectory_shape_and_json():
    fit = fit_gaussian_student(TWO_MODES, GRID, "jsd", steps=25, record_every=10, init=(1.0, 1.0))
    assert len(fit["mean"]) == len(fit["std"]) == len(fit["loss"]) == 26
    assert fit["mean"][0] == 1.0 and fit["std"][0] == 1.0
    assert fit["snapshot_steps"] == [0, 10, 20, 25]
    assert len(fit["snapshots"]) == 4 and fit["snapshots"][-1] == fit["student"]
    assert len(fit["student"]) == GRID.size
    assert sum(fit["student"]) == pytest.approx(1.0, rel=1e-12)
    assert json.loads(json.dumps(fit)) == fit


def test_default_start_is_off_centre():
    fit = fit_gaussian_student(TWO_MODES, GRID, "reverse", steps=0)
    assert fit["mean"][0] != pytest.approx(0.0, abs=0.1)


def test_validation():
    with pytest.raises(ValueError, match="unknown divergence"):
        fit_gaussian_student(TWO_MODES, GRID, "kl")
    with pytest.raises(ValueError, match="same length"):
        fit_gaussian_student(TWO_MODES, GRID[:-1], "forward")
    holes = TWO_MODES.copy()
    holes[:10] = 0.0
    with pytest.raises(ValueError, match="reverse KL is infinite"):
        fit_gaussian_student(holes, GRID, "reverse")
    assert np.isfinite(fit_gaussian_student(holes, GRID, "skew_reverse", steps=20)["loss"][-1])
    with pytest.raises(ValueError, match="std"):
        fit_gaussian_student(TWO_MODES, GRID, "forward", init=(0.0, 0.0))
