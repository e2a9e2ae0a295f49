"""Graded questions: what is asked, what kind of answer it takes, how the answer is found.

A :class:`Question` computes its right answer with the engine (``solve``) at the moment of
grading; no answer is stored. A question with many right answers (a repair, a design) has
an ``accepts`` judge instead of an equality test. Questions live in topic modules under
:mod:`vpclab.grading.bank` and are looked up by id (``"cidr.q3"``); an assignment is the
ordered tuple of question ids its exercise notebook grades.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vpclab.errors import NotFound
from vpclab.grading.answers import KINDS, canonical
from vpclab.i18n import message

__all__ = ["Question", "assignment_of", "assignment_questions", "question"]


@dataclass(frozen=True, slots=True)
class Question:
    """One question. Its hint is the catalog message ``hint.<id>``."""

    id: str
    kind: str
    solve: Callable[[], Any]
    points: int = 1
    #: For questions with more than one right answer (a repair, a design): judges the
    #: canonical answer. ``solve`` then gives one accepted answer.
    accepts: Callable[[Any], bool] | None = None
    #: Checks run only by the grader, each ``(message key naming it, judge)``. In the notebook,
    #: ``check`` says they exist and will be graded later; it never says "all passed".
    hidden: tuple[tuple[str, Callable[[Any], bool]], ...] = ()

    def is_right(self, given: Any) -> bool:
        """Whether ``given`` (a canonical answer) is right."""
        if self.accepts is not None:
            return bool(self.accepts(given))
        return bool(given == canonical(self.kind, self.solve()))

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"question {self.id}: unknown answer kind {self.kind!r}")

    @property
    def hint(self) -> str:
        return message(f"hint.{self.id}")


def _bank() -> tuple[dict[str, Question], dict[str, tuple[str, ...]]]:
    from vpclab.grading.bank import ASSIGNMENTS, QUESTIONS

    return QUESTIONS, ASSIGNMENTS


def question(question_id: str) -> Question:
    """The question with this id, or :class:`~vpclab.errors.NotFound` naming similar ids."""
    questions, _ = _bank()
    try:
        return questions[question_id]
    except KeyError:
        topic = question_id.split(".", 1)[0]
        near = sorted(q for q in questions if q.startswith(topic + ".")) or sorted(questions)[:8]
        raise NotFound(
            "InvalidQuestionID.NotFound",
            message("check.unknown_question", question=question_id),
            fix=message("check.unknown_question_fix", known=", ".join(near)),
        ) from None


def assignment_of(question_id: str) -> str | None:
    """The assignment whose exercises grade ``question_id`` (None for a lesson's own questions)."""
    _, assignments = _bank()
    return next((name for name, ids in assignments.items() if question_id in ids), None)


def assignment_questions(assignment: str) -> tuple[Question, ...]:
    """The graded questions of an assignment (an exercise notebook's name, like 02_cidr_subnets)."""
    _, assignments = _bank()
    try:
        return tuple(question(q) for q in assignments[assignment])
    except KeyError:
        raise NotFound(
            "InvalidAssignment.NotFound",
            message("grade.unknown_assignment", assignment=assignment),
            fix=message("grade.unknown_assignment_fix", known=", ".join(sorted(assignments))),
        ) from None
