"""The classic two-tier VPC, traced end to end: verdicts, the blocking component, and the JSON shape.

public "web" subnet (route to the IGW, NAT gateway), private "app" subnet (route to the NAT gateway),
"db" subnet on the main route table (local only) behind a custom NACL that allows only what it needs.

Written from aws-vpc-facts.md §4–§8 and DESIGN.md §3 (the trace contract), against the engine API
contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud
from vpclab.errors import NotFound

INTERNET_CLIENT = "203.0.113.7"
INTERNET_SERVER = "8.8.8.8"

TOP_LEVEL_KEYS = {"reachable", "source", "destination", "protocol", "port", "explanations", "forward", "return"}
EXPLANATION_KEYS = {"code", "component", "direction", "rule", "message"}
HOP_KEYS = {"component", "type", "action", "detail"}
HOP_ACTIONS = {"allow", "deny", "forward", "translate", "deliver", "drop"}
HOP_TYPES = {"eni", "security-group", "network-acl", "route-table", "internet-gateway",
             "egress-only-internet-gateway", "nat-gateway", "vpc-endpoint", "peering-connection",
             "transit-gateway", "transit-gateway-attachment", "vpn-gateway", "vpn-connection",
             "customer-gateway", "direct-connect", "on-premises", "internet"}


@dataclass(frozen=True)
class TwoTier:
    cloud: Cloud
    vpc: Any
    igw: Any
    web_rt: Any
    app_rt: Any
    db_acl: Any
    web_sg: Any
    app_sg: Any
    db_sg: Any
    eip: Any
    nat: Any
    web: Any
    app: Any
    db: Any


def build_two_tier(cloud: Cloud) -> TwoTier:
    vpc = cloud.create_vpc("10.0.0.0/16", name="shop")
    igw = cloud.create_internet_gateway(name="shop-igw")
    cloud.attach_internet_gateway(igw, vpc)
    web_subnet = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="web-subnet",
                                     map_public_ip_on_launch=True)
    app_subnet = cloud.create_subnet(vpc, "10.0.2.0/24", az="us-east-1a", name="app-subnet")
    db_subnet = cloud.create_subnet(vpc, "10.0.3.0/24", az="us-east-1a", name="db-subnet")

    web_rt = cloud.create_route_table(vpc, name="web-rt")
    cloud.create_route(web_rt, "0.0.0.0/0", igw)
    cloud.associate_route_table(web_rt, web_subnet)
    eip = cloud.allocate_address(name="nat-eip")
    nat = cloud.create_nat_gateway(web_subnet, allocation=eip, name="shop-nat")
    app_rt = cloud.create_route_table(vpc, name="app-rt")
    cloud.create_route(app_rt, "0.0.0.0/0", nat)
    cloud.associate_route_table(app_rt, app_subnet)
    # The db subnet keeps the main route table: the local route only.

    web_sg = cloud.create_security_group(vpc, "web-sg", "web tier")
    cloud.authorize_security_group_ingress(web_sg, "tcp", 443, cidr="0.0.0.0/0")
    app_sg = cloud.create_security_group(vpc, "app-sg", "app tier")
    cloud.authorize_security_group_ingress(app_sg, "tcp", 8080, source_group=web_sg)
    db_sg = cloud.create_security_group(vpc, "db-sg", "database")
    cloud.authorize_security_group_ingress(db_sg, "tcp", 5432, source_group=app_sg)

    db_acl = cloud.create_network_acl(vpc, name="db-acl")
    cloud.create_network_acl_entry(db_acl, 100, "tcp", "allow", "10.0.2.0/24", port=5432)
    cloud.create_network_acl_entry(db_acl, 100, "tcp", "allow", "10.0.2.0/24", egress=True, ports=(1024, 65535))
    cloud.replace_network_acl_association(db_subnet, db_acl)

    (web,) = cloud.run_instances(web_subnet, name="web", security_groups=[web_sg])
    (app,) = cloud.run_instances(app_subnet, name="app", security_groups=[app_sg])
    (db,) = cloud.run_instances(db_subnet, name="db", security_groups=[db_sg])
    return TwoTier(cloud, vpc, igw, web_rt, app_rt, db_acl, web_sg, app_sg, db_sg, eip, nat, web, app, db)


@pytest.fixture
def shop() -> TwoTier:
    return build_two_tier(Cloud(seed=1))


def only_blocker(trace: Any) -> tuple[Any, ...]:
    assert not trace.reachable
    assert len(trace.explanations) == 1
    blocker = trace.explanations[0]
    return (blocker.code, blocker.component, blocker.direction, blocker.rule)


def hops_of(trace: Any, direction: str, component: str) -> list[dict[str, Any]]:
    return [hop for hop in trace.to_dict()[direction] if hop["component"] == component]


def endpoint(text: str) -> tuple[str, int]:
    address, _, port = text.rpartition(":")
    return address, int(port)


# Every scenario of the brief: (source, destination, protocol, port) by Name tag, and the verdict.
SCENARIOS = [
    (INTERNET_CLIENT, "web", "tcp", 443, True),
    (INTERNET_CLIENT, "web", "tcp", 22, False),
    ("web", "app", "tcp", 8080, True),
    ("app", "db", "tcp", 5432, True),
    ("app", INTERNET_SERVER, "tcp", 443, True),
    ("db", INTERNET_SERVER, "tcp", 443, False),
    ("web", "db", "tcp", 5432, False),
]


# --- the verdicts ------------------------------------------------------------------------------

def test_the_shop_is_built_with_a_working_nat_gateway(shop: TwoTier) -> None:
    nat = shop.cloud.get(shop.nat.id)
    assert nat.state == "available"
    assert nat.public_ip == shop.eip.public_ip
    assert shop.web.public_ip is not None and shop.app.public_ip is None and shop.db.public_ip is None


def test_internet_to_web_on_443_is_reachable_when_the_web_sg_allows_443(shop: TwoTier) -> None:
    trace = shop.cloud.trace(INTERNET_CLIENT, "web", "tcp", 443)
    assert trace.reachable
    assert trace.explanations == ()
    actions = [hop.action for hop in trace.forward + trace.return_]
    assert "deliver" in actions and "deny" not in actions and "drop" not in actions


def test_internet_to_web_reaches_the_public_ip_through_the_igw_one_to_one_nat(shop: TwoTier) -> None:
    # DESIGN §3: an instance named as the destination of an internet source is reached at its public IP.
    trace = shop.cloud.trace(INTERNET_CLIENT, "web", "tcp", 443)
    as_dict = trace.to_dict()
    assert (as_dict["source"], as_dict["destination"]) == (INTERNET_CLIENT, shop.web.id)
    (igw_hop, *_) = hops_of(trace, "forward", shop.igw.id)
    assert igw_hop["type"] == "internet-gateway"
    assert shop.web.public_ip in igw_hop["translated"]["from"]
    assert shop.web.private_ip in igw_hop["translated"]["to"]


def test_internet_to_web_on_22_is_stopped_by_the_web_sg(shop: TwoTier) -> None:
    trace = shop.cloud.trace(INTERNET_CLIENT, "web", "tcp", 22)
    assert only_blocker(trace) == ("ENI_SG_RULES_MISMATCH", shop.web_sg.id, "forward", None)
    assert shop.web_sg.id in trace.explanations[0].message or "22" in trace.explanations[0].message


def test_internet_to_the_app_fails_because_it_has_no_public_ip(shop: TwoTier) -> None:
    trace = shop.cloud.trace(INTERNET_CLIENT, "app", "tcp", 8080)
    assert not trace.reachable
    assert trace.explanations[0].code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"


def test_web_to_app_on_the_app_port_is_reachable(shop: TwoTier) -> None:
    trace = shop.cloud.trace("web", "app", "tcp", 8080)
    assert trace.reachable and trace.explanations == ()


def test_web_to_app_on_another_port_is_stopped_by_the_app_sg(shop: TwoTier) -> None:
    trace = shop.cloud.trace("web", "app", "tcp", 22)
    assert only_blocker(trace) == ("ENI_SG_RULES_MISMATCH", shop.app_sg.id, "forward", None)


def test_app_to_db_on_5432_is_reachable(shop: TwoTier) -> None:
    trace = shop.cloud.trace("app", "db", "tcp", 5432)
    assert trace.reachable and trace.explanations == ()
    assert any(hop["action"] == "allow" for hop in hops_of(trace, "forward", shop.db_acl.id))
    assert any(hop["action"] == "allow" for hop in hops_of(trace, "return", shop.db_acl.id))


def test_app_to_internet_is_reachable_through_the_nat_gateway(shop: TwoTier) -> None:
    trace = shop.cloud.trace("app", INTERNET_SERVER, "tcp", 443)
    assert trace.reachable and trace.explanations == ()
    (nat_hop,) = hops_of(trace, "forward", shop.nat.id)
    assert (nat_hop["type"], nat_hop["action"]) == ("nat-gateway", "translate")
    assert nat_hop["translated"]["from"] == f"{shop.app.private_ip}:49152"
    address, port = endpoint(nat_hop["translated"]["to"])
    assert address == shop.eip.public_ip
    assert 1024 <= port <= 65535  # §6: the NAT gateway picks its own port in 1024-65535


def test_app_to_internet_passes_the_hops_in_the_order_of_the_facts_sheet(shop: TwoTier) -> None:
    # §8: source SG, source route table, ..., NAT processing, the NAT subnet's route table, the IGW.
    trace = shop.cloud.trace("app", INTERNET_SERVER, "tcp", 443)
    components = [hop["component"] for hop in trace.to_dict()["forward"]]
    expected = [shop.app_sg.id, shop.app_rt.id, shop.nat.id, shop.web_rt.id, shop.igw.id]
    positions = [components.index(component) for component in expected]
    assert positions == sorted(positions)


def test_the_reply_from_the_internet_passes_the_nat_gateway_in_reverse(shop: TwoTier) -> None:
    trace = shop.cloud.trace("app", INTERNET_SERVER, "tcp", 443)
    (forward_nat,) = hops_of(trace, "forward", shop.nat.id)
    (return_nat,) = hops_of(trace, "return", shop.nat.id)
    assert (return_nat["type"], return_nat["action"]) == ("nat-gateway", "translate")
    assert return_nat["translated"] == {"from": forward_nat["translated"]["to"],
                                        "to": forward_nat["translated"]["from"]}
    components = [hop["component"] for hop in trace.to_dict()["return"]]
    assert components.index(shop.igw.id) < components.index(shop.nat.id)


def test_a_chosen_source_port_is_what_the_nat_gateway_translates(shop: TwoTier) -> None:
    trace = shop.cloud.trace("app", INTERNET_SERVER, "tcp", 443, source_port=50000)
    (nat_hop,) = hops_of(trace, "forward", shop.nat.id)
    assert nat_hop["translated"]["from"] == f"{shop.app.private_ip}:50000"


def test_db_to_internet_has_no_route_in_the_db_route_table(shop: TwoTier) -> None:
    trace = shop.cloud.trace("db", INTERNET_SERVER, "tcp", 443)
    assert only_blocker(trace) == ("NO_ROUTE_TO_DESTINATION", shop.vpc.main_route_table_id, "forward", None)


def test_after_the_nat_gateway_is_deleted_app_to_internet_hits_a_blackhole(shop: TwoTier) -> None:
    shop.cloud.delete_nat_gateway(shop.nat)
    trace = shop.cloud.trace("app", INTERNET_SERVER, "tcp", 443)
    assert only_blocker(trace) == ("BAD_STATE_ROUTE", shop.app_rt.id, "forward", None)
    assert trace.return_ == ()


def test_without_the_outbound_ephemeral_rule_the_db_nacl_denies_the_reply(shop: TwoTier) -> None:
    shop.cloud.delete_network_acl_entry(shop.db_acl, 100, egress=True)
    trace = shop.cloud.trace("app", "db", "tcp", 5432)
    assert only_blocker(trace) == ("SUBNET_ACL_RESTRICTION", shop.db_acl.id, "return", 32767)
    assert trace.return_ != ()  # the forward path was delivered; the reply is what fails
    assert any(hop["action"] == "deny" for hop in hops_of(trace, "return", shop.db_acl.id))
    assert all(hop.action not in {"deny", "drop"} for hop in trace.forward)


# --- several blockers --------------------------------------------------------------------------

def test_all_blockers_lists_every_blocker_in_path_order(shop: TwoTier) -> None:
    # web -> db: the db NACL admits only the app subnet (forward), the db SG only app-sg members,
    # and the db NACL lets replies out only to the app subnet (return). DESIGN §3, facts §8 order.
    trace = shop.cloud.trace("web", "db", "tcp", 5432, all_blockers=True)
    assert not trace.reachable
    assert [(e.code, e.component, e.direction, e.rule) for e in trace.explanations] == [
        ("SUBNET_ACL_RESTRICTION", shop.db_acl.id, "forward", 32767),
        ("ENI_SG_RULES_MISMATCH", shop.db_sg.id, "forward", None),
        ("SUBNET_ACL_RESTRICTION", shop.db_acl.id, "return", 32767),
    ]


def test_without_all_blockers_only_the_first_blocker_is_given(shop: TwoTier) -> None:
    trace = shop.cloud.trace("web", "db", "tcp", 5432)
    assert only_blocker(trace) == ("SUBNET_ACL_RESTRICTION", shop.db_acl.id, "forward", 32767)
    assert trace.return_ == ()


# --- the contract of DESIGN §3 over every scenario ------------------------------------------------

@pytest.mark.parametrize(("source", "destination", "protocol", "port", "reachable"), SCENARIOS)
def test_each_scenario_has_the_expected_verdict_and_explanations_exactly_when_blocked(
        shop: TwoTier, source: str, destination: str, protocol: str, port: int, reachable: bool) -> None:
    trace = shop.cloud.trace(source, destination, protocol, port)
    assert trace.reachable is reachable
    assert (trace.explanations == ()) is reachable
    assert (trace.to_dict()["explanations"] == []) is reachable


@pytest.mark.parametrize(("source", "destination", "protocol", "port", "reachable"), SCENARIOS)
def test_to_dict_has_exactly_the_design_keys_and_is_json(
        shop: TwoTier, source: str, destination: str, protocol: str, port: int, reachable: bool) -> None:
    as_dict = shop.cloud.trace(source, destination, protocol, port).to_dict()
    assert set(as_dict) == TOP_LEVEL_KEYS
    assert (as_dict["reachable"], as_dict["protocol"], as_dict["port"]) == (reachable, protocol, port)
    for explanation in as_dict["explanations"]:
        assert set(explanation) == EXPLANATION_KEYS
    for hop in as_dict["forward"] + as_dict["return"]:
        assert HOP_KEYS <= set(hop) <= HOP_KEYS | {"translated"}
        assert hop["type"] in HOP_TYPES
        assert hop["action"] in HOP_ACTIONS
        if hop["action"] != "translate":
            assert hop.get("translated") is None or hop["type"] == "internet-gateway"
    assert json.loads(json.dumps(as_dict)) == as_dict


def test_to_dict_resolves_names_to_ids_and_keeps_addresses(shop: TwoTier) -> None:
    as_dict = shop.cloud.trace("app", INTERNET_SERVER, "tcp", 443).to_dict()
    assert (as_dict["source"], as_dict["destination"]) == (shop.app.id, INTERNET_SERVER)


def test_a_trace_by_id_equals_a_trace_by_name(shop: TwoTier) -> None:
    by_name = shop.cloud.trace("app", "db", "tcp", 5432).to_dict()
    by_id = shop.cloud.trace(shop.app.id, shop.db.id, "tcp", 5432).to_dict()
    assert by_name == by_id


@pytest.mark.parametrize(("source", "destination", "port"), [(INTERNET_CLIENT, "web", 22),
                                                              ("db", INTERNET_SERVER, 443),
                                                              ("web", "db", 5432)])
def test_when_the_forward_path_fails_the_return_path_is_empty(shop: TwoTier, source: str, destination: str,
                                                               port: int) -> None:
    trace = shop.cloud.trace(source, destination, "tcp", port)
    assert not trace.reachable
    assert trace.return_ == ()
    assert trace.to_dict()["return"] == []
    assert trace.forward[-1].action in {"deny", "drop"}


def test_a_name_that_matches_nothing_is_a_lookup_error(shop: TwoTier) -> None:
    with pytest.raises(NotFound) as caught:
        shop.cloud.trace("cache", "db", "tcp", 6379)
    assert isinstance(caught.value, LookupError)
    assert "cache" in str(caught.value)
