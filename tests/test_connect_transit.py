"""Transit gateway: attachments, association and propagation, TGW route tables, and traces across them.

Written from aws-vpc-facts.md §4 (the VPC side still needs routes), §11 (transit gateway) and §12
(Reachability Analyzer codes), with DESIGN.md §3 (hop types, explanation codes: for a transit
gateway route the component is the TGW route table id), against the issue-4 engine API contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud, VpcLabError

# Not in the API contract's list; §12 has Reachability Analyzer's code for an attachment that is
# associated with no TGW route table, and DESIGN §3 takes RA's code where one exists.
MISSING_ASSOCIATION_CODE = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"


@dataclass(frozen=True)
class Spoke:
    """A VPC with an app subnet (own route table, 10.0.0.0/8 → the TGW), a /28 attachment subnet in
    the same AZ (§11: AWS's best practice), a host that accepts SSH from 10.0.0.0/8, and its attachment."""

    vpc: Any
    app: Any
    rt: Any
    attach_subnet: Any
    sg: Any
    host: Any
    attachment: Any

    @property
    def cidr(self) -> str:
        return self.vpc.cidr


def spoke(cloud: Cloud, tgw: Any, name: str, index: int, *, route: bool = True) -> Spoke:
    vpc = cloud.create_vpc(f"10.{index}.0.0/16", name=name)
    app = cloud.add_private_subnet(vpc, f"10.{index}.1.0/24", az="a", name=f"{name}-app")
    attach_subnet = cloud.create_subnet(vpc, f"10.{index}.255.0/28", az="a", name=f"{name}-tgw")
    group = cloud.create_security_group(vpc, f"{name}-sg")
    cloud.allow(group, 22, source="10.0.0.0/8")
    host = cloud.launch(app, f"{name}-host", group)
    attachment = cloud.create_transit_gateway_vpc_attachment(tgw, vpc, subnets=[attach_subnet],
                                                             name=f"{name}-attach")
    table = cloud.route_table_for(app)
    if route:
        cloud.create_route(table, "10.0.0.0/8", tgw)
    return Spoke(vpc, app, table, attach_subnet, group, host, attachment)


def _field(record: Any, *names: str) -> Any:
    """The contract names a TGW route's type and state only; its CIDR and attachment fields may be
    spelled like vpclab's Route (destination) or like AWS (destination_cidr_block …)."""
    for name in names:
        if hasattr(record, name):
            return getattr(record, name)
    return None


def tgw_routes(cloud: Cloud, table: Any, cidr: str) -> list[tuple[str, str, str | None]]:
    """The effective routes of a TGW route table for one CIDR, as (type, state, attachment id)."""
    rows = []
    for route in cloud.transit_gateway_routes(table):
        if _field(route, "destination", "cidr", "destination_cidr_block") == cidr:
            attachment = _field(route, "attachment_id", "transit_gateway_attachment_id", "attachment")
            rows.append((route.type, route.state, getattr(attachment, "id", attachment)))
    return rows


def ids(items: Any) -> set[str]:
    return {getattr(item, "id", item) for item in items}


def blocker(trace: Any) -> tuple[str, str | None, str]:
    assert not trace.reachable
    first = trace.explanations[0]
    return first.code, first.component, first.direction


def types(trace: Any) -> list[str]:
    return [hop.type for hop in trace.forward]


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=1)


@pytest.fixture
def tgw(cloud: Cloud) -> Any:
    return cloud.create_transit_gateway(name="hub")


@pytest.fixture
def bare_tgw(cloud: Cloud) -> Any:
    """A TGW with default association and propagation turned off."""
    return cloud.create_transit_gateway(name="bare", default_route_table_association=False,
                                        default_route_table_propagation=False)


@pytest.fixture
def mesh(cloud: Cloud, tgw: Any) -> tuple[Spoke, Spoke, Spoke]:
    """Three VPCs on a TGW with the defaults: all associated with and propagating to the default table."""
    return spoke(cloud, tgw, "a", 1), spoke(cloud, tgw, "b", 2), spoke(cloud, tgw, "c", 3)


# --- attachments (§11: one subnet per AZ) ---------------------------------------------------------

def test_a_transit_gateway_comes_with_a_default_route_table(cloud: Cloud, tgw: Any) -> None:
    assert tgw.id.startswith("tgw-") and tgw.default_route_table_id.startswith("tgw-rtb-")
    assert cloud.get(tgw.default_route_table_id).id == tgw.default_route_table_id


