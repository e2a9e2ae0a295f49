"""Site-to-Site VPN and Direct Connect: gateways, tunnels, static and BGP routes, route propagation,
route priority, on-premises hosts in traces, and a VPN on a transit gateway.

Written from aws-vpc-facts.md §4 (route selection, route propagation), §11 (Site-to-Site VPN,
Direct Connect, transit gateway route priority) and DESIGN.md §3 (on-premises sources and
destinations, hop types, explanation codes), against the issue-4 engine API contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud, InvalidValue, VpcLabError

ON_PREMISES = "192.168.0.0/16"
OFFICE_HOST = "192.168.10.5"
OFFICE_ROUTER = "198.51.100.10"
SECOND_ROUTER = "198.51.100.20"


@dataclass(frozen=True)
class Office:
    """A VPC (app and db subnets, each with its own route table) linked to an office by a static VPN
    on a virtual private gateway; the app route table may learn the office's routes by propagation."""

    cloud: Cloud
    vpc: Any
    app: Any
    db: Any
    app_rt: Any
    sg: Any
    server: Any
    db_host: Any
    vgw: Any
    cgw: Any
    vpn: Any


def build_office(cloud: Cloud, *, propagate: bool = True, static: bool = True) -> Office:
    vpc = cloud.create_vpc("10.0.0.0/16", name="corp")
    app = cloud.add_private_subnet(vpc, "10.0.1.0/24", az="a", name="app")
    db = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="db")
    group = cloud.create_security_group(vpc, "server-sg")
    cloud.allow(group, 22, source=ON_PREMISES)
    cloud.allow(group, 22, source="10.0.0.0/16")
    server = cloud.launch(app, "server", group)
    db_host = cloud.launch(db, "db-host", group)
    vgw = cloud.create_vpn_gateway(name="corp-vgw")
    cloud.attach_vpn_gateway(vgw, vpc)
    cgw = cloud.create_customer_gateway(OFFICE_ROUTER, bgp_asn=65000, name="office-router")
    vpn = cloud.create_vpn_connection(cgw, vpn_gateway=vgw, static_routes_only=True, name="office-vpn")
    if static:
        cloud.create_vpn_connection_route(vpn, ON_PREMISES)
    app_rt = cloud.route_table_for(app)
    if propagate:
        cloud.enable_vgw_route_propagation(app_rt, vgw)
    return Office(cloud, vpc, app, db, app_rt, group, server, db_host, cloud.get(vgw.id), cgw, vpn)


@pytest.fixture
def office() -> Office:
    return build_office(Cloud(seed=1))


def blocker(trace: Any) -> tuple[str, str | None, str]:
    assert not trace.reachable
    first = trace.explanations[0]
    return first.code, first.component, first.direction


def types(hops: Any) -> list[str]:
    return [hop.type for hop in hops]


def in_order(hops: Any, expected: list[str]) -> bool:
    """Are the ``expected`` hop types all there, in this order (other hops in between allowed)?"""
    remaining = iter(types(hops))
    return all(kind in remaining for kind in expected)


def cidrs(items: Any) -> set[str]:
    """VPN routes as CIDR strings (the contract shows tuples; elements may be strings or records)."""
    found = set()
    for item in items:
        if isinstance(item, str):
            found.add(item)
        else:
            found.add(next(getattr(item, name) for name in ("destination", "cidr", "destination_cidr_block")
                           if hasattr(item, name)))
    return found


def propagated(cloud: Cloud, table: Any) -> list[tuple[str, str]]:
    return [(r.destination, r.target) for r in cloud.route_table(table).routes
            if r.origin == "EnableVgwRoutePropagation"]


def vpn_attachment(cloud: Cloud, vpn: Any) -> Any:
    """The TGW attachment a VPN on a transit gateway made (resource_type "vpn"). The contract does not
    name a lookup: AWS's VpnConnection carries TransitGatewayAttachmentId; else look for it."""
    attachment_id = getattr(cloud.get(vpn.id), "transit_gateway_attachment_id", None)
    if attachment_id:
        return cloud.get(attachment_id)
    return next(item for item in cloud._items.values()
                if getattr(item, "resource_type", None) == "vpn" and getattr(item, "resource_id", None) == vpn.id)


# --- the gateways (§11) ------------------------------------------------------------------------------

