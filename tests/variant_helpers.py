"""What the variant tests share: each assignment's question bank, a learner's numbers, and the
answer the bank computes in a variant."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import vpclab.grading.bank as bank
from vpclab.grading.questions import question
from vpclab.grading.variant import Variant, using

#: assignment → the bank module that gives its per-learner numbers
TOPICS: dict[str, ModuleType] = {}
for _info in pkgutil.iter_modules(bank.__path__):
    _module = importlib.import_module(f"{bank.__name__}.{_info.name}")
    if hasattr(_module, "parameters"):
        TOPICS[_module.ASSIGNMENT] = _module


def numbers(assignment: str, learner: str | None) -> dict[str, Any]:
    """The numbers of ``assignment`` for ``learner`` (None: the practice numbers)."""
    with using(Variant(assignment, learner)):
        result: dict[str, Any] = TOPICS[assignment].parameters()
        return result


def solved(variant: Variant, question_id: str) -> Any:
    """The answer the question bank computes for ``question_id`` in ``variant``."""
    with using(variant):
        return question(question_id).solve()
