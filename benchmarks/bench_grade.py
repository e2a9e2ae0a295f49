"""Batch grading: ``vpclab grade`` over 100 submissions of one exercise, with ``--jobs 2``.

Run ``python -m benchmarks.bench_grade`` for a table, ``--json`` for one JSON object of figures
(with their targets beside them) on the last line. The submissions are generated from
``--seed`` in a temporary folder: copies of ``solutions/05_nat.ipynb`` and of the untouched
``exercises/05_nat.ipynb``, a random half each, named ``learner-NNN_05_nat.ipynb``, with that
learner id put in the notebook's ``LEARNER = None`` line, as a learner would (so each copy of the
solution computes its own variant's answers). The command runs as a fresh process, as a teacher
would run it:

- ``total_s``: wall time (time.perf_counter) of the whole command: its start, every notebook
  run in a fresh sandboxed kernel, the grading, and writing grades.csv, grades.json and the
  feedback pages. ``per_submission_s`` is ``total_s`` divided by the number of submissions.
- ``rerun_s``: the same command again on the same folder: every submission is skipped (same
  content), so this is the command's own start and the reports.
- ``graded``: rows with status ``graded`` (expected: all of them); ``full_marks`` and
  ``zero``: how many scored full marks and zero (expected: the copies of the solution and of
  the exercise, ``solutions`` and ``exercises``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import print_figures

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "05_nat"
SUBMISSIONS = 100
JOBS = 2
TARGETS = {"total_s": 180.0}


def make_submissions(folder: Path, seed: int, count: int) -> int:
    """Write the submissions; the number of copies of the solution."""
    import nbformat

    rng = random.Random(seed)
    solution, exercise = (nbformat.read(str(ROOT / kind / f"{ASSIGNMENT}.ipynb"), as_version=4)
                          for kind in ("solutions", "exercises"))
    solutions = 0
    for number in range(count):
        learner = f"learner-{number:03d}"
        is_solution = rng.random() < 0.5
        solutions += is_solution
        notebook = nbformat.from_dict(solution if is_solution else exercise)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.source = cell.source.replace("LEARNER = None", f"LEARNER = {learner!r}")
        nbformat.write(notebook, str(folder / f"{learner}_{ASSIGNMENT}.ipynb"))
    return solutions


def run_grader(folder: Path, out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "vpclab.cli", "grade", str(folder), "--out", str(out), "--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--count", type=int, default=SUBMISSIONS)
    parser.add_argument("--jobs", type=int, default=JOBS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as temporary:
        folder, out = Path(temporary) / "submissions", Path(temporary) / "out"
        folder.mkdir()
        solutions = make_submissions(folder, args.seed, args.count)
        total_s = run_grader(folder, out, args.jobs)
        rerun_s = run_grader(folder, out, args.jobs)
        document = json.loads((out / "grades.json").read_text(encoding="utf-8"))
        rows: list[dict[str, Any]] = document["rows"]
    figures = {
        "total_s": round(total_s, 1), "total_s_target": TARGETS["total_s"],
        "per_submission_s": round(total_s / args.count, 2),
        "rerun_s": round(rerun_s, 1),
        "submissions": len(rows), "jobs": args.jobs, "cpus": os.cpu_count(),
        "graded": sum(row["status"] == "graded" for row in rows),
        "full_marks": sum(row["score"] == row["max_score"] for row in rows),
        "zero": sum(row["score"] == 0 for row in rows),
        "solutions": solutions, "exercises": args.count - solutions,
        "network_cut": document["network_cut"],
    }
    title = f"vpclab grade: {args.count} submissions of {ASSIGNMENT}, --jobs {args.jobs}, {os.cpu_count()} CPUs"
    print_figures(title, figures, as_json=args.json)


if __name__ == "__main__":
    main()
