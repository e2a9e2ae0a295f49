"""What a submission changed outside its answer cells, compared with the exercise notebook.

In an exercise, the *answer cells* are the code cells that hold ``...  # your answer`` or call
``check(...)``; the cell that names the learner (``start(...)``) may be edited too (a learner
who picks another learner's variant is flagged by the grader anyway). Every other cell (the
questions, the worlds they use, the imports) is *protected*. A protected cell that was
edited is reported with its number and a short excerpt; a cell of the exercise that is gone
is a *missing cell* (a deleted answer cell leaves its questions unanswered). Cells the learner
added are allowed. Code that reaches into the answer key (the question bank, ``.solve(``,
``QUESTIONS[``) is reported too: the package the learner has can compute every answer, so a
teacher should look.

Nothing here changes a score: the grader reports, a teacher decides.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from vpclab.errors import VpcLabError
from vpclab.grading.assign import PLACEHOLDER, exercise_from_solution
from vpclab.grading.score import read_notebook

__all__ = ["CellChange", "CellReport", "answer_key_access", "compare_cells", "is_answer_cell", "reference_exercise"]

_EDITABLE = re.compile(r"\b(check|start)\s*\(")
_ANSWER_KEY = re.compile(r"grading\.bank|grading\s+import\s+bank|\.solve\s*\(|QUESTIONS\s*\[")
EXCERPT = 60


@dataclass(frozen=True, slots=True)
class CellChange:
    """A cell of the exercise (``index`` counts from 1) that was changed (``now`` is what the
    submission has instead) or is missing (``now`` is None)."""

    index: int
    cell_type: str
    excerpt: str
    now: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"index": self.index, "cell_type": self.cell_type, "excerpt": self.excerpt, "now": self.now}


@dataclass(frozen=True, slots=True)
class CellReport:
    changed: tuple[CellChange, ...] = ()  # protected cells edited
    missing: tuple[CellChange, ...] = ()  # exercise cells deleted (protected or answer cells)


def excerpt(text: str, width: int = EXCERPT) -> str:
    """The first ``width`` characters of ``text`` on one line."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.replace("\r\n", "\n").splitlines()).strip()


def is_answer_cell(cell: nbformat.NotebookNode) -> bool:
    """Whether an exercise cell is one the learner is meant to edit."""
    return cell.cell_type == "code" and (PLACEHOLDER in cell.source or bool(_EDITABLE.search(cell.source)))


def _difference(old: str, new: str) -> tuple[str, str]:
    """Excerpts of ``old`` and ``new`` from the first line where they differ."""
    before, after = _normal(old).splitlines(), _normal(new).splitlines()
    same = next((n for n, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                min(len(before), len(after)))
    mark = "… " if same else ""
    return (mark + excerpt("\n".join(before[same:])) if before[same:] else excerpt(old),
            mark + excerpt("\n".join(after[same:])) if after[same:] else excerpt(new))


def reference_exercise(assignment: str, root: Path | None) -> nbformat.NotebookNode | None:
    """The exercise learners were given: ``exercises/NAME.ipynb`` of the kit at ``root``, else one
    generated from ``solutions/NAME.ipynb``; None when the kit has neither."""
    if root is None:
        return None
    exercise, solution = root / "exercises" / f"{assignment}.ipynb", root / "solutions" / f"{assignment}.ipynb"
    try:
        if exercise.is_file():
            return read_notebook(exercise)
        if solution.is_file():
            return exercise_from_solution(read_notebook(solution), assignment)
    except VpcLabError:
        return None
    return None


def _pairs(exercise: list[nbformat.NotebookNode], submission: list[nbformat.NotebookNode]
           ) -> tuple[list[tuple[int, int | None]], set[int]]:
    """Each exercise cell without an identical counterpart, paired with the most similar
    submission cell of its kind in the same stretch (None: deleted); and the submission cells
    that are not identical to an exercise cell."""
    keys = [(c.cell_type, _normal(c.source)) for c in exercise]
    theirs = [(c.cell_type, _normal(c.source)) for c in submission]
    pairs: list[tuple[int, int | None]] = []
    new: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=keys, b=theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        free = list(range(j1, j2))
        new.update(free)
        for i in range(i1, i2):
            same_kind = [j for j in free if theirs[j][0] == keys[i][0]]
            best = max(same_kind, default=None,
                       key=lambda j: difflib.SequenceMatcher(a=keys[i][1], b=theirs[j][1]).ratio())
            if best is not None:
                free.remove(best)
            pairs.append((i, best))
    return pairs, new


def compare_cells(exercise: nbformat.NotebookNode, submission: nbformat.NotebookNode) -> CellReport:
    """Protected cells the submission changed, and exercise cells it no longer has."""
    pairs, _ = _pairs(exercise.cells, submission.cells)
    changed, missing = [], []
    for i, j in pairs:
        cell = exercise.cells[i]
        if j is None:
            missing.append(CellChange(i + 1, cell.cell_type, excerpt(cell.source)))
        elif not is_answer_cell(cell):
            was, now = _difference(cell.source, submission.cells[j].source)
            changed.append(CellChange(i + 1, cell.cell_type, was, now))
    return CellReport(tuple(changed), tuple(missing))


def answer_key_access(exercise: nbformat.NotebookNode | None, submission: nbformat.NotebookNode
                      ) -> list[tuple[int, str]]:
    """``(cell number, line)`` for each line of the submission's own code that reaches into the
    answer key (lines the exercise itself has, like its imports of a question's world, are fine)."""
    given = {_normal(line) for cell in (exercise.cells if exercise else []) if cell.cell_type == "code"
             for line in cell.source.splitlines()}
    if exercise is None:
        own = set(range(len(submission.cells)))
    else:
        _, own = _pairs(exercise.cells, submission.cells)
    found = []
    for j in sorted(own):
        cell = submission.cells[j]
        if cell.cell_type != "code":
            continue
        found += [(j + 1, excerpt(line)) for line in cell.source.splitlines()
                  if _ANSWER_KEY.search(line) and _normal(line) not in given]
    return found
