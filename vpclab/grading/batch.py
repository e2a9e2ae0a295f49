"""Grading many submissions at once (``vpclab grade SUBMISSIONS… --out DIR``).

Each submission is read, placed (its assignment and its learner), then run top to bottom on
a copy, its stored outputs cleared first, in a fresh sandboxed kernel
(:mod:`vpclab.grading.sandbox`) with a time limit per cell and per notebook. The answers the
run recorded are graded here, in the grader's process, in the learner's variant
(:func:`~vpclab.grading.score.score_answers`): every check, hidden ones too, is decided here,
so nothing the learner's kernel does or displays can raise a score.

A bad submission gets a status and never stops the batch:

==================  =====================================================================
status              meaning
==================  =====================================================================
graded              ran to the end; answers graded
invalid-json        the file is not JSON
not-a-notebook      JSON, but not a Jupyter notebook
wrong-assignment    the notebook is another assignment than ``--assignment``
unknown-assignment  no assignment of that name (or none named at all)
timeout             a cell, or the whole notebook, ran past its time limit
kernel-died         the kernel exited or crashed (``os._exit``, the memory limit, …)
output-too-large    the notebook printed more than ``MAX_OUTPUT_MB``; the rest was dropped
error               the grader could not run it (the message says why)
==================  =====================================================================

A notebook stopped by a time limit or a dead kernel keeps the answers it recorded before it
stopped: they are graded, and the message says so (the questions after the stop count as
unanswered). Kernels are started ahead of need, one spare per job, so a notebook rarely
waits for its kernel.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from vpclab.errors import InvalidValue
from vpclab.grading.protect import CellReport, answer_key_access, compare_cells, excerpt, reference_exercise
from vpclab.grading.questions import assignment_questions
from vpclab.grading.sandbox import KernelPool, Sandbox, execute, make_sandbox
from vpclab.grading.score import Score, recorded_answers, score_answers
from vpclab.grading.variant import learner_of
from vpclab.i18n import message

__all__ = ["STATUSES", "BatchResult", "Options", "Submission", "find_submissions", "grade", "read_roster"]

STATUSES = ("graded", "invalid-json", "not-a-notebook", "wrong-assignment", "unknown-assignment", "timeout",
            "kernel-died", "output-too-large", "error")
ERRORS_KEPT = 5  # cell errors listed per submission


@dataclass(frozen=True, slots=True)
class Options:
    assignment: str | None = None
    roster: Mapping[str, str] = field(default_factory=dict)
    force: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cell_timeout: float = 60.0
    timeout: float = 600.0
    memory_mb: int = 2048
    cut_network: bool = True
    root: Path | None = None  # the kit, for exercises/ and solutions/ (protected cells)


@dataclass(frozen=True, slots=True)
class Submission:
    path: Path
    name: str  # the file name, or its path inside the folder given (``kim/05_nat.ipynb``)


def find_submissions(paths: Iterable[Path]) -> list[Submission]:
    """The notebooks named, and those in the folders named (checkpoints skipped), in order."""
    found: list[Submission] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            found += [Submission(p, p.relative_to(path).as_posix()) for p in files]
        elif path.is_file():
            found.append(Submission(path, path.name))
        else:
            raise InvalidValue("InvalidParameterValue", message("batch.missing_path", path=path),
                               fix=message("batch.missing_path_fix"))
    if not found:
        raise InvalidValue("InvalidParameterValue", message("batch.no_submissions"),
                           fix=message("batch.missing_path_fix"))
    names = [s.name for s in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidValue("InvalidParameterValue", message("batch.same_name", name=twice[0]),
                           fix=message("batch.same_name_fix"))
    return found


def read_roster(path: Path) -> dict[str, str]:
    """A roster CSV with the columns ``submission,learner``: file name → learner id."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        if not {"submission", "learner"} <= set(reader.fieldnames or ()):
            raise InvalidValue("InvalidParameterValue", message("batch.bad_roster", path=path),
                               fix=message("batch.bad_roster_fix"))
        return {row["submission"].strip(): row["learner"].strip() for row in reader
                if (row.get("submission") or "").strip() and (row.get("learner") or "").strip()}


# --- reading and placing a submission ------------------------------------------------------


