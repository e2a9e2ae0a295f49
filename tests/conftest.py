"""Shared test helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Machines here are shared and noisy: a per-example deadline makes property tests flaky
# without testing anything about vpclab. Speed is measured by benchmarks/ instead.
settings.register_profile("vpclab", deadline=None)
settings.load_profile("vpclab")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


def vpclab_command() -> list[str]:
    """The vpclab command of this environment."""
    return [sys.executable, "-m", "vpclab.cli"]
