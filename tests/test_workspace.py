"""The learner's working copy: made on first run, reset keeps a backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpclab.errors import InvalidValue, NotFound
from vpclab.workspace import kit_root, prepare_workspace, reset_lesson


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='vpclab'\n")
    for folder, text in (("notebooks", "lesson"), ("exercises", "exercise")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "02_cidr_subnets.ipynb").write_text(f"{text} 02")
    (tmp_path / "notebooks" / "00_welcome.ipynb").write_text("welcome")
    return tmp_path


def test_first_run_copies_lessons_and_exercises(kit: Path) -> None:
    work = prepare_workspace(kit)
    assert (work / "notebooks" / "02_cidr_subnets.ipynb").read_text() == "lesson 02"
    assert (work / "exercises" / "02_cidr_subnets.ipynb").read_text() == "exercise 02"


def test_later_runs_keep_the_learners_edits(kit: Path) -> None:
    work = prepare_workspace(kit)
    (work / "notebooks" / "02_cidr_subnets.ipynb").write_text("my notes")
    prepare_workspace(kit)
    assert (work / "notebooks" / "02_cidr_subnets.ipynb").read_text() == "my notes"


def test_reset_restores_and_keeps_a_backup(kit: Path) -> None:
    work = prepare_workspace(kit)
    (work / "notebooks" / "02_cidr_subnets.ipynb").write_text("my notes")
    restored = reset_lesson(kit, "2")
    assert (work / "notebooks" / "02_cidr_subnets.ipynb").read_text() == "lesson 02"
    backups = [b for _, b in restored if b is not None]
    assert len(backups) == 1 and backups[0].read_text() == "my notes"
    assert backups[0].name.startswith("02_cidr_subnets.ipynb.") and backups[0].suffix == ".bak"


def test_reset_of_an_unknown_lesson_lists_the_lessons(kit: Path) -> None:
    with pytest.raises(NotFound) as caught:
        reset_lesson(kit, "07")
    assert caught.value.fix == "lessons are: 00, 02"
    with pytest.raises(InvalidValue, match="'x' is not a lesson number"):
        reset_lesson(kit, "x")


def test_kit_root_is_found_from_a_subfolder(kit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VPCLAB_HOME", raising=False)
    assert kit_root(kit / "notebooks") == kit.resolve()
    monkeypatch.setenv("VPCLAB_HOME", str(kit / "notebooks"))
    with pytest.raises(NotFound, match="VPCLAB_HOME"):
        kit_root()
