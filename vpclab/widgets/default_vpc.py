"""The default VPC explorer: pick a Region and a number of Availability Zones, and see what AWS
puts in the default VPC (aws-vpc-facts.md §2); tick a box to launch an instance into it.

The widget is a thin shell over :meth:`vpclab.cloud.Cloud.create_default_vpc`: every line it
shows is read from the engine's records (subnets, internet gateway, main route table, default
security group and network ACL, DHCP options) or from a trace. Errors stay inside the widget.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import parse
from vpclab.cloud import KNOWN_REGIONS, Cloud, region_azs
from vpclab.display import html_table
from vpclab.errors import InvalidValue
from vpclab.i18n import message
from vpclab.resources import Instance, Subnet, Vpc
from vpclab.trace import Trace
from vpclab.widgets.shell import panel, shown

__all__ = ["INTERNET_CLIENT", "default_vpc_explorer", "default_vpc_view"]

INTERNET_CLIENT = "203.0.113.10"  # a documentation address (RFC 5737) standing for "someone on the internet"
INTERNET_SERVER = "8.8.8.8"


def _zones(region: str, azs: object) -> tuple[str, ...]:
    """The first ``azs`` Availability Zones of ``region`` (all of them for None), or an error
    saying how many there are."""
    known = region_azs(region)
    if azs is None:
        return known
    if isinstance(azs, bool) or not isinstance(azs, int) or not 1 <= azs <= len(known):
        raise InvalidValue("InvalidParameterValue", message("vpc_basics.bad_azs", azs=azs, region=region),
                           fix=message("vpc_basics.bad_azs_fix", most=len(known), zones=", ".join(known)))
    return known[:azs]


def _verdict(trace: Trace) -> str:
    if trace.blocker is None:
        return message("vpc_basics.allowed")
    return message("vpc_basics.blocked", code=trace.blocker.code, reason=trace.blocker.message)


def _subnets_table(subnets: tuple[Subnet, ...]) -> str:
    rows = [(s.az, s.id, s.cidr, f"{parse(s.cidr).total:,}", f"{parse(s.cidr).usable:,}",
             message("vpc_basics.yes" if s.map_public_ip_on_launch else "vpc_basics.no")) for s in subnets]
    header = [message(f"vpc_basics.{k}") for k in ("az", "subnet", "block", "addresses", "usable", "public_on_launch")]
    return html_table(header, rows)


def _instance_part(cloud: Cloud, subnet: Subnet) -> str:
    instance: Instance = cloud.launch(subnet, "my-instance")
    lines = [
        message("vpc_basics.instance", instance=instance.label, subnet=subnet.id, az=subnet.az,
                private=instance.private_ip, public=instance.public_ip or message("vpc_basics.none")),
        message("vpc_basics.outbound", address=INTERNET_SERVER,
                verdict=_verdict(cloud.trace(instance, INTERNET_SERVER, "tcp", 443))),
        message("vpc_basics.inbound", address=INTERNET_CLIENT,
                verdict=_verdict(cloud.trace(INTERNET_CLIENT, instance, "tcp", 22))),
    ]
    return "".join(f"<div>{html.escape(line)}</div>" for line in lines)


def default_vpc_view(region: str = "us-east-1", azs: int | None = None, launch: bool = False) -> str:
    """What the explorer shows: the default VPC AWS creates in ``region``, with one default subnet
    in each of its first ``azs`` Availability Zones (None: all the simulator knows) and, with
    ``launch``, an instance in the first default subnet. HTML, or the error as HTML."""

    def render() -> str:
        cloud = Cloud(region, seed=0, azs=_zones(region, azs))
        vpc: Vpc = cloud.create_default_vpc()
        subnets = cloud.subnets(vpc)
        igw = cloud.internet_gateway_of(vpc)
        settings = cloud.dhcp_settings(vpc)
        records = [
            message("vpc_basics.igw", igw=igw.id if igw else message("vpc_basics.none"), vpc=vpc.id),
            message("vpc_basics.main_table"),
            str(cloud.route_table(vpc.main_route_table_id)),
            str(cloud.get(vpc.default_security_group_id)),
            str(cloud.get(vpc.default_network_acl_id)),
            message("vpc_basics.dhcp", options=settings.options_id, dns=", ".join(settings.domain_name_servers),
                    domain=settings.domain_name or message("vpc_basics.none")),
        ]
        title = message("vpc_basics.title", region=region, cidr=vpc.cidr, total=f"{parse(vpc.cidr).total:,}")
        parts = [f"<h4>{html.escape(title)}</h4>", _subnets_table(subnets),
                 f"<pre>{html.escape(chr(10).join(records))}</pre>"]
        if launch:
            parts.append(_instance_part(cloud, subnets[0]))
        else:
            hint = message("vpc_basics.launch_hint", label=message("vpc_basics.launch"))
            parts.append(f"<div><i>{html.escape(hint)}</i></div>")
        return "".join(parts)

    return shown(render)


def default_vpc_explorer(region: str = "us-east-1", azs: int | None = None) -> Any:
    """A Region menu, a slider for the number of AZs (all of the Region's at first) and a box to
    launch an instance, above the default VPC that AWS creates there."""
    regions = KNOWN_REGIONS if region in KNOWN_REGIONS else (*KNOWN_REGIONS, region)
    menu = widgets.Dropdown(options=regions, value=region, description=message("vpc_basics.region"))
    most = len(region_azs(region))
    usable = isinstance(azs, int) and not isinstance(azs, bool) and azs >= 1
    first = azs if usable and azs is not None else most  # a bad azs is shown as an error in the view
    slider = widgets.IntSlider(value=first, min=1, max=max(first, most), step=1,
                               description=message("vpc_basics.azs"), continuous_update=False)
    box = widgets.Checkbox(value=False, description=message("vpc_basics.launch"), indent=False)
    view = widgets.HTML(value=default_vpc_view(region, azs, False))

    def update(_change: object = None) -> None:
        view.value = default_vpc_view(menu.value, slider.value, box.value)

    def new_region(_change: object = None) -> None:
        most = len(region_azs(menu.value))  # AWS makes a default subnet in every AZ of the Region
        before = slider.value
        slider.max = most
        slider.value = most  # a change of value calls update
        if slider.value == before:
            update()

    menu.observe(new_region, names="value")
    slider.observe(update, names="value")
    box.observe(update, names="value")
    return panel("default_vpc", [menu, slider, box], view)
