"""One lesson-sized world with every kind of connection, traced case by case.

    office 192.168.0.0/16 ── BGP VPN ── transit gateway ──┬── hub 10.0.0.0/16 ── pcx ── partner 10.1.0.0/16
                                          (two tables)     │   IGW, NAT, S3 gateway          │ pcx
                                                           │   endpoint, SQS interface       vendor 10.2.0.0/16
                                                           └── dev 10.3.0.0/16   endpoint

- TGW route table "spokes" (hub and dev associated) learns only the office's routes, so hub and dev
  are isolated from each other; table "office" (the VPN associated) learns both VPCs.
- hub → partner → vendor are peered in a line; the hub also points vendor's CIDR at the partner
  peering, and the partner points everything else at the hub: both in vain.

Every verdict and blocking component below comes from aws-vpc-facts.md §4, §7, §9, §10, §11 and
the codes of DESIGN.md §3, against the issue-4 engine API contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud

INTERNET = "93.184.216.34"
ON_PREMISES = "192.168.0.0/16"
OFFICE_HOST = "192.168.10.5"

# §12: Reachability Analyzer's own code for a gateway endpoint's protocol limit (the API contract says
# PROTOCOL_RESTRICTION; the facts win, see test_connect_endpoints.py).
GATEWAY_PROTOCOL_CODE = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"

HOP_TYPES = {"eni", "security-group", "network-acl", "route-table", "internet-gateway",
             "egress-only-internet-gateway", "nat-gateway", "vpc-endpoint", "peering-connection",
             "transit-gateway", "transit-gateway-attachment", "vpn-gateway", "vpn-connection",
             "customer-gateway", "direct-connect", "on-premises", "internet"}


@dataclass(frozen=True)
class World:
    cloud: Cloud
    ids: dict[str, str]  # the components a case may name, by a readable key
    addresses: dict[str, str]  # symbolic destinations: "s3", "sqs"


def vpc_with_host(cloud: Cloud, name: str, index: int, *sources: str) -> tuple[Any, Any, Any, Any]:
    vpc = cloud.create_vpc(f"10.{index}.0.0/16", name=name)
    subnet = cloud.add_private_subnet(vpc, f"10.{index}.1.0/24", az="a", name=f"{name}-app")
    group = cloud.create_security_group(vpc, f"{name}-sg")
    for source in sources:
        cloud.allow(group, 22, source=source)
    return vpc, subnet, group, cloud.launch(subnet, f"{name}-host", group)


def vpn_attachment_of(cloud: Cloud, vpn: Any) -> Any:
    """AWS's VpnConnection carries TransitGatewayAttachmentId; the contract names no lookup."""
    attachment_id = getattr(cloud.get(vpn.id), "transit_gateway_attachment_id", None)
    if attachment_id:
        return cloud.get(attachment_id)
    return next(item for item in cloud._items.values()
                if getattr(item, "resource_type", None) == "vpn" and getattr(item, "resource_id", None) == vpn.id)


