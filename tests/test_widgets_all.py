"""Every widget, as its lesson builds it: it shows something, no error, and without graphviz's
dot its pictures fall back to a text outline with install advice (never a blank, never a raise)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from benchmarks.bench_widgets import _controls, _view
from vpclab import render
from vpclab.widgets import WIDGETS


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_widget_starts_with_a_view_and_no_error(name: str) -> None:
    widget = WIDGETS[name]()
    assert "vpclab-widget" in widget._dom_classes
    assert any(c.startswith("vpclab-") and c != "vpclab-widget" for c in widget._dom_classes), "its own CSS name"
    view = _view(widget).value
    assert len(view) > 100 and "vpclab-error" not in view
    assert list(_controls(widget)), "a widget has controls"


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_without_dot_pictures_fall_back_to_text(name: str) -> None:
    with_dot = _view(WIDGETS[name]()).value
    with mock.patch.object(render, "dot_available", return_value=False):
        without: Any = _view(WIDGETS[name]()).value
    assert "<svg" not in without and "vpclab-error" not in without
    if "<svg" in with_dot:
        assert "vpclab-outline" in without and "graphviz" in without
