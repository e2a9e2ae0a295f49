"""Every question vpclab can grade, gathered from the topic modules of this package.

Each topic module (``cidr.py``, ``nat.py``, …) defines ``QUESTIONS`` (a tuple of
:class:`~vpclab.grading.questions.Question`) and ``ASSIGNMENTS`` (exercise notebook name →
ordered question ids). A new topic module is found without being listed here.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from vpclab.grading.questions import Question

__all__ = ["ASSIGNMENTS", "QUESTIONS"]


def _topics() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)]


def _gather() -> tuple[dict[str, Question], dict[str, tuple[str, ...]]]:
    questions: dict[str, Question] = {}
    assignments: dict[str, tuple[str, ...]] = {}
    for topic in _topics():
        for q in topic.QUESTIONS:
            if q.id in questions:
                raise RuntimeError(f"question id {q.id} is defined twice (again in {topic.__name__})")
            questions[q.id] = q
        assignments.update(topic.ASSIGNMENTS)
    missing = sorted(q for ids in assignments.values() for q in ids if q not in questions)
    if missing:
        raise RuntimeError(f"assignments name questions that do not exist: {missing}")
    return questions, assignments


QUESTIONS, ASSIGNMENTS = _gather()
