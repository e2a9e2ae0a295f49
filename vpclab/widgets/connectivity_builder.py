"""The connectivity builder: three VPCs and an on-premises network; switch peerings, a
transit gateway and a Site-to-Site VPN on and off, and trace a connection across them.

``connectivity_world(...)`` builds the networks with the engine's operations (the same
calls a learner makes in lesson 08); ``connectivity_view(...)`` shows what was built, the
topology picture with the trace drawn on it, and the verdict with the blocker named
(:meth:`vpclab.cloud.Cloud.trace`, :func:`vpclab.topology.topology`). The widget is a thin
shell over these two; an error is shown inside it, never raised.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.errors import Conflict, InvalidValue
from vpclab.i18n import message
from vpclab.resources import TransitGateway, Vpc, VpcPeeringConnection, VpnConnection
from vpclab.topology import topology
from vpclab.widgets.shell import error_html, panel, picture, shown

__all__ = [
    "BLOCKS",
    "ENDS",
    "OFFICE_HOST",
    "ON_PREMISES",
    "connectivity_builder",
    "connectivity_view",
    "connectivity_world",
]

BLOCKS = ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16")  # the /16 blocks of VPCs A, B and C
ON_PREMISES = "192.168.0.0/16"
OFFICE_HOST = "192.168.10.5"
OFFICE_ROUTER = "203.0.113.10"  # the customer gateway's public address (a documentation range)
ENDS = ("a-server", "b-server", "c-server", OFFICE_HOST)
SSH = 22
_WARNING = '<div class="vpclab-warning" style="color:#9a6700">⚠ {}</div>'
# Long lines wrap, and the picture shrinks to the width of the cell instead of widening the view.
_BOX = ('<style>.vpclab-connectivity-builder .vpclab-view svg {{max-width:100%;height:auto}}</style>'
        '<div style="white-space:normal;max-width:100%">{}</div>')


def _table(site: str) -> str:
    return f"{site.lower()}-app-rt"


def _sites(blocks: tuple[str, str, str], overlap: bool) -> dict[str, tuple[str, str, str]]:
    """Site name → (VPC block, app subnet: the block's second /24, transit gateway attachment
    subnet: the first /28 of its last /24). With ``overlap``, C takes B's block (other subnets)."""
    sites = {}
    for site, block in zip("ABC", blocks, strict=True):
        slash24 = parse(block).subnets(24)
        sites[site] = (block, str(slash24[1]), str(slash24[-1].subnets(28)[0]))
    if overlap:
        slash24 = parse(blocks[1]).subnets(24)
        sites["C"] = (blocks[1], str(slash24[2]), str(slash24[-2].subnets(28)[0]))
    return sites


