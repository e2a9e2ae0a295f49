"""The learner's own working copy of the lessons and exercises.

``make lab`` / ``vpclab lab`` open ``work/`` inside the kit: copies of ``notebooks/`` and
``exercises/``, made on first run and ignored by git, so the tracked notebooks stay clean.
``vpclab reset NN`` restores lesson NN (and its exercise) from the tracked copy; the
learner's edited file is kept beside it as a ``.bak`` file, never silently lost.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from vpclab.errors import InvalidValue, NotFound
from vpclab.i18n import message

__all__ = ["FOLDERS", "kit_root", "lesson_notebook", "prepare_workspace", "reset_lesson"]

FOLDERS = ("notebooks", "exercises")
WORK = "work"


def _is_kit(folder: Path) -> bool:
    return (folder / "notebooks").is_dir() and (folder / "pyproject.toml").is_file()


def kit_root(start: Path | None = None) -> Path:
    """The kit's folder: ``$VPCLAB_HOME``, else the nearest folder above ``start`` (or the
    current folder) that holds ``notebooks/`` and ``pyproject.toml``, else the folder the
    package was installed from in editable mode."""
    if os.environ.get("VPCLAB_HOME"):
        home = Path(os.environ["VPCLAB_HOME"]).resolve()
        if _is_kit(home):
            return home
        raise NotFound("KitNotFound", message("workspace.bad_home", path=home),
                       fix=message("workspace.not_found_fix"))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_kit(folder):
            return folder
    installed = Path(__file__).resolve().parent.parent
    if _is_kit(installed):
        return installed
    raise NotFound("KitNotFound", message("workspace.not_found", path=here),
                   fix=message("workspace.not_found_fix"))


def prepare_workspace(root: Path) -> Path:
    """Make ``root/work`` and copy in every lesson and exercise it does not have yet."""
    work = root / WORK
    for folder in FOLDERS:
        source = root / folder
        target = work / folder
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted(source.glob("*.ipynb")) if source.is_dir() else []:
            if not (target / notebook.name).exists():
                shutil.copy2(notebook, target / notebook.name)
    return work


def reset_lesson(root: Path, number: str) -> list[tuple[Path, Path | None]]:
    """Restore lesson ``number`` (``"02"`` or ``2``) in the working copy.

    Returns ``(restored file, backup of the learner's file or None)`` pairs.
    """
    prefix = _lesson_prefix(number)
    work = prepare_workspace(root)
    restored: list[tuple[Path, Path | None]] = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in FOLDERS:
        for original in sorted((root / folder).glob(prefix + "*.ipynb")):
            target = work / folder / original.name
            backup = None
            if target.exists() and target.read_bytes() != original.read_bytes():
                backup = target.with_name(f"{target.name}.{stamp}.bak")
                target.replace(backup)
            shutil.copy2(original, target)
            restored.append((target, backup))
    if not restored:
        raise _no_lesson(root, number)
    return restored


def lesson_notebook(root: Path, number: str) -> Path:
    """The kit's own lesson notebook ``number`` (``"05"`` → ``notebooks/05_nat.ipynb``)."""
    found = sorted((root / "notebooks").glob(_lesson_prefix(number) + "*.ipynb"))
    if not found:
        raise _no_lesson(root, number)
    return found[0]


def _lesson_prefix(number: str) -> str:
    digits = str(number).strip()
    if not digits.isdigit() or len(digits) > 2:
        raise InvalidValue("InvalidParameterValue", message("workspace.bad_number", number=number),
                           fix=message("workspace.bad_number_fix"))
    return f"{int(digits):02d}_"


def _no_lesson(root: Path, number: str) -> NotFound:
    known = sorted({p.name[:2] for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb")})
    return NotFound("LessonNotFound", message("workspace.no_lesson", number=str(number).strip()),
                    fix=message("workspace.no_lesson_fix", known=", ".join(known)))
