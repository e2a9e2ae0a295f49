"""Exercises and grading: questions, instant feedback, exercise generation, scoring.

``vpclab.grading.assign`` (exercises from solutions) and ``vpclab.grading.score`` (running
and scoring notebooks) load nbformat, which is slow to import; import them by name.
"""

from __future__ import annotations

from vpclab.grading.check import ANSWER_MIME, Feedback, check, evaluate
from vpclab.grading.questions import Question, assignment_questions, question

__all__ = [
    "ANSWER_MIME",
    "Feedback",
    "Question",
    "assignment_questions",
    "check",
    "evaluate",
    "question",
]
