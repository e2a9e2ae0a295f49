"""Every exercise set with per-learner numbers, checked alike: neighbours get different numbers,
a learner always the same; every question is solvable and graded right in every variant; the
numbers table shows the learner's own values; and the solution notebook, run as a learner,
scores full marks for that learner and is flagged when graded for another."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import vpclab.grading.bank as bank
from tests.variant_helpers import TOPICS, numbers
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions, question
from vpclab.grading.score import execute_notebook, read_notebook, recorded_answers, score_answers
from vpclab.grading.variant import Variant, using

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = [f"learner-{n}" for n in range(15)]


def test_every_exercise_set_has_per_learner_numbers() -> None:
    assert sorted(TOPICS) == sorted(bank.ASSIGNMENTS)


@pytest.mark.parametrize("assignment", sorted(TOPICS))
def test_neighbours_get_different_numbers_and_a_learner_always_the_same(assignment: str) -> None:
    sets = {repr(numbers(assignment, who)) for who in LEARNERS[:10]}
    assert len(sets) >= 2
    for key in numbers(assignment, None):  # every parameter really varies
        assert len({repr(numbers(assignment, who)[key]) for who in LEARNERS}) >= 2, key
    assert numbers(assignment, "kim") == numbers(assignment, " KIM ") == numbers(assignment, "kim")
    assert numbers(assignment, None) == TOPICS[assignment].parameters()  # no learner: the practice numbers


@pytest.mark.parametrize("assignment", sorted(TOPICS))
@pytest.mark.parametrize("learner", [None, *LEARNERS])
def test_every_question_is_solved_and_graded_right_in_every_variant(assignment: str, learner: str | None) -> None:
    variant = Variant(assignment, learner)
    for asked in assignment_questions(assignment):
        with using(variant):
            answer = question(asked.id).solve()
        verdict = evaluate(asked.id, answer, variant=variant, graded=True)
        assert verdict.correct, (learner, asked.id, verdict.text)


@pytest.mark.parametrize("assignment", sorted(TOPICS))
def test_the_numbers_table_shows_the_learners_own_values(assignment: str) -> None:
    with using(Variant(assignment, "kim")):
        text = TOPICS[assignment].parameters_table()._text_()
        values = TOPICS[assignment].parameters()
    assert Variant(assignment, "kim").id in text
    for key, value in values.items():
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        assert f"p['{key}']" in text and shown in text, key


@pytest.mark.notebooks
@pytest.mark.parametrize("assignment", sorted(TOPICS))
def test_the_solution_run_as_a_learner_scores_full_marks_for_that_learner_only(assignment: str) -> None:
    nb = read_notebook(ROOT / "solutions" / f"{assignment}.ipynb")
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None"))
    cell.source = cell.source.replace("LEARNER = None", 'LEARNER = "kim"', 1)
    executed: nbformat.NotebookNode = execute_notebook(nb, cwd=ROOT / "solutions")
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    answers = recorded_answers(executed)
    for_kim = score_answers(assignment, answers, learner="kim")
    assert for_kim.score == for_kim.max_score and for_kim.flags == (), for_kim._text_()
    for_lee = score_answers(assignment, answers, learner="lee")
    assert len(for_lee.flags) == len(assignment_questions(assignment))
    assert all(Variant(assignment, "kim").id in flag for flag in for_lee.flags)
