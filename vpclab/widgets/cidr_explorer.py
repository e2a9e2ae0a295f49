"""The CIDR explorer: move the prefix length, watch the bit grid, the size and the reserved
addresses change.

The widget is a thin shell over :func:`vpclab.cidr.network_of`; an error (a malformed
address typed into the box) is shown inside the widget, never lost.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import network_of
from vpclab.i18n import message
from vpclab.render import subnet_tree
from vpclab.widgets.shell import panel, picture, shown

__all__ = ["cidr_explorer", "explorer_html"]


def explorer_html(address: str, prefix: int, *, tree: bool = False) -> str:
    """What the explorer shows for ``address``/``prefix``: HTML, or an error message."""

    def render() -> str:
        block = network_of(address, prefix)
        parts = [f"<h4>{html.escape(str(block))}</h4>", block._html_()]
        if tree and block.prefix <= 30:
            parts.append(picture(subnet_tree(block, levels=2)))
        return "".join(parts)

    return shown(render)


def cidr_explorer(address: str = "10.0.0.0", prefix: int = 24, *, tree: bool = False) -> Any:
    """A slider for the prefix length and a box for the address, with the block below."""
    slider = widgets.IntSlider(value=prefix, min=8, max=32, step=1,
                               description=message("widget.prefix"), continuous_update=True)
    box = widgets.Text(value=address, description=message("widget.address"))
    view = widgets.HTML(value=explorer_html(address, prefix, tree=tree))

    def update(_change: object = None) -> None:
        view.value = explorer_html(box.value, slider.value, tree=tree)

    slider.observe(update, names="value")
    box.observe(update, names="value")
    return panel("cidr_explorer", [box, slider], view)
