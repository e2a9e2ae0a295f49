"""Writing a Cloud back as AWS describe JSON (DESIGN.md §4) and loading it again.

The world below is built through the Cloud API and covers every resource type the export
writes: a two-tier VPC with a NAT gateway (plus a failed, a deleted and a private one),
custom NACLs, security groups that name each other and a peered VPC's group, Elastic IPs,
DHCP options (a custom set and none at all), a gateway and an interface endpoint, an active
and a pending peering, a transit gateway with two route tables and a BGP VPN attachment,
and a virtual private gateway with a static VPN whose first tunnel is down.

``Cloud.from_aws(to_aws(cloud))`` must give the same resources, the same records and the same
trace answers (interface names from ``TagSet``, the main-table flag and rule descriptions
included).
"""

from __future__ import annotations

import argparse
import copy
import json
import warnings
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from tests.aws_exports import two_tier_export
from tests.test_awsjson_connect import world as connect_world
from vpclab import Cloud
from vpclab.awsexport import EXPORT_KEYS, NAT_INSTANCE_TAG, AwsExportWarning, add_arguments, run, to_aws
from vpclab.awsjson import AwsImportWarning
from vpclab.errors import InvalidValue
from vpclab.resources import (
    Instance,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    Subnet,
    TransitGatewayRouteTable,
    Vpc,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)

INTERNET = "93.184.216.34"
HQ_HOST, DC_HOST, STATIC_DC_HOST = "192.168.1.5", "172.16.5.5", "172.20.1.1"


