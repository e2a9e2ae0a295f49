"""Exercise notebooks from solution notebooks (``vpclab assign``).

In a solution notebook, answer code stands between ``# BEGIN SOLUTION`` and
``# END SOLUTION``. In the exercise, each top-level assignment in that block becomes
``name = ...  # your answer``; any other answer code becomes a bare ``...``. Outputs and
execution counts are cleared, so an exercise starts blank and each ``check`` reports
"not answered yet" until the learner fills it in.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat

from vpclab.errors import InvalidValue
from vpclab.grading.score import read_notebook, without_outputs
from vpclab.i18n import message

__all__ = ["AssignResult", "assign", "exercise_from_solution", "render_exercise", "strip_solutions"]

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
PLACEHOLDER = "...  # your answer"


@dataclass(frozen=True, slots=True)
class AssignResult:
    exercise: Path
    changed: bool


def _blank(block: list[str], indent: str) -> list[str]:
    source = "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip()
                       for line in block)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [f"{indent}{PLACEHOLDER}"]
    names = [
        target.id
        for node in tree.body if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)
    ]
    names = list(dict.fromkeys(names))
    return [f"{indent}{name} = {PLACEHOLDER}" for name in names] or [f"{indent}{PLACEHOLDER}"]


def strip_solutions(source: str, where: str) -> str:
    """``source`` with every solution block replaced by placeholders."""
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise _marker_error(where, number, "nested")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif marker == END:
            if block is None:
                raise _marker_error(where, number, "unopened")
            out.extend(_blank(block, indent))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise _marker_error(where, len(source.splitlines()), "unclosed")
    return "\n".join(out)


def _marker_error(where: str, line: int, problem: str) -> InvalidValue:
    return InvalidValue(
        "InvalidNotebook",
        message(f"assign.marker_{problem}", where=where, line=line),
        fix=message("assign.marker_fix"),
    )


def exercise_from_solution(solution: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The exercise notebook for a solution notebook called ``name``."""
    exercise = without_outputs(solution)
    for index, cell in enumerate(exercise.cells, start=1):
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{name}, cell {index}")
            cell.metadata.pop("execution", None)  # run times of the solution: noise in an exercise
        cell.pop("id", None)
    meta = exercise.metadata.setdefault("vpclab", {})
    meta["assignment"] = name
    meta["generated_from"] = f"solutions/{name}.ipynb"
    exercise.nbformat_minor = max(exercise.nbformat_minor, 5)
    for index, cell in enumerate(exercise.cells, start=1):
        cell.id = f"{name[:2]}-{index:03d}"
    return exercise


def render_exercise(solution_path: Path) -> str:
    """The exact text of the exercise notebook generated from ``solution_path``."""
    name = solution_path.stem
    exercise = exercise_from_solution(read_notebook(solution_path), name)
    text: str = nbformat.writes(exercise)
    return text + "\n"


def assign(solutions: Path, exercises: Path, *, write: bool = True) -> list[AssignResult]:
    """Generate ``exercises/NAME.ipynb`` for every ``solutions/NAME.ipynb``.

    With ``write=False`` nothing is written; ``changed`` says which exercises are stale.
    """
    if not solutions.is_dir():
        raise InvalidValue("InvalidParameterValue",
                           message("assign.no_solutions", path=solutions),
                           fix=message("assign.no_solutions_fix"))
    results = []
    for solution_path in sorted(solutions.glob("[0-9][0-9]_*.ipynb")):
        target = exercises / solution_path.name
        text = render_exercise(solution_path)
        old = target.read_text(encoding="utf-8") if target.exists() else None
        changed = old != text
        if changed and write:
            exercises.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".ipynb.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        results.append(AssignResult(target, changed))
    return results
