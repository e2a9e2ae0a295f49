"""VPC endpoints, gateway and interface, and how the tracer treats them.

Written from aws-vpc-facts.md §4 (gateway endpoint routes, prefix-list routes, route selection),
§7 (security group rules that name a prefix list), §9 (endpoints), §10 (no edge-to-edge routing
through a peer), §11 (transit gateway, VPN) and DESIGN.md §3 (hop types, explanation codes),
against the issue-4 engine API contract. Where the contract and the facts disagree the facts win;
see GATEWAY_PROTOCOL_CODE.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud, InvalidValue, VpcLabError

INTERNET = "93.184.216.34"
ON_PREMISES = "192.168.0.0/16"
OFFICE_HOST = "192.168.10.5"

# §12 lists VPCE_GATEWAY_PROTOCOL_RESTRICTION as Reachability Analyzer's code for "gateway endpoints
# only take TCP or ICMP echo", and DESIGN §3 takes RA's code where one exists. The API contract names
# the generic PROTOCOL_RESTRICTION instead: the facts win here.
GATEWAY_PROTOCOL_CODE = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"

FULL_ACCESS_POLICY = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


@dataclass(frozen=True)
class Shop:
    cloud: Cloud
    vpc: Any
    public: Any
    app: Any
    app_rt: Any
    nat_id: str
    app_sg: Any
    host: Any  # in the private app subnet, behind the NAT gateway
    web: Any  # in the public subnet, with a public IP


def build_shop(cloud: Cloud) -> Shop:
    vpc = cloud.create_vpc("10.0.0.0/16", name="shop")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app", nat_in=public)
    app_rt = cloud.route_table_for(app)
    nat_id = next(r.target for r in app_rt.routes if r.destination == "0.0.0.0/0")
    app_sg = cloud.create_security_group(vpc, "app-sg")
    cloud.allow(app_sg, 22, source="10.0.0.0/8")
    host = cloud.launch(app, "app-host", app_sg)
    web = cloud.launch(public, "web", app_sg)
    return Shop(cloud, vpc, public, app, app_rt, nat_id, app_sg, host, web)


@pytest.fixture
def shop() -> Shop:
    return build_shop(Cloud(seed=1))


@pytest.fixture
def s3(shop: Shop) -> str:
    return shop.cloud.service_address("s3")


def s3_endpoint(shop: Shop, *tables: Any, **options: Any) -> Any:
    return shop.cloud.create_vpc_endpoint(shop.vpc, "s3", endpoint_type="Gateway",
                                          route_tables=list(tables) or [shop.app_rt], **options)


def endpoint_routes(cloud: Cloud, table: Any) -> list[tuple[str, str]]:
    return [(r.destination, r.target) for r in cloud.route_table(table).routes if r.target.startswith("vpce-")]


def hop_types(trace: Any, direction: str = "forward") -> list[str]:
    return [hop.type for hop in (trace.forward if direction == "forward" else trace.return_)]


def passes(trace: Any, kind: str, component: str) -> bool:
    return any(hop.type == kind and hop.component == component for hop in trace.forward)


def blocker(trace: Any) -> tuple[str, str | None, str]:
    assert not trace.reachable
    first = trace.explanations[0]
    return first.code, first.component, first.direction


def in_prefix_list(cloud: Cloud, service: str, address: str) -> bool:
    return any(ipaddress.IPv4Address(address) in ipaddress.IPv4Network(c) for c in cloud.prefix_list(service).cidrs)


def peer_with(shop: Shop, cidr: str = "10.1.0.0/16") -> tuple[Any, Any, Any]:
    """A second VPC peered with the shop, with routes on both sides (§10); returns (pcx, its host, its route table)."""
    cloud = shop.cloud
    other = cloud.create_vpc(cidr, name="partner")
    subnet = cloud.add_private_subnet(other, cidr.replace(".0.0/16", ".1.0/24"), az="a", name="partner-app")
    table = cloud.route_table_for(subnet)
    pcx = cloud.create_vpc_peering_connection(shop.vpc, other, name="shop-partner")
    cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route(shop.app_rt, cidr, pcx)
    cloud.create_route(table, "10.0.0.0/16", pcx)
    return pcx, cloud.launch(subnet, "partner-host"), table


# --- the AWS-managed prefix lists ----------------------------------------------------------------

def test_the_s3_prefix_list_is_the_regions_aws_managed_list_and_holds_the_service_address(shop: Shop) -> None:
    # §4: the gateway endpoint route is pl-xxxx (the service's AWS-managed prefix list) → vpce-xxxx.
    listing = shop.cloud.prefix_list("s3")
    assert listing.id.startswith("pl-")
    assert listing.name == "com.amazonaws.us-east-1.s3"
    assert listing.cidrs
    address = shop.cloud.service_address("s3")
    assert in_prefix_list(shop.cloud, "s3", address)
    assert ipaddress.IPv4Address(address).is_global  # a public address of the service


def test_prefix_lists_are_named_after_the_clouds_region() -> None:
    cloud = Cloud("ap-northeast-2", seed=1)
    assert cloud.prefix_list("s3").name == "com.amazonaws.ap-northeast-2.s3"
    assert cloud.prefix_list("dynamodb").name == "com.amazonaws.ap-northeast-2.dynamodb"


def test_s3_and_dynamodb_have_separate_prefix_lists(shop: Shop) -> None:
    # §14 h: each gateway endpoint covers a single service.
    s3_list, ddb_list = shop.cloud.prefix_list("s3"), shop.cloud.prefix_list("dynamodb")
    assert s3_list.id != ddb_list.id
    assert not in_prefix_list(shop.cloud, "s3", shop.cloud.service_address("dynamodb"))
    assert not in_prefix_list(shop.cloud, "dynamodb", shop.cloud.service_address("s3"))


# --- gateway endpoints: creation and routes ------------------------------------------------------

def test_a_gateway_endpoint_adds_a_prefix_list_route_to_each_associated_route_table(shop: Shop) -> None:
    # §4/§9: the route pl-… → vpce-… is added automatically to each associated route table.
    other_rt = shop.cloud.create_route_table(shop.vpc, name="other-rt")
    endpoint = s3_endpoint(shop, shop.app_rt, other_rt)
    pl = shop.cloud.prefix_list("s3").id
    assert endpoint.id.startswith("vpce-")
    assert set(endpoint.route_table_ids) == {shop.app_rt.id, other_rt.id}
    assert endpoint_routes(shop.cloud, shop.app_rt) == [(pl, endpoint.id)]
    assert endpoint_routes(shop.cloud, other_rt) == [(pl, endpoint.id)]
    assert endpoint_routes(shop.cloud, shop.vpc.main_route_table_id) == []  # not associated
    assert all(r.state == "active" for r in shop.cloud.route_table(shop.app_rt).routes if r.destination == pl)


def test_a_gateway_endpoint_has_no_enis_subnets_or_security_groups(shop: Shop) -> None:
    # §9: a gateway endpoint is a route target, with no security group of its own.
    endpoint = s3_endpoint(shop)
    assert (endpoint.endpoint_type, endpoint.service_name) == ("Gateway", "com.amazonaws.us-east-1.s3")
    assert (endpoint.vpc_id, endpoint.state) == (shop.vpc.id, "available")
    assert (tuple(endpoint.subnet_ids), tuple(endpoint.network_interface_ids), tuple(endpoint.security_group_ids)) == \
        ((), (), ())


@pytest.mark.parametrize("service", ["s3", "dynamodb"])
def test_gateway_endpoints_exist_for_s3_and_dynamodb(shop: Shop, service: str) -> None:
    endpoint = shop.cloud.create_vpc_endpoint(shop.vpc, service, endpoint_type="Gateway", route_tables=[shop.app_rt])
    assert endpoint.service_name == f"com.amazonaws.us-east-1.{service}"


@pytest.mark.parametrize("service", ["sqs", "ec2", "kms"])
def test_gateway_endpoints_exist_only_for_s3_and_dynamodb(shop: Shop, service: str) -> None:
    # §9, §14 h: every other service needs an interface endpoint.
    with pytest.raises(VpcLabError) as caught:
        shop.cloud.create_vpc_endpoint(shop.vpc, service, endpoint_type="Gateway", route_tables=[shop.app_rt])
    assert caught.value.code == "InvalidParameter"
    assert endpoint_routes(shop.cloud, shop.app_rt) == []


def test_a_gateway_endpoint_serves_only_its_own_region(shop: Shop) -> None:
    # §9: same Region only.
    with pytest.raises(VpcLabError) as caught:
        shop.cloud.create_vpc_endpoint(shop.vpc, "com.amazonaws.eu-west-1.s3", endpoint_type="Gateway",
                                       route_tables=[shop.app_rt])
    assert caught.value.code == "InvalidServiceName"
    endpoint = shop.cloud.create_vpc_endpoint(shop.vpc, "com.amazonaws.us-east-1.s3", endpoint_type="Gateway",
                                              route_tables=[shop.app_rt])
    assert endpoint.service_name == "com.amazonaws.us-east-1.s3"


def test_a_route_table_holds_one_endpoint_route_per_service(shop: Shop) -> None:
    # §4/§9: one endpoint route per service per route table; several endpoints per service in different tables.
    s3_endpoint(shop)
    with pytest.raises(VpcLabError) as caught:
        s3_endpoint(shop)
    assert caught.value.code == "RouteAlreadyExists"
    other_rt = shop.cloud.create_route_table(shop.vpc, name="other-rt")
    second = s3_endpoint(shop, other_rt)
    assert endpoint_routes(shop.cloud, other_rt) == [(shop.cloud.prefix_list("s3").id, second.id)]
    dynamodb = shop.cloud.create_vpc_endpoint(shop.vpc, "dynamodb", endpoint_type="Gateway",
                                              route_tables=[shop.app_rt])
    assert (shop.cloud.prefix_list("dynamodb").id, dynamodb.id) in endpoint_routes(shop.cloud, shop.app_rt)


def test_the_endpoint_route_is_not_managed_through_the_route_table_api(shop: Shop) -> None:
    # §4: the endpoint route can't be created, edited or deleted through the route table APIs.
    endpoint = s3_endpoint(shop)
    pl = shop.cloud.prefix_list("s3").id
    with pytest.raises(VpcLabError):
        shop.cloud.delete_route(shop.app_rt, pl)
    other_rt = shop.cloud.create_route_table(shop.vpc, name="other-rt")
    with pytest.raises(VpcLabError):
        shop.cloud.create_route(other_rt, pl, endpoint)
    assert endpoint_routes(shop.cloud, shop.app_rt) == [(pl, endpoint.id)]
    assert endpoint_routes(shop.cloud, other_rt) == []


def test_modifying_the_endpoint_adds_and_removes_route_tables(shop: Shop) -> None:
    endpoint = s3_endpoint(shop)
    other_rt = shop.cloud.create_route_table(shop.vpc, name="other-rt")
    shop.cloud.modify_vpc_endpoint(endpoint, add_route_tables=[other_rt], remove_route_tables=[shop.app_rt])
    assert endpoint_routes(shop.cloud, other_rt) == [(shop.cloud.prefix_list("s3").id, endpoint.id)]
    assert endpoint_routes(shop.cloud, shop.app_rt) == []
    assert tuple(shop.cloud.get(endpoint.id).route_table_ids) == (other_rt.id,)


def test_deleting_the_endpoint_removes_its_routes_and_s3_traffic_goes_back_to_the_nat(shop: Shop, s3: str) -> None:
    endpoint = s3_endpoint(shop)
    shop.cloud.delete_vpc_endpoint(endpoint)
    assert endpoint_routes(shop.cloud, shop.app_rt) == []
    trace = shop.cloud.trace(shop.host, s3, "tcp", 443)
    assert trace.reachable
    assert passes(trace, "nat-gateway", shop.nat_id)
    assert "vpc-endpoint" not in hop_types(trace)


# --- gateway endpoints: route selection ----------------------------------------------------------

def test_without_an_endpoint_s3_traffic_goes_through_the_nat_gateway(shop: Shop, s3: str) -> None:
    trace = shop.cloud.trace(shop.host, s3, "tcp", 443)
    assert trace.reachable
    assert passes(trace, "nat-gateway", shop.nat_id)


def test_the_prefix_list_route_beats_the_default_route_to_the_nat_gateway(shop: Shop, s3: str) -> None:
    # §4: longest prefix match; the service ranges are more specific than 0.0.0.0/0.
    endpoint = s3_endpoint(shop)
    decision = shop.cloud.route_for(shop.app, s3)
    assert (decision.route.destination, decision.route.target) == (shop.cloud.prefix_list("s3").id, endpoint.id)
    trace = shop.cloud.trace(shop.host, s3, "tcp", 443)
    assert trace.reachable and trace.explanations == ()
    assert passes(trace, "vpc-endpoint", endpoint.id)
    assert "nat-gateway" not in hop_types(trace)
    assert any(hop.type == "vpc-endpoint" for hop in trace.return_)


def test_other_internet_traffic_still_uses_the_nat_gateway(shop: Shop) -> None:
    s3_endpoint(shop)
    trace = shop.cloud.trace(shop.host, INTERNET, "tcp", 443)
    assert trace.reachable
    assert passes(trace, "nat-gateway", shop.nat_id)
    assert "vpc-endpoint" not in hop_types(trace)


def test_a_subnet_without_any_route_out_reaches_s3_through_the_endpoint(shop: Shop, s3: str) -> None:
    isolated = shop.cloud.add_private_subnet(shop.vpc, "10.0.3.0/24", az="a", name="isolated")
    host = shop.cloud.launch(isolated, "isolated-host")
    table = shop.cloud.route_table_for(isolated)
    assert blocker(shop.cloud.trace(host, s3, "tcp", 443)) == ("NO_ROUTE_TO_DESTINATION", table.id, "forward")
    endpoint = s3_endpoint(shop, table)
    trace = shop.cloud.trace(host, s3, "tcp", 443)
    assert trace.reachable
    assert passes(trace, "vpc-endpoint", endpoint.id)


def test_only_subnets_whose_route_table_is_associated_use_the_endpoint(shop: Shop, s3: str) -> None:
    # §9: only subnets whose route tables are associated with the endpoint use it.
    s3_endpoint(shop)
    trace = shop.cloud.trace(shop.web, s3, "tcp", 443)
    assert trace.reachable
    assert "internet-gateway" in hop_types(trace)
    assert "vpc-endpoint" not in hop_types(trace)


@pytest.mark.parametrize("how", ["identical-range", "single-address"])
def test_your_own_route_to_an_identical_or_narrower_range_takes_precedence(shop: Shop, s3: str, how: str) -> None:
    # §4: "your own route to an identical range takes precedence"; a more specific prefix always wins.
    s3_endpoint(shop)
    covering = next(c for c in shop.cloud.prefix_list("s3").cidrs
                    if ipaddress.IPv4Address(s3) in ipaddress.IPv4Network(c))
    shop.cloud.create_route(shop.app_rt, covering if how == "identical-range" else f"{s3}/32", shop.nat_id)
    assert shop.cloud.route_for(shop.app, s3).route.target == shop.nat_id
    trace = shop.cloud.trace(shop.host, s3, "tcp", 443)
    assert trace.reachable
    assert passes(trace, "nat-gateway", shop.nat_id)
    assert "vpc-endpoint" not in hop_types(trace)


def test_a_dynamodb_endpoint_does_not_carry_s3_traffic(shop: Shop, s3: str) -> None:
    # §14 h: each gateway endpoint covers a single service.
    dynamodb = shop.cloud.create_vpc_endpoint(shop.vpc, "dynamodb", endpoint_type="Gateway",
                                              route_tables=[shop.app_rt])
    to_s3 = shop.cloud.trace(shop.host, s3, "tcp", 443)
    assert to_s3.reachable and passes(to_s3, "nat-gateway", shop.nat_id)
    to_dynamodb = shop.cloud.trace(shop.host, shop.cloud.service_address("dynamodb"), "tcp", 443)
    assert to_dynamodb.reachable and passes(to_dynamodb, "vpc-endpoint", dynamodb.id)


# --- gateway endpoints: filters and protocols ----------------------------------------------------

def test_security_group_egress_rules_can_name_the_prefix_list(shop: Shop, s3: str) -> None:
    # §7/§9: no security group on a gateway endpoint; outbound rules can reference the prefix list.
    s3_endpoint(shop)
    cloud = shop.cloud
    cloud.revoke_security_group_egress(shop.app_sg, "all", cidr="0.0.0.0/0")
    group = cloud.authorize_security_group_egress(shop.app_sg, "tcp", 443, cidr=cloud.prefix_list("s3").id)
    assert any(rule.peer == cloud.prefix_list("s3").id for rule in group.egress)
    assert cloud.trace(shop.host, s3, "tcp", 443).reachable
    assert blocker(cloud.trace(shop.host, INTERNET, "tcp", 443)) == ("ENI_SG_RULES_MISMATCH", shop.app_sg.id,
                                                                    "forward")
    assert blocker(cloud.trace(shop.host, s3, "tcp", 80)) == ("ENI_SG_RULES_MISMATCH", shop.app_sg.id, "forward")


def test_network_acl_rules_cannot_name_a_prefix_list(shop: Shop) -> None:
    # §9: security groups can reference the prefix list; NACLs can't.
    acl = shop.cloud.create_network_acl(shop.vpc, name="app-acl")
    with pytest.raises(InvalidValue):
        shop.cloud.create_network_acl_entry(acl, 100, "tcp", "allow", shop.cloud.prefix_list("s3").id, port=443)


@pytest.mark.parametrize(("protocol", "port"), [("tcp", 443), ("tcp", 80), ("icmp", None)])
def test_a_gateway_endpoint_carries_tcp_and_icmp_echo(shop: Shop, s3: str, protocol: str, port: int | None) -> None:
    # §12: gateway endpoints only take TCP or ICMP echo.
    endpoint = s3_endpoint(shop)
    trace = shop.cloud.trace(shop.host, s3, protocol, port)
    assert trace.reachable
    assert passes(trace, "vpc-endpoint", endpoint.id)


def test_a_gateway_endpoint_does_not_carry_udp(shop: Shop, s3: str) -> None:
    endpoint = s3_endpoint(shop)
    trace = shop.cloud.trace(shop.host, s3, "udp", 443)
    assert blocker(trace) == (GATEWAY_PROTOCOL_CODE, endpoint.id, "forward")
    assert trace.return_ == ()


# --- gateway endpoints: not usable from outside the VPC ------------------------------------------

def test_a_peered_vpc_cannot_use_the_gateway_endpoint(shop: Shop, s3: str) -> None:
    # §9/§10: no edge-to-edge routing; the peering carries only packets for the peer's CIDR (DESIGN §3).
    s3_endpoint(shop)
    pcx, partner_host, partner_rt = peer_with(shop)
    shop.cloud.create_route(partner_rt, "0.0.0.0/0", pcx)
    trace = shop.cloud.trace(partner_host, s3, "tcp", 443)
    assert blocker(trace) == ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pcx.id, "forward")
    assert "vpc-endpoint" not in hop_types(trace)


@pytest.mark.parametrize("source", ["spoke-host", OFFICE_HOST])
def test_traffic_arriving_over_a_transit_gateway_cannot_use_the_gateway_endpoint(shop: Shop, s3: str,
                                                                                source: str) -> None:
    # §9: not reachable from across VPN, peering, TGW or DX. A spoke VPC and an office (a BGP VPN on the
    # same TGW) send everything through the TGW to the shop VPC, whose attachment subnet routes to the
    # endpoint: the endpoint refuses sources from outside its VPC.
    cloud = shop.cloud
    attach_subnet = cloud.add_private_subnet(shop.vpc, "10.0.9.0/28", az="a", name="shop-tgw")
    endpoint = s3_endpoint(shop, cloud.route_table_for(attach_subnet))
    tgw = cloud.create_transit_gateway(name="hub")
    shop_attachment = cloud.create_transit_gateway_vpc_attachment(tgw, shop.vpc, subnets=[attach_subnet])
    spoke = cloud.create_vpc("10.1.0.0/16", name="spoke")
    spoke_subnet = cloud.add_private_subnet(spoke, "10.1.1.0/24", az="a", name="spoke-app")
    cloud.launch(spoke_subnet, "spoke-host")
    cloud.create_transit_gateway_vpc_attachment(tgw, spoke, subnets=[spoke_subnet])
    cloud.create_route(cloud.route_table_for(spoke_subnet), "0.0.0.0/0", tgw)
    gateway = cloud.create_customer_gateway("198.51.100.10", bgp_asn=65000, name="office")
    vpn = cloud.create_vpn_connection(gateway, transit_gateway=tgw, static_routes_only=False)
    cloud.advertise_bgp_routes(vpn, [ON_PREMISES])
    cloud.create_transit_gateway_route(tgw.default_route_table_id, "0.0.0.0/0", attachment=shop_attachment)
    trace = cloud.trace(source, s3, "tcp", 443)
    assert blocker(trace) == ("VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION", endpoint.id, "forward")


# --- interface endpoints -------------------------------------------------------------------------

@pytest.fixture
def zones(shop: Shop) -> tuple[Any, Any]:
    """Two endpoint subnets, one in each of two AZs."""
    return (shop.cloud.create_subnet(shop.vpc, "10.0.10.0/24", az="a", name="endpoints-a"),
            shop.cloud.create_subnet(shop.vpc, "10.0.11.0/24", az="b", name="endpoints-b"))


def sqs_endpoint(shop: Shop, subnets: list[Any], **options: Any) -> Any:
    return shop.cloud.create_vpc_endpoint(shop.vpc, "sqs", endpoint_type="Interface", subnets=subnets, **options)


def eni_addresses(cloud: Cloud, endpoint: Any) -> set[str]:
    return {cloud.get(eni).private_ip for eni in cloud.get(endpoint.id).network_interface_ids}


def test_an_interface_endpoint_puts_one_eni_in_each_chosen_subnet(shop: Shop, zones: tuple[Any, Any]) -> None:
    # §9: a requester-managed ENI in each chosen subnet, with a private IP from that subnet.
    endpoint = sqs_endpoint(shop, list(zones))
    assert endpoint.endpoint_type == "Interface"
    assert endpoint.service_name == "com.amazonaws.us-east-1.sqs"
    assert set(endpoint.subnet_ids) == {zones[0].id, zones[1].id}
    assert len(endpoint.network_interface_ids) == 2
    by_subnet = {shop.cloud.get(eni).subnet_id: shop.cloud.get(eni) for eni in endpoint.network_interface_ids}
    for subnet in zones:
        address = ipaddress.IPv4Address(by_subnet[subnet.id].private_ip)
        assert address in ipaddress.IPv4Network(subnet.cidr)
    assert tuple(endpoint.route_table_ids) == ()  # no routes: it is reached at its ENIs' addresses


def test_an_interface_endpoint_takes_at_most_one_subnet_per_az(shop: Shop, zones: tuple[Any, Any]) -> None:
    same_zone = shop.cloud.create_subnet(shop.vpc, "10.0.12.0/24", az="a", name="endpoints-a2")
    with pytest.raises(VpcLabError) as caught:
        sqs_endpoint(shop, [zones[0], same_zone])
    assert caught.value.code == "DuplicateSubnetsInSameZone"


def test_an_interface_endpoint_gets_the_vpcs_default_security_group_when_none_is_given(
        shop: Shop, zones: tuple[Any, Any]) -> None:
    # §9: security groups apply to the endpoint ENIs; the VPC's default group if you pick none.
    endpoint = sqs_endpoint(shop, [zones[0]])
    assert tuple(endpoint.security_group_ids) == (shop.vpc.default_security_group_id,)
    (eni,) = endpoint.network_interface_ids
    assert tuple(shop.cloud.get(eni).security_group_ids) == (shop.vpc.default_security_group_id,)


def test_the_endpoint_security_group_blocks_443_until_a_rule_allows_it(shop: Shop, zones: tuple[Any, Any]) -> None:
    # §9: security groups apply to the endpoint ENIs (§7: a new group has no inbound rules).
    endpoint_sg = shop.cloud.create_security_group(shop.vpc, "sqs-endpoint-sg")
    endpoint = sqs_endpoint(shop, list(zones), security_groups=[endpoint_sg])
    target = shop.cloud.get(endpoint.network_interface_ids[0]).private_ip
    trace = shop.cloud.trace(shop.host, target, "tcp", 443)
    assert blocker(trace) == ("ENI_SG_RULES_MISMATCH", endpoint_sg.id, "forward")
    shop.cloud.allow(endpoint_sg, 443, source="10.0.0.0/16")
    trace = shop.cloud.trace(shop.host, target, "tcp", 443)
    assert trace.reachable and trace.explanations == ()
    assert trace.forward[-1].action == "deliver"
    assert blocker(shop.cloud.trace(shop.host, target, "tcp", 80)) == ("ENI_SG_RULES_MISMATCH", endpoint_sg.id,
                                                                      "forward")


def test_the_endpoint_id_is_a_trace_destination(shop: Shop, zones: tuple[Any, Any]) -> None:
    # DESIGN §3: a destination may be a vpce-… id; the JSON names it by that id.
    endpoint_sg = shop.cloud.create_security_group(shop.vpc, "sqs-endpoint-sg")
    shop.cloud.allow(endpoint_sg, 443, source="10.0.0.0/16")
    endpoint = sqs_endpoint(shop, [zones[0]], security_groups=[endpoint_sg])
    trace = shop.cloud.trace(shop.host, endpoint.id, "tcp", 443)
    assert trace.reachable
    assert trace.to_dict()["destination"] == endpoint.id


def test_private_dns_resolves_the_service_name_to_the_endpoint_enis(shop: Shop, zones: tuple[Any, Any]) -> None:
    endpoint = sqs_endpoint(shop, list(zones), private_dns=True)
    assert endpoint.private_dns_enabled is True
    addresses = shop.cloud.resolve("sqs.us-east-1.amazonaws.com")
    assert isinstance(addresses, tuple)
    assert set(addresses) == eni_addresses(shop.cloud, endpoint)


def test_private_dns_is_on_by_default(shop: Shop, zones: tuple[Any, Any]) -> None:
    # §9: private DNS is on by default for AWS services.
    endpoint = sqs_endpoint(shop, [zones[0]])
    assert endpoint.private_dns_enabled is True


def test_without_private_dns_the_service_name_resolves_to_a_public_address(shop: Shop,
                                                                          zones: tuple[Any, Any]) -> None:
    endpoint = sqs_endpoint(shop, list(zones), private_dns=False)
    assert endpoint.private_dns_enabled is False
    addresses = shop.cloud.resolve("sqs.us-east-1.amazonaws.com")
    assert addresses
    assert not set(addresses) & eni_addresses(shop.cloud, endpoint)
    assert all(ipaddress.IPv4Address(a).is_global for a in addresses)


@pytest.mark.parametrize("private_dns", [True, False])
def test_the_endpoint_specific_dns_name_always_resolves_to_the_enis(shop: Shop, zones: tuple[Any, Any],
                                                                    private_dns: bool) -> None:
    endpoint = sqs_endpoint(shop, list(zones), private_dns=private_dns)
    assert endpoint.dns_names
    assert set(shop.cloud.resolve(endpoint.dns_names[0])) == eni_addresses(shop.cloud, endpoint)


def test_an_interface_endpoint_is_reachable_from_a_peered_vpc(shop: Shop) -> None:
    # §9: unlike gateway endpoints, interface endpoints can be reached from peered VPCs.
    endpoint_sg = shop.cloud.create_security_group(shop.vpc, "sqs-endpoint-sg")
    shop.cloud.allow(endpoint_sg, 443, source="10.1.0.0/16")
    endpoint = sqs_endpoint(shop, [shop.app], security_groups=[endpoint_sg])
    pcx, partner_host, _ = peer_with(shop)
    target = shop.cloud.get(endpoint.network_interface_ids[0]).private_ip
    trace = shop.cloud.trace(partner_host, target, "tcp", 443)
    assert trace.reachable
    assert passes(trace, "peering-connection", pcx.id)


def test_an_endpoint_policy_is_stored_as_given(shop: Shop, zones: tuple[Any, Any]) -> None:
    # §9: a JSON resource policy in IAM format, one per endpoint.
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}
    endpoint = sqs_endpoint(shop, [zones[0]], policy=policy)
    assert endpoint.policy == policy
    assert shop.cloud.get(endpoint.id).policy == policy
    gateway = s3_endpoint(shop, policy=policy)
    assert shop.cloud.get(gateway.id).policy == policy


def test_without_a_policy_the_default_full_access_policy_applies(shop: Shop, zones: tuple[Any, Any]) -> None:
    # §9: with no policy attached, a default full-access policy applies (stored as None or spelled out).
    endpoint = sqs_endpoint(shop, [zones[0]])
    policy = shop.cloud.get(endpoint.id).policy
    if policy is not None:
        assert [{k: s[k] for k in ("Effect", "Principal", "Action", "Resource")} for s in policy["Statement"]] == \
            FULL_ACCESS_POLICY["Statement"]


def test_a_trace_through_an_endpoint_with_a_policy_says_the_policy_may_still_refuse_the_call() -> None:
    # §9: a policy governs API requests, not packets; the trace says so instead of judging it.
    cloud = Cloud(seed=4)
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24", "a")
    host = cloud.launch(subnet, "host")
    policy = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
    cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(subnet)], policy=policy)
    trace = cloud.trace(host, cloud.service_address("s3"), "tcp", 443)
    assert trace.reachable
    endpoint_hop = next(h for h in trace.forward if h.type == "vpc-endpoint")
    assert "endpoint policy may still refuse the API call" in endpoint_hop.detail
