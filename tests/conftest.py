"""This repository's tests use Microscale's own pytest plugin (``lesson_plugins/testing``).

Installed (``pip install -e .``), the package registers it through its ``pytest11`` entry point;
a checkout that is only on ``PYTHONPATH`` (or installed before the plugin existed) gets it here.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("microscale"):
        config.pluginmanager.import_plugin("lesson_plugins.testing")