@dataclass(slots=True)
class _Job:
    submission: Submission
    digest: str
    learner: str | None = None
    assignment: str | None = None
    notebook: nbformat.NotebookNode | None = None
    status: str | None = None  # set when the notebook will not run
    message: str = ""


def _known() -> Mapping[str, tuple[str, ...]]:
    from vpclab.grading.bank import ASSIGNMENTS

    return ASSIGNMENTS


def _guess(stem: str) -> str | None:
    """The assignment a file name mentions (the longest name that matches)."""
    return max((name for name in _known() if name in stem), key=len, default=None)


def _learner(submission: Submission, assignment: str | None, roster: Mapping[str, str]) -> str | None:
    for key in (submission.name, submission.path.name):
        if key in roster:
            return roster[key]
    stem = submission.path.stem
    learner = learner_of(stem, assignment) if assignment else stem
    if learner is None and "/" in submission.name:  # one folder per learner: kim/05_nat.ipynb
        learner = submission.name.split("/")[-2]
    return learner


def _problem(err: Exception) -> str:
    text = str(err).strip()
    return excerpt(text.splitlines()[0] if text else type(err).__name__, 160)


def _prepare(submission: Submission, options: Options) -> _Job:
    guess = options.assignment or _guess(submission.path.stem)
    try:
        data = submission.path.read_bytes()
    except OSError as err:
        job = _Job(submission, "", _learner(submission, guess, options.roster), guess, status="error")
        job.message = message("batch.status.error", problem=_problem(err))
        return job
    job = _Job(submission, hashlib.sha256(data).hexdigest())
    job.learner, job.assignment = _learner(submission, guess, options.roster), guess
    try:
        json.loads(data)
    except (UnicodeDecodeError, ValueError) as err:
        job.status, job.message = "invalid-json", message("batch.status.invalid_json", problem=_problem(err))
        return job
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as err:  # nbformat raises many kinds for JSON that is not a notebook
        job.status, job.message = "not-a-notebook", message("batch.status.not_a_notebook", problem=_problem(err))
        return job
    meta = notebook.metadata.get("vpclab")
    declared = meta.get("assignment") if isinstance(meta, Mapping) else None
    declared = declared if isinstance(declared, str) and declared else None
    name = declared or options.assignment or guess
    if declared in _known() and options.assignment and declared != options.assignment:
        job.assignment = declared
        job.status, job.message = "wrong-assignment", message("batch.status.wrong_assignment", found=declared,
                                                              expected=options.assignment)
        return job
    if name not in _known():
        job.assignment = name
        job.status = "unknown-assignment"
        job.message = (message("batch.status.unknown_assignment", assignment=name, known=", ".join(sorted(_known())))
                       if name else message("batch.status.no_assignment"))
        return job
    job.assignment, job.learner, job.notebook = name, _learner(submission, name, options.roster), notebook
    return job


