"""Live widgets (ipywidgets), one per topic, each a thin shell over engine functions.

Every widget is framed by :func:`vpclab.widgets.shell.panel` (CSS classes ``vpclab-widget``
and ``vpclab-<name>``; its output carries ``vpclab-view``) and shows errors inside itself.
``WIDGETS`` names each widget with a factory that builds it as its lesson does (used by the
latency benchmark and by tests that treat every widget alike).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vpclab.widgets.cidr_explorer import cidr_explorer
from vpclab.widgets.connectivity_builder import connectivity_builder
from vpclab.widgets.default_vpc import default_vpc_explorer
from vpclab.widgets.design_board import design_board
from vpclab.widgets.dhcp_lab import dhcp_lab
from vpclab.widgets.endpoint_lab import endpoint_lab
from vpclab.widgets.firewall_lab import firewall_lab
from vpclab.widgets.nat_lab import nat_lab
from vpclab.widgets.route_explorer import route_explorer
from vpclab.widgets.subnet_planner import subnet_planner

__all__ = [
    "WIDGETS",
    "cidr_explorer",
    "connectivity_builder",
    "default_vpc_explorer",
    "design_board",
    "dhcp_lab",
    "endpoint_lab",
    "firewall_lab",
    "nat_lab",
    "route_explorer",
    "subnet_planner",
]


def _design_board() -> Any:
    from vpclab.grading.bank.capstone import reference_design

    return design_board(reference_design())


WIDGETS: dict[str, Callable[[], Any]] = {  # lesson: how it builds the widget
    "default_vpc_explorer": lambda: default_vpc_explorer("us-east-1"),  # 01
    "cidr_explorer": lambda: cidr_explorer("10.0.0.0", 24),  # 02
    "subnet_planner": lambda: subnet_planner("10.0.0.0/16", tiers=("public", "app", "db"), azs=2, prefix=24),
    "dhcp_lab": lambda: dhcp_lab("10.0.1.0/28", group_size=5),  # 03
    "route_explorer": route_explorer,  # 04
    "nat_lab": lambda: nat_lab(hosts=4),  # 05
    "firewall_lab": firewall_lab,  # 06
    "endpoint_lab": endpoint_lab,  # 07
    "connectivity_builder": connectivity_builder,  # 08
    "design_board": _design_board,  # 09
}