def build_world() -> World:
    cloud = Cloud(seed=1)
    # hub: public subnet with NAT, app subnet behind it, a /28 for the TGW attachment
    hub, hub_app, hub_sg, _ = vpc_with_host(cloud, "hub", 0, "10.0.0.0/8", ON_PREMISES)
    public = cloud.add_public_subnet(hub, "10.0.0.0/24", az="a", name="hub-public")
    nat = cloud.create_nat_gateway(public, cloud.allocate_address(), name="hub-nat")
    hub_rt = cloud.route_table_for(hub_app)
    cloud.create_route(hub_rt, "0.0.0.0/0", nat)
    hub_tgw_subnet = cloud.create_subnet(hub, "10.0.2.0/28", az="a", name="hub-tgw")
    s3 = cloud.create_vpc_endpoint(hub, "s3", endpoint_type="Gateway", route_tables=[hub_rt], name="hub-s3")
    sqs_sg = cloud.create_security_group(hub, "sqs-endpoint-sg")
    cloud.allow(sqs_sg, 443, source="10.0.0.0/8")
    cloud.allow(sqs_sg, 443, source=ON_PREMISES)
    sqs = cloud.create_vpc_endpoint(hub, "sqs", endpoint_type="Interface", subnets=[hub_app],
                                    security_groups=[sqs_sg], private_dns=True)

    # partner and vendor, peered in a line with the hub
    partner, _, partner_sg, _ = vpc_with_host(cloud, "partner", 1, "10.0.0.0/8")
    partner_rt = cloud.route_table_for("partner-app")
    vendor, _, _, _ = vpc_with_host(cloud, "vendor", 2, "10.0.0.0/8")
    vendor_rt = cloud.route_table_for("vendor-app")
    hub_partner = cloud.create_vpc_peering_connection(hub, partner, name="hub-partner")
    partner_vendor = cloud.create_vpc_peering_connection(partner, vendor, name="partner-vendor")
    for pcx in (hub_partner, partner_vendor):
        cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route(hub_rt, "10.1.0.0/16", hub_partner)
    cloud.create_route(hub_rt, "10.2.0.0/16", hub_partner)  # no transitive peering: in vain
    cloud.create_route(partner_rt, "10.0.0.0/16", hub_partner)
    cloud.create_route(partner_rt, "10.2.0.0/16", partner_vendor)
    cloud.create_route(partner_rt, "0.0.0.0/0", hub_partner)  # no edge-to-edge routing: in vain
    cloud.create_route(vendor_rt, "10.1.0.0/16", partner_vendor)

    # dev, and the transit gateway with its two route tables and the office VPN
    dev, _, _, _ = vpc_with_host(cloud, "dev", 3, "10.0.0.0/8", ON_PREMISES)
    dev_rt = cloud.route_table_for("dev-app")
    dev_tgw_subnet = cloud.create_subnet(dev, "10.3.2.0/28", az="a", name="dev-tgw")
    tgw = cloud.create_transit_gateway(name="hub-tgw", default_route_table_association=False,
                                       default_route_table_propagation=False)
    hub_attachment = cloud.create_transit_gateway_vpc_attachment(tgw, hub, subnets=[hub_tgw_subnet], name="hub-att")
    dev_attachment = cloud.create_transit_gateway_vpc_attachment(tgw, dev, subnets=[dev_tgw_subnet], name="dev-att")
    office = cloud.create_customer_gateway("198.51.100.10", bgp_asn=65000, name="office-router")
    vpn = cloud.create_vpn_connection(office, transit_gateway=tgw, static_routes_only=False, name="office-vpn")
    cloud.advertise_bgp_routes(vpn, [ON_PREMISES])
    vpn_attachment = vpn_attachment_of(cloud, vpn)
    spokes = cloud.create_transit_gateway_route_table(tgw, name="spokes")
    office_rtb = cloud.create_transit_gateway_route_table(tgw, name="office")
    for attachment in (hub_attachment, dev_attachment):
        cloud.associate_transit_gateway_route_table(spokes, attachment)
        cloud.enable_transit_gateway_route_table_propagation(office_rtb, attachment)
    cloud.associate_transit_gateway_route_table(office_rtb, vpn_attachment)
    cloud.enable_transit_gateway_route_table_propagation(spokes, vpn_attachment)
    for table, destination in ((hub_rt, "10.3.0.0/16"), (hub_rt, ON_PREMISES),
                               (dev_rt, "10.0.0.0/16"), (dev_rt, ON_PREMISES)):
        cloud.create_route(table, destination, tgw)

    ids = {"s3-endpoint": s3.id, "sqs-endpoint": sqs.id, "nat": nat.id, "hub-rt": hub_rt.id, "hub-sg": hub_sg.id,
           "partner-sg": partner_sg.id, "vendor-rt": vendor_rt.id, "hub-partner": hub_partner.id,
           "partner-vendor": partner_vendor.id, "tgw": tgw.id, "spokes": spokes.id, "office-rtb": office_rtb.id,
           "hub-att": hub_attachment.id, "dev-att": dev_attachment.id, "vpn": vpn.id, "vpn-att": vpn_attachment.id}
    addresses = {"s3": cloud.service_address("s3"),
                 "sqs": cloud.get(cloud.get(sqs.id).network_interface_ids[0]).private_ip}
    return World(cloud, ids, addresses)


@pytest.fixture
def world() -> World:
    return build_world()