def _cell_errors(executed: nbformat.NotebookNode) -> list[str]:
    errors = [message("batch.cell_error", cell=index + 1,
                      error=excerpt(f"{out.get('ename')}: {out.get('evalue')}", 120))
              for index, cell in enumerate(executed.cells) if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    return errors[:ERRORS_KEPT]


# --- one row of results --------------------------------------------------------------------


def _row(job: _Job, *, status: str, text: str, score: Score | None = None, cells: CellReport | None = None,
         flags: Iterable[str] = (), errors: Iterable[str] = (), network_cut: bool = False,
         memory_mb: int = 0) -> dict[str, Any]:
    maximum = None
    if score is not None:
        maximum = score.max_score
    elif job.assignment in _known() and status != "wrong-assignment":
        maximum = sum(q.points for q in assignment_questions(job.assignment or ""))
    return {
        "submission": job.submission.name,
        "path": str(job.submission.path),
        "sha256": job.digest,
        "learner": job.learner,
        "assignment": job.assignment,
        "variant": score.variant if score else None,
        "status": status,
        "message": text,
        "score": score.score if score else 0,
        "max_score": maximum,
        "questions": {q.question: {"points": q.points, "max_points": q.max_points, "status": q.status,
                                   "message": q.message} for q in (score.questions if score else ())},
        "flags": [*(score.flags if score else ()), *flags],
        "changed_cells": [c.to_dict() for c in (cells.changed if cells else ())],
        "missing_cells": [c.to_dict() for c in (cells.missing if cells else ())],
        "cell_errors": list(errors),
        "network_cut": network_cut,
        "memory_mb": memory_mb,
    }


async def _grade_one(job: _Job, pool: KernelPool, options: Options, sandbox: Sandbox,
                     exercises: dict[str, nbformat.NotebookNode | None]) -> dict[str, Any]:
    assert job.notebook is not None and job.assignment is not None
    try:
        kernel = await pool.take()
    except Exception as err:
        return _row(job, status="error", text=message("batch.status.no_kernel", problem=_problem(err)))
    try:
        run = await execute(job.notebook, kernel, cell_timeout=options.cell_timeout, timeout=options.timeout,
                            memory_mb=options.memory_mb)
    except Exception as err:  # the grader's own trouble: reported, never fatal to the batch
        return _row(job, status="error", text=message("batch.status.error", problem=_problem(err)))
    finally:
        await kernel.close()
    try:
        score = score_answers(job.assignment, recorded_answers(run.executed), learner=job.learner)
        if job.assignment not in exercises:
            exercises[job.assignment] = reference_exercise(job.assignment, options.root)
        exercise = exercises[job.assignment]
        flags = [] if exercise else [message("batch.flag.no_exercise", assignment=job.assignment)]
        flags += [message("batch.flag.answer_key", cell=cell, line=line)
                  for cell, line in answer_key_access(exercise, job.notebook)]
        cells = compare_cells(exercise, job.notebook) if exercise else None
    except Exception as err:
        return _row(job, status="error", text=message("batch.status.error", problem=_problem(err)))
    if cells and cells.missing:
        flags.append(message("batch.flag.missing", count=len(cells.missing)))
    if cells and cells.changed:
        flags.append(message("batch.flag.changed", count=len(cells.changed)))
    text = " ; ".join(run.notes) if run.notes else message("batch.status.graded")
    return _row(job, status=run.status, text=text, score=score, cells=cells, flags=flags,
                errors=_cell_errors(run.executed), network_cut=sandbox.network_cut, memory_mb=sandbox.memory_mb)


Progress = Callable[[int, int, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class BatchResult:
    rows: tuple[dict[str, Any], ...]  # the submissions graded in this run
    skipped: tuple[str, ...]  # submissions already graded (same content), kept as they were
    network_cut: bool


def grade(submissions: list[Submission], options: Options, *, previous: Mapping[str, Mapping[str, Any]] | None = None,
          progress: Progress | None = None) -> BatchResult:
    """Grade ``submissions``; those in ``previous`` (rows of an earlier run) with the same content
    and learner are skipped unless ``options.force``."""
    jobs, skipped = [], []
    for submission in submissions:
        job = _prepare(submission, options)
        old = (previous or {}).get(submission.name)
        if (not options.force and old is not None and old.get("sha256") == job.digest
                and old.get("learner") == job.learner and old.get("status") != "error"):
            skipped.append(submission.name)
        else:
            jobs.append(job)
    with tempfile.TemporaryDirectory(prefix="vpclab-grade-") as folder:
        sandbox = make_sandbox(Path(folder), memory_mb=options.memory_mb, cut_network=options.cut_network)
        rows = asyncio.run(_grade_all(jobs, options, sandbox, progress))
    return BatchResult(tuple(rows), tuple(skipped), sandbox.network_cut)


async def _grade_all(jobs: list[_Job], options: Options, sandbox: Sandbox, progress: Progress | None
                     ) -> list[dict[str, Any]]:
    to_run = deque(job for job in jobs if job.status is None)
    results: dict[str, dict[str, Any]] = {}
    done = 0

    def finished(row: dict[str, Any]) -> None:
        nonlocal done
        results[row["submission"]] = row
        done += 1
        if progress:
            progress(done, len(jobs), row)

    for job in jobs:
        if job.status is not None:
            finished(_row(job, status=job.status, text=job.message))
    workers = max(1, min(options.jobs, len(to_run)))
    pool = KernelPool(sandbox, needed=len(to_run), ahead=workers)
    exercises: dict[str, nbformat.NotebookNode | None] = {}

    async def worker() -> None:
        while to_run:
            job = to_run.popleft()
            finished(await _grade_one(job, pool, options, sandbox, exercises))

    try:
        await asyncio.gather(*(worker() for _ in range(workers)))
    finally:
        await pool.close()
    return [results[job.submission.name] for job in jobs]

