"""Per-learner variants of the 01_vpc_basics exercises: each learner gets their own Region,
subnet block and port; the grader rebuilds them; the default variant is the solution's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vpclab.cloud import KNOWN_REGIONS
from vpclab.grading.bank import ASSIGNMENTS, QUESTIONS
from vpclab.grading.bank.vpc_basics import SUBNET_BLOCKS, WEB_PORTS, parameters, parameters_table
from vpclab.grading.check import evaluate
from vpclab.grading.score import execute_notebook, read_notebook, recorded_answers, score_answers
from vpclab.grading.variant import Variant, using

ASSIGNMENT = "01_vpc_basics"
ROOT = Path(__file__).resolve().parent.parent
LEARNERS = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim",
            "han", "oh", "seo", "shin", "kwon"]
TODAY = {"region": "ap-northeast-2", "subnet": "172.31.200.0/24", "port": 443}


def numbers(learner: str | None) -> dict[str, Any]:
    with using(Variant(ASSIGNMENT, learner)):
        return parameters()


def solved(learner: str | None, question: str) -> Any:
    with using(Variant(ASSIGNMENT, learner)):
        return QUESTIONS[question].solve()


def test_the_default_variant_keeps_the_numbers_and_answers_of_the_solution_notebook() -> None:
    assert parameters() == numbers(None) == TODAY
    assert solved(None, "vpc.q1") == 4 * 4091  # Seoul: four /20 default subnets
    assert solved(None, "vpc.q3") is False  # a subnet added by hand: no public IPv4
    assert solved(None, "vpc.q6") == {"protocol": "tcp", "port": 443, "source": "0.0.0.0/0"}
    table = parameters_table()._text_()
    assert "variant default" in table and "ap-northeast-2" in table and "(HTTPS)" in table


def test_neighbours_get_different_numbers_and_a_learner_always_the_same() -> None:
    sets = [numbers(who) for who in LEARNERS[:10]]
    assert len({tuple(sorted(s.items())) for s in sets}) >= 2
    assert numbers("kim") == numbers(" KIM ") == numbers("kim")
    assert all(s["region"] in KNOWN_REGIONS and s["subnet"] in SUBNET_BLOCKS and s["port"] in WEB_PORTS
               for s in sets)


def test_the_numbers_table_shows_the_learners_own_values() -> None:
    kim = numbers("kim")
    with using(Variant(ASSIGNMENT, "kim")):
        table = parameters_table()._text_()
    assert Variant(ASSIGNMENT, "kim").id in table
    assert all(f"p['{key}']" in table and str(value) in table for key, value in kim.items())


@pytest.mark.parametrize("learner", [None, *LEARNERS])
def test_every_question_is_answered_right_by_its_own_solution_in_every_variant(learner: str | None) -> None:
    variant = Variant(ASSIGNMENT, learner)
    for question in ASSIGNMENTS[ASSIGNMENT]:
        feedback = evaluate(question, solved(learner, question), variant=variant, graded=True)
        assert feedback.correct, (learner, question, feedback.text)


def test_question_3_has_both_answers_across_the_blocks_a_learner_may_get() -> None:
    """Some blocks are default subnets (public IPv4 on launch), the others are added by hand."""
    answers = {}
    for who in (f"learner-{n}" for n in range(200)):
        block = numbers(who)["subnet"]
        if block not in answers:
            answers[block] = solved(who, "vpc.q3")
    assert set(answers) == set(SUBNET_BLOCKS)
    assert {block for block, public in answers.items() if public} == {
        "172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"}


def test_a_neighbours_answer_is_wrong_in_your_variant() -> None:
    """kim opens port 80, the default variant 443: each one's repair fails for the other."""
    kim = Variant(ASSIGNMENT, "kim")
    assert numbers("kim")["port"] != TODAY["port"]
    assert not evaluate("vpc.q6", solved(None, "vpc.q6"), variant=kim, graded=True).correct
    assert not evaluate("vpc.q6", solved("kim", "vpc.q6"), variant=Variant(ASSIGNMENT), graded=True).correct


@pytest.mark.notebooks
def test_the_solution_run_as_a_learner_scores_full_marks_for_that_learner_only() -> None:
    solution = ROOT / "solutions" / f"{ASSIGNMENT}.ipynb"
    nb = read_notebook(solution)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None")]
    cell.source = cell.source.replace("LEARNER = None", 'LEARNER = "kim"', 1)
    answers = recorded_answers(execute_notebook(nb, cwd=solution.parent))
    assert numbers("kim") != TODAY  # the run really used kim's own numbers
    kim = score_answers(ASSIGNMENT, answers, learner="kim")
    assert kim.score == kim.max_score == len(ASSIGNMENTS[ASSIGNMENT]) and kim.flags == (), kim._text_()
    lee = score_answers(ASSIGNMENT, answers, learner="lee")
    assert len(lee.flags) == len(ASSIGNMENTS[ASSIGNMENT])