def run(world: World, source: str, destination: str, protocol: str, port: int | None) -> Any:
    return world.cloud.trace(world.addresses.get(source, source), world.addresses.get(destination, destination),
                             protocol, port)


# (source, destination, protocol, port, expected blocker as (code, component key, direction) or None)
CASES = [
    # §9 gateway endpoint: the prefix-list route beats 0.0.0.0/0 → NAT; TCP and ICMP echo only
    ("hub-host", "s3", "tcp", 443, None),
    ("hub-host", "s3", "icmp", None, None),
    ("hub-host", "s3", "udp", 443, (GATEWAY_PROTOCOL_CODE, "s3-endpoint", "forward")),
    ("hub-host", INTERNET, "tcp", 443, None),
    # §9/§10: no gateway endpoint, IGW, NAT or VPN for a peer (edge-to-edge)
    ("partner-host", "s3", "tcp", 443, ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "hub-partner", "forward")),
    ("partner-host", INTERNET, "tcp", 443, ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "hub-partner", "forward")),
    ("partner-host", OFFICE_HOST, "tcp", 443, ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "hub-partner", "forward")),
    # §9 interface endpoint: reachable in the VPC, from a peer and from on premises
    ("hub-host", "sqs", "tcp", 443, None),
    ("partner-host", "sqs", "tcp", 443, None),
    (OFFICE_HOST, "sqs", "tcp", 443, None),
    # §10 peering: works between direct peers only; both sides need routes
    ("hub-host", "partner-host", "tcp", 22, None),
    ("partner-host", "vendor-host", "tcp", 22, None),
    ("hub-host", "vendor-host", "tcp", 22, ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "hub-partner", "forward")),
    ("vendor-host", "hub-host", "tcp", 22, ("NO_ROUTE_TO_DESTINATION", "vendor-rt", "forward")),
    ("hub-host", "partner-host", "tcp", 5432, ("ENI_SG_RULES_MISMATCH", "partner-sg", "forward")),
    # §11 TGW with two route tables and a BGP VPN: the office reaches both VPCs, the VPCs not each other
    (OFFICE_HOST, "hub-host", "tcp", 22, None),
    (OFFICE_HOST, "dev-host", "tcp", 22, None),
    ("dev-host", OFFICE_HOST, "tcp", 443, None),
    ("hub-host", OFFICE_HOST, "tcp", 443, None),
    ("hub-host", "dev-host", "tcp", 22, ("TGW_RTB_CANNOT_ROUTE", "spokes", "forward")),
    ("dev-host", "hub-host", "tcp", 22, ("TGW_RTB_CANNOT_ROUTE", "spokes", "forward")),
    (OFFICE_HOST, "hub-host", "tcp", 3389, ("ENI_SG_RULES_MISMATCH", "hub-sg", "forward")),
]


def case_id(case: tuple[Any, ...]) -> str:
    source, destination, protocol, port, _ = case
    return f"{source}->{destination}:{protocol}{'' if port is None else f'/{port}'}"


@pytest.mark.parametrize(("source", "destination", "protocol", "port", "expected"), CASES,
                         ids=[case_id(c) for c in CASES])
def test_each_case_has_its_verdict_and_blocking_component(world: World, source: str, destination: str,
                                                          protocol: str, port: int | None,
                                                          expected: tuple[str, str, str] | None) -> None:
    trace = run(world, source, destination, protocol, port)
    if expected is None:
        assert trace.reachable, trace.explanations
        assert trace.explanations == ()
    else:
        code, component, direction = expected
        assert not trace.reachable
        first = trace.explanations[0]
        assert (first.code, first.component, first.direction) == (code, world.ids[component], direction)
        assert trace.return_ == ()  # every blocked case here fails on the way out


@pytest.mark.parametrize(("source", "destination", "protocol", "port", "expected"), CASES,
                         ids=[case_id(c) for c in CASES])
def test_each_case_keeps_the_trace_contract(world: World, source: str, destination: str, protocol: str,
                                            port: int | None, expected: Any) -> None:
    # DESIGN §3: hop types from the documented set; JSON-serialisable; explanations empty iff reachable.
    as_dict = run(world, source, destination, protocol, port).to_dict()
    assert {hop["type"] for hop in as_dict["forward"] + as_dict["return"]} <= HOP_TYPES
    assert (as_dict["explanations"] == []) is (expected is None)
    assert json.loads(json.dumps(as_dict)) == as_dict


