"""Per-learner variants of the 07_endpoints exercises: neighbours get other services, AZs and
subnets; every variant's questions are answered right by their own solve(); the default variant
keeps the solution notebook's numbers; the solution notebook run as one learner scores full marks
for that learner and is flagged for another."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from vpclab.grading.bank.endpoints import parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.score import execute_notebook, read_notebook, recorded_answers, score_answers
from vpclab.grading.variant import Variant, using

ASSIGNMENT = "07_endpoints"
SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
SAMPLE = [None, *(f"learner-{n}" for n in range(15))]
TODAY = {"services": ("ssm", "ssmmessages", "ec2messages"), "azs": 2, "s3_subnets": ("app-a", "app-b")}


def numbers(learner: str | None) -> dict[str, object]:
    with using(Variant(ASSIGNMENT, learner)):
        return parameters()


def test_neighbours_get_different_numbers_and_one_learner_always_the_same() -> None:
    sets = {repr(numbers(f"learner-{n}")) for n in range(10)}
    assert len(sets) >= 2
    assert numbers("kim") == numbers("kim") == numbers("  KIM ")


def test_the_default_variant_keeps_todays_numbers() -> None:
    assert numbers(None) == TODAY
    with using(Variant(ASSIGNMENT)):
        shown = parameters_table()._text_()
        answers = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
    assert "variant default" in shown and "ssm, ssmmessages, ec2messages" in shown and "app-a, app-b" in shown
    assert answers["vpce.q4"] == 6 and answers["vpce.q5"] == ["app-a-rt", "app-b-rt"]


@pytest.mark.parametrize("learner", SAMPLE, ids=str)
def test_every_question_is_right_in_every_variant(learner: str | None) -> None:
    variant = Variant(ASSIGNMENT, learner)
    with using(variant):
        answers = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
        wanted = parameters()
    for qid, answer in answers.items():
        verdict = evaluate(qid, answer, variant=variant, graded=True)
        assert verdict.correct, (learner, qid, answer, verdict.text)
    # the numbers really are the learner's: one ENI per service per AZ, one table per chosen subnet
    assert answers["vpce.q4"] == len(wanted["services"]) * wanted["azs"]
    assert sorted(answers["vpce.q5"]) == sorted(f"{name}-rt" for name in wanted["s3_subnets"])


def test_the_practice_answers_are_wrong_for_a_learner_with_other_numbers() -> None:
    kim = Variant(ASSIGNMENT, "kim")
    with using(kim):
        assert parameters()["services"] != TODAY["services"]
    assert not evaluate("vpce.q4", 6, variant=kim, graded=True).correct
    other = next(Variant(ASSIGNMENT, f"learner-{n}") for n in range(40)
                 if numbers(f"learner-{n}")["s3_subnets"] != TODAY["s3_subnets"])
    verdict = evaluate("vpce.q5", ["app-a-rt", "app-b-rt"], variant=other, graded=True)
    assert verdict.status == "incorrect"


def executed_as(learner: str) -> nbformat.NotebookNode:
    nb = read_notebook(SOLUTION)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None")]
    cell.source = cell.source.replace("LEARNER = None", f"LEARNER = {learner!r}", 1)
    return execute_notebook(nb, cwd=SOLUTION.parent)


@pytest.mark.notebooks
def test_the_solution_run_as_a_learner_scores_full_marks_for_that_learner_only() -> None:
    answers = recorded_answers(executed_as("kim"))
    mine = score_answers(ASSIGNMENT, answers, learner="kim")
    assert mine.score == mine.max_score >= 6, mine._text_()
    assert mine.flags == ()
    theirs = score_answers(ASSIGNMENT, answers, learner="lee")
    assert len(theirs.flags) == len(assignment_questions(ASSIGNMENT))
    assert theirs.score < theirs.max_score  # lee's q4 has other services: kim's count is wrong for lee
