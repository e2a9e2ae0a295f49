"""Scoring a notebook: run it, read the answers it recorded, grade them here.

Only the recorded answers are taken from the learner's notebook; whether they are right is
decided in this process, against answers the engine computes now. What the learner's
kernel displayed as feedback is never trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from vpclab.display import Displayable, html_table
from vpclab.errors import InvalidValue
from vpclab.grading.check import ANSWER_MIME, DEFAULT_VARIANT, evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.variant import Variant
from vpclab.i18n import message

__all__ = [
    "QuestionScore",
    "Recorded",
    "Score",
    "execute_notebook",
    "grade_notebook",
    "read_notebook",
    "recorded_answers",
    "score_answers",
    "without_outputs",
]

NOT_ANSWERED = object()


@dataclass(frozen=True, slots=True)
class QuestionScore:
    question: str
    points: int
    max_points: int
    status: str  # correct, incorrect, unreadable, unanswered
    message: str


@dataclass(frozen=True, slots=True)
class Score(Displayable):
    assignment: str
    questions: tuple[QuestionScore, ...]
    learner: str | None = None
    variant: str = DEFAULT_VARIANT
    flags: tuple[str, ...] = ()  # things a teacher should look at (another learner's variant, …)

    @property
    def score(self) -> int:
        return sum(q.points for q in self.questions)

    @property
    def max_score(self) -> int:
        return sum(q.max_points for q in self.questions)

    def _text_(self) -> str:
        lines = [message("grade.total", assignment=self.assignment, score=self.score,
                         max_score=self.max_score)]
        lines += [f"  {q.question:<10} {q.points}/{q.max_points} {q.status}" for q in self.questions]
        lines += [f"  ! {flag}" for flag in self.flags]
        return "\n".join(lines)

    def _html_(self) -> str:
        return html_table(
            [message("label.question"), message("label.points"), message("label.status")],
            [(q.question, f"{q.points}/{q.max_points}", q.status) for q in self.questions],
            caption=message("grade.total", assignment=self.assignment, score=self.score,
                            max_score=self.max_score),
        )


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read and validate a notebook, or raise InvalidValue naming the file and the problem."""
    try:
        nb: nbformat.NotebookNode = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
    except (OSError, ValueError, nbformat.ValidationError, AttributeError, KeyError) as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InvalidValue(
            "InvalidNotebook",
            message("grade.bad_notebook", path=path, problem=first_line),
            fix=message("grade.bad_notebook_fix"),
        ) from None
    return nb


@dataclass(frozen=True, slots=True)
class Recorded:
    """One answer as the notebook recorded it: the answer (or NOT_ANSWERED) and its variant id."""

    answer: Any
    variant: str


def recorded_answers(nb: nbformat.NotebookNode) -> dict[str, Recorded]:
    """The last answer recorded for each question, in cell order."""
    answers: dict[str, Recorded] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            record = output.get("data", {}).get(ANSWER_MIME)
            if isinstance(record, Mapping) and isinstance(record.get("question"), str):
                answered = record.get("answered") is True
                tag = record.get("variant")
                variant = tag if isinstance(tag, str) else DEFAULT_VARIANT
                answers[record["question"]] = Recorded(record.get("answer") if answered else NOT_ANSWERED, variant)
    return answers


def score_answers(assignment: str, answers: Mapping[str, Recorded | Any], *, learner: str | None = None) -> Score:
    """Grade recorded answers, in ``learner``'s variant, against the assignment's questions.

    Every check runs, hidden ones too. An answer recorded in another variant is graded in the
    learner's own variant all the same, and flagged."""
    variant = Variant(assignment, learner)
    results, flags = [], []
    for asked in assignment_questions(assignment):
        given = answers.get(asked.id, Recorded(NOT_ANSWERED, variant.id))
        if not isinstance(given, Recorded):
            given = Recorded(given, variant.id)
        if given.answer is not NOT_ANSWERED and given.variant != variant.id:
            flags.append(message("variant.mismatch", question=asked.id, recorded=given.variant,
                                 learner=learner or DEFAULT_VARIANT, expected=variant.id))
        verdict = evaluate(asked.id, ... if given.answer is NOT_ANSWERED else given.answer, variant=variant,
                           graded=True)
        points = asked.points if verdict.correct else 0
        results.append(QuestionScore(asked.id, points, asked.points, verdict.status, verdict.text))
    return Score(assignment, tuple(results), learner=learner, variant=variant.id, flags=tuple(flags))


def without_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy with no outputs, execution counts or widget state: what a run starts from (stored
    outputs are never trusted) and what an exercise is handed out as."""
    copy: nbformat.NotebookNode = nbformat.from_dict(nb)
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    copy.metadata.pop("widgets", None)
    return copy


def execute_notebook(nb: nbformat.NotebookNode, *, cwd: str | Path, timeout: int = 60
                     ) -> nbformat.NotebookNode:
    """Run a copy of ``nb`` top to bottom in a fresh kernel; errors stay in the outputs."""
    from nbclient import NotebookClient

    copy: nbformat.NotebookNode = nbformat.from_dict(nb)
    client = NotebookClient(copy, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return copy


def grade_notebook(path: str | Path, *, assignment: str | None = None, timeout: int = 60) -> Score:
    """Run the notebook at ``path`` (the file is not modified) and score its answers.

    The assignment is taken from the notebook's ``metadata.vpclab.assignment``, else from
    its file name.
    """
    nb = read_notebook(path)
    name = assignment or nb.metadata.get("vpclab", {}).get("assignment") or Path(path).stem
    executed = execute_notebook(nb, cwd=Path(path).resolve().parent, timeout=timeout)
    return score_answers(name, recorded_answers(executed))
