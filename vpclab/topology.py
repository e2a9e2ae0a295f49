"""The topology of a Cloud as a graphviz picture, with a trace drawn on top.

VPCs hold Availability Zones, which hold subnets, which hold instances, network interfaces
and NAT gateways (nested clusters). Internet gateways, virtual private gateways, transit
gateways, endpoints, the internet and on-premises networks are nodes outside; peering
connections are edges between VPCs, VPN connections and Direct Connect virtual interfaces
edges to on-premises. A trace is drawn as numbered green edges along the path,
and its first blocker as a red node marked ✗ with the rule named, so the picture reads
without colour too (✓ / ✗, dashed lines).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

import graphviz

from vpclab.i18n import message
from vpclab.render import Diagram
from vpclab.resources import (
    CustomerGateway,
    DirectConnectVif,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkInterface,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from vpclab.trace import Trace

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["topology"]

_PASS, _BLOCK, _PLAIN = "#1a7f37", "#cf222e", "#57606a"
_FILL = {"vpc": "#f6f8fa", "az": "#ffffff", "subnet": "#ddf4ff"}
INTERNET, ON_PREMISES = "internet", "on-premises"


def _label(*lines: str) -> str:
    """An HTML-like graphviz label: first line bold, the rest small."""
    head, *rest = (html.escape(line) for line in lines)
    tail = "".join(f'<BR/><FONT POINT-SIZE="9">{line}</FONT>' for line in rest)
    return f"<<B>{head}</B>{tail}>"


def topology(cloud: Cloud, trace: Trace | None = None, *, vpcs: Iterable[str] | None = None) -> Diagram:
    """The picture of ``cloud`` (all VPCs, or those named in ``vpcs``), with ``trace`` on top."""
    chosen = [cloud._ref(v, Vpc) for v in vpcs] if vpcs is not None else cloud._all(Vpc)
    graph = graphviz.Digraph("topology", graph_attr={"compound": "true", "rankdir": "LR", "fontname": "Helvetica",
                                                     "nodesep": "0.25", "ranksep": "0.6"},
                             node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "white",
                                        "fontname": "Helvetica", "fontsize": "10"})
    outline: list[str] = []
    nodes: set[str] = set()
    for vpc in chosen:
        _draw_vpc(cloud, graph, vpc, nodes, outline)
    _draw_outside(cloud, graph, {v.id for v in chosen}, nodes, outline)
    if trace is not None:
        outline += _draw_trace(cloud, graph, trace, nodes)
    return Diagram(graph.source, "\n".join(outline))


def _draw_vpc(cloud: Cloud, graph: graphviz.Digraph, vpc: Vpc, nodes: set[str], outline: list[str]) -> None:
    outline.append(f"VPC {vpc.label} {', '.join(vpc.cidr_blocks)}")
    with graph.subgraph(name=f"cluster_{vpc.id}") as box:
        box.attr(label=f"VPC {vpc.name or vpc.id}\n{', '.join(vpc.cidr_blocks)}", style="rounded,filled",
                 fillcolor=_FILL["vpc"], color=_PLAIN)
        box.node(vpc.id, label="VPC router", shape="circle", fontsize="8", width="0.3")  # anchor for edges
        nodes.add(vpc.id)
        subnets = cloud.subnets(vpc)
        firsts: list[str] = []  # one node per AZ, to lay the AZs out side by side
        for zone in sorted({s.az for s in subnets}):
            with box.subgraph(name=f"cluster_{vpc.id}_{zone}") as az:
                az.attr(label=zone, style="dashed", color=_PLAIN, fillcolor=_FILL["az"])
                drawn = [_draw_subnet(cloud, az, subnet, nodes, outline) for subnet in subnets if subnet.az == zone]
                firsts.append(drawn[0])
        for one, other in pairwise(firsts):
            box.edge(one, other, style="invis", weight="10")


def _draw_subnet(cloud: Cloud, graph: graphviz.Digraph, subnet: Subnet, nodes: set[str],
                 outline: list[str]) -> str:
    """Draws the subnet's cluster; returns the id of its first node."""
    table = cloud.route_table_for(subnet)
    acl = cloud.network_acl_for(subnet)
    outline.append(f"  subnet {subnet.label} {subnet.cidr} ({subnet.az}) {table.id} {acl.id}")
    with graph.subgraph(name=f"cluster_{subnet.id}") as box:
        box.attr(label=f"{subnet.name or subnet.id}\n{subnet.cidr}\n{table.name or table.id} · {acl.name or acl.id}",
                 style="rounded,filled", fillcolor=_FILL["subnet"], color=_PLAIN, fontsize="9")
        enis = [e for e in cloud._all(NetworkInterface) if e.subnet_id == subnet.id]
        if not enis:
            box.node(f"{subnet.id}-empty", label="(empty)", shape="plaintext", fillcolor="none")
        for eni in enis:
            box.node(eni.id, label=_eni_label(cloud, eni), shape=_eni_shape(eni))
            nodes.add(eni.id)
            outline.append(f"    {_eni_label_text(cloud, eni)}")
    return enis[0].id if enis else f"{subnet.id}-empty"


