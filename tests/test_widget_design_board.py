"""The design board: picking a requirement shows its verdict, the reason and the traced path."""

from __future__ import annotations

from tests.test_requirements import three_tier
from vpclab.widgets.design_board import board_view, design_board


def test_picking_a_requirement_shows_its_verdict_and_path() -> None:
    board = design_board(three_tier(zones=1))
    (picker,), view = board.children[0].children, board.children[1]
    assert "✗ R1" in view.value and "found in: us-east-1a" in view.value
    picker.value = "R8"
    assert "✓ R8: web can open TCP 8080 to app" in view.value
    assert "<svg" in view.value and "vpclab-trace" in view.value


def test_a_failing_requirement_draws_the_failing_pair() -> None:
    html = board_view(three_tier(db_open_to_web=True), "R10")
    assert "✗ R10" in html and "web-0 → db-0 is open" in html and "<svg" in html


def test_an_unknown_requirement_is_shown_not_raised() -> None:
    assert "vpclab-error" in board_view(three_tier(), "R99") and "R1, R2" in board_view(three_tier(), "R99")
