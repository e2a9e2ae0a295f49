"""``vpclab grade``: many submissions graded in fresh sandboxed kernels, tampering that gains
nothing, bad submissions that get a status and never stop the batch, reruns, variants.

The notebooks are built here from copies of ``exercises/02_cidr_subnets.ipynb`` and
``solutions/02_cidr_subnets.ipynb``; right answers are computed with the engine, in the
variant of the learner each file belongs to.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.conftest import ROOT, vpclab_command
from vpclab.cli import main
from vpclab.errors import InvalidValue
from vpclab.grading.answers import canonical
from vpclab.grading.batch import STATUSES, Submission, find_submissions, read_roster
from vpclab.grading.check import ANSWER_MIME
from vpclab.grading.protect import answer_key_access, compare_cells, is_answer_cell
from vpclab.grading.questions import assignment_questions, question
from vpclab.grading.report import CSV_COLUMNS, feedback_page, grades_csv, page_name
from vpclab.grading.sandbox import KernelPool, Run, execute, kernel_env, make_sandbox, network_prefix
from vpclab.grading.score import Recorded, score_answers
from vpclab.grading.variant import Variant, using
from vpclab.i18n import message

A = "02_cidr_subnets"
EXERCISE, SOLUTION = ROOT / "exercises" / f"{A}.ipynb", ROOT / "solutions" / f"{A}.ipynb"
CHECK = re.compile(r"""check\(\s*["']([\w.]+)["']""")
WRONG = -1  # an answer no question of the assignment takes as right


# --- building submissions -----------------------------------------------------------------


def notebook(path: Path = EXERCISE) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def answer_cell(nb: nbformat.NotebookNode, qid: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and qid in CHECK.findall(c.source))


def first_answer_cell(nb: nbformat.NotebookNode) -> int:
    """The first cell that answers a question (after the setup cells, the learner's start included)."""
    return min(i for i, c in enumerate(nb.cells) if is_answer_cell(c) and CHECK.search(c.source))


def right(qid: str, learner: str | None) -> Any:
    """The right answer to ``qid`` in ``learner``'s variant, computed here with the engine."""
    asked = question(qid)
    with using(Variant(A, learner)):
        return canonical(asked.kind, asked.solve())


def answer(nb: nbformat.NotebookNode, qid: str, code: str) -> None:
    nb.cells[answer_cell(nb, qid)].source = f'check("{qid}", {code})'


def insert(nb: nbformat.NotebookNode, index: int, source: str) -> None:
    nb.cells.insert(index, nbformat.v4.new_code_cell(source))


def save(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, str(path))
    return path


def everything_wrong(nb: nbformat.NotebookNode) -> None:
    for asked in assignment_questions(A):
        answer(nb, asked.id, repr(WRONG))


def honest_score(learner: str) -> int:
    """What a notebook answering WRONG everywhere deserves."""
    variant = Variant(A, learner).id
    return score_answers(A, {q.id: Recorded(WRONG, variant) for q in assignment_questions(A)}, learner=learner).score


def variant_id(learner: str | None) -> str:
    return Variant(A, learner).id


def build_batch(folder: Path, port: int) -> None:
    """The issue's "Done when": a solution, the untouched exercise, three tampered copies, and one
    bad submission of each kind."""
    save(notebook(SOLUTION), folder / f"{A}.ipynb")  # no learner: the default variant
    save(notebook(), folder / f"lee_{A}.ipynb")

    # 1. a protected cell edited to change the questions: in the kernel every answer is "right"
    nb = notebook()
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells[setup].source += (
        "\nimport dataclasses\nimport vpclab.grading.bank as bank\nfor qid in list(bank.QUESTIONS):\n"
        "    bank.QUESTIONS[qid] = dataclasses.replace(bank.QUESTIONS[qid], solve=lambda: -1, accepts=lambda a: True)\n"
        "assert bank.QUESTIONS['cidr.q1'].is_right(-1)  # the tampering works in the kernel")
    everything_wrong(nb)
    save(nb, folder / f"protected_{A}.ipynb")

    # 2. check redefined: shows "correct" and records a fabricated record
    nb = notebook()
    fake = {"question": "QID", "answered": True, "answer": WRONG, "variant": variant_id("check"),
            "status": "correct", "points": 100}
    insert(nb, first_answer_cell(nb), (
        "from IPython.display import display\n"
        "def check(qid, answer):\n"
        f"    record = {fake!r}\n"
        "    record['question'] = qid\n"
        f"    display({{'text/plain': '✓ ' + qid + ': correct', {ANSWER_MIME!r}: record}}, raw=True)"))
    everything_wrong(nb)
    save(nb, folder / f"check_{A}.ipynb")

    # 3. vpclab monkeypatched in the kernel, and fake outputs stored in the file
    nb = notebook()
    insert(nb, first_answer_cell(nb), (
        "import sys\n"
        "import vpclab.grading.score\n"
        "graded, scoring = sys.modules['vpclab.grading.check'], sys.modules['vpclab.grading.score']\n"
        "original = graded.evaluate\n"
        "def always_right(qid, answer, **options):\n"
        "    honest = original(qid, answer, **options)\n"
        "    return graded.Feedback(qid, 'correct', 'correct', None, honest.answer, honest.variant)\n"
        "graded.evaluate = always_right\n"
        "scoring.score_answers = lambda *args, **kwargs: None\n"
        "assert graded.check('cidr.q1', -1) is None and graded.evaluate('cidr.q1', -1).correct  # it works here"))
    everything_wrong(nb)
    for asked in assignment_questions(A):
        cell = nb.cells[answer_cell(nb, asked.id)]
        record = {"question": asked.id, "answered": True, "answer": right(asked.id, "monkey"),
                  "variant": variant_id("monkey")}
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "✓ correct",
                                                                     ANSWER_MIME: record})]
        cell.execution_count = 1
    save(nb, folder / f"monkey_{A}.ipynb")

    # bad submissions, one of each kind
    (folder / f"json_{A}.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / f"notjupyter_{A}.ipynb").write_text('{"hello": "world", "cells": 3}', encoding="utf-8")
    save(notebook(ROOT / "exercises" / "05_nat.ipynb"), folder / f"other_{A}.ipynb")
    nb = notebook()
    nb.metadata["vpclab"]["assignment"] = "99_nothing"
    save(nb, folder / f"unknown_{A}.ipynb")
    for name, trouble in (("died", "import os\nos._exit(1)"), ("loop", "while True:\n    pass"),
                          ("loud", "print('x' * 200_000_000)")):
        nb = notebook()
        answer(nb, "cidr.q1", repr(right("cidr.q1", name)))
        insert(nb, answer_cell(nb, "cidr.q1") + 1, trouble)
        answer(nb, "cidr.q3", repr(right("cidr.q3", name)))  # after the trouble
        save(nb, folder / f"{name}_{A}.ipynb")
    nb = notebook()
    answer(nb, "cidr.q1", repr(right("cidr.q1", "missing")))
    del nb.cells[answer_cell(nb, "cidr.q2")]
    save(nb, folder / f"missing_{A}.ipynb")
    nb = notebook()  # the network is cut: 127.0.0.1 of the grader is out of reach
    answer(nb, "cidr.q1", repr(right("cidr.q1", "network")) + " if reached else ...")
    insert(nb, answer_cell(nb, "cidr.q1"), (
        "import socket\ntry:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()\n    reached = True\n"
        "except OSError:\n    reached = False"))
    save(nb, folder / f"network_{A}.ipynb")
    nb = notebook()  # more memory than the limit: a MemoryError, and the notebook goes on
    insert(nb, first_answer_cell(nb), "hog = bytearray(3 * 1024**3)")
    answer(nb, "cidr.q1", repr(right("cidr.q1", "memory")))
    save(nb, folder / f"memory_{A}.ipynb")


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def listening() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, listening: int) -> dict[str, Any]:
    """One ``vpclab grade`` run (the real command, in a process of its own) over the whole batch."""
    folder = tmp_path_factory.mktemp("batch")
    subs, out = folder / "submissions", folder / "out"
    subs.mkdir()
    build_batch(subs, listening)
    before = digests(subs)
    command = [*vpclab_command(), "grade", str(subs), "--out", str(out), "--assignment", A, "--jobs", "2",
               "--cell-timeout", "12", "--memory", "1024"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    rows = {row["submission"]: row for row in json.loads((out / "grades.json").read_text("utf-8"))["rows"]}
    return {"subs": subs, "out": out, "before": before, "done": done, "rows": rows, "command": command}


# --- the "Done when" --------------------------------------------------------------


@pytest.mark.notebooks
def test_one_run_grades_every_submission_with_a_clear_status(graded: dict[str, Any]) -> None:
    done, rows = graded["done"], graded["rows"]
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    status = {name.removesuffix(f"_{A}.ipynb"): row["status"] for name, row in rows.items()}
    assert status == {
        f"{A}.ipynb": "graded", "lee": "graded", "protected": "graded", "check": "graded", "monkey": "graded",
        "json": "invalid-json", "notjupyter": "not-a-notebook", "other": "wrong-assignment",
        "unknown": "unknown-assignment", "died": "kernel-died", "loop": "timeout", "loud": "output-too-large",
        "missing": "graded", "network": "graded", "memory": "graded"}
    assert set(status.values()) == set(STATUSES) - {"error"}
    assert "05_nat" in rows[f"other_{A}.ipynb"]["message"] and "99_nothing" in rows[f"unknown_{A}.ipynb"]["message"]
    assert "graded 15/15" in done.stderr


@pytest.mark.notebooks
def test_the_solution_scores_full_marks_and_the_exercise_zero(graded: dict[str, Any]) -> None:
    solution, exercise = graded["rows"][f"{A}.ipynb"], graded["rows"][f"lee_{A}.ipynb"]
    assert solution["learner"] is None and solution["variant"] == "default"
    assert solution["score"] == solution["max_score"] == sum(q.points for q in assignment_questions(A))
    assert exercise["learner"] == "lee" and exercise["score"] == 0
    assert {q["status"] for q in exercise["questions"].values()} == {"unanswered"}
    assert exercise["changed_cells"] == exercise["missing_cells"] == [] == solution["changed_cells"]


@pytest.mark.notebooks
def test_no_tampered_copy_scores_above_its_honest_score(graded: dict[str, Any]) -> None:
    rows = graded["rows"]
    for learner in ("protected", "check", "monkey"):
        row = rows[f"{learner}_{A}.ipynb"]
        assert row["learner"] == learner
        assert row["score"] <= honest_score(learner) < row["max_score"], (learner, row["score"])
        assert all(q["status"] != "correct" for q in row["questions"].values()), learner
        assert row["cell_errors"] == [], row["cell_errors"]  # the tampering itself ran without error


@pytest.mark.notebooks
def test_tampering_is_reported(graded: dict[str, Any]) -> None:
    rows = graded["rows"]
    protected = rows[f"protected_{A}.ipynb"]
    setup = next(i for i, c in enumerate(notebook().cells) if c.cell_type == "code") + 1
    (change,) = protected["changed_cells"]
    assert (change["index"], change["cell_type"]) == (setup, "code") and change["now"]
    assert any("answer key" in flag and "grading.bank" in flag for flag in protected["flags"])
    assert any("1 protected cell(s)" in flag for flag in protected["flags"])
    assert rows[f"check_{A}.ipynb"]["changed_cells"] == rows[f"monkey_{A}.ipynb"]["changed_cells"] == []


@pytest.mark.notebooks
def test_stopped_notebooks_keep_the_answers_recorded_before_they_stopped(graded: dict[str, Any]) -> None:
    rows = graded["rows"]
    for name in ("died", "loop", "loud"):
        row = rows[f"{name}_{A}.ipynb"]
        assert row["questions"]["cidr.q1"]["status"] == "correct", name
    assert rows[f"died_{A}.ipynb"]["questions"]["cidr.q3"]["status"] == "unanswered"
    assert rows[f"loop_{A}.ipynb"]["questions"]["cidr.q3"]["status"] == "unanswered"
    assert rows[f"loud_{A}.ipynb"]["questions"]["cidr.q3"]["status"] == "correct"  # it ran on
    assert "answers recorded before it were graded" in rows[f"died_{A}.ipynb"]["message"]
    assert "12 s (the limit per cell)" in rows[f"loop_{A}.ipynb"]["message"]
    assert "more than 10 MB of output" in rows[f"loud_{A}.ipynb"]["message"]
    assert len(json.dumps(rows[f"loud_{A}.ipynb"])) < 100_000
    assert (graded["out"] / "grades.json").stat().st_size < 1_000_000


@pytest.mark.notebooks
def test_missing_cells_leave_their_questions_unanswered(graded: dict[str, Any]) -> None:
    row = graded["rows"][f"missing_{A}.ipynb"]
    assert row["questions"]["cidr.q1"]["status"] == "correct"
    assert row["questions"]["cidr.q2"]["status"] == "unanswered"
    (gone,) = row["missing_cells"]
    assert gone["index"] == answer_cell(notebook(), "cidr.q2") + 1 and "cidr.q2" in gone["excerpt"]
    assert any("missing" in flag for flag in row["flags"])


@pytest.mark.notebooks
def test_the_kernel_has_no_network_and_a_memory_limit(graded: dict[str, Any]) -> None:
    rows = graded["rows"]
    network = rows[f"network_{A}.ipynb"]
    reached = network["questions"]["cidr.q1"]["status"] == "correct"
    assert reached is not network["network_cut"]
    assert network["network_cut"] == json.loads((graded["out"] / "grades.json").read_text("utf-8"))["network_cut"]
    memory = rows[f"memory_{A}.ipynb"]
    assert memory["memory_mb"] == 1024 and any("MemoryError" in e for e in memory["cell_errors"])
    assert memory["questions"]["cidr.q1"]["status"] == "correct"


@pytest.mark.notebooks
def test_reports_are_written_and_the_submissions_untouched(graded: dict[str, Any]) -> None:
    out, rows = graded["out"], graded["rows"]
    assert digests(graded["subs"]) == graded["before"]
    with (out / "grades.csv").open(encoding="utf-8", newline="") as file:
        table = list(csv.reader(file))
    ids = [q.id for q in assignment_questions(A)]
    assert table[0] == [*CSV_COLUMNS, *ids]
    assert len(table) == 1 + len(rows)
    solution = next(r for r in table if r[0] == f"{A}.ipynb")
    assert solution[3:] == ["graded", str(len(ids)), str(len(ids)), *(["1"] * len(ids))]
    broken = next(r for r in table if r[0] == f"json_{A}.ipynb")
    assert broken[3] == "invalid-json" and broken[6:] == [""] * len(ids)
    pages = sorted(p.name for p in (out / "feedback").iterdir())
    assert pages == sorted(page_name(row) for row in rows.values())
    assert "lee.html" in pages and f"{A}.html" in pages
    page = (out / "feedback" / "protected.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Feedback for protected" in page
    assert "cidr.q1" in page and "protected cell" in page
    assert not list(out.glob(".*.tmp")) and not list((out / "feedback").glob(".*.tmp"))


@pytest.mark.notebooks
def test_a_rerun_skips_what_it_graded(graded: dict[str, Any]) -> None:
    out = graded["out"]
    before = (out / "grades.json").read_text("utf-8")
    again = subprocess.run(graded["command"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert "skipped 15 submission(s)" in again.stderr and "graded 1/" not in again.stderr
    assert json.loads((out / "grades.json").read_text("utf-8"))["rows"] == json.loads(before)["rows"]


# --- reruns, --force, merging, variants (in this process) ----------------------------------


@pytest.mark.notebooks
def test_force_regrades_and_new_results_merge_with_old_rows(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    first = save(notebook(), subs / f"ann_{A}.ipynb")
    assert main(["grade", str(first), "--out", str(out), "--jobs", "1"]) == 0
    assert "graded 1/1" in capsys.readouterr().err
    assert main(["grade", str(first), "--out", str(out)]) == 0
    assert "skipped 1 submission(s)" in capsys.readouterr().err
    assert main(["grade", str(first), "--out", str(out), "--force"]) == 0
    assert "graded 1/1" in capsys.readouterr().err
    nb = notebook()
    answer(nb, "cidr.q1", repr(right("cidr.q1", "bob")))
    second = save(nb, subs / f"bob_{A}.ipynb")
    assert main(["grade", str(second), "--out", str(out)]) == 0
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text("utf-8"))["rows"]}
    assert set(rows) == {first.name, second.name}
    assert (rows[first.name]["score"], rows[second.name]["score"]) == (0, 1)
    save(notebook(SOLUTION), first)  # ann's file changed: graded again without --force
    assert main(["grade", str(subs), "--out", str(out)]) == 0
    assert "skipped 1 submission(s)" in capsys.readouterr().err
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text("utf-8"))["rows"]}
    assert rows[first.name]["score"] > 0 and rows[first.name]["learner"] == "ann"


def solved_by_engine(learner: str | None) -> nbformat.NotebookNode:
    """The exercise, every answer computed in the kernel by the engine in ``learner``'s variant."""
    nb = notebook()
    start = f"vpclab.start({A!r}, learner={learner!r})\n" if learner else ""
    insert(nb, first_answer_cell(nb), f"import vpclab\nfrom vpclab.grading.questions import question\n{start}")
    for asked in assignment_questions(A):
        answer(nb, asked.id, f'question("{asked.id}").solve()')
    return nb


@pytest.mark.notebooks
def test_a_learner_scores_full_marks_only_with_answers_of_their_own_variant(tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    save(solved_by_engine("kim"), subs / f"kim_{A}.ipynb")
    save(solved_by_engine("lee"), subs / "copied.ipynb")
    save(solved_by_engine(None), subs / "nostart.ipynb")
    (tmp_path / "roster.csv").write_text("submission,learner\ncopied.ipynb,kim\nnostart.ipynb,kim\n", "utf-8")
    assert main(["grade", str(subs), "--out", str(out), "--roster", str(tmp_path / "roster.csv"),
                 "--jobs", "2"]) == 0
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text("utf-8"))["rows"]}
    kim = rows[f"kim_{A}.ipynb"]
    assert kim["learner"] == "kim" and kim["variant"] == variant_id("kim")
    assert kim["score"] == kim["max_score"]
    assert not [f for f in kim["flags"] if "answered in variant" in f]
    for name, other in (("copied.ipynb", "lee"), ("nostart.ipynb", None)):
        row = rows[name]
        assert row["learner"] == "kim" and row["variant"] == variant_id("kim")
        recorded = {q.id: Recorded(right(q.id, other), variant_id(other)) for q in assignment_questions(A)}
        assert row["score"] == score_answers(A, recorded, learner="kim").score
        assert any(f"answered in variant {variant_id(other)}" in f for f in row["flags"]), name
    assert rows["copied.ipynb"]["score"] < rows["copied.ipynb"]["max_score"]  # kim's numbers differ from lee's


