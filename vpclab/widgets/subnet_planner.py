"""The subnet planner: tiers × Availability Zones inside a VPC block, with the free space
left, overlaps with subnets that already exist, and the divide/join tree.

The widget is a thin shell over :mod:`vpclab.subnet_plan` (``plan_subnets``, ``free_space``,
``find_overlaps``) and :func:`vpclab.render.subnet_tree`; the AZ names are those of
``Cloud(seed=0)``. Errors (a bad block, a plan that does not fit) are shown inside it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import AWS_MAX_PREFIX, AWS_MIN_PREFIX, Cidr, network_of, parse
from vpclab.cidr_rules import validate_subnet_cidr, validate_vpc_cidr
from vpclab.cloud import Cloud
from vpclab.display import html_table
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.i18n import message
from vpclab.render import MAX_TREE_LEVELS, subnet_tree
from vpclab.subnet_plan import SubnetPlan, find_overlaps, free_space, plan_subnets
from vpclab.widgets.shell import panel, picture, shown

__all__ = ["planner_view", "subnet_planner"]

_WARNING = '<div class="vpclab-warning" style="color:#9a6700">⚠ {}</div>'


def _names(text: str | Sequence[str]) -> list[str]:
    """Names or blocks typed as one string ("public, app db") or given as a sequence."""
    items = re.split(r"[,\s]+", text) if isinstance(text, str) else list(text)
    return [item.strip() for item in items if item.strip()]


def _zones(azs: int) -> tuple[str, ...]:
    zones = Cloud(seed=0).azs
    if isinstance(azs, bool) or not isinstance(azs, int) or not 1 <= azs <= len(zones):
        raise InvalidValue("InvalidParameterValue", message("planner.bad_azs", azs=azs, most=len(zones)),
                           fix=message("planner.bad_azs_fix", most=len(zones), names=", ".join(zones)))
    return zones[:azs]


def _free_html(vpc: Cidr, used: Sequence[Cidr]) -> str:
    free = free_space(vpc, used)
    if not free:
        return f"<p>{html.escape(message('planner.full'))}</p>"
    addresses = sum(block.total for block in free)
    key = "planner.free_one" if len(free) == 1 else "planner.free"
    text = message(key, addresses=f"{addresses:,}", count=len(free),
                   share=f"{addresses / vpc.total:.1%}", blocks=", ".join(str(b) for b in free))
    return f"<p>{html.escape(text)}</p>"


def _warnings_html(plan: SubnetPlan, existing: Sequence[Cidr]) -> str:
    warnings = []
    for block in existing:
        try:
            validate_subnet_cidr(block, [plan.vpc])
        except VpcLabError as err:
            warnings.append(message("planner.bad_existing", problem=err))
    planned = {p.cidr: message("planner.planned", cidr=p.cidr, tier=p.tier, az=p.az) for p in plan.subnets}
    for left, right in find_overlaps([p.cidr for p in plan.subnets] + list(existing)):
        first = planned.get(left) or message("planner.existing_block", cidr=left)
        second = (planned[right] if right in planned and right != left
                  else message("planner.existing_block", cidr=right))
        warnings.append(message("planner.overlap", first=first, second=second))
    return "".join(_WARNING.format(html.escape(w)) for w in warnings)


def _tree_html(plan: SubnetPlan) -> str:
    """The smallest block holding the whole plan, divided down towards the subnets' size."""
    root = network_of(plan.vpc.first, plan.prefix - (len(plan.subnets) - 1).bit_length())
    levels = max(1, min(MAX_TREE_LEVELS, plan.prefix - root.prefix))
    tree = subnet_tree(root, levels, highlight=[p.cidr for p in plan.subnets])
    caption = message("planner.tree", root=root, prefix=min(32, root.prefix + levels))
    return f"<p><i>{html.escape(caption)}</i></p>{picture(tree)}"


def planner_view(vpc: str = "10.0.0.0/16", tiers: str | Sequence[str] = ("public", "app", "db"),
                 azs: int = 2, prefix: int = 24, existing: str | Sequence[str] = (), *,
                 tree: bool = True) -> str:
    """What the planner shows: the plan (one /``prefix`` subnet per tier and AZ), the free
    space left, warnings about ``existing`` subnets, and the tree (HTML, or an error)."""

    def render() -> str:
        block = validate_vpc_cidr(vpc)
        plan = plan_subnets(block, _names(tiers), _zones(azs), prefix=prefix)
        others = [parse(b) for b in _names(existing)]
        rows = [(p.tier, p.az, str(p.cidr), f"{p.cidr.usable:,}") for p in plan.subnets]
        table = html_table([message("label.tier"), "AZ", "CIDR", message("label.usable")], rows,
                           caption=plan.summary)
        parts = [table, _free_html(plan.vpc, [p.cidr for p in plan.subnets] + others),
                 _warnings_html(plan, others)]
        if tree:
            parts.append(_tree_html(plan))
        return "".join(parts)

    return shown(render)


def subnet_planner(vpc: str = "10.0.0.0/16", tiers: Sequence[str] = ("public", "app", "db"),
                   azs: int = 2, prefix: int = 24, *, existing: str = "", tree: bool = True) -> Any:
    """Boxes for the VPC block, the tiers and existing subnets, sliders for the number of
    AZs and the subnets' prefix length, with the plan below."""
    vpc_box = widgets.Text(value=vpc, description=message("planner.vpc"))
    tiers_box = widgets.Text(value=", ".join(tiers), description=message("planner.tiers"))
    az_slider = widgets.IntSlider(value=azs, min=1, max=len(Cloud(seed=0).azs),
                                  description=message("planner.azs"))
    try:
        low = validate_vpc_cidr(vpc).prefix
    except VpcLabError:
        low = AWS_MIN_PREFIX  # the view shows what is wrong with the block
    prefix_slider = widgets.IntSlider(value=max(prefix, low), min=low, max=AWS_MAX_PREFIX,
                                      description=message("planner.prefix"))
    existing_box = widgets.Text(value=existing, description=message("planner.existing"),
                                placeholder=message("planner.existing_placeholder"))
    view = widgets.HTML(value=planner_view(vpc, tiers, azs, prefix_slider.value, existing, tree=tree))

    def update(_change: object = None) -> None:
        view.value = planner_view(vpc_box.value, tiers_box.value, az_slider.value, prefix_slider.value,
                                  existing_box.value, tree=tree)

    def follow_vpc(_change: object = None) -> None:
        """Subnets are never larger than the VPC: the slider starts at the VPC's prefix."""
        try:
            block = validate_vpc_cidr(vpc_box.value)
        except VpcLabError:
            return
        prefix_slider.min = block.prefix  # moves the value up first if it was below

    vpc_box.observe(follow_vpc, names="value")
    for control in (vpc_box, tiers_box, az_slider, prefix_slider, existing_box):
        control.observe(update, names="value")
    return panel("subnet_planner", [vpc_box, tiers_box, az_slider, prefix_slider, existing_box], view,
                 vertical=True)
