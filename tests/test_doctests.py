"""The examples in docstrings are run, so documentation never rots."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import vpclab

MODULES = sorted(m.name for m in pkgutil.walk_packages(vpclab.__path__, "vpclab."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
