"""Questions, instant feedback, exercises generated from solutions, and scoring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from vpclab.errors import InvalidValue, NotFound
from vpclab.grading import ANSWER_MIME, assignment_questions, check, evaluate
from vpclab.grading.answers import canonical, jsonable
from vpclab.grading.assign import assign, exercise_from_solution, strip_solutions
from vpclab.grading.bank import ASSIGNMENTS, QUESTIONS
from vpclab.grading.score import read_notebook, recorded_answers, score_answers
from vpclab.i18n import message

ROOT = Path(__file__).resolve().parent.parent


def test_a_right_answer_is_correct_and_recorded_as_json() -> None:
    feedback = evaluate("cidr.q1", 1019)
    assert feedback.correct and feedback.hint is None
    bundle = feedback._repr_mimebundle_()
    assert bundle[ANSWER_MIME] == {"question": "cidr.q1", "answered": True, "answer": 1019,
                                   "variant": "default"}
    json.dumps(bundle[ANSWER_MIME])


def test_a_wrong_answer_gets_the_hint() -> None:
    feedback = evaluate("cidr.q1", 1024)
    assert (feedback.status, feedback.hint) == ("incorrect", message("hint.cidr.q1"))
    assert feedback._text_() == ("✗ cidr.q1: not quite\nhint: count all addresses of the /22 first, "
                                 "then take away the five AWS reserves")


def test_ellipsis_means_unanswered_and_records_no_answer() -> None:
    feedback = evaluate("cidr.q3", ...)
    assert feedback.status == "unanswered"
    assert feedback.record() == {"question": "cidr.q3", "answered": False, "answer": None,
                                 "variant": "default"}


def test_an_answer_of_the_wrong_shape_says_what_shape_is_wanted() -> None:
    feedback = evaluate("cidr.q4", "10.0.0.0/18")
    assert feedback.status == "unreadable"
    assert feedback.text.startswith("this question wants a list of CIDR blocks")


def test_an_unknown_question_lists_the_known_ones() -> None:
    with pytest.raises(NotFound) as caught:
        evaluate("cidr.q99", 1)
    assert caught.value.fix is not None and "cidr.q1" in caught.value.fix


def test_check_outside_a_notebook_returns_the_feedback() -> None:
    feedback = check("cidr.c2", 11)
    assert feedback is not None and feedback.correct


@pytest.mark.parametrize(("kind", "given", "expected"), [
    ("count", "4,091", 4091), ("count", 7.0, 7), ("cidr", " 10.0.0.0/24 ", "10.0.0.0/24"),
    ("address", "10.0.0.1", "10.0.0.1"), ("bool", False, False), ("choice", " b ", "B"),
    ("cidr_list", ("10.0.0.128/25", "10.0.0.0/25"), ["10.0.0.0/25", "10.0.0.128/25"]),
])
def test_answers_are_read_generously(kind: str, given: Any, expected: Any) -> None:
    assert canonical(kind, given) == expected


@pytest.mark.parametrize(("question", "given"), [
    ("cidr.q1", True), ("cidr.q1", "many"), ("cidr.q7", "10.0.7.9/22"), ("cidr.q5", "no"),
    ("cidr.q2", 167772161),
])
def test_answers_that_cannot_be_read_are_not_counted_right(question: str, given: Any) -> None:
    assert evaluate(question, given).status == "unreadable"


def test_jsonable_keeps_answers_plain() -> None:
    assert jsonable({"a": (1, {2, 1})}) == {"a": [1, [1, 2]]}
    assert jsonable(object).startswith("<class")


def test_every_question_can_be_solved_and_has_a_hint() -> None:
    for q in QUESTIONS.values():
        assert evaluate(q.id, q.solve(), graded=True).correct, q.id  # every check, hidden ones too
        assert q.hint


def test_every_assignment_question_exists() -> None:
    for name, ids in ASSIGNMENTS.items():
        assert [q.id for q in assignment_questions(name)] == list(ids)
    with pytest.raises(NotFound, match="no assignment 'nope'"):
        assignment_questions("nope")


SOLUTION_CELL = """from vpclab import check
# BEGIN SOLUTION
q1 = 2 ** (32 - 22) - 5
helper = 3
# END SOLUTION
check("cidr.q1", q1)"""


def test_solution_blocks_become_placeholders() -> None:
    assert strip_solutions(SOLUTION_CELL, "x") == (
        'from vpclab import check\nq1 = ...  # your answer\nhelper = ...  # your answer\n'
        'check("cidr.q1", q1)')


def test_indented_solution_blocks_keep_their_indent_and_code_without_names_becomes_ellipsis() -> None:
    source = "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION"
    assert strip_solutions(source, "x") == "def f():\n    ...  # your answer"


@pytest.mark.parametrize(("source", "text"), [
    ("# BEGIN SOLUTION\nx = 1", "BEGIN SOLUTION is never closed"),
    ("x = 1\n# END SOLUTION", "line 2: END SOLUTION without a BEGIN SOLUTION"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "line 2: a BEGIN SOLUTION marker inside"),
])
def test_broken_markers_are_reported_with_the_place(source: str, text: str) -> None:
    with pytest.raises(InvalidValue, match=text) as caught:
        strip_solutions(source, "02_cidr_subnets, cell 3")
    assert "02_cidr_subnets, cell 3" in str(caught.value)


def test_exercise_has_no_outputs_and_names_its_assignment() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(SOLUTION_CELL)
    cell.outputs = [nbformat.v4.new_output("stream", text="secret 1019")]
    cell.execution_count = 3
    nb.cells.append(cell)
    exercise = exercise_from_solution(nb, "02_cidr_subnets")
    assert exercise.cells[0].outputs == [] and exercise.cells[0].execution_count is None
    assert "1019" not in nbformat.writes(exercise) and "2 ** (32 - 22)" not in nbformat.writes(exercise)
    assert exercise.metadata["vpclab"]["assignment"] == "02_cidr_subnets"


def test_exercises_are_not_stale() -> None:
    results = assign(ROOT / "solutions", ROOT / "exercises", write=False)
    assert results, "there are solution notebooks"
    stale = [str(r.exercise) for r in results if r.changed]
    assert not stale, f"run 'vpclab assign': stale {stale}"


def test_assign_writes_then_reports_nothing_to_do(tmp_path: Path) -> None:
    first = assign(ROOT / "solutions", tmp_path)
    second = assign(ROOT / "solutions", tmp_path)
    assert all(r.changed for r in first) and not any(r.changed for r in second)


def test_assign_without_a_solutions_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="is not a folder of solution notebooks"):
        assign(tmp_path / "missing", tmp_path)


def _notebook_with_answers(*records: dict[str, Any]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for record in records:
        cell = nbformat.v4.new_code_cell("check(...)")
        cell.outputs = [nbformat.v4.new_output("display_data", data={ANSWER_MIME: record,
                                                                     "text/plain": "x"})]
        nb.cells.append(cell)
    return nb


def test_recorded_answers_take_the_last_answer_per_question() -> None:
    nb = _notebook_with_answers(
        {"question": "cidr.q1", "answered": True, "answer": 1},
        {"question": "cidr.q1", "answered": True, "answer": 1019},
        {"question": "cidr.q2", "answered": False, "answer": None},
        {"not": "a record"},
    )
    answers = recorded_answers(nb)
    assert answers["cidr.q1"].answer == 1019 and answers["cidr.q1"].variant == "default"
    assert set(answers) == {"cidr.q1", "cidr.q2"}
    score = score_answers("02_cidr_subnets", answers)
    assert (score.score, score.max_score) == (1, 12)
    assert [q.status for q in score.questions][:2] == ["correct", "unanswered"]


def test_the_score_is_decided_here_not_by_what_the_kernel_displayed() -> None:
    nb = _notebook_with_answers({"question": "cidr.q1", "answered": True, "answer": 5,
                                 "correct": True, "points": 100})
    assert score_answers("02_cidr_subnets", recorded_answers(nb)).score == 0


@pytest.mark.parametrize("content", ["{not json", '{"cells": "nope"}', ""])
def test_a_malformed_notebook_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidValue) as caught:
        read_notebook(path)
    assert caught.value.code == "InvalidNotebook"
    assert str(caught.value).startswith(f"InvalidNotebook: {path} is not a readable notebook: ")


@pytest.mark.parametrize(("given", "status"), [("255.255.240.0", "correct"), ("255.255.0.0", "incorrect"),
                                               ("255.0.255.0", "unreadable"), (20, "unreadable")])
def test_a_netmask_question_explains_what_a_netmask_looks_like(given: Any, status: str) -> None:
    feedback = evaluate("cidr.c3", given)
    assert feedback.status == status
    if status == "unreadable":
        assert feedback.text == "this question wants a netmask as text, like '255.255.0.0'"
