"""The examples in pycore's docstrings run and print what they claim."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pycore

MODULES = [m.name for m in pkgutil.iter_modules(pycore.__path__, "pycore.") if not m.ispkg]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0


def test_every_public_function_has_an_example():
    missing = [
        name
        for name in pycore.__all__
        if callable(obj := getattr(pycore, name))
        and name != "TopK"
        and ">>>" not in (obj.__doc__ or "")
    ]
    assert not missing