# --- the paths the reachable cases take --------------------------------------------------------

def passes(trace: Any, kind: str, component: str) -> bool:
    return any(hop.type == kind and hop.component == component for hop in trace.forward)


def test_s3_traffic_takes_the_gateway_endpoint_and_not_the_nat_gateway(world: World) -> None:
    trace = run(world, "hub-host", "s3", "tcp", 443)
    assert passes(trace, "vpc-endpoint", world.ids["s3-endpoint"])
    assert not any(hop.type == "nat-gateway" for hop in trace.forward)
    assert passes(run(world, "hub-host", INTERNET, "tcp", 443), "nat-gateway", world.ids["nat"])


def test_the_interface_endpoint_is_found_by_private_dns(world: World) -> None:
    assert world.cloud.resolve("sqs.us-east-1.amazonaws.com") == (world.addresses["sqs"],)


def test_the_peer_reaches_the_interface_endpoint_over_the_peering(world: World) -> None:
    assert passes(run(world, "partner-host", "sqs", "tcp", 443), "peering-connection", world.ids["hub-partner"])


def test_the_office_reaches_the_vpcs_over_the_vpn_and_the_transit_gateway(world: World) -> None:
    trace = run(world, OFFICE_HOST, "dev-host", "tcp", 22)
    kinds = [hop.type for hop in trace.forward]
    assert "vpn-connection" in kinds and "transit-gateway" in kinds
    assert kinds.index("vpn-connection") < kinds.index("transit-gateway")


def tgw_cidrs(world: World, table: str) -> set[tuple[str, str]]:
    rows = set()
    for route in world.cloud.transit_gateway_routes(world.ids[table]):
        cidr = next(getattr(route, n) for n in ("destination", "cidr", "destination_cidr_block") if hasattr(route, n))
        rows.add((cidr, route.type))
    return rows


def test_the_two_tgw_route_tables_hold_what_their_propagations_give_them(world: World) -> None:
    # §11: association decides where traffic from an attachment goes; propagation fills the tables.
    assert tgw_cidrs(world, "spokes") == {(ON_PREMISES, "propagated")}
    assert tgw_cidrs(world, "office-rtb") == {("10.0.0.0/16", "propagated"), ("10.3.0.0/16", "propagated")}


# --- changes to the world ------------------------------------------------------------------------

def test_deleting_the_hub_peering_turns_the_hub_routes_into_blackholes(world: World) -> None:
    # §4: a route turns blackhole when its target disappears.
    world.cloud.delete_vpc_peering_connection(world.ids["hub-partner"])
    trace = run(world, "hub-host", "partner-host", "tcp", 22)
    assert (trace.explanations[0].code, trace.explanations[0].component) == ("BAD_STATE_ROUTE", world.ids["hub-rt"])
    assert run(world, "partner-host", "vendor-host", "tcp", 22).reachable  # the other peering is untouched


def test_the_partner_can_reference_the_hub_group_across_the_active_peering(world: World) -> None:
    # §7/§10: security group references to a peer's group work once the peering is active.
    world.cloud.authorize_security_group_ingress(world.ids["partner-sg"], "tcp", 5432,
                                                 source_group=world.ids["hub-sg"])
    assert run(world, "hub-host", "partner-host", "tcp", 5432).reachable


def test_a_static_blackhole_in_the_spokes_table_hides_the_propagated_office_route(world: World) -> None:
    # §11: a static blackhole for the office's prefix in "spokes" beats the propagated route.
    world.cloud.create_transit_gateway_route(world.ids["spokes"], ON_PREMISES, blackhole=True)
    trace = run(world, "hub-host", OFFICE_HOST, "tcp", 443)
    assert (trace.explanations[0].code, trace.explanations[0].component) == \
        ("TGW_RTB_BAD_STATE_ROUTE", world.ids["spokes"])
    reply_fails = run(world, OFFICE_HOST, "hub-host", "tcp", 22)
    assert (reply_fails.explanations[0].code, reply_fails.explanations[0].direction) == \
        ("TGW_RTB_BAD_STATE_ROUTE", "return")