def connectivity_world(*, peer_ab: bool = False, peer_bc: bool = False, via_b: bool = False,
                       transit: bool = False, vpn: bool = False, overlap: bool = False,
                       blocks: tuple[str, str, str] = BLOCKS) -> Cloud:
    """VPCs A, B and C (a server each; ``blocks``: their /16 blocks, inside 10.0.0.0/8) and what
    is switched on between them and on-premises.

    A peering is requested, accepted and given a route to the peer on both sides; a request
    between overlapping VPCs fails, as in AWS, and gets no routes. ``via_b`` sends A's
    traffic for C into the A–B peering (and C's for A into B–C). ``transit`` attaches all
    three VPCs to a transit gateway (default association and propagation) through a /28
    subnet each. ``vpn`` adds a BGP Site-to-Site VPN to 192.168.0.0/16: on the transit
    gateway if there is one, else on a virtual private gateway of VPC A.
    """
    cloud = Cloud(seed=0)
    sites = _sites(blocks, overlap)
    for site, (block, app, _) in sites.items():
        vpc = cloud.create_vpc(block, name=site)
        subnet = cloud.add_private_subnet(vpc, app, az="a", name=f"{site.lower()}-app")
        group = cloud.create_security_group(vpc, f"{site.lower()}-sg")
        cloud.allow(group, SSH, source="10.0.0.0/8")
        cloud.allow(group, SSH, source=ON_PREMISES)
        cloud.launch(subnet, f"{site.lower()}-server", group)

    def peer(one: str, other: str) -> VpcPeeringConnection:
        pcx = cloud.create_vpc_peering_connection(one, other, name=f"{one}-{other}")
        if pcx.status == "failed":
            return pcx
        pcx = cloud.accept_vpc_peering_connection(pcx)
        cloud.create_route(_table(one), sites[other][0], pcx)
        cloud.create_route(_table(other), sites[one][0], pcx)
        return pcx

    ab = peer("A", "B") if peer_ab else None
    bc = peer("B", "C") if peer_bc else None
    if via_b and ab is not None and bc is not None and ab.status == bc.status == "active":
        cloud.create_route(_table("A"), sites["C"][0], ab)
        cloud.create_route(_table("C"), sites["A"][0], bc)
    hub = None
    if transit:
        hub = cloud.create_transit_gateway(name="hub")
        for site, (_, _, attach) in sites.items():
            subnet = cloud.create_subnet(site, attach, az="a", name=f"{site.lower()}-tgw")
            cloud.create_transit_gateway_vpc_attachment(hub, site, [subnet], name=f"{site.lower()}-attach")
            cloud.create_route(_table(site), "10.0.0.0/8", hub)
    if vpn:
        router = cloud.create_customer_gateway(OFFICE_ROUTER, bgp_asn=65000, name="office-router")
        if hub is not None:
            link = cloud.create_vpn_connection(router, transit_gateway=hub, static_routes_only=False,
                                               name="office-vpn")
            for site in sites:
                cloud.create_route(_table(site), ON_PREMISES, hub)
        else:
            vgw = cloud.create_vpn_gateway(name="a-vgw")
            cloud.attach_vpn_gateway(vgw, "A")
            link = cloud.create_vpn_connection(router, vpn_gateway=vgw, static_routes_only=False,
                                               name="office-vpn")
            cloud.enable_vgw_route_propagation(_table("A"), vgw)
        cloud.advertise_bgp_routes(link, [ON_PREMISES])
    return cloud


def _built(cloud: Cloud, via_b: bool) -> tuple[list[str], list[str]]:
    """What the world holds, in sentences; and the problems to show (failed peerings)."""
    blocks = {site: cloud._ref(site, Vpc).cidr for site in "ABC"}
    lines = [message("connect.built.vpcs", a=blocks["A"], b=blocks["B"], c=blocks["C"])]
    problems = []
    peerings = cloud._all(VpcPeeringConnection)
    for pcx in peerings:
        lines.append(message("connect.built.peering", name=pcx.name, pcx=pcx.id, status=pcx.status))
        if pcx.status == "failed":
            problems.append(error_html(Conflict(pcx.status, message("connect.peering_failed", name=pcx.name, pcx=pcx.id,
                                                                    reason=pcx.status_message),
                                                fix=message("connect.peering_failed_fix"))))
    active = [p for p in peerings if p.status == "active"]
    if via_b and len(active) == 2:
        lines.append(message("connect.built.via_b", a=blocks["A"], c=blocks["C"]))
    elif via_b:
        problems.append(_WARNING.format(html.escape(message("connect.via_b_needs"))))
    for tgw in cloud._all(TransitGateway):
        lines.append(message("connect.built.transit", tgw=tgw.id))
    for link in cloud._all(VpnConnection):
        tunnels = len(link.tunnels)
        if link.transit_gateway_id:
            lines.append(message("connect.built.vpn_tgw", vpn=link.id, tunnels=tunnels))
        else:
            lines.append(message("connect.built.vpn_vgw", vpn=link.id, tunnels=tunnels, vgw=link.vpn_gateway_id))
    if len(lines) == 1:
        lines.append(message("connect.built.nothing"))
    return lines, problems


def _end_name(end: str) -> str:
    return message(f"connect.end.{'on-premises' if end == OFFICE_HOST else end}")


