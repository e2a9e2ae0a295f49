"""Per-learner variants of the 08_connecting_networks exercises: neighbours get other VPC blocks
and another number of VPCs to mesh; every variant's questions are answered right by their own
solve(); the default variant keeps the solution notebook's (and the connectivity builder's)
numbers; the solution notebook run as one learner scores full marks for that learner and is
flagged for another."""

from __future__ import annotations

from pathlib import Path

import nbformat

from tests.variant_helpers import numbers
from vpclab.grading.bank.connect import parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.score import execute_notebook, read_notebook
from vpclab.grading.variant import Variant, using
from vpclab.resources import Subnet, Vpc
from vpclab.widgets.connectivity_builder import BLOCKS, connectivity_world

ASSIGNMENT = "08_connecting_networks"
SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
SAMPLE = [None, *(f"learner-{n}" for n in range(15))]
TODAY = {"vpcs": 6, "vpc_a": "10.1.0.0/16", "vpc_b": "10.2.0.0/16", "vpc_c": "10.3.0.0/16"}


def test_the_default_variant_keeps_todays_numbers() -> None:
    assert numbers(ASSIGNMENT, None) == TODAY
    assert (TODAY["vpc_a"], TODAY["vpc_b"], TODAY["vpc_c"]) == BLOCKS
    with using(Variant(ASSIGNMENT)):
        shown = parameters_table()._text_()
        answers = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
    assert "variant default" in shown and "10.2.0.0/16" in shown
    assert answers["conn.q1"] == 15
    assert answers["conn.q5"] == [["a-app-rt", "10.2.0.0/16", "A-B"], ["b-app-rt", "10.1.0.0/16", "A-B"]]


def test_the_builder_keeps_its_blocks_and_carves_subnets_from_given_ones() -> None:
    default = connectivity_world(transit=True)
    assert [(v.name, v.cidr) for v in default._all(Vpc)] == list(zip("ABC", BLOCKS, strict=True))
    assert default._ref("c-tgw", Subnet).cidr == "10.3.255.0/28"
    assert default._ref("b-app", Subnet).cidr == "10.2.1.0/24"
    other = connectivity_world(transit=True, blocks=("10.41.0.0/16", "10.32.0.0/16", "10.63.0.0/16"))
    assert other._ref("c-tgw", Subnet).cidr == "10.63.255.0/28"
    assert other.trace("a-server", "c-server", "tcp", 22).reachable  # the hub still joins them
    overlapping = connectivity_world(overlap=True, blocks=("10.41.0.0/16", "10.32.0.0/16", "10.63.0.0/16"))
    assert overlapping._ref("c-app", Subnet).cidr == "10.32.2.0/24"


def test_the_practice_answers_are_wrong_for_a_learner_with_other_numbers() -> None:
    kim = Variant(ASSIGNMENT, "kim")
    with using(kim):
        assert parameters()["vpc_b"] != TODAY["vpc_b"]
    practice = [["a-app-rt", "10.2.0.0/16", "A-B"], ["b-app-rt", "10.1.0.0/16", "A-B"]]
    assert evaluate("conn.q5", practice, variant=kim, graded=True).status == "incorrect"
    assert not evaluate("conn.q1", 15, variant=kim, graded=True).correct


def executed_as(learner: str) -> nbformat.NotebookNode:
    nb = read_notebook(SOLUTION)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None")]
    cell.source = cell.source.replace("LEARNER = None", f"LEARNER = {learner!r}", 1)
    return execute_notebook(nb, cwd=SOLUTION.parent)


