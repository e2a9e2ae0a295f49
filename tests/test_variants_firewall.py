"""Per-learner variants of the 06_security_groups_nacls exercises: own numbers, graded in their variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.variant_helpers import numbers, solved
from vpclab.grading.bank.firewall import ASSIGNMENT, parameters
from vpclab.grading.check import evaluate
from vpclab.grading.variant import Variant
from vpclab.ports import service_port

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
LEARNERS = [f"learner-{n}" for n in range(15)]
TODAY = {"q1_source": "203.0.113.200", "q1_port": 443, "q5_deny_rule": 90, "q7_service": "PostgreSQL"}


def test_the_default_variant_keeps_the_solution_notebooks_numbers() -> None:
    assert parameters() == TODAY
    assert numbers(ASSIGNMENT, None) == TODAY
    default = Variant(ASSIGNMENT)
    assert [solved(default, q) for q in ("fw.q1", "fw.q5", "fw.q7")] == [200, 90, 5432]


def test_each_learners_numbers_give_the_answers_the_question_describes() -> None:
    answers: dict[str, set[Any]] = {"fw.q1": set(), "fw.q5": set(), "fw.q7": set()}
    for who in LEARNERS:
        mine, variant = numbers(ASSIGNMENT, who), Variant(ASSIGNMENT, who)
        assert solved(variant, "fw.q5") == mine["q5_deny_rule"] < 100  # checked before the allow rule 100
        assert solved(variant, "fw.q7") == service_port(mine["q7_service"])
        assert solved(variant, "fw.q1") in (150, 200, 300, 400)  # a numbered rule decides, never *
        for qid in answers:
            answers[qid].add(solved(variant, qid))
    assert all(len(values) >= 2 for values in answers.values()), answers


def test_an_answer_for_one_learners_numbers_is_wrong_for_anothers() -> None:
    by_port = {service_port(numbers(ASSIGNMENT, who)["q7_service"]): who for who in LEARNERS}
    (port_a, kim), (_, lee) = list(by_port.items())[:2]
    assert evaluate("fw.q7", port_a, variant=Variant(ASSIGNMENT, kim), graded=True).correct
    assert not evaluate("fw.q7", port_a, variant=Variant(ASSIGNMENT, lee), graded=True).correct


