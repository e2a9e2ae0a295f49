"""Per-learner variants of the 07_endpoints exercises: neighbours get other services, AZs and
subnets; every variant's questions are answered right by their own solve(); the default variant
keeps the solution notebook's numbers; the solution notebook run as one learner scores full marks
for that learner and is flagged for another."""

from __future__ import annotations

from pathlib import Path

import nbformat

from tests.variant_helpers import numbers
from vpclab.grading.bank.endpoints import parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.score import execute_notebook, read_notebook
from vpclab.grading.variant import Variant, using

ASSIGNMENT = "07_endpoints"
SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
SAMPLE = [None, *(f"learner-{n}" for n in range(15))]
TODAY = {"services": ("ssm", "ssmmessages", "ec2messages"), "azs": 2, "s3_subnets": ("app-a", "app-b")}


def test_the_default_variant_keeps_todays_numbers() -> None:
    assert numbers(ASSIGNMENT, None) == TODAY
    with using(Variant(ASSIGNMENT)):
        shown = parameters_table()._text_()
        answers = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
    assert "variant default" in shown and "ssm, ssmmessages, ec2messages" in shown and "app-a, app-b" in shown
    assert answers["vpce.q4"] == 6 and answers["vpce.q5"] == ["app-a-rt", "app-b-rt"]


def test_the_practice_answers_are_wrong_for_a_learner_with_other_numbers() -> None:
    kim = Variant(ASSIGNMENT, "kim")
    with using(kim):
        assert parameters()["services"] != TODAY["services"]
    assert not evaluate("vpce.q4", 6, variant=kim, graded=True).correct
    other = next(Variant(ASSIGNMENT, f"learner-{n}") for n in range(40)
                 if numbers(ASSIGNMENT, f"learner-{n}")["s3_subnets"] != TODAY["s3_subnets"])
    verdict = evaluate("vpce.q5", ["app-a-rt", "app-b-rt"], variant=other, graded=True)
    assert verdict.status == "incorrect"


def executed_as(learner: str) -> nbformat.NotebookNode:
    nb = read_notebook(SOLUTION)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None")]
    cell.source = cell.source.replace("LEARNER = None", f"LEARNER = {learner!r}", 1)
    return execute_notebook(nb, cwd=SOLUTION.parent)


