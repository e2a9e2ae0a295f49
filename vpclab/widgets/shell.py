"""What every vpclab widget shares: its frame, and errors shown inside it.

A widget is ``panel(name, controls, view)``: a box of controls above a view (usually an
``ipywidgets.HTML``). The frame carries the CSS classes ``vpclab-widget`` and
``vpclab-<name>``, the view ``vpclab-view``, so browser tests and instructors' CSS can find
them. ``shown(render)`` runs the engine call behind a view and turns any error into a
message inside the widget: a callback's exception would otherwise be lost in the log.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from vpclab.errors import VpcLabError
from vpclab.i18n import message
from vpclab.render import Diagram

__all__ = ["error_html", "panel", "picture", "shown"]


def error_html(err: Exception) -> str:
    """An error as a red box: a VpcLabError with its fix, anything else named as a bug."""
    text = str(err) if isinstance(err, VpcLabError) else message(
        "widget.unexpected", kind=type(err).__name__, error=err)
    return f'<div class="vpclab-error" style="color:#cf222e;white-space:pre-wrap">✗ {html.escape(text)}</div>'


def picture(diagram: Diagram) -> str:
    """A graph for a widget's view: SVG, or its text outline and how to install graphviz."""
    svg = diagram._svg_()
    if svg:
        return svg
    return (f'<pre class="vpclab-outline">{html.escape(diagram.outline)}</pre>'
            f"<p><i>{html.escape(message('render.no_dot'))}</i></p>")


def shown(render: Callable[[], str]) -> str:
    """``render()``, or the error it raised as HTML (never raises)."""
    try:
        return render()
    except Exception as err:  # a widget callback must never lose an error
        return error_html(err)


def panel(name: str, controls: Sequence[widgets.Widget], view: widgets.Widget,
          *, vertical: bool = False) -> widgets.VBox:
    """The widget's frame: controls (in a row, or a column) above the view."""
    row: widgets.Box = widgets.VBox(list(controls)) if vertical else widgets.HBox(list(controls))
    view.add_class("vpclab-view")
    frame = widgets.VBox([row, view], layout=widgets.Layout(border="1px solid #d0d7de", padding="6px"))
    frame.add_class("vpclab-widget")
    frame.add_class(f"vpclab-{name.replace('_', '-')}")
    return frame