def test_a_virtual_private_gateway_attaches_to_one_vpc(office: Office) -> None:
    cloud = office.cloud
    assert office.vgw.id.startswith("vgw-")
    assert office.vgw.vpc_id == office.vpc.id
    fresh = cloud.create_vpn_gateway(name="spare")
    assert fresh.vpc_id is None
    with pytest.raises(VpcLabError):
        cloud.attach_vpn_gateway(fresh, office.vpc)  # the VPC already has one
    assert cloud.get(fresh.id).vpc_id is None


def test_the_default_amazon_side_asn_is_64512(office: Office) -> None:
    assert office.vgw.amazon_side_asn == 64512


def test_a_customer_gateway_describes_the_office_device(office: Office) -> None:
    assert office.cgw.id.startswith("cgw-")


@pytest.mark.parametrize("asn", [0, 2_147_483_648])
def test_a_customer_gateway_asn_must_be_between_1_and_2147483647(office: Office, asn: int) -> None:
    with pytest.raises(InvalidValue):
        office.cloud.create_customer_gateway(SECOND_ROUTER, bgp_asn=asn)


def test_the_largest_customer_gateway_asn_is_accepted(office: Office) -> None:
    assert office.cloud.create_customer_gateway(SECOND_ROUTER, bgp_asn=2_147_483_647).id.startswith("cgw-")


def test_a_vpn_connection_has_two_tunnels_both_up(office: Office) -> None:
    # §11: every VPN connection has two tunnels.
    assert office.vpn.id.startswith("vpn-")
    assert tuple(office.cloud.get(office.vpn.id).tunnels) == ("UP", "UP")


# --- tunnels -----------------------------------------------------------------------------------------

def test_the_server_reaches_the_office_through_the_vpn(office: Office) -> None:
    trace = office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443)
    assert trace.reachable and trace.explanations == ()
    assert in_order(trace.forward, ["vpn-gateway", "vpn-connection"])
    assert any(hop.type == "vpn-connection" and hop.component == office.vpn.id for hop in trace.forward)
    assert (trace.forward[-1].type, trace.forward[-1].action) == ("on-premises", "deliver")
    assert trace.to_dict()["destination"] == OFFICE_HOST


@pytest.mark.parametrize("tunnel", [0, 1])
def test_one_tunnel_down_still_carries_traffic(office: Office, tunnel: int) -> None:
    # §11: AWS recommends both tunnels because maintenance can take one down.
    office.cloud.set_vpn_tunnel_state(office.vpn, tunnel, "DOWN")
    assert office.cloud.get(office.vpn.id).tunnels[tunnel] == "DOWN"
    assert office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443).reachable


def test_both_tunnels_down_is_a_bad_state_vpn(office: Office) -> None:
    for tunnel in (0, 1):
        office.cloud.set_vpn_tunnel_state(office.vpn, tunnel, "DOWN")
    trace = office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443)
    assert blocker(trace) == ("BAD_STATE_VPN", office.vpn.id, "forward")
    assert blocker(office.cloud.trace(OFFICE_HOST, office.server, "tcp", 22))[0] == "BAD_STATE_VPN"
    office.cloud.set_vpn_tunnel_state(office.vpn, 1, "UP")
    assert office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443).reachable


# --- static routes and BGP (§11) ---------------------------------------------------------------------

def test_a_static_vpn_holds_the_prefixes_you_enter(office: Office) -> None:
    assert cidrs(office.cloud.get(office.vpn.id).routes) == {ON_PREMISES}


def test_bgp_advertisements_are_only_for_a_dynamic_vpn(office: Office) -> None:
    with pytest.raises(VpcLabError):
        office.cloud.advertise_bgp_routes(office.vpn, ["172.16.0.0/12"])


def test_a_dynamic_vpn_learns_what_the_customer_gateway_advertises(office: Office) -> None:
    cloud = office.cloud
    second = cloud.create_customer_gateway(SECOND_ROUTER, bgp_asn=65001, name="branch-router")
    vpn = cloud.create_vpn_connection(second, vpn_gateway=office.vgw, static_routes_only=False, name="branch")
    cloud.advertise_bgp_routes(vpn, ["172.16.0.0/16"])
    assert cidrs(cloud.get(vpn.id).bgp_routes) == {"172.16.0.0/16"}
    assert ("172.16.0.0/16", office.vgw.id) in propagated(cloud, office.app_rt)
    assert cloud.trace(office.server, "172.16.4.4", "tcp", 443).reachable


