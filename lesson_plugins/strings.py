"""Every user-facing string of the plugin, in one place.

Authors override any of them in ``mkdocs.yml``::

    plugins:
      - lessons:
          strings:
            python_loading: "Python lädt…"

Strings may contain ``{placeholders}`` filled by the code that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULTS: dict[str, str] = {
    # Live Python status, shown on every interactive widget.
    "python_loading": "live Python is loading…",
    "python_ready": "live Python",
    "python_failed": "live Python is unavailable: {reason}",
    "python_error": "Python error: {message}",
    "python_unreachable": "Pyodide could not be loaded from {url}",
    "python_file_failed": "{url} could not be loaded ({why})",
    "python_no_wasm": "this page's Content-Security-Policy does not allow WebAssembly "
    "(script-src needs 'wasm-unsafe-eval')",
    "python_stalled": "Python stopped loading (no progress for {seconds} seconds)",
    # Widgets (plugin-1): table headers of the charts' text alternatives, the plot's controls.
    "table_label": "label",
    "table_value": "value",
    "plot_table": "values as a table",
    # The table's size and a short summary of its numeric columns (lesson_plugins/ondemand.py).
    "values_rows": "({rows} rows)",
    "values_range": "{name}: {low} to {high}",
    "values_separator": " · ",
    "values_failed": "the table could not be loaded ({reason}); reload the page to try again",
    "plot_replay": "replay",
    # Quizzes, lesson headers, paper cards and the course index (plugin-2).
    "quiz_count": "comprehension check · {index} / {total}",
    "quiz_check": "Check",
    "quiz_number_label": "Your answer",
    "quiz_right": "Correct.",
    "quiz_wrong": "Not quite, try again.",
    "quiz_choose": "Choose an answer first.",
    "quiz_enter_number": "Enter a number first.",
    "quiz_summary": "Comprehension check: {right} of {total} answered correctly.",
    "quiz_complete": "Comprehension check complete: +{xp} xp.",
    "header_act": "Act {act} · {act_title}",
    "header_meta": "{minutes} min · {xp} xp",
    "lesson_done": "completed",
    "paper_label": "paper",
    "notebook_label": "Notebook",
    "notebook_download": "Download the notebook (.ipynb)",
    "notebook_colab": "Open in Colab",
    "notebook_github": "View on GitHub",
    "course_empty": "No lessons yet.",
    "course_not_started": "not started",
    "course_started": "in progress",
    "course_done": "completed",
    "course_total": "{earned} / {total} xp earned",
    "course_export": "Export progress",
    "course_import": "Import progress",
    "course_reset": "Reset progress",
    "course_reset_confirm": "Forget all your progress in this course?",
    "course_imported": "Progress imported.",
    "course_import_failed": "That file is not Microscale progress; nothing was changed.",
    "course_import_not_saved": "The browser refused to store this progress (its storage is full or "
    "disabled); nothing was saved.",
    "course_reset_done": "Progress reset.",
    "course_exercises": "exercises: {passed} / {total}",
    # Code exercises (blocks/exercise.py, assets/exercise/).
    "exercise_label": "exercise",
    "exercise_static": "This exercise runs Python in your browser: with JavaScript on, you edit "
    "the code above, run it and check it here.",
    "exercise_editor": "Your code ({title}). Escape, then Tab, leaves the editor.",
    "exercise_run": "Run",
    "exercise_check": "Check",
    "exercise_hint": "Show a hint ({index} of {total})",
    "exercise_solution": "Show the solution",
    "exercise_solution_after": "The solution can be shown after {count} more attempt(s).",
    "exercise_reset": "Reset the code",
    "exercise_output": "Output",
    "exercise_loading": "Python is loading; Run and Check work once it is ready.",
    "exercise_ready": "Python is ready.",
    "exercise_running": "Running…",
    "exercise_ran": "Ran without errors.",
    "exercise_error": "Your code raised an error (line {line}).",
    "exercise_error_noline": "Your code raised an error.",
    "exercise_missing": "Define a function named {entry}.",
    "exercise_failed": "Not yet: case {case} of {total} gives a different result. Arguments: "
    "{args}. Expected: {expected}. Your function returned: {actual} ({reason}).",
    "exercise_raised": "Case {case} of {total} raised an error. Arguments: {args}. Expected: "
    "{expected}.",
    "exercise_passed": "Passed: your function matches the reference on all {total} cases.",
    "exercise_passed_before": "You passed this exercise before.",
    "exercise_timeout": "Stopped: your code ran longer than the time limit of {seconds} s (an "
    "endless loop?). Python was restarted; your code is kept.",
    "exercise_reset_done": "The starter code is back.",
}


def resolve(overrides: Mapping[str, str]) -> dict[str, str]:
    """The defaults with ``overrides`` applied; an unknown key is an error naming the known ones."""
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown string(s) {', '.join(unknown)} in 'strings'; known: {', '.join(DEFAULTS)}"
        )
    return {**DEFAULTS, **{k: str(v) for k, v in overrides.items()}}