def _eni_shape(eni: NetworkInterface) -> str:
    return {"nat_gateway": "octagon", "vpc_endpoint": "cds", "transit_gateway": "point"}.get(eni.interface_type, "box")


def _eni_parts(cloud: Cloud, eni: NetworkInterface) -> tuple[str, str]:
    """What to call an interface, and its addresses."""
    if eni.interface_type == "nat_gateway":
        nat = next((n for n in cloud._all(NatGateway) if n.eni_id == eni.id), None)
        title = f"NAT gateway {nat.name or nat.id}" if nat else "NAT gateway"
    elif eni.interface_type == "vpc_endpoint":
        title = "interface endpoint"
    elif eni.instance_id and eni.instance_id in cloud._items:
        instance = cloud._ref(eni.instance_id, Instance)
        title = instance.name or instance.id
    else:
        title = eni.name or eni.id
    return title, eni.private_ip + (f" / {eni.public_ip}" if eni.public_ip else "")


def _eni_label_text(cloud: Cloud, eni: NetworkInterface) -> str:
    return " ".join(_eni_parts(cloud, eni))


def _eni_label(cloud: Cloud, eni: NetworkInterface) -> str:
    return _label(*_eni_parts(cloud, eni))


def _draw_outside(cloud: Cloud, graph: graphviz.Digraph, shown: set[str], nodes: set[str],
                  outline: list[str]) -> None:
    igws = [g for g in cloud._all(InternetGateway) if g.vpc_id in shown]
    if igws:
        graph.node(INTERNET, label=_label("internet"), shape="ellipse", fillcolor="#fff8c5")
        nodes.add(INTERNET)
    for igw in igws:
        graph.node(igw.id, label=_label("internet gateway", igw.name or igw.id), shape="house")
        graph.edge(igw.vpc_id or "", igw.id, arrowhead="none", color=_PLAIN)
        graph.edge(igw.id, INTERNET, arrowhead="none", color=_PLAIN)
        nodes.add(igw.id)
        outline.append(f"internet gateway {igw.label} ↔ {igw.vpc_id} ↔ internet")
    for pcx in cloud._all(VpcPeeringConnection):
        if pcx.requester_vpc_id in shown and pcx.accepter_vpc_id in shown and pcx.status in (
                "active", "pending-acceptance"):
            graph.edge(pcx.requester_vpc_id, pcx.accepter_vpc_id, label=f"{pcx.id}\n{pcx.status}", dir="both",
                       style="solid" if pcx.status == "active" else "dashed", color=_PLAIN, fontsize="8")
            outline.append(f"peering {pcx.label} {pcx.requester_vpc_id} ↔ {pcx.accepter_vpc_id} ({pcx.status})")
    for endpoint in cloud._all(VpcEndpoint):
        if endpoint.vpc_id in shown and endpoint.endpoint_type == "Gateway":
            graph.node(endpoint.id, label=_label("gateway endpoint", endpoint.service_name), shape="cds")
            graph.edge(endpoint.vpc_id, endpoint.id, arrowhead="none", color=_PLAIN)
            nodes.add(endpoint.id)
            outline.append(f"gateway endpoint {endpoint.label} {endpoint.service_name}")
    for tgw in cloud._all(TransitGateway):
        links = [a for a in cloud._all(TransitGatewayAttachment) if a.transit_gateway_id == tgw.id]
        if not any(a.resource_id in shown for a in links):
            continue
        graph.node(tgw.id, label=_label("transit gateway", tgw.name or tgw.id), shape="doublecircle")
        nodes.add(tgw.id)
        for link in links:
            if link.resource_type == "vpc" and link.resource_id in shown:
                graph.edge(link.resource_id, tgw.id, label=link.id, arrowhead="none", color=_PLAIN, fontsize="8")
        outline.append(f"transit gateway {tgw.label}: {len(links)} attachment(s)")
    vpns = [v for v in cloud._all(VpnConnection)]
    if vpns or any(True for _ in cloud._all(VpnGateway)):
        graph.node(ON_PREMISES, label=_label("on-premises"), shape="folder", fillcolor="#fbefff")
        nodes.add(ON_PREMISES)
    for vgw in cloud._all(VpnGateway):
        if vgw.vpc_id in shown:
            graph.node(vgw.id, label=_label("virtual private gateway", vgw.name or vgw.id), shape="house")
            graph.edge(vgw.vpc_id or "", vgw.id, arrowhead="none", color=_PLAIN)
            nodes.add(vgw.id)
    for vpn in vpns:
        side = vpn.vpn_gateway_id or vpn.transit_gateway_id or ""
        if side in nodes:
            customer = cloud._items.get(vpn.customer_gateway_id)
            tunnels = "/".join(vpn.tunnels)
            where = customer.ip_address if isinstance(customer, CustomerGateway) else vpn.customer_gateway_id
            graph.edge(side, ON_PREMISES, label=f"{vpn.id}\n{tunnels}\n{where}", arrowhead="none",
                       style="solid" if "UP" in vpn.tunnels else "dashed", color=_PLAIN, fontsize="8")
            outline.append(f"VPN {vpn.label} {side} ↔ on-premises ({tunnels})")
    for vif in cloud._all(DirectConnectVif):
        if vif.vpn_gateway_id in nodes:
            graph.edge(vif.vpn_gateway_id, ON_PREMISES, label=f"{vif.id}\nDirect Connect", arrowhead="none",
                       style="bold", color=_PLAIN, fontsize="8")
            outline.append(f"Direct Connect {vif.label} {vif.vpn_gateway_id} ↔ on-premises")