# --- route propagation into VPC route tables (§4, §11) -----------------------------------------------

def test_propagation_adds_the_vgw_routes_with_origin_enable_vgw_route_propagation(office: Office) -> None:
    assert propagated(office.cloud, office.app_rt) == [(ON_PREMISES, office.vgw.id)]
    table = office.cloud.route_table(office.app_rt)
    assert office.vgw.id in table.propagating_vgws


def test_propagation_is_per_route_table(office: Office) -> None:
    db_rt = office.cloud.route_table_for(office.db)
    assert propagated(office.cloud, db_rt) == []
    assert blocker(office.cloud.trace(office.db_host, OFFICE_HOST, "tcp", 443)) == \
        ("NO_ROUTE_TO_DESTINATION", db_rt.id, "forward")


def test_without_propagation_a_static_route_to_the_vgw_does_the_job() -> None:
    # §11: the VPC route table needs routes to the VGW, added by hand or through propagation.
    office = build_office(Cloud(seed=1), propagate=False)
    assert blocker(office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443)) == \
        ("NO_ROUTE_TO_DESTINATION", office.app_rt.id, "forward")
    office.cloud.create_route(office.app_rt, ON_PREMISES, office.vgw)
    assert office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443).reachable


def test_a_propagated_route_never_overrides_the_local_route(office: Office) -> None:
    # §4: propagated VPN/DX routes never override local, even if more specific.
    office.cloud.create_vpn_connection_route(office.vpn, "10.0.2.0/24")  # the office claims the db subnet
    decision = office.cloud.route_for(office.app, office.db_host.private_ip)
    assert decision.route.target == "local"
    trace = office.cloud.trace(office.server, office.db_host, "tcp", 22)
    assert trace.reachable
    assert not any(hop.type.startswith("vpn") for hop in trace.forward)


def test_a_static_route_beats_a_propagated_route_with_the_same_prefix(office: Office) -> None:
    # §4: same destination, static vs propagated: the static route wins (here: an ENI target).
    cloud = office.cloud
    inspector = cloud.launch(office.db, "inspector")
    cloud.modify_network_interface_attribute(inspector, source_dest_check=False)
    cloud.create_route(office.app_rt, ON_PREMISES, inspector)
    decision = cloud.route_for(office.app, OFFICE_HOST)
    assert (decision.route.target, decision.route.origin) == (inspector.eni_id, "CreateRoute")
    assert (ON_PREMISES, office.vgw.id) in propagated(cloud, office.app_rt)  # still there, just not chosen


def test_a_more_specific_propagated_route_beats_a_less_specific_static_one(office: Office) -> None:
    # §4: a more specific prefix always wins, whatever the route type.
    cloud = office.cloud
    inspector = cloud.launch(office.db, "inspector")
    cloud.create_route(office.app_rt, "192.0.0.0/8", inspector)
    assert cloud.route_for(office.app, OFFICE_HOST).route.target == office.vgw.id


# --- Direct Connect > static VPN > BGP VPN at the VGW (§11) -------------------------------------------

def priority_world(paths: tuple[str, ...]) -> tuple[Office, dict[str, str]]:
    """The office, with the same prefix reached over any of: Direct Connect, the static VPN, a BGP VPN."""
    office = build_office(Cloud(seed=1), static="static" in paths)
    cloud = office.cloud
    ids = {"static": office.vpn.id}
    if "bgp" in paths:
        second = cloud.create_customer_gateway(SECOND_ROUTER, bgp_asn=65001, name="bgp-router")
        bgp = cloud.create_vpn_connection(second, vpn_gateway=office.vgw, static_routes_only=False, name="bgp-vpn")
        cloud.advertise_bgp_routes(bgp, [ON_PREMISES])
        ids["bgp"] = bgp.id
    if "dx" in paths:
        ids["dx"] = cloud.create_direct_connect_virtual_interface(office.vgw, prefixes=[ON_PREMISES], name="dx").id
    return office, ids


