"""The solution notebook scores full marks; the untouched exercise scores zero (run for real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpclab.grading.score import (
    execute_notebook,
    grade_notebook,
    read_notebook,
    recorded_answers,
    score_answers,
)

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))

pytestmark = pytest.mark.notebooks


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_scores_full_marks(solution: Path) -> None:
    before = solution.read_bytes()
    score = grade_notebook(solution)
    assert score.max_score >= 6
    assert score.score == score.max_score, score._text_()
    assert solution.read_bytes() == before  # the graded file is never modified


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_untouched_exercise_runs_without_error_and_scores_zero(solution: Path) -> None:
    exercise = ROOT / "exercises" / solution.name
    executed = execute_notebook(read_notebook(exercise), cwd=exercise.parent)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    score = score_answers(solution.stem, recorded_answers(executed))
    assert score.score == 0
    assert {q.status for q in score.questions} == {"unanswered"}, score._text_()
