"""The build-time warning: this build's numpy is newer than the readers' Pyodide numpy.

A compute function runs under the build's numpy and, in the browser, under the numpy of Pyodide
0.27.7 (2.0.2, the wheel pinned in :mod:`lesson_plugins.publish`). What numpy added since (e.g.
``np.cumulative_sum`` in 2.1) builds fine and fails only in the browser; ``microscale check``
finds such calls in a built site.

The warning goes to its own logger, ``microscale``, outside the site generators' (``mkdocs.*``):
it is shown on every host but does not fail ``--strict``. A newer numpy is the usual case (pip
installs numpy 2.x, Pyodide 0.27.7 ships 2.0.2, and numpy 2.0.2 has no wheels for newer Pythons),
so a strict build would fail for nearly everyone; ``microscale check`` is the test that decides.
"""

from __future__ import annotations

import logging
import re
from importlib.metadata import PackageNotFoundError, version

from ..config import PYODIDE_VERSION
from ..publish import NUMPY_WHEEL

log = logging.getLogger("microscale")

#: The numpy that Pyodide runs, from the name of its pinned wheel ("numpy-2.0.2-cp312-...").
PYODIDE_NUMPY = NUMPY_WHEEL.split("-")[1]


def release(text: str) -> tuple[int, ...]:
    """The release numbers of a version string: "2.1.0rc1" -> (2, 1, 0)."""
    return tuple(int(part) for part in re.findall(r"\d+", re.match(r"[\d.]*", text).group()))


def newer_numpy_warning() -> str | None:
    """What to warn when the installed numpy is newer than Pyodide's, else None."""
    try:
        installed = version("numpy")
    except PackageNotFoundError:
        return None
    if release(installed)[:2] <= release(PYODIDE_NUMPY)[:2]:
        return None  # patch releases add no functions
    return (
        f"warning: lessons: this build computes with numpy {installed}; readers' browsers "
        f"run Pyodide {PYODIDE_VERSION} with numpy {PYODIDE_NUMPY}. A compute function that "
        f"uses anything newer (e.g. np.cumulative_sum, new in numpy 2.1) builds here and fails "
        f"in the browser. Run 'microscale check SITE_DIR' after the build to run every compute "
        f"function in Pyodide, or build with 'pip install numpy=={PYODIDE_NUMPY}'"
    )


def warn_if_newer_numpy() -> None:
    """Log :func:`newer_numpy_warning`, if any (see the module docstring for the logger)."""
    if warning := newer_numpy_warning():
        log.warning(warning)