def test_a_direct_connect_virtual_interface_is_a_private_vif_whose_prefixes_propagate(office: Office) -> None:
    vif = office.cloud.create_direct_connect_virtual_interface(office.vgw, prefixes=["172.20.0.0/16"], name="dx")
    assert vif.id.startswith("dxvif-")
    assert ("172.20.0.0/16", office.vgw.id) in propagated(office.cloud, office.app_rt)
    trace = office.cloud.trace(office.server, "172.20.1.1", "tcp", 443)
    assert trace.reachable
    assert any(hop.type == "direct-connect" and hop.component == vif.id for hop in trace.forward)


@pytest.mark.parametrize(("paths", "winner"), [
    (("dx", "static", "bgp"), "dx"),
    (("dx", "bgp"), "dx"),
    (("static", "bgp"), "static"),
    (("bgp",), "bgp"),
])
def test_the_vgw_prefers_direct_connect_then_static_vpn_then_bgp_vpn(paths: tuple[str, ...], winner: str) -> None:
    office, ids = priority_world(paths)
    trace = office.cloud.trace(office.server, OFFICE_HOST, "tcp", 443)
    assert trace.reachable
    used = {hop.component for hop in trace.forward if hop.type in ("direct-connect", "vpn-connection")}
    assert used == {ids[winner]}
    if winner == "dx":
        assert "vpn-connection" not in types(trace.forward)
    else:
        assert "direct-connect" not in types(trace.forward)


# --- on-premises hosts as sources and destinations (DESIGN §3) -----------------------------------------

def test_an_office_host_reaches_the_server_over_the_vpn(office: Office) -> None:
    trace = office.cloud.trace(OFFICE_HOST, office.server, "tcp", 22)
    assert trace.reachable and trace.explanations == ()
    assert trace.to_dict()["source"] == OFFICE_HOST
    assert in_order(trace.forward, ["vpn-connection", "vpn-gateway", "security-group"])
    assert (trace.forward[-1].type, trace.forward[-1].action) == ("eni", "deliver")
    assert in_order(trace.return_, ["vpn-gateway", "vpn-connection"])


def test_the_servers_security_group_still_applies_to_office_traffic(office: Office) -> None:
    trace = office.cloud.trace(OFFICE_HOST, office.server, "tcp", 3389)
    assert blocker(trace) == ("ENI_SG_RULES_MISMATCH", office.sg.id, "forward")


def test_the_subnets_network_acl_still_applies_to_office_traffic(office: Office) -> None:
    cloud = office.cloud
    acl = cloud.create_network_acl(office.vpc, name="app-acl")
    cloud.create_network_acl_entry(acl, 100, "tcp", "deny", ON_PREMISES, port=22)
    cloud.create_network_acl_entry(acl, 200, "all", "allow", "0.0.0.0/0")
    cloud.create_network_acl_entry(acl, 100, "all", "allow", "0.0.0.0/0", egress=True)
    cloud.replace_network_acl_association(office.app, acl)
    trace = cloud.trace(OFFICE_HOST, office.server, "tcp", 22)
    assert blocker(trace) == ("SUBNET_ACL_RESTRICTION", acl.id, "forward")
    assert trace.explanations[0].rule == 100
    assert cloud.trace(office.server, OFFICE_HOST, "tcp", 443).reachable


def test_the_reply_to_an_office_host_needs_a_route_back() -> None:
    office = build_office(Cloud(seed=1), propagate=False)
    trace = office.cloud.trace(OFFICE_HOST, office.server, "tcp", 22)
    assert blocker(trace) == ("NO_ROUTE_TO_DESTINATION", office.app_rt.id, "return")


def test_an_address_outside_every_vpn_prefix_is_a_host_on_the_internet(office: Office) -> None:
    # DESIGN §3: outside every VPC and every on-premises range is the internet; the server has no public IP.
    trace = office.cloud.trace("203.0.113.9", office.server, "tcp", 22)
    assert not trace.reachable
    assert trace.explanations[0].code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    assert not any(hop.type.startswith("vpn") for hop in trace.forward)


# --- a VPN on a transit gateway (§11) ----------------------------------------------------------------

@dataclass(frozen=True)
class Hub:
    cloud: Cloud
    tgw: Any
    vpc: Any
    app_rt: Any
    server: Any
    vpc_attachment: Any
    vpn: Any
    vpn_attachment: Any