# --- the parts, without kernels ------------------------------------------------------------


def test_protected_cells_changed_or_deleted_are_found_and_answer_cells_are_free() -> None:
    exercise = notebook()
    nb = notebook()
    markdown = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "Question 1" in c.source)
    nb.cells[markdown].source = "EDITED " + nb.cells[markdown].source
    answer(nb, "cidr.q1", "1019")
    insert(nb, answer_cell(nb, "cidr.q1") + 1, "scratch = 1 + 1")
    del nb.cells[answer_cell(nb, "cidr.q4")]
    report = compare_cells(exercise, nb)
    assert [(c.index, c.cell_type) for c in report.changed] == [(markdown + 1, "markdown")]
    assert (report.changed[0].now or "").startswith("EDITED")
    assert [c.index for c in report.missing] == [answer_cell(exercise, "cidr.q4") + 1]
    assert compare_cells(exercise, notebook()).changed == ()


def test_code_that_reaches_into_the_answer_key_is_flagged_but_the_exercise_own_imports_are_not() -> None:
    exercise = notebook()
    assert answer_key_access(exercise, notebook()) == []
    nb = notebook()
    answer(nb, "cidr.q1", 'QUESTIONS["cidr.q1"].solve()')
    insert(nb, 1, "from vpclab.grading.bank import QUESTIONS")
    found = answer_key_access(exercise, nb)
    assert [cell for cell, _ in found] == [2, answer_cell(nb, "cidr.q1") + 1]


