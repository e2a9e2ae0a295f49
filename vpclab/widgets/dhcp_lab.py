"""The DHCP lab: launch instances into a subnet, one at a time or as an auto scaling group,
terminate them, and watch which addresses DHCP hands out, how many more fit, and what AWS
says when the subnet is full.

The view is a plain function of what was clicked (:func:`dhcp_view`): it replays the steps
on a fresh ``Cloud(seed=0)`` with the engine's own ``run_instances`` (all or nothing) and
``terminate_instances``, and draws the subnet's :meth:`~vpclab.cloud.Cloud.address_map`.
An error AWS would return (``InsufficientFreeAddressesInSubnet``) is shown in the widget.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import network_of, parse
from vpclab.cloud import Cloud
from vpclab.errors import VpcLabError
from vpclab.i18n import message
from vpclab.resources import Instance, Subnet, Vpc
from vpclab.widgets.shell import error_html, panel, shown

__all__ = ["dhcp_lab", "dhcp_view"]

PREFIXES = (24, 25, 26, 27, 28)
Step = tuple[str, int]  # ("launch", how many) or ("terminate", 1)


def _world(subnet: str, address_mode: str) -> tuple[Cloud, Vpc, Subnet]:
    """A VPC (the /16 around the subnet) holding the subnet, as a learner would build it."""
    block = parse(subnet)
    cloud = Cloud(seed=0, address_mode=address_mode)
    vpc = cloud.create_vpc(str(network_of(block.first, 16)), name="lab")
    return cloud, vpc, cloud.create_subnet(vpc, str(block), name="asg-subnet")


def _do(cloud: Cloud, subnet: Subnet, step: Step, number: int) -> str:
    """Carry out one step; what happened, in a sentence."""
    action, count = step
    if action == "launch":
        name = f"web{number}" if count == 1 else f"asg{number}"
        launched = cloud.run_instances(subnet, count, name=name)
        if len(launched) == 1:
            return message("dhcp.lab.launched_one", name=launched[0].name, address=launched[0].private_ip)
        return message("dhcp.lab.launched_group", count=len(launched), first=launched[0].name,
                       last=launched[-1].name)
    running = [i for i in cloud._all(Instance) if i.subnet_id == subnet.id]
    if not running:
        return message("dhcp.lab.none_running")
    oldest = running[0]
    cloud.terminate_instances(oldest)
    return message("dhcp.lab.terminated", name=oldest.name, address=oldest.private_ip)


def dhcp_view(subnet: str = "10.0.1.0/28", steps: Sequence[Step] = (), *, address_mode: str = "random") -> str:
    """What the lab shows after ``steps`` (``("launch", n)`` or ``("terminate", 1)``, in
    order) in ``subnet``: HTML. An AWS error in the last step is shown above the grid; an
    earlier step that failed changed nothing (launches are all or nothing)."""

    def render() -> str:
        cloud, vpc, record = _world(subnet, address_mode)
        note, error = "", None
        for number, step in enumerate(steps, start=1):
            try:
                note, error = _do(cloud, record, step, number), None
            except VpcLabError as err:
                note, error = "", err
        settings = cloud.dhcp_settings(record)
        addresses = cloud.address_map(record)
        title = message("dhcp.lab.title", cidr=record.cidr, vpc=vpc.cidr)
        told = message("dhcp.lab.dhcp_says", router=settings.routers[record.id],
                       dns=", ".join(settings.domain_name_servers))
        fit = message("dhcp.lab.fit", in_use=addresses.in_use, free=addresses.free)
        parts = [f"<h4>{html.escape(title)}</h4>", f"<div>{html.escape(told)}</div>",
                 f"<div><b>{html.escape(fit)}</b></div>"]
        if note:
            parts.append(f"<div>{html.escape(note)}</div>")
        if error is not None:
            parts.append(error_html(error))
        parts.append(addresses._html_())
        return "".join(parts)

    return shown(render)


def dhcp_lab(subnet: str = "10.0.1.0/28", group_size: int = 5, *, address_mode: str = "random") -> Any:
    """A choice of subnet size, buttons to launch one instance, launch a group of N (like an
    auto scaling group scaling out) and terminate the oldest instance; the subnet's addresses below."""
    block = parse(subnet)
    prefixes = sorted({*PREFIXES, block.prefix})
    narrow = {"description_width": "initial"}
    size = widgets.Dropdown(options=[(f"/{p}", p) for p in prefixes], value=block.prefix,
                            description=message("dhcp.lab.size"), style=narrow,
                            layout=widgets.Layout(width="130px"))
    group = widgets.BoundedIntText(value=group_size, min=1, max=256, description=message("dhcp.lab.group"),
                                   style=narrow, layout=widgets.Layout(width="100px"))
    launch_one = widgets.Button(description=message("dhcp.lab.launch_one"))
    launch_group = widgets.Button(description=message("dhcp.lab.launch_group"))
    terminate = widgets.Button(description=message("dhcp.lab.terminate"))
    for button in (launch_one, launch_group, terminate):
        button.layout = widgets.Layout(width="auto", flex="0 0 auto")
    steps: list[Step] = []
    view = widgets.HTML(value=dhcp_view(subnet, steps, address_mode=address_mode))

    def current() -> str:
        return str(network_of(block.first, size.value))

    def update() -> None:
        view.value = dhcp_view(current(), steps, address_mode=address_mode)

    def add(step: Step) -> None:
        steps.append(step)
        update()

    def resize(_change: object = None) -> None:
        steps.clear()
        update()

    launch_one.on_click(lambda _button: add(("launch", 1)))
    launch_group.on_click(lambda _button: add(("launch", group.value)))
    terminate.on_click(lambda _button: add(("terminate", 1)))
    size.observe(resize, names="value")
    return panel("dhcp_lab", [size, group, launch_one, launch_group, terminate], view)
