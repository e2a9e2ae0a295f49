"""The route table explorer: pick a subnet, type a destination address, and see every route of
the subnet's table judged (which ones match, which one wins and why) and the path drawn.

A thin shell over :meth:`Cloud.explain_route` (longest prefix; on equal prefixes static >
prefix list > propagated; the local route), :meth:`Cloud.trace` and
:func:`vpclab.topology.topology`. Errors (a malformed address) are shown inside the widget.
"""

from __future__ import annotations

import html
import ipaddress
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.errors import NotFound
from vpclab.i18n import message
from vpclab.resources import Instance, Subnet
from vpclab.topology import topology
from vpclab.widgets.shell import panel, picture, shown

__all__ = ["lesson_world", "route_explorer", "route_view"]


def lesson_world() -> Cloud:
    """The explorer's world (lesson 04): VPC ``lab`` 10.0.0.0/16 with a public subnet (0.0.0.0/0
    → internet gateway), a private subnet ``app`` (0.0.0.0/0 → NAT gateway, 10.1.0.0/16 → a
    peering with VPC ``partner``, a blackhole route to a peering never accepted, and routes
    propagated from a VPN: 10.1.0.0/16, 10.1.9.0/24, 192.168.0.0/16) and a subnet ``db`` on the
    main table. Each subnet has one instance, at address .10 (``db-server`` is 10.0.3.10,
    ``partner-server`` 10.1.1.10)."""
    cloud = Cloud(seed=0)
    lab = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(lab, "10.0.1.0/24", az="us-east-1a", name="public")
    app = cloud.add_private_subnet(lab, "10.0.2.0/24", az="us-east-1a", name="app", nat_in=public)
    db = cloud.create_subnet(lab, "10.0.3.0/24", az="us-east-1a", name="db")
    web_sg = cloud.allow(cloud.create_security_group(lab, "lab-sg"), 443)
    for subnet in (public, app, db):  # each instance at .10 of its subnet
        tenth = str(ipaddress.IPv4Network(subnet.cidr)[10])
        cloud.run_instances(subnet, 1, f"{subnet.name}-server", [web_sg], private_ip=tenth)
    partner = cloud.create_vpc("10.1.0.0/16", name="partner")
    partner_app = cloud.add_private_subnet(partner, "10.1.1.0/24", az="us-east-1a", name="partner-app")
    partner_sg = cloud.allow(cloud.create_security_group(partner, "partner-sg"), 443, source="10.0.0.0/16")
    cloud.run_instances(partner_app, 1, "partner-server", [partner_sg], private_ip="10.1.1.10")
    pcx = cloud.create_vpc_peering_connection(lab, partner, name="lab-partner")
    cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route("app-rt", "10.1.0.0/16", pcx)
    cloud.create_route("partner-app-rt", "10.0.0.0/16", pcx)
    shared = cloud.create_vpc("10.2.0.0/16", name="shared")
    cloud.create_route("app-rt", "10.2.0.0/16", cloud.create_vpc_peering_connection(lab, shared, name="lab-shared"))
    vgw = cloud.attach_vpn_gateway(cloud.create_vpn_gateway(name="lab-vgw"), lab)
    vpn = cloud.create_vpn_connection(cloud.create_customer_gateway("203.0.113.10", name="office"),
                                      vpn_gateway=vgw, name="office-vpn")
    for prefix in ("10.1.0.0/16", "10.1.9.0/24", "192.168.0.0/16"):
        cloud.create_vpn_connection_route(vpn, prefix)
    cloud.enable_vgw_route_propagation("app-rt", vgw)
    return cloud


def _subnet(cloud: Cloud, ref: object) -> Subnet:
    subnets = cloud._all(Subnet)
    key = ref.id if isinstance(ref, Subnet) else ref
    found = next((s for s in subnets if key in (s.id, s.name)), None)
    if found is None:
        raise NotFound("InvalidSubnetID.NotFound", message("routing.widget.no_subnet", subnet=ref),
                       fix=message("routing.widget.no_subnet_fix",
                                   known=", ".join(s.name or s.id for s in subnets)))
    return found


def route_view(cloud: Cloud, subnet: object, destination: str) -> str:
    """What the explorer shows: the subnet's route table judged for ``destination``, the
    chosen route and why, and the path of a connection drawn on the topology (HTML)."""

    def render() -> str:
        record = _subnet(cloud, subnet)
        choice = cloud.explain_route(record, destination)
        table = cloud.route_table_for(record)
        name = record.name or record.id
        block = parse(record.cidr)
        which = "routing.widget.table_main" if table.is_main else "routing.widget.table_explicit"
        lines = [message(which, table=table.label),
                 message("routing.widget.router", router=block.router, cidr=record.cidr),
                 message(f"routing.subnet_kind.{cloud.subnet_kind(record)}")]
        heading = message("routing.widget.heading", subnet=name, cidr=record.cidr, address=choice.address)
        parts = [f"<h4>{html.escape(heading)}</h4>", "".join(f"<div>{html.escape(line)}</div>" for line in lines),
                 choice._html_()]
        chosen = choice.chosen
        if chosen is not None:
            winner = message("routing.widget.winner", destination=chosen.route.destination, target=chosen.route.target)
            parts.append(f'<p class="vpclab-route-winner"><b>✓ {html.escape(winner)}</b> · '
                         f"{html.escape(chosen.reason)}</p>")
            if chosen.route.state == "blackhole":
                parts.append(f'<p style="color:#cf222e">✗ {html.escape(message("routing.widget.blackhole"))}</p>')
        source = sorted((i for i in cloud._all(Instance) if i.subnet_id == record.id), key=lambda i: i.name or i.id)
        if not source:
            parts.append(f"<p>{html.escape(message('routing.widget.no_instance', subnet=name))}</p>")
            return "".join(parts)
        trace = cloud.trace(source[0], choice.address, "tcp", 443)
        parts.append(f"<p>{html.escape(message('routing.widget.path', source=source[0].name or source[0].id))}</p>")
        parts.append(f"<div><b>{'✓' if trace.reachable else '✗'} {html.escape(trace._headline())}</b></div>")
        parts += [f'<div style="color:#cf222e">✗ <b>{html.escape(e.code)}</b>: {html.escape(e.message)}</div>'
                  for e in trace.explanations]
        parts.append(picture(topology(cloud, trace)))
        return "".join(parts)

    return shown(render)


def route_explorer(cloud: Cloud | None = None, subnet: object | None = None, destination: str = "8.8.8.8") -> Any:
    """A subnet dropdown and a destination box above the judged route table and the path.
    Without ``cloud`` it explores :func:`lesson_world`, starting on its subnet ``app``."""
    world = cloud if cloud is not None else lesson_world()
    subnets = world._all(Subnet)
    start = _subnet(world, subnet if subnet is not None else ("app" if cloud is None else subnets[0].id))
    menu = widgets.Dropdown(options=[(f"{s.name or s.id} · {s.cidr}", s.id) for s in subnets], value=start.id,
                            description=message("routing.widget.subnet"))
    box = widgets.Text(value=destination, description=message("routing.widget.destination"))
    view = widgets.HTML(value=route_view(world, start.id, destination))

    def update(_change: object = None) -> None:
        view.value = route_view(world, menu.value, box.value)

    menu.observe(update, names="value")
    box.observe(update, names="value")
    return panel("route_explorer", [menu, box], view)
