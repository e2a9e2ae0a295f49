"""Per-learner variants of the 06_security_groups_nacls exercises: own numbers, graded in their variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from vpclab.grading.bank.firewall import ASSIGNMENT, parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions, question
from vpclab.grading.score import execute_notebook, read_notebook, recorded_answers, score_answers
from vpclab.grading.variant import Variant, using
from vpclab.ports import service_port

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
LEARNERS = [f"learner-{n}" for n in range(15)]
TODAY = {"q1_source": "203.0.113.200", "q1_port": 443, "q5_deny_rule": 90, "q7_service": "PostgreSQL"}


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
    assert [solved(default, q) for q in ("fw.q1", "fw.q5", "fw.q7")] == [200, 90, 5432]


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
        assert f"p['{key}']" in text and str(value) in text


def test_each_learners_numbers_give_the_answers_the_question_describes() -> None:
    answers: dict[str, set[Any]] = {"fw.q1": set(), "fw.q5": set(), "fw.q7": set()}
    for who in LEARNERS:
        mine, variant = numbers(who), Variant(ASSIGNMENT, who)
        assert solved(variant, "fw.q5") == mine["q5_deny_rule"] < 100  # checked before the allow rule 100
        assert solved(variant, "fw.q7") == service_port(mine["q7_service"])
        assert solved(variant, "fw.q1") in (150, 200, 300, 400)  # a numbered rule decides, never *
        for qid in answers:
            answers[qid].add(solved(variant, qid))
    assert all(len(values) >= 2 for values in answers.values()), answers


@pytest.mark.parametrize("learner", [None, *LEARNERS])
def test_every_question_is_right_in_every_variant(learner: str | None) -> None:
    variant = Variant(ASSIGNMENT, learner)
    for asked in assignment_questions(ASSIGNMENT):
        verdict = evaluate(asked.id, solved(variant, asked.id), variant=variant, graded=True)
        assert verdict.correct, (learner, asked.id, verdict.text)


def test_an_answer_for_one_learners_numbers_is_wrong_for_anothers() -> None:
    by_port = {service_port(numbers(who)["q7_service"]): who for who in LEARNERS}
    (port_a, kim), (_, lee) = list(by_port.items())[:2]
    assert evaluate("fw.q7", port_a, variant=Variant(ASSIGNMENT, kim), graded=True).correct
    assert not evaluate("fw.q7", port_a, variant=Variant(ASSIGNMENT, lee), graded=True).correct


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
