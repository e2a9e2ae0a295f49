"""Lesson 02 exercises about subnets at work (cidr.q9 to cidr.q12): the world the questions
describe, the answers the engine computes in it, and the repair judge's verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from vpclab.errors import Conflict, HostBitsWarning
from vpclab.grading import evaluate
from vpclab.grading.bank import ASSIGNMENTS, QUESTIONS
from vpclab.grading.bank.cidr import world
from vpclab.i18n import message


def test_the_world_is_the_worked_example_with_a_batch_tier() -> None:
    cloud = world()
    assert [(s.name, s.cidr, s.az) for s in cloud.subnets("lab")] == [
        ("app", "10.0.2.0/24", "us-east-1a"), ("db", "10.0.5.0/24", "us-east-1b"),
        ("batch", "10.0.8.0/24", "us-east-1c")]
    assert cloud.trace("app-server", "db-server", "tcp", 5432).reachable  # as in the lesson


def test_q9_the_batch_server_is_stopped_by_the_database_security_group_not_by_routing() -> None:
    trace = world().trace("batch-server", "db-server", "tcp", 5432)
    assert trace.blocker is not None and trace.blocker.direction == "forward"
    assert trace.blocker.component == world().get("db-sg").id
    assert [h.detail for h in trace.forward if h.type == "route-table"] == ["10.0.5.230 matches 10.0.0.0/16 → local"]
    assert QUESTIONS["cidr.q9"].solve() == trace.blocker.code == "ENI_SG_RULES_MISMATCH"


def test_q10_the_refused_block_is_refused_for_the_subnet_the_answer_names() -> None:
    answer = QUESTIONS["cidr.q10"].solve()
    with pytest.raises(Conflict) as caught:
        world().create_subnet("lab", "10.0.4.0/22", az="b")
    assert caught.value.code == "InvalidSubnet.Conflict"
    assert caught.value.message == f"subnet 10.0.4.0/22 overlaps subnet {answer}"
    assert answer == "10.0.5.0/24"


def test_q12_a_secondary_block_is_reached_by_its_own_local_route() -> None:
    trace = world(reports=True).trace("reports-server", "db-server", "tcp", 5432)
    assert trace.reachable and QUESTIONS["cidr.q12"].solve() == "REACHABLE"
    assert [h.detail.split(" matches ")[1] for h in trace.return_ if h.type == "route-table"] == [
        "10.1.0.0/16 → local"]


@pytest.mark.parametrize("block", ["10.0.0.0/24", "10.0.6.0/24", "10.0.255.0/24", " 10.0.9.0/24 "])
def test_q11_accepts_any_free_slash_24_of_the_vpc(block: str) -> None:
    assert evaluate("cidr.q11", block).correct


def test_q11_accepts_a_block_with_host_bits_as_aws_does_with_a_warning() -> None:
    with pytest.warns(HostBitsWarning, match="the network is 10.0.6.0/24"):
        assert evaluate("cidr.q11", "10.0.6.1/24").correct


def test_q11_accepts_its_own_answer() -> None:
    assert evaluate("cidr.q11", QUESTIONS["cidr.q11"].solve()).correct


@pytest.mark.parametrize(("given", "text"), [
    (5, "InvalidParameterValue: the answer is one CIDR block written as a string, not 5 (int). "
        "Fix: put the block in quotes, like '172.16.1.0/24'"),
    (["10.0.6.0/24"], "the answer is one CIDR block written as a string, not ['10.0.6.0/24'] (list)"),
    ("10.0.6.0/23", "InvalidParameterValue: 10.0.6.0/23 is a /23, and the team asked for a /24. "
                    "Fix: keep the prefix length /24, and choose where the block starts"),
    ("10.0.5.0/24", "InvalidSubnet.Conflict: AWS refuses 10.0.5.0/24: subnet 10.0.5.0/24 overlaps subnet "
                    "10.0.5.0/24. Fix: choose a block inside 10.0.0.0/16 that shares no address with the "
                    "subnets 10.0.2.0/24, 10.0.5.0/24, 10.0.8.0/24"),
    ("10.1.0.0/24", "InvalidSubnet.Range: AWS refuses 10.1.0.0/24: subnet 10.1.0.0/24 is outside the "
                    "VPC's blocks (10.0.0.0/16)"),
    ("10.0.8", "'10.0.8' has no prefix length"),
])
def test_q11_says_what_is_wrong_with_a_refused_answer_and_gives_the_hint(given: Any, text: str) -> None:
    feedback = evaluate("cidr.q11", given)
    assert feedback.status == "incorrect" and feedback.hint == message("hint.cidr.q11")
    assert text in feedback.text
    assert "first free block" not in feedback.text  # AWS's reason only, not vpclab's suggestion


@pytest.mark.parametrize(("question", "wrong"), [
    ("cidr.q9", "NO_ROUTE_TO_DESTINATION"), ("cidr.q9", "reachable"), ("cidr.q10", "10.0.8.0/24"),
    ("cidr.q12", "NO_ROUTE_TO_DESTINATION"), ("cidr.q12", "ENI_SG_RULES_MISMATCH"),
])
def test_a_wrong_prediction_or_diagnosis_gets_its_hint(question: str, wrong: str) -> None:
    feedback = evaluate(question, wrong)
    assert feedback.status == "incorrect" and feedback.hint == message(f"hint.{question}")


def test_answers_in_lower_case_count_for_the_code_questions() -> None:
    assert evaluate("cidr.q9", "eni_sg_rules_mismatch").correct and evaluate("cidr.q12", "reachable").correct


def test_the_exercise_set_mixes_kinds_and_grades_twelve_questions() -> None:
    ids = ASSIGNMENTS["02_cidr_subnets"]
    assert ids == tuple(f"cidr.q{n}" for n in range(1, 13))
    kinds = {QUESTIONS[q].kind for q in ids}
    assert {"count", "cidr", "choice", "data"} <= kinds
    assert QUESTIONS["cidr.q11"].accepts is not None
