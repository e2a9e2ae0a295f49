"""Per-learner numbers of the 04_routing_gateways exercises: different for neighbours, the same
for one learner, today's numbers in the default variant, and right answers in every variant."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.variant_helpers import numbers
from vpclab.grading.bank.routing import ASSIGNMENT, parameters, parameters_table, world
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.variant import Variant, using
from vpclab.resources import Instance, Subnet

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
TODAY = {"app_destination": "192.168.9.9", "warehouse_host": "192.168.5.20",
         "reports_subnet": "10.10.16.0/20", "reports_server": "10.10.23.45"}
SAMPLE = [Variant(ASSIGNMENT)] + [Variant(ASSIGNMENT, f"learner-{n}") for n in range(15)]


def test_the_default_variant_keeps_the_numbers_of_the_solution_notebook() -> None:
    assert numbers(ASSIGNMENT, None) == TODAY == parameters()  # nothing started: the default variant
    shown = parameters_table()._text_()
    assert "variant default" in shown and all(f"p['{key}']" in shown for key in TODAY)


@pytest.mark.parametrize("variant", SAMPLE, ids=lambda v: v.learner or "default")
def test_the_world_holds_the_learners_reports_subnet_and_server(variant: Variant) -> None:
    with using(variant):
        cloud, wanted = world(), parameters()
    server = cloud.get("reports-server")
    assert isinstance(server, Instance) and server.private_ip == wanted["reports_server"]
    subnet = cloud.get(server.subnet_id)
    assert isinstance(subnet, Subnet) and (subnet.name, subnet.cidr) == ("reports", wanted["reports_subnet"])


def test_the_numbers_change_the_answers() -> None:
    """The default variant's answer is wrong for some learners: their own numbers matter."""
    default = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
    wrong_somewhere = {q_id for variant in SAMPLE[1:] for q_id, answer in default.items()
                       if not evaluate(q_id, answer, variant=variant, graded=True).correct}
    assert {"route.q1", "route.q7"} <= wrong_somewhere