def test_a_vpc_attachment_records_its_vpc_and_subnets(cloud: Cloud, tgw: Any) -> None:
    a = spoke(cloud, tgw, "a", 1)
    attachment = a.attachment
    assert attachment.id.startswith("tgw-attach-")
    assert (attachment.transit_gateway_id, attachment.resource_type, attachment.resource_id) == \
        (tgw.id, "vpc", a.vpc.id)
    assert tuple(attachment.subnet_ids) == (a.attach_subnet.id,)


def test_a_vpc_attachment_takes_one_subnet_per_az(cloud: Cloud, tgw: Any) -> None:
    vpc = cloud.create_vpc("10.1.0.0/16", name="a")
    one = cloud.create_subnet(vpc, "10.1.1.0/24", az="a", name="one")
    two = cloud.create_subnet(vpc, "10.1.2.0/24", az="a", name="two")
    other_zone = cloud.create_subnet(vpc, "10.1.3.0/24", az="b", name="three")
    with pytest.raises(VpcLabError) as caught:
        cloud.create_transit_gateway_vpc_attachment(tgw, vpc, subnets=[one, two])
    assert caught.value.code == "DuplicateSubnetsInSameZone"
    attachment = cloud.create_transit_gateway_vpc_attachment(tgw, vpc, subnets=[one, other_zone])
    assert set(attachment.subnet_ids) == {one.id, other_zone.id}