def build_world() -> Cloud:
    """The world of the module docstring, made through the Cloud API only."""
    cloud = Cloud(seed=7)
    lab = cloud.create_vpc("10.0.0.0/16", name="lab")
    cloud.associate_vpc_cidr_block(lab, "10.50.0.0/16")
    public = cloud.add_public_subnet(lab, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(lab, "10.0.2.0/24", az="a", name="app", nat_in=public)
    db = cloud.add_private_subnet(lab, "10.0.3.0/24", az="b", name="db")
    extra = cloud.create_subnet(lab, "10.50.1.0/24", az="b", name="extra")

    web_sg = cloud.create_security_group(lab, "web-sg", "web tier")
    cloud.allow(web_sg, 443)
    cloud.allow(web_sg, 22, source="192.168.0.0/16")
    cloud.authorize_security_group_ingress(web_sg, "icmp", 8, cidr="10.0.0.0/8")
    app_sg = cloud.create_security_group(lab, "app-sg", "app tier")
    cloud.allow(app_sg, 8080, source=web_sg)
    cloud.authorize_security_group_ingress(app_sg, "tcp", 8080, cidr="10.50.0.0/16")  # after a group: own permission
    cloud.allow(app_sg, (9000, 9100), source="10.0.0.0/16")
    db_sg = cloud.create_security_group(lab, "db-sg", "db tier")
    cloud.allow(db_sg, 5432, source=app_sg)
    cloud.revoke_security_group_egress(db_sg, "-1", cidr="0.0.0.0/0")
    cloud.authorize_security_group_egress(db_sg, "tcp", 443, cidr="0.0.0.0/0")

    acl = cloud.create_network_acl(lab, name="db-acl")
    cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.2.0/24", port=5432)
    cloud.create_network_acl_entry(acl, 110, "tcp", "deny", "10.0.1.0/24", ports=(0, 65535))
    cloud.create_network_acl_entry(acl, 120, "icmp", "allow", "10.0.0.0/16", port=8)
    cloud.create_network_acl_entry(acl, 140, "tcp", "allow", "0.0.0.0/0", ports=(1024, 65535))
    cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.2.0/24", ports=(1024, 65535), egress=True)
    cloud.create_network_acl_entry(acl, 130, "-1", "allow", "0.0.0.0/0", egress=True)
    cloud.replace_network_acl_association(db, acl)

    web = cloud.launch(public, "web", web_sg)
    cloud.launch(app, "app", app_sg)
    cloud.launch(db, "db", db_sg)
    cloud.launch(extra, "extra")
    cloud.associate_address(cloud.allocate_address(name="web-eip"), web)
    cloud.allocate_address(name="spare")
    options = cloud.create_dhcp_options(domain_name="corp.example",
                                        domain_name_servers=("10.0.0.2", "AmazonProvidedDNS"),
                                        ntp_servers=("169.254.169.123",), name="corp")
    cloud.associate_dhcp_options(options, lab)

    cloud.create_vpc_endpoint(lab, "s3", route_tables=["app-rt", "db-rt"], name="s3-gw")
    endpoint_sg = cloud.create_security_group(lab, "endpoints", "endpoints")
    cloud.allow(endpoint_sg, 443, source="10.0.0.0/16")
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ssm:*", "Resource": "*"}]}
    cloud.create_vpc_endpoint(lab, "ssm", endpoint_type="Interface", subnets=[app, db], security_groups=[endpoint_sg],
                              policy=policy, name="ssm")

    peer = cloud.create_vpc("10.1.0.0/16", name="peer")
    peer_a = cloud.create_subnet(peer, "10.1.1.0/24", az="a", name="peer-a")
    pending = cloud.create_vpc("10.2.0.0/16", name="pending")
    pending_a = cloud.create_subnet(pending, "10.2.1.0/24", az="a", name="pending-a")
    cloud.associate_dhcp_options("default", pending)
    active_pcx = cloud.create_vpc_peering_connection(lab, peer, name="lab-peer")
    cloud.accept_vpc_peering_connection(active_pcx)
    pending_pcx = cloud.create_vpc_peering_connection(lab, pending, name="lab-pending")
    for table in ("app-rt", "db-rt"):
        cloud.create_route(table, "10.1.0.0/16", active_pcx)
        cloud.create_route(table, "10.2.0.0/16", pending_pcx)
    cloud.create_route(cloud._ref(peer, Vpc).main_route_table_id, "10.0.0.0/16", active_pcx)
    cloud.create_route(cloud._ref(pending, Vpc).main_route_table_id, "10.0.0.0/16", pending_pcx)
    peer_sg = cloud.create_security_group(peer, "peer-sg", "peer")
    cloud.allow(peer_sg, 443, source="10.0.0.0/16")
    cloud.allow(peer_sg, 8443, source=app_sg)  # a group of the peered VPC
    cloud.allow(app_sg, 443, source="10.1.0.0/16")
    cloud.launch(peer_a, "peer-host", peer_sg)
    cloud.launch(pending_a, "pending-host")

    cloud.create_nat_gateway(peer_a, cloud.allocate_address(), name="broken-nat")  # failed: no IGW
    gone = cloud.create_nat_gateway(public, cloud.allocate_address(), name="gone-nat")
    cloud.create_route("db-rt", "0.0.0.0/0", gone)
    cloud.delete_nat_gateway(gone)  # the route stays, a blackhole
    cloud.create_nat_gateway(extra, connectivity="private", name="private-nat")

    spoke = cloud.create_vpc("10.3.0.0/16", name="spoke")
    spoke_a = cloud.create_subnet(spoke, "10.3.1.0/24", az="a", name="spoke-a")
    spoke_b = cloud.create_subnet(spoke, "10.3.5.0/24", az="b", name="spoke-b")
    spoke_sg = cloud.create_security_group(spoke, "spoke-sg", "spoke")
    cloud.allow(spoke_sg, 443, source="10.0.0.0/8")
    cloud.allow(spoke_sg, 443, source="172.16.0.0/12")
    cloud.launch(spoke_a, "spoke-host", spoke_sg)
    cloud.launch(spoke_b, "quarantined", spoke_sg)
    tgw = cloud.create_transit_gateway("hub")
    prod = tgw.default_route_table_id
    vpn_table = cloud.create_transit_gateway_route_table(tgw, "vpn")
    lab_link = cloud.create_transit_gateway_vpc_attachment(tgw, lab, [app, db], name="lab-attach")
    cloud.create_transit_gateway_vpc_attachment(tgw, spoke, [spoke_a], name="spoke-attach")
    dc = cloud.create_customer_gateway("198.51.100.7", 65010, name="data-centre")
    dc_vpn = cloud.create_vpn_connection(dc, transit_gateway=tgw, static_routes_only=False, name="dc-vpn")
    cloud.advertise_bgp_routes(dc_vpn, ["172.16.0.0/16"])
    vpn_link = cloud.vpn_attachment(dc_vpn.id)
    assert vpn_link is not None and prod is not None
    cloud.disassociate_transit_gateway_route_table(prod, vpn_link)
    cloud.associate_transit_gateway_route_table(vpn_table, vpn_link)
    cloud.enable_transit_gateway_route_table_propagation(vpn_table, lab_link)
    cloud.create_transit_gateway_route(prod, "10.3.5.0/24", blackhole=True)
    cloud.create_transit_gateway_route(prod, "172.20.0.0/16", vpn_link)
    for table in ("app-rt", "db-rt"):
        cloud.create_route(table, "10.3.0.0/16", tgw)
        cloud.create_route(table, "172.16.0.0/12", tgw)
    for destination in ("10.0.0.0/8", "172.16.0.0/12"):
        cloud.create_route(cloud._ref(spoke, Vpc).main_route_table_id, destination, tgw)

    vgw = cloud.create_vpn_gateway("lab-vgw")
    cloud.attach_vpn_gateway(vgw, lab)
    hq = cloud.create_customer_gateway("203.0.113.12", 65000, name="head-office")
    hq_vpn = cloud.create_vpn_connection(hq, vpn_gateway=vgw, name="hq-vpn")
    cloud.create_vpn_connection_route(hq_vpn, "192.168.0.0/16")
    cloud.set_vpn_tunnel_state(hq_vpn, 0, "DOWN")
    cloud.enable_vgw_route_propagation("app-rt", vgw)
    cloud.create_route("db-rt", "192.168.10.0/24", vgw)
    cloud.modify_network_interface_attribute("web", source_dest_check=False)
    cloud.create_route("app-rt", "10.60.0.0/16", "web")  # an appliance route: interface and instance named
    return cloud


# What a trace must answer the same in both worlds: (source, destination, protocol, port).
PAIRS = [
    (INTERNET, "web", "tcp", 443), (INTERNET, "web", "tcp", 22), ("web", INTERNET, "tcp", 443),
    ("app", INTERNET, "tcp", 443), ("db", INTERNET, "tcp", 443), ("extra", INTERNET, "tcp", 443),
    ("peer-host", INTERNET, "tcp", 443), ("web", "app", "tcp", 8080), ("app", "db", "tcp", 5432),
    ("web", "db", "tcp", 5432), ("web", "db", "icmp", 8), ("extra", "app", "tcp", 8080),
    ("db", "s3", "tcp", 443), ("web", "s3", "tcp", 443), ("app", "ssm", "tcp", 443), ("web", "ssm", "tcp", 443),
    ("app", "peer-host", "tcp", 443), ("app", "peer-host", "tcp", 8443), ("peer-host", "app", "tcp", 443),
    ("app", "pending-host", "tcp", 443), ("app", "spoke-host", "tcp", 443), ("app", "quarantined", "tcp", 443),
    ("spoke-host", "app", "tcp", 8080), ("app", DC_HOST, "tcp", 443), ("spoke-host", DC_HOST, "tcp", 443),
    ("app", STATIC_DC_HOST, "tcp", 443), ("app", HQ_HOST, "tcp", 443), ("db", "192.168.10.5", "tcp", 443),
    (HQ_HOST, "web", "tcp", 22), ("app", "spoke-host", "all", 0), ("web", "db", "udp", 53),
    ("app", "peer-host", "icmp", 8), ("app", "10.60.1.1", "tcp", 443),
]
EXPECTED_IMPORT_NOTES = ("uses BGP; the prefixes it advertises were read from the routes propagated in the file",)


def endpoint(cloud: Cloud, name: str) -> str:
    """Names of AWS services stand for an address of theirs."""
    if name == "s3":
        return cloud.service_address("s3")
    if name == "ssm":
        return cloud.resolve(f"ssm.{cloud.region}.amazonaws.com")[0]
    return name


def traces(cloud: Cloud) -> Iterator[tuple[tuple[str, str, str, int], bool, dict[str, Any]]]:
    for source, destination, protocol, port in PAIRS:
        for all_blockers in (False, True):
            result = cloud.trace(endpoint(cloud, source), endpoint(cloud, destination), protocol, port,
                                 all_blockers=all_blockers)
            yield (source, destination, protocol, port), all_blockers, result.to_dict()


def load(data: dict[str, Any], *, seed: int | None = 7, expected: tuple[str, ...] = EXPECTED_IMPORT_NOTES,
         **options: Any) -> Cloud:
    """Cloud.from_aws, with the importer's warnings checked against the expected ones."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cloud = Cloud.from_aws(data, seed=seed, **options)
    said = [str(w.message) for w in caught]
    assert all(issubclass(w.category, AwsImportWarning) for w in caught), said
    unexpected = [text for text in said if not any(part in text for part in expected)]
    assert unexpected == [], unexpected
    return cloud


def record_differences(one: Cloud, other: Cloud) -> list[str]:
    """Every field of every resource that is not the same in both worlds."""
    differences = [f"only in the first: {i}" for i in one._items if i not in other._items]
    differences += [f"only in the second: {i}" for i in other._items if i not in one._items]
    for item_id in one._items:
        if item_id not in other._items:
            continue
        mine, theirs = one.get(item_id), other.get(item_id)
        if type(mine) is not type(theirs):
            differences.append(f"{item_id}: {type(mine).__name__} vs {type(theirs).__name__}")
            continue
        differences += [f"{item_id}.{f.name}: {getattr(mine, f.name)!r} vs {getattr(theirs, f.name)!r}"
                        for f in fields(mine) if getattr(mine, f.name) != getattr(theirs, f.name)]
    return differences


def derived_differences(one: Cloud, other: Cloud) -> list[str]:
    """What the engine derives from the records: lookups, indexes and effective routes."""
    problems = []
    for subnet in one._all(Subnet):
        for what in ("route_table_for", "network_acl_for", "free_addresses"):
            mine, theirs = getattr(one, what)(subnet.id), getattr(other, what)(subnet.id)
            if mine != theirs:
                problems.append(f"{what}({subnet.id})")
    for vpc in one._all(Vpc):
        if one.dhcp_settings(vpc.id) != other.dhcp_settings(vpc.id):
            problems.append(f"dhcp_settings({vpc.id})")
    for table in one._all(TransitGatewayRouteTable):
        if one.transit_gateway_routes(table.id) != other.transit_gateway_routes(table.id):
            problems.append(f"transit_gateway_routes({table.id})")
    for gateway in one._all(VpnGateway):
        if one.vgw_routes(gateway.id) != other.vgw_routes(gateway.id):
            problems.append(f"vgw_routes({gateway.id})")
    for index in ("_prefix_lists", "_eni_by_ip", "_eni_by_public_ip", "_public_ips", "_sg_members"):
        if getattr(one, index) != getattr(other, index):
            problems.append(index)
    if set(one._nat_tables) != set(other._nat_tables):
        problems.append("_nat_tables")
    if one.resolve(f"ssm.{one.region}.amazonaws.com") != other.resolve(f"ssm.{other.region}.amazonaws.com"):
        problems.append("resolve")
    return problems


@pytest.fixture(scope="module")
def original() -> Cloud:
    cloud = build_world()
    cloud.authorize_security_group_ingress("web-sg", "tcp", 8443, cidr="10.0.0.0/8", description="admin console")
    return cloud


@pytest.fixture(scope="module")
def exported(original: Cloud) -> dict[str, Any]:
    return to_aws(original)


@pytest.fixture(scope="module")
def loaded(exported: dict[str, Any]) -> Cloud:
    return load(copy.deepcopy(exported))


# --- the round trip --------------------------------------------------------------------------------

def test_the_world_covers_every_resource_type_the_export_writes(exported: dict[str, Any]) -> None:
    assert list(exported) == list(EXPORT_KEYS)
    empty = [key for key, value in exported.items() if not value]
    assert empty == []
    vpn_connections = {v["Tags"][0]["Value"]: v for v in exported["VpnConnections"]}
    assert [t["Status"] for t in vpn_connections["hq-vpn"]["VgwTelemetry"]] == ["DOWN", "UP"]
    codes = sorted(p["Status"]["Code"] for p in exported["VpcPeeringConnections"])
    assert codes == ["active", "pending-acceptance"]
    assert sorted(n["State"] for n in exported["NatGateways"]) == ["available", "available", "deleted", "failed"]
    assert sorted(e["VpcEndpointType"] for e in exported["VpcEndpoints"]) == ["Gateway", "Interface"]
    assert len(exported["TransitGatewayRouteTables"]) == 2


def test_loading_the_export_gives_the_same_resources_and_records(original: Cloud, loaded: Cloud) -> None:
    assert record_differences(original, loaded) == []


def test_loading_the_export_gives_the_same_lookups_indexes_and_effective_routes(original: Cloud,
                                                                               loaded: Cloud) -> None:
    assert derived_differences(original, loaded) == []


def test_every_trace_answers_the_same(original: Cloud, loaded: Cloud) -> None:
    answers = {(pair, blockers): result for pair, blockers, result in traces(original)}
    assert len(answers) == 2 * len(PAIRS)
    for pair, blockers, result in traces(loaded):
        assert result == answers[(pair, blockers)], (pair, blockers)


def test_the_traces_cover_delivery_and_the_blockers_that_matter(original: Cloud) -> None:
    verdicts = {pair: (r["reachable"], [e["code"] for e in r["explanations"]])
                for pair, blockers, r in traces(original) if not blockers}
    assert verdicts[("app", INTERNET, "tcp", 443)] == (True, [])  # through the NAT gateway
    assert verdicts[("db", INTERNET, "tcp", 443)] == (False, ["BAD_STATE_ROUTE"])  # the deleted NAT gateway
    assert verdicts[("app", "pending-host", "tcp", 443)] == (False, ["BAD_STATE_ROUTE"])  # pending peering
    assert verdicts[("app", "quarantined", "tcp", 443)] == (False, ["TGW_RTB_BAD_STATE_ROUTE"])
    assert verdicts[("app", DC_HOST, "tcp", 443)] == (True, [])  # BGP VPN on the TGW
    assert verdicts[("app", STATIC_DC_HOST, "tcp", 443)] == (True, [])  # static TGW route to the VPN
    assert verdicts[("app", HQ_HOST, "tcp", 443)] == (True, [])  # one tunnel of two is enough
    assert verdicts[("web", "db", "tcp", 5432)][1][0] == "SUBNET_ACL_RESTRICTION"
    assert verdicts[("app", "peer-host", "tcp", 8443)] == (True, [])  # the peered VPC's group reference
    assert verdicts[("db", "s3", "tcp", 443)] == (True, [])  # gateway endpoint
    assert verdicts[("spoke-host", DC_HOST, "tcp", 443)] == (False, ["TGW_RTB_CANNOT_ROUTE"])


def test_export_import_export_is_stable(exported: dict[str, Any], loaded: Cloud) -> None:
    again = to_aws(loaded)
    assert again == exported
    assert to_aws(load(copy.deepcopy(again))) == again


def test_the_same_world_always_gives_the_same_file(exported: dict[str, Any]) -> None:
    world = build_world()
    world.authorize_security_group_ingress("web-sg", "tcp", 8443, cidr="10.0.0.0/8", description="admin console")
    assert json.dumps(to_aws(world)) == json.dumps(exported)


def test_the_export_is_plain_json(exported: dict[str, Any]) -> None:
    text = json.dumps(exported)
    assert json.loads(text) == exported  # a tuple or a set would not come back equal

    def kinds(value: Any) -> Iterator[type]:
        yield type(value)
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for item in value.values():
                yield from kinds(item)
        elif isinstance(value, list):
            for item in value:
                yield from kinds(item)

    assert set(kinds(exported)) <= {dict, list, str, int, bool}


def test_the_export_does_not_change_the_world(original: Cloud) -> None:
    before = dict(original._items)
    to_aws(original)
    assert original._items == before


# --- AWS's field names ------------------------------------------------------------------------------

_SHAPES = {
    "Vpcs": ("DescribeVpcs", "Vpcs"), "Subnets": ("DescribeSubnets", "Subnets"),
    "RouteTables": ("DescribeRouteTables", "RouteTables"),
    "InternetGateways": ("DescribeInternetGateways", "InternetGateways"),
    "NatGateways": ("DescribeNatGateways", "NatGateways"),
    "SecurityGroups": ("DescribeSecurityGroups", "SecurityGroups"),
    "NetworkAcls": ("DescribeNetworkAcls", "NetworkAcls"),
    "NetworkInterfaces": ("DescribeNetworkInterfaces", "NetworkInterfaces"),
    "Reservations": ("DescribeInstances", "Reservations"), "Addresses": ("DescribeAddresses", "Addresses"),
    "DhcpOptions": ("DescribeDhcpOptions", "DhcpOptions"), "VpcEndpoints": ("DescribeVpcEndpoints", "VpcEndpoints"),
    "VpcPeeringConnections": ("DescribeVpcPeeringConnections", "VpcPeeringConnections"),
    "TransitGateways": ("DescribeTransitGateways", "TransitGateways"),
    "TransitGatewayAttachments": ("DescribeTransitGatewayAttachments", "TransitGatewayAttachments"),
    "TransitGatewayVpcAttachments": ("DescribeTransitGatewayVpcAttachments", "TransitGatewayVpcAttachments"),
    "TransitGatewayRouteTables": ("DescribeTransitGatewayRouteTables", "TransitGatewayRouteTables"),
    "TransitGatewayRoutes": ("SearchTransitGatewayRoutes", "Routes"),
    "TransitGatewayRouteTableAssociations": ("GetTransitGatewayRouteTableAssociations", "Associations"),
    "TransitGatewayRouteTablePropagations": ("GetTransitGatewayRouteTablePropagations",
                                             "TransitGatewayRouteTablePropagations"),
    "VpnGateways": ("DescribeVpnGateways", "VpnGateways"),
    "VpnConnections": ("DescribeVpnConnections", "VpnConnections"),
    "CustomerGateways": ("DescribeCustomerGateways", "CustomerGateways"),
}
_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "integer": int, "long": int, "boolean": bool,
                                              "structure": dict, "list": list}


def shape_problems(value: Any, shape: Any, where: str) -> Iterator[str]:
    """Fields that the AWS API model (botocore) does not have, or of another type."""
    expected = _TYPES[shape.type_name]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        yield f"{where}: {type(value).__name__}, not {shape.type_name}"
    elif shape.type_name == "structure":
        for key, item in value.items():
            if key not in shape.members:
                yield f"{where}.{key}: not a field of {shape.name}"
            else:
                yield from shape_problems(item, shape.members[key], f"{where}.{key}")
    elif shape.type_name == "list":
        for index, item in enumerate(value):
            yield from shape_problems(item, shape.member, f"{where}[{index}]")


def test_every_field_is_one_of_aws_with_its_type(exported: dict[str, Any]) -> None:
    model = botocore.session.get_session().get_service_model("ec2")
    problems: list[str] = []
    for key, (operation, member) in _SHAPES.items():
        shape = model.operation_model(operation).output_shape.members[member]
        if isinstance(exported[key], dict):  # a keyed map: TGW route table id -> what the call returns
            for table_id, entries in exported[key].items():
                problems += shape_problems(entries, shape, f"{key}[{table_id}]")
        else:
            problems += shape_problems(exported[key], shape, key)
    # PrefixLists: describe-prefix-lists gives the CIDRs, describe-managed-prefix-lists the tags
    merged = {**model.shape_for("PrefixList").members, **model.shape_for("ManagedPrefixList").members}
    for index, item in enumerate(exported["PrefixLists"]):
        problems += [f"PrefixLists[{index}].{k}" for k in item if k not in merged]
    assert problems == []


def test_routes_name_their_target_in_the_field_aws_uses(exported: dict[str, Any], original: Cloud) -> None:
    routes = [r for table in exported["RouteTables"] for r in table["Routes"]]
    fields_used = {field for r in routes for field in r
                   if field not in ("DestinationCidrBlock", "DestinationPrefixListId", "Origin", "State")}
    assert fields_used == {"GatewayId", "NatGatewayId", "VpcPeeringConnectionId", "TransitGatewayId",
                           "NetworkInterfaceId", "InstanceId"}
    appliance = next(r for r in routes if "InstanceId" in r)
    assert appliance["InstanceId"] == original._ref("web", Instance).id
    assert appliance["NetworkInterfaceId"] == original._ref("web", Instance).eni_id
    by_destination = {r.get("DestinationPrefixListId"): r for r in routes if "DestinationPrefixListId" in r}
    assert all(r["GatewayId"].startswith("vpce-") for r in by_destination.values())
    propagated = [r for r in routes if r["Origin"] == "EnableVgwRoutePropagation"]
    assert [r["DestinationCidrBlock"] for r in propagated] == ["192.168.0.0/16"]
    blackholes = sorted(r["DestinationCidrBlock"] for r in routes if r["State"] == "blackhole")
    assert blackholes == ["0.0.0.0/0", "10.0.0.0/16", "10.2.0.0/16", "10.2.0.0/16"]  # deleted NAT, pending pcx


def test_security_group_rules_keep_their_order_in_aws_permissions(exported: dict[str, Any]) -> None:
    group = next(g for g in exported["SecurityGroups"] if g["GroupName"] == "app-sg")
    ports = [(p["FromPort"], [*(r["CidrIp"] for r in p["IpRanges"]),
                              *(u["GroupId"][:3] for u in p["UserIdGroupPairs"])])
             for p in group["IpPermissions"]]
    assert ports == [(8080, ["sg-"]), (8080, ["10.50.0.0/16"]), (9000, ["10.0.0.0/16"]), (443, ["10.1.0.0/16"])]
    peer = next(g for g in exported["SecurityGroups"] if g["GroupName"] == "peer-sg")
    pair = peer["IpPermissions"][1]["UserIdGroupPairs"][0]
    assert pair["VpcId"] != peer["VpcId"]  # a group of the peered VPC names its VPC, as AWS does


def test_nacl_entries_use_protocol_numbers_and_icmp_types(exported: dict[str, Any]) -> None:
    acl = next(a for a in exported["NetworkAcls"] if a["Tags"] == [{"Key": "Name", "Value": "db-acl"}])
    inbound = {e["RuleNumber"]: e for e in acl["Entries"] if not e["Egress"]}
    assert inbound[100]["Protocol"] == "6" and inbound[100]["PortRange"] == {"From": 5432, "To": 5432}
    assert inbound[120]["Protocol"] == "1" and inbound[120]["IcmpTypeCode"] == {"Type": 8, "Code": -1}
    assert inbound[32767] == {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": False,
                              "CidrBlock": "0.0.0.0/0"}


def test_managed_interfaces_say_what_they_belong_to(exported: dict[str, Any], original: Cloud) -> None:
    by_type: dict[str, list[str]] = {}
    for interface in exported["NetworkInterfaces"]:
        by_type.setdefault(interface["InterfaceType"], []).append(interface["Description"])
    assert all(d.startswith("Interface for NAT Gateway nat-") for d in by_type["nat_gateway"])
    assert all(d.startswith("Network Interface for Transit Gateway Attachment tgw-attach-")
               for d in by_type["transit_gateway"])
    assert all(d.startswith("VPC Endpoint Interface vpce-") for d in by_type["vpc_endpoint"])
    assert set(by_type["interface"]) == {""}


# --- what the importer once dropped -------------------------------------------------------------

def test_interface_names_come_back(original: Cloud, loaded: Cloud) -> None:
    assert [e.name for e in loaded._all(NetworkInterface)] == [e.name for e in original._all(NetworkInterface)]


def test_the_main_route_table_is_marked_main(original: Cloud, loaded: Cloud) -> None:
    assert [t.is_main for t in loaded._all(RouteTable)] == [t.is_main for t in original._all(RouteTable)]


def test_rule_descriptions_come_back(original: Cloud, loaded: Cloud) -> None:
    assert loaded._ref("web-sg", SecurityGroup).ingress == original._ref("web-sg", SecurityGroup).ingress


def test_every_record_comes_back_exactly(original: Cloud, loaded: Cloud, exported: dict[str, Any]) -> None:
    assert record_differences(original, loaded) == []
    assert to_aws(loaded) == exported


# --- other worlds --------------------------------------------------------------------------------

def test_the_moto_two_tier_export_round_trips() -> None:
    data, ids = two_tier_export()
    first = load(data, seed=0, expected=())
    written = to_aws(first)
    second = load(copy.deepcopy(written), seed=0, expected=())
    assert record_differences(first, second) == []
    assert to_aws(second) == written
    pairs = [(INTERNET, ids["web"], 443), (ids["web"], ids["app"], 8080), (ids["app"], ids["db"], 5432),
             (ids["web"], ids["db"], 5432), (ids["app"], INTERNET, 443), (ids["db"], INTERNET, 443)]
    for source, destination, port in pairs:
        assert first.trace(source, destination, "tcp", port).to_dict() == \
            second.trace(source, destination, "tcp", port).to_dict()
    assert second.trace(ids["app"], INTERNET, "tcp", 443).reachable


def test_a_hand_written_connectivity_file_round_trips() -> None:
    first = load(connect_world(), seed=0, expected=())
    written = to_aws(first)
    second = load(copy.deepcopy(written), seed=0, expected=())
    assert record_differences(first, second) == []
    assert to_aws(second) == written
    for source in ("i-0a100000000000001", "i-0d100000000000001"):
        for destination in ("i-0b100000000000001", "i-0c100000000000001", "i-0d200000000000002", "10.0.1.50",
                            "52.216.10.10", HQ_HOST, DC_HOST, INTERNET):
            assert first.trace(source, destination).to_dict() == second.trace(source, destination).to_dict()
    corp = next(p for p in written["PrefixLists"] if p["PrefixListName"] == "corp-ranges")
    assert corp["Cidrs"] == ["192.168.0.0/16"]  # a customer-managed list carries its entries as CIDRs


def test_an_empty_world_round_trips() -> None:
    cloud = Cloud()
    data = to_aws(cloud)
    assert all(value in ([], {}) for value in data.values())
    assert to_aws(load(data, expected=())) == data


# --- what describe output cannot carry (documented in vpclab.awsexport) -----------------------------

def vgw_world() -> tuple[Cloud, str]:
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24", az="a", name="app")
    group = cloud.create_security_group(vpc, "app-sg")
    cloud.authorize_security_group_egress(group, "tcp", 22, cidr="0.0.0.0/0")
    cloud.launch(subnet, "app", group)
    vgw = cloud.create_vpn_gateway("vgw")
    cloud.attach_vpn_gateway(vgw, vpc)
    return cloud, vgw.id


def test_a_direct_connect_interface_is_not_written_and_the_export_says_so() -> None:
    cloud, vgw = vgw_world()
    cloud.create_direct_connect_virtual_interface(vgw, ["10.200.0.0/16"], name="dx")
    cloud.enable_vgw_route_propagation(cloud._ref("lab", Vpc).main_route_table_id, vgw)
    assert cloud.trace("app", "10.200.1.1", "tcp", 22).reachable
    with pytest.warns(AwsExportWarning, match="Direct Connect virtual interface dx .* is not written"):
        data = to_aws(cloud)
    assert "dxvif" not in json.dumps(data)
    routes = data["RouteTables"][0]["Routes"]
    assert {"DestinationCidrBlock": "10.200.0.0/16", "GatewayId": vgw, "Origin": "EnableVgwRoutePropagation",
            "State": "active"} in routes  # as AWS would show it
    with pytest.warns(AwsImportWarning, match="10.200.0.0/16"):
        loaded = Cloud.from_aws(data, seed=3)
    result = loaded.trace("app", "10.200.1.1", "tcp", 22)
    assert not result.reachable  # the prefix is gone with the interface
    assert [e.code for e in result.explanations] == ["NO_ROUTE_TO_DESTINATION"]


def test_a_nat_instance_is_tagged_but_comes_back_a_plain_router() -> None:
    cloud = Cloud(seed=5)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    nat = cloud.launch(public, "nat-box")
    cloud.modify_network_interface_attribute(nat, source_dest_check=False, nat_instance=True)
    with pytest.warns(AwsExportWarning, match="works as a NAT instance"):
        data = to_aws(cloud)
    interface = next(i for i in data["NetworkInterfaces"] if i["Attachment"]["InstanceId"] == nat.id)
    assert {"Key": NAT_INSTANCE_TAG, "Value": "true"} in interface["TagSet"]
    assert interface["SourceDestCheck"] is False
    loaded = Cloud.from_aws(data, seed=5)
    eni = loaded._ref(nat.eni_id, NetworkInterface)
    assert eni.source_dest_check is False and eni.nat_instance is False


def test_bgp_prefixes_that_no_route_shows_are_lost_and_the_export_says_so() -> None:
    cloud, vgw = vgw_world()
    customer = cloud.create_customer_gateway("203.0.113.9", 65001)
    vpn = cloud.create_vpn_connection(customer, vpn_gateway=vgw, static_routes_only=False, name="bgp")
    cloud.advertise_bgp_routes(vpn, ["10.9.0.0/16"])  # no route table propagates the VGW
    with pytest.warns(AwsExportWarning, match=r"advertises 10\.9\.0\.0/16 over BGP, but no written route"):
        data = to_aws(cloud)
    with pytest.warns(AwsImportWarning, match="uses BGP"):
        loaded = Cloud.from_aws(data, seed=3)
    assert loaded._ref(vpn.id, VpnConnection).bgp_routes == ()
    cloud.enable_vgw_route_propagation(cloud._ref("lab", Vpc).main_route_table_id, vgw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AwsExportWarning)
        data = to_aws(cloud)  # propagated: the routes show the prefix, nothing is lost
    with pytest.warns(AwsImportWarning, match="uses BGP"):
        loaded = Cloud.from_aws(data, seed=3)
    assert loaded._ref(vpn.id, VpnConnection).bgp_routes == ("10.9.0.0/16",)


def test_which_of_two_bgp_vpns_on_one_vgw_advertises_what_is_lost_and_said() -> None:
    cloud, vgw = vgw_world()
    cloud.enable_vgw_route_propagation(cloud._ref("lab", Vpc).main_route_table_id, vgw)
    for number, prefix in ((1, "10.8.0.0/16"), (2, "10.9.0.0/16")):
        customer = cloud.create_customer_gateway(f"203.0.113.{number}", 65000 + number)
        vpn = cloud.create_vpn_connection(customer, vpn_gateway=vgw, static_routes_only=False, name=f"bgp-{number}")
        cloud.advertise_bgp_routes(vpn, [prefix])
    with pytest.warns(AwsExportWarning, match="shares") as caught:
        data = to_aws(cloud)
    assert len(caught) == 2
    with pytest.warns(AwsImportWarning):
        loaded = Cloud.from_aws(data, seed=3)
    assert {v.bgp_routes for v in loaded._all(VpnConnection)} == {("10.8.0.0/16", "10.9.0.0/16")}


def test_gone_peerings_are_written_but_not_loaded_and_their_routes_stay_blackholes() -> None:
    cloud = Cloud(seed=2)
    one, two = cloud.create_vpc("10.0.0.0/16", name="one"), cloud.create_vpc("10.1.0.0/16", name="two")
    cloud.create_subnet(one, "10.0.1.0/24", az="a")
    pcx = cloud.create_vpc_peering_connection(one, two)
    cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route(one.main_route_table_id, "10.1.0.0/16", pcx)
    cloud.delete_vpc_peering_connection(pcx)
    data = to_aws(cloud)
    assert data["VpcPeeringConnections"][0]["Status"]["Code"] == "deleted"
    with pytest.warns(AwsImportWarning) as caught:
        loaded = Cloud.from_aws(data, seed=2)
    assert any("deleted" in str(w.message) for w in caught)
    assert pcx.id not in loaded._items
    assert loaded.route_table(one.main_route_table_id).routes[-1].state == "blackhole"
    assert record_differences(cloud, loaded) == [f"only in the first: {pcx.id}"]


def test_the_seed_the_region_the_zones_and_the_clock_are_not_in_describe_output(original: Cloud,
                                                                               exported: dict[str, Any]) -> None:
    # the seed: NAT gateways pick other ports unless the same seed is given
    other_seed = load(copy.deepcopy(exported), seed=0)
    nat_hop = [h for h in original.trace("app", INTERNET).forward if h.type == "nat-gateway"]
    other_hop = [h for h in other_seed.trace("app", INTERNET).forward if h.type == "nat-gateway"]
    assert nat_hop[0].translated != other_hop[0].translated
    # the zones: only those a subnet uses come back
    assert original.azs == ("us-east-1a", "us-east-1b", "us-east-1c")
    assert other_seed.azs == ("us-east-1a", "us-east-1b")
    # the Region of a world without subnets
    seoul = Cloud("ap-northeast-2")
    seoul.create_vpc("10.0.0.0/16")
    assert load(to_aws(seoul), expected=()).region == "us-east-1"
    assert load(to_aws(seoul), expected=(), region="ap-northeast-2").region == "ap-northeast-2"
    # the clock: a pending peering's age
    clock = Cloud(seed=4)
    a, b = clock.create_vpc("10.0.0.0/16"), clock.create_vpc("10.1.0.0/16")
    pcx = clock.create_vpc_peering_connection(a, b)
    clock.advance_clock(100)
    again = load(to_aws(clock), expected=())
    for world in (clock, again):
        world.advance_clock(100)
    assert clock._ref(pcx.id, VpcPeeringConnection).status == "expired"
    assert again._ref(pcx.id, VpcPeeringConnection).status == "pending-acceptance"


# --- the command ------------------------------------------------------------------------------------

def arguments(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vpclab export")
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_the_command_turns_a_folder_of_describe_outputs_into_one_combined_file(tmp_path: Path,
                                                                                capsys: pytest.CaptureFixture[str]
                                                                                ) -> None:
    data, ids = two_tier_export()
    folder = tmp_path / "describe"
    folder.mkdir()
    for key, value in data.items():
        (folder / f"describe-{key.lower()}.json").write_text(json.dumps({key: value}))
    out = tmp_path / "combined.json"
    assert run(arguments(str(folder), "-o", str(out))) == 0
    assert "wrote" in capsys.readouterr().err
    written = json.loads(out.read_text())
    assert list(written) == list(EXPORT_KEYS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["combined.json", "describe"]  # no temporary file left
    cloud = load(written, seed=0, expected=())
    assert cloud.trace(ids["app"], ids["db"], "tcp", 5432).reachable


def test_the_command_writes_to_standard_output_without_o(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "world.json"
    source.write_text(json.dumps(to_aws(vgw_world()[0])))
    assert run(arguments(str(source))) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["VpnGateways"][0]["Tags"] == [{"Key": "Name", "Value": "vgw"}]


def test_the_command_refuses_bad_input_and_skips_it_when_lenient(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = two_tier_export()
    data["Subnets"][0]["VpcId"] = "vpc-0missing000000000"
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(data))
    out = tmp_path / "out.json"
    with pytest.raises(InvalidValue):  # the CLI turns this into exit status 2
        run(arguments(str(source), "-o", str(out)))
    assert not out.exists()
    with pytest.warns(AwsImportWarning):
        assert run(arguments(str(source), "-o", str(out), "--lenient")) == 0
    assert "skipped" in capsys.readouterr().err
    assert len(json.loads(out.read_text())["Subnets"]) == len(data["Subnets"]) - 1


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "world.json"
    source.write_text(json.dumps(to_aws(vgw_world()[0])))
    out = tmp_path / "out.json"
    out.write_text("old")

    def broken(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vpclab.awsexport.os.replace", broken)
    with pytest.raises(OSError):
        run(arguments(str(source), "-o", str(out)))
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "world.json"]
