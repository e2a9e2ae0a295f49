"""Per-learner variants of the 01_vpc_basics exercises: each learner gets their own Region,
subnet block and port; the grader rebuilds them; the default variant is the solution's."""

from __future__ import annotations

from pathlib import Path

from tests.variant_helpers import numbers, solved
from vpclab.grading.bank.vpc_basics import SUBNET_BLOCKS, parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.variant import Variant

ASSIGNMENT = "01_vpc_basics"
ROOT = Path(__file__).resolve().parent.parent
LEARNERS = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim",
            "han", "oh", "seo", "shin", "kwon"]
TODAY = {"region": "ap-northeast-2", "subnet": "172.31.200.0/24", "port": 443}


def test_the_default_variant_keeps_the_numbers_and_answers_of_the_solution_notebook() -> None:
    assert parameters() == numbers(ASSIGNMENT, None) == TODAY
    assert solved(Variant(ASSIGNMENT), "vpc.q1") == 4 * 4091  # Seoul: four /20 default subnets
    assert solved(Variant(ASSIGNMENT), "vpc.q3") is False  # a subnet added by hand: no public IPv4
    assert solved(Variant(ASSIGNMENT), "vpc.q6") == {"protocol": "tcp", "port": 443, "source": "0.0.0.0/0"}
    table = parameters_table()._text_()
    assert "variant default" in table and "ap-northeast-2" in table and "(HTTPS)" in table


def test_question_3_has_both_answers_across_the_blocks_a_learner_may_get() -> None:
    """Some blocks are default subnets (public IPv4 on launch), the others are added by hand."""
    answers = {}
    for who in (f"learner-{n}" for n in range(200)):
        block = numbers(ASSIGNMENT, who)["subnet"]
        if block not in answers:
            answers[block] = solved(Variant(ASSIGNMENT, who), "vpc.q3")
    assert set(answers) == set(SUBNET_BLOCKS)
    assert {block for block, public in answers.items() if public} == {
        "172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"}


def test_a_neighbours_answer_is_wrong_in_your_variant() -> None:
    """kim opens port 80, the default variant 443: each one's repair fails for the other."""
    kim = Variant(ASSIGNMENT, "kim")
    assert numbers(ASSIGNMENT, "kim")["port"] != TODAY["port"]
    assert not evaluate("vpc.q6", solved(Variant(ASSIGNMENT), "vpc.q6"), variant=kim, graded=True).correct
    kims_answer = solved(Variant(ASSIGNMENT, "kim"), "vpc.q6")
    assert not evaluate("vpc.q6", kims_answer, variant=Variant(ASSIGNMENT), graded=True).correct


