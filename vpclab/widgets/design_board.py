"""The design board: pick a requirement, see whether the design meets it and the path it takes.

A thin shell over :func:`vpclab.requirements.check_design` and :func:`vpclab.topology.topology`:
the view shows the chosen requirement's verdict and why, and the first pair it traced drawn on
the design's topology (green where it passes, red at the blocker).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from vpclab.errors import NotFound
from vpclab.i18n import message
from vpclab.requirements import (
    THREE_TIER,
    Check,
    check_design,
)
from vpclab.topology import topology
from vpclab.widgets.shell import panel, picture, shown

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["board_view", "design_board"]


def board_view(cloud: Cloud, requirement_id: str, requirements: tuple[Check, ...] = THREE_TIER) -> str:
    """HTML for one requirement of ``requirements``: verdict, reason, and the traced path."""

    def render() -> str:
        item = next((r for r in requirements if r.id == requirement_id), None)
        if item is None:
            raise NotFound("InvalidRequirement.NotFound", message("board.unknown", id=requirement_id),
                           fix=message("board.unknown_fix", known=", ".join(r.id for r in requirements)))
        result = check_design(cloud, [item]).results[0]
        color, mark = ("#1a7f37", "✓") if result.met else ("#cf222e", "✗")
        parts = [f'<div><b style="color:{color}">{mark} {html.escape(result.id)}: {html.escape(result.text)}</b>'
                 f"<div>{html.escape(result.reason)}</div></div>"]
        if result.trace is not None:
            parts += [result.trace._html_(), picture(topology(cloud, result.trace))]
        return "".join(parts)

    return shown(render)


def design_board(cloud: Cloud, requirements: tuple[Check, ...] = THREE_TIER) -> Any:
    """A requirement picker above its verdict and path (re-run the cell after changing the design)."""
    picker = widgets.Dropdown(options=[(f"{r.id}: {r.text}", r.id) for r in requirements],
                              description=message("board.requirement"),
                              layout=widgets.Layout(width="95%"), style={"description_width": "initial"})
    view = widgets.HTML(value=board_view(cloud, picker.value, requirements))

    def update(_change: object = None) -> None:
        view.value = board_view(cloud, picker.value, requirements)

    picker.observe(update, names="value")
    return panel("design_board", [picker], view)
