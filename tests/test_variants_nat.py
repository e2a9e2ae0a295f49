"""Per-learner variants of the 05_nat exercises: each learner's own numbers, graded in their variant."""

from __future__ import annotations

from pathlib import Path

from tests.variant_helpers import numbers, solved
from vpclab.grading.bank.nat import ASSIGNMENT, parameters, world
from vpclab.grading.check import evaluate
from vpclab.grading.variant import Variant, using
from vpclab.resources import SecurityGroup

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
LEARNERS = [f"learner-{n}" for n in range(15)]
TODAY = {"server": "93.184.216.34", "ports": (443, 80), "open_port": 22, "source_port": 40002}


def test_the_default_variant_keeps_the_solution_notebooks_numbers() -> None:
    assert parameters() == TODAY
    assert numbers(ASSIGNMENT, None) == TODAY
    default = Variant(ASSIGNMENT)
    assert solved(default, "nat.q1") == 110_000 and solved(default, "nat.q9") == 40002


def test_the_lab_world_opens_the_learners_port_to_app_sg() -> None:
    for who in LEARNERS[:5]:
        with using(Variant(ASSIGNMENT, who)):
            port, server = parameters()["open_port"], parameters()["server"]
            cloud = world()
            blocked = cloud.trace(server, "app-1", "tcp", port).blocker
        assert blocked is not None and blocked.code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
        group = cloud.get("app-sg")
        assert isinstance(group, SecurityGroup)
        assert [(r.from_port, r.to_port, r.peer) for r in group.ingress] == [(port, port, "0.0.0.0/0")]


def test_an_answer_for_one_learners_numbers_is_wrong_for_anothers() -> None:
    by_port = {numbers(ASSIGNMENT, who)["source_port"]: who for who in LEARNERS}
    (port_a, kim), (port_b, lee) = list(by_port.items())[:2]
    assert port_a != port_b
    assert evaluate("nat.q9", port_a, variant=Variant(ASSIGNMENT, kim), graded=True).correct
    assert not evaluate("nat.q9", port_a, variant=Variant(ASSIGNMENT, lee), graded=True).correct
    answers = {len(numbers(ASSIGNMENT, who)["ports"]) * 55_000 for who in LEARNERS}
    assert answers == {solved(Variant(ASSIGNMENT, who), "nat.q1") for who in LEARNERS} and len(answers) >= 2


