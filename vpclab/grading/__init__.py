"""Exercises and grading: questions, instant feedback, exercise generation, scoring."""

from __future__ import annotations

from vpclab.grading.assign import assign, exercise_from_solution
from vpclab.grading.check import ANSWER_MIME, Feedback, check, evaluate
from vpclab.grading.questions import Question, assignment_questions, question
from vpclab.grading.score import Score, grade_notebook, recorded_answers, score_answers

__all__ = [
    "ANSWER_MIME",
    "Feedback",
    "Question",
    "Score",
    "assign",
    "assignment_questions",
    "check",
    "evaluate",
    "exercise_from_solution",
    "grade_notebook",
    "question",
    "recorded_answers",
    "score_answers",
]
