"""Per-learner variants of the 09_capstone exercises: neighbours get another number of AZs, app
subnet size and app/db ports; every variant's questions are answered right by their own solve();
the default variant keeps the solution notebook's numbers (THREE_TIER); a design built for other
numbers fails; the solution notebook run as one learner scores full marks for that learner and is
flagged for another."""

from __future__ import annotations

from pathlib import Path

import nbformat

from tests.variant_helpers import numbers
from vpclab.grading.bank.capstone import parameters, parameters_table, reference_design, requirements
from vpclab.grading.check import evaluate
from vpclab.grading.questions import assignment_questions
from vpclab.grading.score import execute_notebook, read_notebook
from vpclab.grading.variant import Variant, using
from vpclab.requirements import THREE_TIER, Requirement, Spread, three_tier

ASSIGNMENT = "09_capstone"
SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / f"{ASSIGNMENT}.ipynb"
SAMPLE = [None, *(f"learner-{n}" for n in range(15))]
TODAY = {"zones": 2, "app_hosts": 400, "app_port": 8080, "db_port": 5432}


def test_the_default_variant_keeps_todays_numbers_and_requirements() -> None:
    assert numbers(ASSIGNMENT, None) == TODAY
    assert three_tier() == THREE_TIER
    with using(Variant(ASSIGNMENT)):
        assert requirements() == THREE_TIER
        shown = parameters_table()._text_()
        answers = {q.id: q.solve() for q in assignment_questions(ASSIGNMENT)}
    assert "variant default" in shown and "8080" in shown and "5432" in shown
    assert (answers["cap.q1"], answers["cap.q2"], answers["cap.q3"]) == (6, 2, "10.20.16.0/23")


def test_the_requirements_take_the_numbers() -> None:
    wanted = three_tier(zones=3, app_port=9000, db_port=3306)
    spreads = {r.zones for r in wanted if isinstance(r, Spread)}
    ports = {(r.source, r.destination): r.port for r in wanted if isinstance(r, Requirement)}
    assert spreads == {3}
    assert ports[("web", "app")] == ports[("internet", "app")] == 9000
    assert ports[("app", "db")] == ports[("web", "db")] == ports[("internet", "db")] == 3306
    assert [r.id for r in wanted] == [r.id for r in THREE_TIER]


def test_a_design_for_the_practice_numbers_fails_other_numbers() -> None:
    practice = reference_design().to_aws()  # built in the default variant
    kim = Variant(ASSIGNMENT, "kim")
    with using(kim):
        wanted = parameters()
    assert wanted["zones"] == 3 and wanted["db_port"] != TODAY["db_port"]
    assert evaluate("cap.q4", practice, variant=kim, graded=True).status == "incorrect"  # two zones only
    assert evaluate("cap.q6", practice, variant=kim, graded=True).status == "incorrect"  # wrong db port
    assert evaluate("cap.q5", practice, variant=kim, graded=True).correct  # the front door is the same


def executed_as(learner: str) -> nbformat.NotebookNode:
    nb = read_notebook(SOLUTION)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("LEARNER = None")]
    cell.source = cell.source.replace("LEARNER = None", f"LEARNER = {learner!r}", 1)
    return execute_notebook(nb, cwd=SOLUTION.parent, timeout=120)