def test_an_instance_in_an_az_without_an_attachment_subnet_cannot_use_the_tgw(
        cloud: Cloud, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    # §11: resources in an AZ without an attachment subnet can't reach the TGW.
    a, b, _ = mesh
    zone_b = cloud.add_private_subnet(a.vpc, "10.1.2.0/24", az="b", name="a-app-b")
    cloud.create_route(cloud.route_table_for(zone_b), "10.0.0.0/8", cloud.get(a.attachment.transit_gateway_id))
    stranded = cloud.launch(zone_b, "a-host-b", a.sg)
    trace = cloud.trace(stranded, b.host, "tcp", 22)
    assert blocker(trace) == ("TGW_ATTACH_VPC_AZ_RESTRICTION", a.attachment.id, "forward")
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable  # the AZ with an attachment subnet is fine


def test_every_subnet_in_an_enabled_az_can_use_the_tgw(cloud: Cloud, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    # §11: enabling an AZ makes every subnet in that AZ reachable, not only the attachment subnet.
    a, b, _ = mesh
    assert a.app.id not in a.attachment.subnet_ids
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable
    assert cloud.trace(b.host, a.host, "tcp", 22).reachable


# --- the default route table (§11) -----------------------------------------------------------------

def test_with_the_defaults_attachments_associate_with_and_propagate_to_the_default_table(
        cloud: Cloud, tgw: Any, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    table = cloud.get(tgw.default_route_table_id)
    assert ids(table.associations) == {s.attachment.id for s in mesh}
    for each in mesh:
        assert tgw_routes(cloud, table, each.cidr) == [("propagated", "active", each.attachment.id)]


def test_with_the_defaults_every_vpc_reaches_every_other(cloud: Cloud, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    for source in mesh:
        for destination in mesh:
            if source is not destination:
                trace = cloud.trace(source.host, destination.host, "tcp", 22)
                assert trace.reachable, (source.vpc.name, destination.vpc.name)
                assert "transit-gateway" in types(trace)


def test_without_the_defaults_an_attachment_is_neither_associated_nor_propagated(cloud: Cloud,
                                                                                bare_tgw: Any) -> None:
    table = cloud.create_transit_gateway_route_table(bare_tgw, name="spokes")
    a, b = spoke(cloud, bare_tgw, "a", 1), spoke(cloud, bare_tgw, "b", 2)
    current = cloud.get(table.id)
    assert ids(current.associations) == set() and ids(current.propagations) == set()
    assert list(cloud.transit_gateway_routes(table)) == []
    if bare_tgw.default_route_table_id is not None:
        default = cloud.get(bare_tgw.default_route_table_id)
        assert a.attachment.id not in ids(default.associations)
        assert tgw_routes(cloud, default, b.cidr) == []


# --- association (one) and propagation (many) -------------------------------------------------------

def test_an_attachment_is_associated_with_exactly_one_route_table(cloud: Cloud, tgw: Any,
                                                                 mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a = mesh[0]
    other = cloud.create_transit_gateway_route_table(tgw, name="isolated")
    with pytest.raises(VpcLabError) as caught:
        cloud.associate_transit_gateway_route_table(other, a.attachment)
    assert caught.value.code == "Resource.AlreadyAssociated"
    cloud.disassociate_transit_gateway_route_table(tgw.default_route_table_id, a.attachment)
    cloud.associate_transit_gateway_route_table(other, a.attachment)
    assert a.attachment.id in ids(cloud.get(other.id).associations)
    assert a.attachment.id not in ids(cloud.get(tgw.default_route_table_id).associations)


def test_an_attachment_propagates_into_any_number_of_route_tables(cloud: Cloud, tgw: Any,
                                                                 mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a = mesh[0]
    first = cloud.create_transit_gateway_route_table(tgw, name="first")
    second = cloud.create_transit_gateway_route_table(tgw, name="second")
    for table in (first, second):
        cloud.enable_transit_gateway_route_table_propagation(table, a.attachment)
    for table in (first, second, cloud.get(tgw.default_route_table_id)):
        assert tgw_routes(cloud, table, a.cidr) == [("propagated", "active", a.attachment.id)]


def test_disabling_propagation_removes_the_route_and_the_tgw_cannot_route(
        cloud: Cloud, tgw: Any, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a, _, c = mesh
    cloud.disable_transit_gateway_route_table_propagation(tgw.default_route_table_id, c.attachment)
    assert tgw_routes(cloud, tgw.default_route_table_id, c.cidr) == []
    trace = cloud.trace(a.host, c.host, "tcp", 22)
    assert blocker(trace) == ("TGW_RTB_CANNOT_ROUTE", tgw.default_route_table_id, "forward")
    assert trace.return_ == ()


def test_association_without_propagation_fails_on_the_return_path(cloud: Cloud, bare_tgw: Any) -> None:
    # A's table learns B's CIDR, but B's table never learns A's: the request arrives, the reply cannot.
    a, b = spoke(cloud, bare_tgw, "a", 1), spoke(cloud, bare_tgw, "b", 2)
    a_table = cloud.create_transit_gateway_route_table(bare_tgw, name="a-rt")
    b_table = cloud.create_transit_gateway_route_table(bare_tgw, name="b-rt")
    cloud.associate_transit_gateway_route_table(a_table, a.attachment)
    cloud.associate_transit_gateway_route_table(b_table, b.attachment)
    cloud.enable_transit_gateway_route_table_propagation(a_table, b.attachment)
    trace = cloud.trace(a.host, b.host, "tcp", 22)
    assert blocker(trace) == ("TGW_RTB_CANNOT_ROUTE", b_table.id, "return")
    assert all(hop.action not in ("deny", "drop") for hop in trace.forward)
    cloud.enable_transit_gateway_route_table_propagation(b_table, a.attachment)
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable


def test_an_attachment_without_an_association_cannot_send(cloud: Cloud, bare_tgw: Any) -> None:
    a, b = spoke(cloud, bare_tgw, "a", 1), spoke(cloud, bare_tgw, "b", 2)
    table = cloud.create_transit_gateway_route_table(bare_tgw, name="shared")
    cloud.associate_transit_gateway_route_table(table, b.attachment)
    for each in (a, b):
        cloud.enable_transit_gateway_route_table_propagation(table, each.attachment)
    assert blocker(cloud.trace(a.host, b.host, "tcp", 22)) == (MISSING_ASSOCIATION_CODE, a.attachment.id, "forward")


# --- static and blackhole routes (§11) --------------------------------------------------------------

def test_static_routes_to_attachments_route_like_propagated_ones(cloud: Cloud, bare_tgw: Any) -> None:
    a, b = spoke(cloud, bare_tgw, "a", 1), spoke(cloud, bare_tgw, "b", 2)
    table = cloud.create_transit_gateway_route_table(bare_tgw, name="static")
    for each in (a, b):
        cloud.associate_transit_gateway_route_table(table, each.attachment)
        cloud.create_transit_gateway_route(table, each.cidr, attachment=each.attachment)
    assert tgw_routes(cloud, table, b.cidr) == [("static", "active", b.attachment.id)]
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable
    cloud.delete_transit_gateway_route(table, b.cidr)
    assert blocker(cloud.trace(a.host, b.host, "tcp", 22)) == ("TGW_RTB_CANNOT_ROUTE", table.id, "forward")


def test_a_blackhole_route_drops_matching_traffic(cloud: Cloud, tgw: Any, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a, b, _ = mesh
    cloud.create_transit_gateway_route(tgw.default_route_table_id, "10.2.1.0/24", blackhole=True)
    assert [(kind, state) for kind, state, _ in tgw_routes(cloud, tgw.default_route_table_id, "10.2.1.0/24")] == \
        [("static", "blackhole")]
    trace = cloud.trace(a.host, b.host, "tcp", 22)
    assert blocker(trace) == ("TGW_RTB_BAD_STATE_ROUTE", tgw.default_route_table_id, "forward")
    assert trace.return_ == ()


def test_the_most_specific_tgw_route_wins(cloud: Cloud, tgw: Any, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    # §11: the most specific route wins: a blackhole for another part of B leaves B's host reachable.
    a, b, _ = mesh
    cloud.create_transit_gateway_route(tgw.default_route_table_id, "10.2.7.0/24", blackhole=True)
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable


def test_a_static_route_hides_a_propagated_one_with_the_same_prefix(cloud: Cloud, tgw: Any,
                                                                    mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    # §11: static > propagated on equal prefixes; the propagated route reappears when the static one goes.
    a, b, _ = mesh
    table = tgw.default_route_table_id
    cloud.create_transit_gateway_route(table, b.cidr, blackhole=True)
    assert [(kind, state) for kind, state, _ in tgw_routes(cloud, table, b.cidr)] == [("static", "blackhole")]
    assert blocker(cloud.trace(a.host, b.host, "tcp", 22)) == ("TGW_RTB_BAD_STATE_ROUTE", table, "forward")
    cloud.delete_transit_gateway_route(table, b.cidr)
    assert tgw_routes(cloud, table, b.cidr) == [("propagated", "active", b.attachment.id)]
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable


def test_a_static_route_to_another_attachment_beats_the_propagated_route(
        cloud: Cloud, tgw: Any, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a, b, c = mesh
    cloud.create_transit_gateway_route(tgw.default_route_table_id, b.cidr, attachment=c.attachment)
    assert tgw_routes(cloud, tgw.default_route_table_id, b.cidr) == [("static", "active", c.attachment.id)]
    trace = cloud.trace(a.host, b.host, "tcp", 22)
    assert not trace.reachable
    assert not any(hop.component == b.host.eni_id and hop.action == "deliver" for hop in trace.forward)


# --- transitive routing (§11: the key difference from peering) --------------------------------------

def test_routing_through_a_tgw_is_transitive(cloud: Cloud, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a, b, c = mesh
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable
    assert cloud.trace(b.host, c.host, "tcp", 22).reachable
    assert cloud.trace(a.host, c.host, "tcp", 22).reachable


def test_the_vpc_route_table_still_needs_a_route_to_the_tgw(cloud: Cloud, tgw: Any) -> None:
    # §4/§11: the TGW doesn't push routes into VPC route tables.
    a = spoke(cloud, tgw, "a", 1, route=False)
    b = spoke(cloud, tgw, "b", 2)
    assert not any(r.target == tgw.id for r in cloud.route_table(a.rt).routes)
    assert blocker(cloud.trace(a.host, b.host, "tcp", 22)) == ("NO_ROUTE_TO_DESTINATION", a.rt.id, "forward")
    # and B's reply needs A's side too: B → A fails on the return path without A's route.
    assert blocker(cloud.trace(b.host, a.host, "tcp", 22)) == ("NO_ROUTE_TO_DESTINATION", a.rt.id, "return")
    cloud.create_route(a.rt, b.cidr, tgw)
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable


def test_security_groups_still_apply_across_the_tgw(cloud: Cloud, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a, b, _ = mesh
    assert blocker(cloud.trace(a.host, b.host, "tcp", 5432)) == ("ENI_SG_RULES_MISMATCH", b.sg.id, "forward")


# --- overlapping VPCs (§11) ---------------------------------------------------------------------------

def test_a_vpc_with_a_cidr_identical_to_an_attached_one_is_not_propagated(
        cloud: Cloud, tgw: Any, mesh: tuple[Spoke, Spoke, Spoke]) -> None:
    a, b, _ = mesh
    twin = cloud.create_vpc(b.cidr, name="b-twin")
    twin_subnet = cloud.create_subnet(twin, "10.2.255.0/28", az="a", name="b-twin-tgw")
    twin_attachment = cloud.create_transit_gateway_vpc_attachment(tgw, twin, subnets=[twin_subnet])
    rows = tgw_routes(cloud, tgw.default_route_table_id, b.cidr)
    assert rows == [("propagated", "active", b.attachment.id)]
    assert twin_attachment.id not in {attachment for _, _, attachment in rows}
    assert cloud.trace(a.host, b.host, "tcp", 22).reachable
