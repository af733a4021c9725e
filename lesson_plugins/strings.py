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
}


def resolve(overrides: Mapping[str, str]) -> dict[str, str]:
    """The defaults with ``overrides`` applied; an unknown key is an error naming the known ones."""
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown string(s) {', '.join(unknown)} in 'strings'; known: {', '.join(DEFAULTS)}"
        )
    return {**DEFAULTS, **{k: str(v) for k, v in overrides.items()}}