def build_hub(cloud: Cloud, *, bgp: bool) -> Hub:
    vpc = cloud.create_vpc("10.0.0.0/16", name="corp")
    app = cloud.add_private_subnet(vpc, "10.0.1.0/24", az="a", name="app")
    group = cloud.create_security_group(vpc, "server-sg")
    cloud.allow(group, 22, source=ON_PREMISES)
    server = cloud.launch(app, "server", group)
    tgw = cloud.create_transit_gateway(name="hub")
    vpc_attachment = cloud.create_transit_gateway_vpc_attachment(tgw, vpc, subnets=[app], name="corp-attach")
    app_rt = cloud.route_table_for(app)
    cloud.create_route(app_rt, ON_PREMISES, tgw)
    cgw = cloud.create_customer_gateway(OFFICE_ROUTER, bgp_asn=65000, name="office-router")
    vpn = cloud.create_vpn_connection(cgw, transit_gateway=tgw, static_routes_only=not bgp, name="office-vpn")
    attachment = vpn_attachment(cloud, vpn)
    if bgp:
        cloud.advertise_bgp_routes(vpn, [ON_PREMISES])
    else:
        cloud.create_transit_gateway_route(tgw.default_route_table_id, ON_PREMISES, attachment=attachment)
    return Hub(cloud, tgw, vpc, app_rt, server, vpc_attachment, vpn, attachment)


def _field(record: Any, *names: str) -> Any:
    """The contract names a TGW route's type and state only; its CIDR and attachment fields may be
    spelled like vpclab's Route (destination) or like AWS (destination_cidr_block …)."""
    return next((getattr(record, name) for name in names if hasattr(record, name)), None)


def hub_routes(hub: Hub, cidr: str) -> list[tuple[str, str, Any]]:
    rows = []
    for route in hub.cloud.transit_gateway_routes(hub.tgw.default_route_table_id):
        if _field(route, "destination", "cidr", "destination_cidr_block") == cidr:
            attachment = _field(route, "attachment_id", "transit_gateway_attachment_id", "attachment")
            rows.append((route.type, route.state, getattr(attachment, "id", attachment)))
    return rows


def test_a_vpn_on_a_transit_gateway_makes_a_vpn_attachment() -> None:
    hub = build_hub(Cloud(seed=1), bgp=True)
    assert hub.vpn_attachment.id.startswith("tgw-attach-")
    assert (hub.vpn_attachment.resource_type, hub.vpn_attachment.resource_id) == ("vpn", hub.vpn.id)
    assert hub.vpn_attachment.transit_gateway_id == hub.tgw.id


@pytest.mark.parametrize("bgp", [True, False], ids=["bgp", "static"])
def test_the_office_and_the_vpc_reach_each_other_through_the_transit_gateway(bgp: bool) -> None:
    hub = build_hub(Cloud(seed=1), bgp=bgp)
    kind = "propagated" if bgp else "static"
    assert hub_routes(hub, ON_PREMISES) == [(kind, "active", hub.vpn_attachment.id)]
    out = hub.cloud.trace(hub.server, OFFICE_HOST, "tcp", 443)
    assert out.reachable
    assert in_order(out.forward, ["transit-gateway", "vpn-connection"])
    assert (out.forward[-1].type, out.forward[-1].action) == ("on-premises", "deliver")
    inbound = hub.cloud.trace(OFFICE_HOST, hub.server, "tcp", 22)
    assert inbound.reachable
    assert in_order(inbound.forward, ["vpn-connection", "transit-gateway"])


def test_the_vpc_still_needs_its_route_to_the_transit_gateway() -> None:
    hub = build_hub(Cloud(seed=1), bgp=True)
    hub.cloud.delete_route(hub.app_rt, ON_PREMISES)
    assert blocker(hub.cloud.trace(hub.server, OFFICE_HOST, "tcp", 443)) == \
        ("NO_ROUTE_TO_DESTINATION", hub.app_rt.id, "forward")


def test_a_vpc_propagated_route_beats_a_vpn_propagated_route_for_the_same_prefix() -> None:
    # §11: on equal prefixes, VPC-propagated > DX-gateway-propagated > VPN-propagated.
    hub = build_hub(Cloud(seed=1), bgp=True)
    hub.cloud.advertise_bgp_routes(hub.vpn, [ON_PREMISES, "10.0.0.0/16"])  # the office claims the VPC's CIDR
    assert hub_routes(hub, "10.0.0.0/16") == [("propagated", "active", hub.vpc_attachment.id)]
    assert hub.cloud.trace(OFFICE_HOST, hub.server, "tcp", 22).reachable
