"""The examples in the plugins' docstrings are tests too: run every one of them."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import autotranslate
import newsroom_import
import trilingual


def _modules() -> list[str]:
    names = []
    for package in (autotranslate, trilingual, newsroom_import):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.endswith("__main__"):
                names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
