"""Shared test helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


def vpclab_command() -> list[str]:
    """The vpclab command of this environment."""
    return [sys.executable, "-m", "vpclab.cli"]
