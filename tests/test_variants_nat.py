"""Per-learner variants of the 05_nat exercises: each learner's own numbers, graded in their variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from vpclab.grading.bank.nat import ASSIGNMENT, parameters, parameters_table, world
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions, question
from vpclab.grading.score import execute_notebook, read_notebook, recorded_answers, score_answers
from vpclab.grading.variant import Variant, using
from vpclab.resources import SecurityGroup

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
LEARNERS = [f"learner-{n}" for n in range(15)]
TODAY = {"server": "93.184.216.34", "ports": (443, 80), "open_port": 22, "source_port": 40002}


def numbers(learner: str | None) -> dict[str, Any]:
    with using(Variant(ASSIGNMENT, learner)):
        return parameters()


def solved(variant: Variant, qid: str) -> Any:
    with using(variant):
        return question(qid).solve()


def test_the_default_variant_keeps_the_solution_notebooks_numbers() -> None:
    assert parameters() == TODAY
    assert numbers(None) == TODAY
    default = Variant(ASSIGNMENT)
    assert solved(default, "nat.q1") == 110_000 and solved(default, "nat.q9") == 40002


def test_neighbours_get_different_numbers_and_a_learner_always_the_same() -> None:
    sets = [numbers(who) for who in LEARNERS[:10]]
    assert len({repr(s) for s in sets}) >= 2
    for key in TODAY:  # every parameter really varies
        assert len({repr(numbers(who)[key]) for who in LEARNERS}) >= 2, key
    assert numbers("kim") == numbers(" KIM ") == numbers("kim")


def test_the_table_shows_the_learners_own_numbers() -> None:
    with using(Variant(ASSIGNMENT, "kim")):
        text = parameters_table()._text_()
        values = parameters()
    assert Variant(ASSIGNMENT, "kim").id in text
    for key, value in values.items():
        assert f"p['{key}']" in text
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        assert shown in text


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


@pytest.mark.parametrize("learner", [None, *LEARNERS])
def test_every_question_is_right_in_every_variant(learner: str | None) -> None:
    variant = Variant(ASSIGNMENT, learner)
    for asked in assignment_questions(ASSIGNMENT):
        verdict = evaluate(asked.id, solved(variant, asked.id), variant=variant, graded=True)
        assert verdict.correct, (learner, asked.id, verdict.text)


def test_an_answer_for_one_learners_numbers_is_wrong_for_anothers() -> None:
    by_port = {numbers(who)["source_port"]: who for who in LEARNERS}
    (port_a, kim), (port_b, lee) = list(by_port.items())[:2]
    assert port_a != port_b
    assert evaluate("nat.q9", port_a, variant=Variant(ASSIGNMENT, kim), graded=True).correct
    assert not evaluate("nat.q9", port_a, variant=Variant(ASSIGNMENT, lee), graded=True).correct
    answers = {len(numbers(who)["ports"]) * 55_000 for who in LEARNERS}
    assert answers == {solved(Variant(ASSIGNMENT, who), "nat.q1") for who in LEARNERS} and len(answers) >= 2


@pytest.fixture(scope="module")
def executed_as_kim() -> nbformat.NotebookNode:
    nb = read_notebook(SOLUTION)
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None"))
    cell.source = cell.source.replace("LEARNER = None", 'LEARNER = "kim"', 1)
    return execute_notebook(nb, cwd=SOLUTION.parent)


@pytest.mark.notebooks
def test_the_solution_run_as_kim_scores_full_marks_for_kim(executed_as_kim: nbformat.NotebookNode) -> None:
    assert numbers("kim") != TODAY  # kim's numbers are not the practice ones
    errors = [o for c in executed_as_kim.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    score = score_answers(ASSIGNMENT, recorded_answers(executed_as_kim), learner="kim")
    assert score.score == score.max_score, score._text_()
    assert score.flags == ()


@pytest.mark.notebooks
def test_kims_answers_graded_for_lee_are_flagged(executed_as_kim: nbformat.NotebookNode) -> None:
    score = score_answers(ASSIGNMENT, recorded_answers(executed_as_kim), learner="lee")
    assert score.variant == Variant(ASSIGNMENT, "lee").id
    assert len(score.flags) == len(assignment_questions(ASSIGNMENT))
    assert all(Variant(ASSIGNMENT, "kim").id in flag for flag in score.flags)
