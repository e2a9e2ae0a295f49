"""Live widgets (ipywidgets), one per topic, each a thin shell over engine functions."""

from __future__ import annotations

from vpclab.widgets.cidr_explorer import cidr_explorer

__all__ = ["cidr_explorer"]