def test_the_csv_header_is_exact_and_pages_are_escaped() -> None:
    row = {"submission": "x.ipynb", "learner": "<b>kim</b>", "assignment": A, "status": "graded", "score": 1,
           "max_score": 12, "message": "<script>", "questions": {"cidr.q1": {"points": 1, "max_points": 1,
                                                                           "status": "correct", "message": "ok"}},
           "flags": ["<i>flag</i>"], "changed_cells": [], "missing_cells": [], "cell_errors": []}
    header = grades_csv([row]).splitlines()[0].split(",")
    assert header == [*CSV_COLUMNS, *(q.id for q in assignment_questions(A))]
    page = feedback_page([row])
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;kim&lt;/b&gt;" in page
    assert "<i>" not in page and page_name(row) == "b_kim_b.html"


def test_rosters_and_submission_names(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("submission,learner\na.ipynb, kim \n,\n", "utf-8")
    assert read_roster(tmp_path / "r.csv") == {"a.ipynb": "kim"}
    (tmp_path / "bad.csv").write_text("file,who\na.ipynb,kim\n", "utf-8")
    with pytest.raises(InvalidValue, match="no columns submission and learner"):
        read_roster(tmp_path / "bad.csv")
    for learner in ("kim", "lee"):
        (tmp_path / learner).mkdir()
        (tmp_path / learner / f"{A}.ipynb").write_text("{}", "utf-8")
    assert find_submissions([tmp_path]) == [Submission(tmp_path / "kim" / f"{A}.ipynb", f"kim/{A}.ipynb"),
                                            Submission(tmp_path / "lee" / f"{A}.ipynb", f"lee/{A}.ipynb")]
    with pytest.raises(InvalidValue, match=f"two submissions are both called {A}.ipynb"):
        find_submissions([tmp_path / "kim" / f"{A}.ipynb", tmp_path / "lee" / f"{A}.ipynb"])


def test_usage_errors_are_one_line_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["grade", str(tmp_path / "none.ipynb"), "--out", str(tmp_path)],
                 ["grade", str(tmp_path), "--out", str(tmp_path), "--assignment", "99_nothing"],
                 ["grade", str(tmp_path), "--out", str(tmp_path)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
    with pytest.raises(SystemExit) as stop:
        main(["grade", str(tmp_path), "--out", str(tmp_path), "--jobs", "0"])
    assert stop.value.code == 2
    assert "--jobs must be a number above 0" in capsys.readouterr().err


@pytest.mark.notebooks
def test_the_notebook_time_limit_stops_a_slow_notebook(tmp_path: Path) -> None:
    slow = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)")
                                           for _ in range(4)])

    async def run() -> Run:
        pool = KernelPool(make_sandbox(tmp_path, memory_mb=1024), needed=1, ahead=1)
        kernel = await pool.take()
        try:
            return await execute(slow, kernel, cell_timeout=30, timeout=2, memory_mb=1024)
        finally:
            await kernel.close()

    result = asyncio.run(run())
    assert result.status == "timeout"
    assert result.notes == [message("batch.status.timeout_notebook", cell=2, seconds="2")]
    assert result.executed.cells[0].execution_count == 1 and slow.cells[0].get("execution_count") is None


def test_kernels_get_a_home_of_their_own_and_none_of_the_graders_secrets(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "teacher-secret")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    env = kernel_env(tmp_path)
    assert "AWS_SECRET_ACCESS_KEY" not in env and env["LC_ALL"] == "C.UTF-8"
    assert env["HOME"] == str(tmp_path) and env["IPYTHONDIR"].startswith(str(tmp_path))
    spec = json.loads((make_sandbox(tmp_path, memory_mb=512).kernels / "vpclab-sandbox" / "kernel.json")
                      .read_text("utf-8"))
    assert spec["argv"][-5:] == ["-m", "vpclab.grading.launcher", "512", "-f", "{connection_file}"]
    assert (spec["argv"][0].endswith("unshare")) is (network_prefix() is not None)
