"""Live widgets (ipywidgets), one per topic, each a thin shell over engine functions.

``WIDGETS`` names each widget with a factory that builds it as its lesson does (used by the
latency benchmark and by tests that treat every widget alike).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vpclab.widgets.cidr_explorer import cidr_explorer

__all__ = ["WIDGETS", "cidr_explorer"]

WIDGETS: dict[str, Callable[[], Any]] = {
    "cidr_explorer": lambda: cidr_explorer("10.0.0.0", 24, tree=True),
}