def _draw_trace(cloud: Cloud, graph: graphviz.Digraph, trace: Trace, nodes: set[str]) -> list[str]:
    """Numbered ✓ edges along the path; the first blocker as a red ✗ node."""
    opening = trace.forward[0].type if trace.forward else ""
    outside = "on-premises" if opening in ("customer-gateway", "direct-connect") else "internet"
    start = _node_of(cloud, trace.source, outside if trace.source[:1].isdigit() else "", nodes)
    path: list[str] = [start] if start else []
    for hop in trace.forward:
        node = _node_of(cloud, hop.component, hop.type, nodes)
        if node and (not path or path[-1] != node):
            path.append(node)
    lines = [message("topology.trace", verdict="✓" if trace.reachable else "✗", source=trace.source,
                     destination=trace.destination)]
    for step, (one, other) in enumerate(pairwise(path), start=1):
        graph.edge(one, other, label=f"✓ {step}", color=_PASS, fontcolor=_PASS, penwidth="2.5", constraint="false")
        lines.append(f"  ✓ {step}: {one} → {other}")
    if trace.explanations:
        first = trace.explanations[0]
        note = f"{first.code}\n{first.component or ''}\n{first.direction}"
        graph.node("blocker", label=f"✗ {note}", shape="note", fillcolor="#ffebe9", color=_BLOCK, fontcolor=_BLOCK)
        graph.edge(path[-1] if path else "blocker", "blocker", style="dashed", color=_BLOCK, penwidth="2",
                   constraint="false")
        lines.append(f"  ✗ {first.code} at {first.component} ({first.direction}): {first.message}")
    return lines


def _node_of(cloud: Cloud, component: str, kind: str, nodes: set[str]) -> str | None:
    """The picture's node for a hop, if it has one (a security group or NACL hop has none)."""
    if component in nodes:
        return component
    if kind == "internet":
        return INTERNET if INTERNET in nodes else None
    if kind in ("on-premises", "customer-gateway", "direct-connect"):  # hops that stand for the on-premises side
        return ON_PREMISES if ON_PREMISES in nodes else None
    item = cloud._items.get(component)
    if isinstance(item, NatGateway) and item.eni_id in nodes:
        return item.eni_id
    if isinstance(item, Instance) and item.eni_id in nodes:
        return item.eni_id
    if kind == "transit-gateway-attachment" and isinstance(item, TransitGatewayAttachment):
        return item.transit_gateway_id if item.transit_gateway_id in nodes else None
    vpc_id = getattr(item, "vpc_id", None)
    if kind == "route-table" and isinstance(vpc_id, str):
        return vpc_id if vpc_id in nodes else None
    return None
