"""Per-learner variants of the 02_cidr_subnets exercises: each learner gets their own block to
split, address, taken subnets and refused block; the grader rebuilds them; the default variant
is the solution's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.variant_helpers import numbers, solved
from vpclab.cidr import network_of, parse
from vpclab.errors import Conflict
from vpclab.grading.bank.cidr import ADDRESSES, REFUSED_BLOCKS, SPLIT_BLOCKS, parameters, parameters_table, world
from vpclab.grading.check import evaluate
from vpclab.grading.variant import Variant

ASSIGNMENT = "02_cidr_subnets"
ROOT = Path(__file__).resolve().parent.parent
LEARNERS = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim",
            "han", "oh", "seo", "shin", "kwon"]
TODAY = {"split": "10.0.0.0/16", "address": "10.0.7.9",
         "taken": ("10.0.0.0/24", "10.0.1.0/24", "10.0.3.0/24"), "refused": "10.0.4.0/22"}


def test_the_default_variant_keeps_the_numbers_and_answers_of_the_solution_notebook() -> None:
    assert parameters() == numbers(ASSIGNMENT, None) == TODAY
    assert solved(Variant(ASSIGNMENT), "cidr.q4") == ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"]
    assert solved(Variant(ASSIGNMENT), "cidr.q7") == "10.0.4.0/22"
    assert solved(Variant(ASSIGNMENT), "cidr.q8") == "10.0.2.0/24"
    assert solved(Variant(ASSIGNMENT), "cidr.q10") == "10.0.5.0/24"
    assert "variant default" in parameters_table()._text_()


def test_every_choice_makes_a_sensible_question() -> None:
    """Each block splits into 4 valid subnets; the addresses lie in different /22 networks; each
    refused /22 overlaps exactly one subnet of lab, and AWS refuses it naming that subnet."""
    assert all(all(part.is_valid_subnet for part in parse(block).split(4)) for block in SPLIT_BLOCKS)
    assert len({str(network_of(address, 22)) for address in ADDRESSES}) == len(ADDRESSES)
    lab = [s.cidr for s in world().subnets("lab")]
    for refused in REFUSED_BLOCKS:
        overlapped = [block for block in lab if parse(block).overlaps(parse(refused))]
        assert len(overlapped) == 1
        with pytest.raises(Conflict, match=f"overlaps subnet {overlapped[0]}"):
            world().create_subnet("lab", refused, az="b")


def test_a_neighbours_answers_are_wrong_in_your_variant() -> None:
    kim, default = numbers(ASSIGNMENT, "kim"), numbers(ASSIGNMENT, None)
    differing = {"split": "cidr.q4", "address": "cidr.q7", "taken": "cidr.q8", "refused": "cidr.q10"}
    changed = [question for key, question in differing.items() if kim[key] != default[key]]
    assert changed
    for question in changed:
        answer = solved(Variant(ASSIGNMENT), question)
        if answer != solved(Variant(ASSIGNMENT, "kim"), question):
            assert not evaluate(question, answer, variant=Variant(ASSIGNMENT, "kim"), graded=True).correct


