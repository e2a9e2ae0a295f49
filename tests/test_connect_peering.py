"""VPC peering: its lifecycle, the routes it needs, what it will not carry, and its quota.

Written from aws-vpc-facts.md §4 (blackhole routes), §7 (security group references to a peer),
§10 (peering) and DESIGN.md §3 (hop types, explanation codes), against the issue-4 engine API
contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpclab import Cloud, VpcLabError
from vpclab.quotas import Quotas

INTERNET = "93.184.216.34"

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Site:
    """One VPC with a private subnet (its own route table), a security group and a host."""

    vpc: Any
    subnet: Any
    rt: Any
    sg: Any
    host: Any

    @property
    def cidr(self) -> str:
        return self.vpc.cidr


def site(cloud: Cloud, name: str, index: int) -> Site:
    vpc = cloud.create_vpc(f"10.{index}.0.0/16", name=name)
    subnet = cloud.add_private_subnet(vpc, f"10.{index}.1.0/24", az="a", name=f"{name}-app")
    group = cloud.create_security_group(vpc, f"{name}-sg")
    cloud.allow(group, 22, source="10.0.0.0/8")
    host = cloud.launch(subnet, f"{name}-host", group)
    return Site(vpc, subnet, cloud.route_table_for(subnet), group, host)


def peer(cloud: Cloud, one: Site, other: Site, *, accept: bool = True, routes: str = "both") -> Any:
    """A peering between two sites with a route to the peer's CIDR on each side ("both"), on the
    requester side only ("requester") or on neither ("none")."""
    pcx = cloud.create_vpc_peering_connection(one.vpc, other.vpc, name=f"{one.vpc.name}-{other.vpc.name}")
    if accept:
        cloud.accept_vpc_peering_connection(pcx)
    if routes in ("both", "requester"):
        cloud.create_route(one.rt, other.cidr, pcx)
    if routes == "both":
        cloud.create_route(other.rt, one.cidr, pcx)
    return pcx


def status(cloud: Cloud, pcx: Any) -> str:
    return cloud.get(pcx.id).status


def blocker(trace: Any) -> tuple[str, str | None, str]:
    assert not trace.reachable
    first = trace.explanations[0]
    return first.code, first.component, first.direction


def route_state(cloud: Cloud, site_: Site, destination: str) -> str:
    return next(r.state for r in cloud.route_table(site_.rt).routes if r.destination == destination)


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=1)


@pytest.fixture
def a(cloud: Cloud) -> Site:
    return site(cloud, "a", 1)


@pytest.fixture
def b(cloud: Cloud) -> Site:
    return site(cloud, "b", 2)


@pytest.fixture
def c(cloud: Cloud) -> Site:
    return site(cloud, "c", 3)


# --- lifecycle (§10) -------------------------------------------------------------------------------

def test_a_new_request_is_pending_acceptance(cloud: Cloud, a: Site, b: Site) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    assert pcx.id.startswith("pcx-")
    assert (pcx.requester_vpc_id, pcx.accepter_vpc_id) == (a.vpc.id, b.vpc.id)
    assert pcx.status == "pending-acceptance"


def test_accepting_a_request_makes_it_active(cloud: Cloud, a: Site, b: Site) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    cloud.accept_vpc_peering_connection(pcx)
    assert status(cloud, pcx) == "active"


def test_rejecting_a_request_makes_it_rejected(cloud: Cloud, a: Site, b: Site) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    cloud.reject_vpc_peering_connection(pcx)
    assert status(cloud, pcx) == "rejected"


@pytest.mark.parametrize("accepted", [True, False], ids=["active", "pending"])
def test_deleting_a_peering_makes_it_deleted(cloud: Cloud, a: Site, b: Site, accepted: bool) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    if accepted:
        cloud.accept_vpc_peering_connection(pcx)
    cloud.delete_vpc_peering_connection(pcx)
    assert status(cloud, pcx) == "deleted"


def test_a_request_not_accepted_within_168_hours_expires(cloud: Cloud, a: Site, b: Site) -> None:
    # §10: a request expires if not accepted within 1 week (168 hours).
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    cloud.advance_clock(hours=167)
    assert status(cloud, pcx) == "pending-acceptance"
    cloud.advance_clock(hours=1)
    assert status(cloud, pcx) == "expired"


def test_an_active_peering_does_not_expire(cloud: Cloud, a: Site, b: Site) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    cloud.accept_vpc_peering_connection(pcx)
    cloud.advance_clock(hours=24 * 30)
    assert status(cloud, pcx) == "active"


@pytest.mark.parametrize("cidr", ["10.1.0.0/16", "10.1.128.0/17", "10.5.0.0/16"])
def test_a_request_between_overlapping_cidrs_fails(cloud: Cloud, a: Site, cidr: str) -> None:
    # §10: overlapping CIDRs are refused, any block of either VPC ("10.5.0.0/16" overlaps a secondary block).
    cloud.associate_vpc_cidr_block(a.vpc, "10.5.0.0/16")
    other = cloud.create_vpc(cidr, name="overlapping")
    pcx = cloud.create_vpc_peering_connection(a.vpc, other)
    assert status(cloud, pcx) == "failed"


def test_a_request_between_vpcs_that_do_not_overlap_does_not_fail(cloud: Cloud, a: Site) -> None:
    other = cloud.create_vpc("10.2.0.0/16", name="neighbour")
    assert cloud.create_vpc_peering_connection(a.vpc, other).status == "pending-acceptance"


@pytest.mark.parametrize("reverse", [False, True], ids=["same-direction", "reverse-direction"])
def test_only_one_peering_can_exist_between_two_vpcs(cloud: Cloud, a: Site, b: Site, reverse: bool) -> None:
    first = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    cloud.accept_vpc_peering_connection(first)
    with pytest.raises(VpcLabError) as caught:
        cloud.create_vpc_peering_connection(*((b.vpc, a.vpc) if reverse else (a.vpc, b.vpc)))
    assert caught.value.code == "VpcPeeringConnectionAlreadyExists"


def test_a_pending_request_also_counts_as_existing(cloud: Cloud, a: Site, b: Site) -> None:
    cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    with pytest.raises(VpcLabError) as caught:
        cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    assert caught.value.code == "VpcPeeringConnectionAlreadyExists"


@pytest.mark.parametrize("ending", ["reject", "delete", "expire"])
def test_a_new_request_may_follow_one_that_ended(cloud: Cloud, a: Site, b: Site, ending: str) -> None:
    first = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    if ending == "reject":
        cloud.reject_vpc_peering_connection(first)
    elif ending == "delete":
        cloud.delete_vpc_peering_connection(first)
    else:
        cloud.advance_clock(hours=168)
    second = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    assert second.id != first.id and second.status == "pending-acceptance"


@pytest.mark.parametrize("state", ["active", "rejected", "deleted", "expired"])
def test_only_a_pending_request_can_be_accepted(cloud: Cloud, a: Site, b: Site, state: str) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, b.vpc)
    if state == "active":
        cloud.accept_vpc_peering_connection(pcx)
    elif state == "rejected":
        cloud.reject_vpc_peering_connection(pcx)
    elif state == "deleted":
        cloud.delete_vpc_peering_connection(pcx)
    else:
        cloud.advance_clock(hours=168)
    with pytest.raises(VpcLabError) as caught:
        cloud.accept_vpc_peering_connection(pcx)
    assert caught.value.code == "InvalidStateTransition"
    assert status(cloud, pcx) == state


def test_a_failed_request_cannot_be_accepted(cloud: Cloud, a: Site) -> None:
    pcx = cloud.create_vpc_peering_connection(a.vpc, cloud.create_vpc("10.1.0.0/16", name="twin"))
    with pytest.raises(VpcLabError) as caught:
        cloud.accept_vpc_peering_connection(pcx)
    assert caught.value.code == "InvalidStateTransition"


# --- routes on both sides (§10, §4) ----------------------------------------------------------------

def test_with_routes_on_both_sides_the_peers_reach_each_other(cloud: Cloud, a: Site, b: Site) -> None:
    pcx = peer(cloud, a, b)
    for source, destination in ((a, b), (b, a)):
        trace = cloud.trace(source.host, destination.host, "tcp", 22)
        assert trace.reachable and trace.explanations == ()
        assert any(h.type == "peering-connection" and h.component == pcx.id for h in trace.forward)
        assert any(h.type == "peering-connection" and h.component == pcx.id for h in trace.return_)


def test_a_route_on_one_side_only_fails_on_the_return_path(cloud: Cloud, a: Site, b: Site) -> None:
    # §10: routes are needed in the route tables of both sides.
    peer(cloud, a, b, routes="requester")
    trace = cloud.trace(a.host, b.host, "tcp", 22)
    assert blocker(trace) == ("NO_ROUTE_TO_DESTINATION", b.rt.id, "return")
    assert trace.return_ != ()
    assert all(h.action not in ("deny", "drop") for h in trace.forward)


def test_without_a_route_to_the_peer_there_is_no_route(cloud: Cloud, a: Site, b: Site) -> None:
    peer(cloud, a, b, routes="none")
    assert blocker(cloud.trace(a.host, b.host, "tcp", 22)) == ("NO_ROUTE_TO_DESTINATION", a.rt.id, "forward")


def test_a_route_to_a_pending_peering_is_a_blackhole(cloud: Cloud, a: Site, b: Site) -> None:
    # §4: a route to a peering still pending-acceptance is a blackhole until it becomes active.
    pcx = peer(cloud, a, b, accept=False)
    assert route_state(cloud, a, b.cidr) == "blackhole"
    assert route_state(cloud, b, a.cidr) == "blackhole"
    trace = cloud.trace(a.host, b.host, "tcp", 22)
    assert blocker(trace) == ("BAD_STATE_ROUTE", a.rt.id, "forward")
    assert trace.return_ == ()
    cloud.accept_vpc_peering_connection(pcx)
    assert route_state(cloud, a, b.cidr) == "active"
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable


def test_a_route_to_a_deleted_peering_is_a_blackhole(cloud: Cloud, a: Site, b: Site) -> None:
    # §4: a route turns blackhole when its target disappears.
    pcx = peer(cloud, a, b)
    cloud.delete_vpc_peering_connection(pcx)
    assert route_state(cloud, a, b.cidr) == "blackhole"
    assert blocker(cloud.trace(a.host, b.host, "tcp", 22)) == ("BAD_STATE_ROUTE", a.rt.id, "forward")


def test_security_groups_still_apply_across_a_peering(cloud: Cloud, a: Site, b: Site) -> None:
    # §10: security groups and NACLs must allow the traffic too.
    peer(cloud, a, b)
    assert blocker(cloud.trace(a.host, b.host, "tcp", 5432)) == ("ENI_SG_RULES_MISMATCH", b.sg.id, "forward")


def test_network_acls_still_apply_across_a_peering(cloud: Cloud, a: Site, b: Site) -> None:
    peer(cloud, a, b)
    acl = cloud.create_network_acl(b.vpc, name="b-acl")  # a new custom NACL denies everything
    cloud.replace_network_acl_association(b.subnet, acl)
    trace = cloud.trace(a.host, b.host, "tcp", 22)
    assert blocker(trace) == ("SUBNET_ACL_RESTRICTION", acl.id, "forward")
    assert trace.explanations[0].rule == 32767


# --- no transitive peering, no edge-to-edge routing (§10, DESIGN §3) --------------------------------

def test_peering_is_not_transitive(cloud: Cloud, a: Site, b: Site, c: Site) -> None:
    # A↔B and B↔C: A still can't reach C through B, even with every route in place.
    ab, bc = peer(cloud, a, b), peer(cloud, b, c)
    cloud.create_route(a.rt, c.cidr, ab)
    cloud.create_route(c.rt, a.cidr, bc)
    assert cloud.trace(b.host, c.host, "tcp", 22).reachable
    trace = cloud.trace(a.host, c.host, "tcp", 22)
    assert blocker(trace) == ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", ab.id, "forward")
    assert not any(h.component == bc.id for h in trace.forward)


def test_a_direct_peering_makes_the_third_vpc_reachable(cloud: Cloud, a: Site, b: Site, c: Site) -> None:
    ab = peer(cloud, a, b)
    peer(cloud, b, c)
    cloud.create_route(a.rt, c.cidr, ab)
    ac = cloud.create_vpc_peering_connection(a.vpc, c.vpc)
    cloud.accept_vpc_peering_connection(ac)
    cloud.replace_route(a.rt, c.cidr, ac)
    cloud.create_route(c.rt, a.cidr, ac)
    assert cloud.trace(a.host, c.host, "tcp", 22).reachable


@pytest.mark.parametrize("gateway", ["internet-gateway", "nat-gateway"])
def test_a_peer_cannot_use_our_internet_gateway_or_nat_gateway(cloud: Cloud, a: Site, b: Site,
                                                              gateway: str) -> None:
    # §10: no edge-to-edge routing: a peer VPC can't use your IGW or NAT device.
    public = cloud.add_public_subnet(a.vpc, "10.1.0.0/24", az="a", name="a-public")
    if gateway == "nat-gateway":
        nat = cloud.create_nat_gateway(public, cloud.allocate_address())
        cloud.create_route(a.rt, "0.0.0.0/0", nat)
        assert cloud.trace(a.host, INTERNET, "tcp", 443).reachable  # our own host gets out
    else:
        assert cloud.trace(cloud.launch(public, "a-web"), INTERNET, "tcp", 443).reachable
    pcx = peer(cloud, a, b)
    cloud.create_route(b.rt, "0.0.0.0/0", pcx)
    trace = cloud.trace(b.host, INTERNET, "tcp", 443)
    assert blocker(trace) == ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pcx.id, "forward")
    assert not any(h.type in ("internet-gateway", "nat-gateway") for h in trace.forward)


# --- security group references to the peer (§7, §10) ----------------------------------------------

def test_a_group_can_reference_a_peer_group_once_the_peering_is_active(cloud: Cloud, a: Site, b: Site) -> None:
    pcx = peer(cloud, a, b, accept=False)
    with pytest.raises(VpcLabError) as caught:
        cloud.authorize_security_group_ingress(b.sg, "tcp", 5432, source_group=a.sg)
    assert caught.value.code == "InvalidGroup.NotFound"
    cloud.accept_vpc_peering_connection(pcx)
    group = cloud.authorize_security_group_ingress(b.sg, "tcp", 5432, source_group=a.sg)
    assert any(rule.peer == a.sg.id for rule in group.ingress)
    assert cloud.trace(a.host, b.host, "tcp", 5432).reachable
    # §7: a reference matches the private IPs of the group's members, and only them.
    stranger = cloud.launch(a.subnet, "a-stranger")
    assert blocker(cloud.trace(stranger, b.host, "tcp", 5432)) == ("ENI_SG_RULES_MISMATCH", b.sg.id, "forward")


def test_a_group_in_an_unpeered_vpc_cannot_be_referenced(cloud: Cloud, a: Site, b: Site, c: Site) -> None:
    peer(cloud, a, b)
    with pytest.raises(VpcLabError) as caught:
        cloud.authorize_security_group_ingress(b.sg, "tcp", 5432, source_group=c.sg)
    assert caught.value.code == "InvalidGroup.NotFound"


def test_a_reference_to_a_peer_group_stays_as_a_stale_rule_when_the_peering_is_deleted(
        cloud: Cloud, a: Site, b: Site) -> None:
    # §7: if the peering is removed, the rule becomes "stale" (it is not silently dropped).
    pcx = peer(cloud, a, b)
    cloud.authorize_security_group_ingress(b.sg, "tcp", 5432, source_group=a.sg)
    cloud.delete_vpc_peering_connection(pcx)
    assert any(rule.peer == a.sg.id for rule in cloud.get(b.sg.id).ingress)


# --- the active-peering quota (§10: 50 per VPC, adjustable to 125) ----------------------------------

def test_the_default_quota_is_50_active_peerings_per_vpc() -> None:
    assert Quotas().active_peerings_per_vpc == 50
    assert Cloud(seed=1).quotas.active_peerings_per_vpc == 50


def test_accepting_beyond_the_quota_fails_until_the_quota_is_raised() -> None:
    cloud = Cloud(seed=1, quotas=Quotas(active_peerings_per_vpc=2))
    hub, first, second, third = (site(cloud, name, i) for i, name in enumerate(("hub", "p1", "p2", "p3"), 1))
    peer(cloud, hub, first, routes="none")
    peer(cloud, hub, second, routes="none")
    late = cloud.create_vpc_peering_connection(hub.vpc, third.vpc)  # the quota is checked on accept
    with pytest.raises(VpcLabError) as caught:
        cloud.accept_vpc_peering_connection(late)
    assert caught.value.code == "VpcPeeringConnectionLimitExceeded"
    assert status(cloud, late) == "pending-acceptance"
    cloud.quotas.active_peerings_per_vpc = 3
    cloud.accept_vpc_peering_connection(late)
    assert status(cloud, late) == "active"


def test_only_active_peerings_count_toward_the_quota() -> None:
    cloud = Cloud(seed=1, quotas=Quotas(active_peerings_per_vpc=1))
    hub, first, second, third = (site(cloud, name, i) for i, name in enumerate(("hub", "p1", "p2", "p3"), 1))
    cloud.create_vpc_peering_connection(hub.vpc, second.vpc)  # pending: does not count
    active = peer(cloud, hub, first, routes="none")
    late = cloud.create_vpc_peering_connection(hub.vpc, third.vpc)
    with pytest.raises(VpcLabError):
        cloud.accept_vpc_peering_connection(late)
    cloud.delete_vpc_peering_connection(active)
    cloud.accept_vpc_peering_connection(late)
    assert status(cloud, late) == "active"


def test_the_quota_counts_for_the_accepter_too() -> None:
    cloud = Cloud(seed=1, quotas=Quotas(active_peerings_per_vpc=1))
    hub, first, second = (site(cloud, name, i) for i, name in enumerate(("hub", "p1", "p2"), 1))
    peer(cloud, first, hub, routes="none")
    late = cloud.create_vpc_peering_connection(second.vpc, hub.vpc)
    with pytest.raises(VpcLabError) as caught:
        cloud.accept_vpc_peering_connection(late)
    assert caught.value.code == "VpcPeeringConnectionLimitExceeded"


# --- the property: a new peering never makes a third VPC reachable (§10) ---------------------------

X_ROUTES = {"peer": "10.2.0.0/16", "third": "10.3.0.0/16", "default": "0.0.0.0/0", "supernet": "10.0.0.0/8"}
Y_ROUTES = {"peer": "10.1.0.0/16", "default": "0.0.0.0/0", "supernet": "10.0.0.0/8"}
FLOWS = [("tcp", 22), ("tcp", 443), ("udp", 53), ("icmp", None), ("all", None)]


@dataclass(frozen=True)
class Triangle:
    cloud: Cloud
    x: Site
    y: Site
    z: Site


def triangle(y_z_peered: bool, z_supernet: bool) -> Triangle:
    """Three VPCs X, Y, Z; every host accepts everything from 10.0.0.0/8. Y↔Z may already be
    peered, and Z may send all of 10.0.0.0/8 to that peering (inviting transit through Y)."""
    cloud = Cloud(seed=1)
    x, y, z = site(cloud, "x", 1), site(cloud, "y", 2), site(cloud, "z", 3)
    for each in (x, y, z):
        cloud.authorize_security_group_ingress(each.sg, "all", cidr="10.0.0.0/8")
    if y_z_peered:
        yz = peer(cloud, y, z)
        if z_supernet:
            cloud.create_route(z.rt, "10.0.0.0/8", yz)
    return Triangle(cloud, x, y, z)


def reaches_z(world: Triangle, flow: tuple[str, int | None]) -> dict[str, bool]:
    protocol, port = flow
    return {name: world.cloud.trace(source.host, world.z.host, protocol, port).reachable
            for name, source in (("x", world.x), ("y", world.y))}


@PROPERTY_SETTINGS
@given(y_z_peered=st.booleans(), z_supernet=st.booleans(),
       x_routes=st.lists(st.sampled_from(sorted(X_ROUTES)), min_size=1, max_size=4, unique=True),
       y_routes=st.lists(st.sampled_from(sorted(Y_ROUTES)), min_size=1, max_size=3, unique=True),
       flow=st.sampled_from(FLOWS))
def test_a_new_peering_never_makes_a_third_vpc_reachable(y_z_peered: bool, z_supernet: bool, x_routes: list[str],
                                                         y_routes: list[str], flow: tuple[str, int | None]) -> None:
    world = triangle(y_z_peered, z_supernet)
    before = reaches_z(world, flow)
    assert before["x"] is False
    pcx = world.cloud.create_vpc_peering_connection(world.x.vpc, world.y.vpc)
    world.cloud.accept_vpc_peering_connection(pcx)
    for key in x_routes:
        world.cloud.create_route(world.x.rt, X_ROUTES[key], pcx)
    for key in y_routes:
        world.cloud.create_route(world.y.rt, Y_ROUTES[key], pcx)
    after = reaches_z(world, flow)
    assert after["x"] is False
    assert after["y"] == before["y"]
    if "peer" in x_routes and "peer" in y_routes:  # the peering itself works
        protocol, port = flow
        assert world.cloud.trace(world.x.host, world.y.host, protocol, port).reachable