def _check_ends(source: str, destination: str) -> None:
    for end in (source, destination):
        if end not in ENDS:
            raise InvalidValue("InvalidParameterValue", message("connect.unknown_end", end=end),
                               fix=message("connect.unknown_end_fix", known=", ".join(ENDS)))
    if source == destination:
        raise InvalidValue("InvalidParameterValue", message("connect.same_ends", end=_end_name(source)),
                           fix=message("connect.same_ends_fix"))


def connectivity_view(*, peer_ab: bool = False, peer_bc: bool = False, via_b: bool = False,
                      transit: bool = False, vpn: bool = False, overlap: bool = False,
                      source: str = "a-server", destination: str = "c-server", trace: bool = True) -> str:
    """What the builder shows: HTML (what is built, the picture, the verdict), or an error."""

    def render() -> str:
        _check_ends(source, destination)
        cloud = connectivity_world(peer_ab=peer_ab, peer_bc=peer_bc, via_b=via_b, transit=transit, vpn=vpn,
                                   overlap=overlap)
        lines, problems = _built(cloud, via_b)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines[1:])
        parts = [*problems, f"<div><b>{html.escape(message('connect.built'))}</b>: {html.escape(lines[0])}"
                            f"<ul>{items}</ul></div>"]
        if not trace:
            parts.append(f"<p><i>{html.escape(message('connect.press_trace'))}</i></p>")
            parts.append(picture(topology(cloud)))
            return _BOX.format("".join(parts))
        if source == OFFICE_HOST and not vpn:
            parts.append(_WARNING.format(html.escape(message("connect.not_connected"))))
            parts.append(picture(topology(cloud)))
            return _BOX.format("".join(parts))
        result = cloud.trace(source, destination, "tcp", SSH)
        names = {"source": _end_name(source), "destination": _end_name(destination)}
        if result.blocker is None:
            verdict = f'<p style="color:#1a7f37"><b>{html.escape(message("connect.verdict_ok", **names))}</b></p>'
        else:
            first = result.blocker
            head = message("connect.verdict_blocked", **names, code=first.code, component=first.component or "—",
                           direction=first.direction)
            verdict = (f'<p style="color:#cf222e"><b>{html.escape(head)}</b><br>'
                       f"{html.escape(first.message)}</p>")
        parts += [verdict, picture(topology(cloud, result)),
                  f"<details><summary>{html.escape(message('connect.hops'))}</summary>{result._html_()}</details>"]
        return _BOX.format("".join(parts))

    return shown(render)


def connectivity_builder(source: str = "a-server", destination: str = "c-server") -> Any:
    """Toggles for peerings, a transit gateway and a VPN; two ends and a trace button."""
    switches = {key: widgets.ToggleButton(value=False, description=message(f"connect.{key}"),
                                          tooltip=message(f"connect.{key}_tip"), layout=widgets.Layout(width="auto"))
                for key in ("peer_ab", "peer_bc", "via_b", "transit", "vpn", "overlap")}
    options = [(_end_name(end), end) for end in ENDS]
    start = widgets.Dropdown(options=options, value=source, description=message("connect.source"))
    end = widgets.Dropdown(options=options, value=destination, description=message("connect.destination"))
    button = widgets.Button(description=message("connect.trace"), button_style="primary")
    traced = {"on": False}  # once traced, every change traces again
    view = widgets.HTML()

    def update(_change: object = None) -> None:
        view.value = connectivity_view(**{key: toggle.value for key, toggle in switches.items()},
                                       source=start.value, destination=end.value, trace=traced["on"])

    def trace(_button: object = None) -> None:
        traced["on"] = True
        update()

    for control in (*switches.values(), start, end):
        control.observe(update, names="value")
    button.on_click(trace)
    update()
    rows = [widgets.HBox(list(switches.values()), layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([start, end, button], layout=widgets.Layout(flex_flow="row wrap"))]
    return panel("connectivity_builder", rows, view, vertical=True)
