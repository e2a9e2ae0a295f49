"""Per-learner numbers of the 03_dhcp_addressing exercises: different for neighbours, the same
for one learner, today's numbers in the default variant, and right answers in every variant."""

from __future__ import annotations

from pathlib import Path

from tests.variant_helpers import numbers
from vpclab.grading.bank.dhcp import ASSIGNMENT, parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.variant import Variant

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
TODAY = {"empty_subnet": "10.0.8.0/27", "vpc_block": "10.1.0.0/16", "instance_subnet": "10.1.20.0/24",
         "group_beside_nat": 20, "group_max": 100}
SAMPLE = [Variant(ASSIGNMENT)] + [Variant(ASSIGNMENT, f"learner-{n}") for n in range(15)]


def test_the_default_variant_keeps_the_numbers_of_the_solution_notebook() -> None:
    assert numbers(ASSIGNMENT, None) == TODAY == parameters()  # nothing started: the default variant
    shown = parameters_table()._text_()
    assert "variant default" in shown and all(f"p['{key}']" in shown for key in TODAY)


def test_the_numbers_change_the_answers() -> None:
    """The default variant's answer is wrong for some learners: their own numbers matter."""
    default = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
    wrong_somewhere = {q_id for variant in SAMPLE[1:] for q_id, answer in default.items()
                       if not evaluate(q_id, answer, variant=variant, graded=True).correct}
    assert {"dhcp.q1", "dhcp.q2", "dhcp.q5", "dhcp.q8"} <= wrong_somewhere


