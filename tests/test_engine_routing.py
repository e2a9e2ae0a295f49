"""Route tables: main and custom tables, associations, local routes, longest prefix match,
middlebox routes and blackholes.

Written from aws-vpc-facts.md §1 (local route per block) and §4 (and §6 for NAT gateway routes),
against the engine API contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud, VpcLabError
from vpclab.errors import Conflict, InvalidValue, NotFound


def raised(call, *args, **kwargs) -> VpcLabError:
    """The VpcLabError that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(VpcLabError) as caught:
        call(*args, **kwargs)
    return caught.value


def routes_of(cloud: Cloud, table) -> dict[str, Any]:
    """The table's routes as they are now, by destination."""
    return {str(route.destination): route for route in cloud.get(table.id).routes}


def chosen(cloud: Cloud, subnet, address: str) -> str | None:
    """The destination of the route the subnet's table picks for ``address``, or None."""
    decision = cloud.route_for(subnet, address)
    return None if decision.route is None else str(decision.route.destination)


@dataclass(frozen=True)
class Lab:
    cloud: Cloud
    vpc: Any
    igw: Any
    public: Any
    private: Any


@pytest.fixture
def lab() -> Lab:
    cloud = Cloud(seed=1)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    igw = cloud.create_internet_gateway(name="lab-igw")
    cloud.attach_internet_gateway(igw, vpc)
    public = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="public-subnet")
    private = cloud.create_subnet(vpc, "10.0.2.0/24", az="us-east-1a", name="private-subnet")
    return Lab(cloud, vpc, igw, public, private)


# --- main and custom tables, associations (§4) --------------------------------------------------

def test_a_subnet_without_an_explicit_association_uses_the_main_table(lab: Lab) -> None:
    decision = lab.cloud.route_for(lab.private, "10.0.1.9")
    assert decision.route_table_id == lab.vpc.main_route_table_id
    assert decision.route.target == "local"


def test_a_custom_table_starts_with_only_the_local_route(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="public-rt")
    assert table.id.startswith("rtb-") and table.vpc_id == lab.vpc.id
    assert table.is_main is False
    assert tuple(table.associations) == ()
    assert [(str(r.destination), r.target, r.origin) for r in table.routes] == [
        ("10.0.0.0/16", "local", "CreateRouteTable")]


def test_associating_a_table_makes_the_subnet_use_it(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="public-rt")
    lab.cloud.associate_route_table(table, lab.public)
    assert lab.public.id in lab.cloud.get(table.id).associations
    assert lab.cloud.route_for(lab.public, "10.0.2.9").route_table_id == table.id
    assert lab.cloud.route_for(lab.private, "10.0.2.9").route_table_id == lab.vpc.main_route_table_id


def test_a_subnet_has_exactly_one_table_and_a_new_association_replaces_the_old(lab: Lab) -> None:
    first = lab.cloud.create_route_table(lab.vpc, name="first-rt")
    second = lab.cloud.create_route_table(lab.vpc, name="second-rt")
    lab.cloud.associate_route_table(first, lab.public)
    lab.cloud.associate_route_table(second, lab.public)
    assert lab.public.id not in lab.cloud.get(first.id).associations
    assert lab.public.id in lab.cloud.get(second.id).associations
    assert lab.cloud.route_for(lab.public, "10.0.2.9").route_table_id == second.id


def test_one_table_can_serve_many_subnets(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="shared-rt")
    lab.cloud.associate_route_table(table, lab.public)
    lab.cloud.associate_route_table(table, lab.private)
    assert set(lab.cloud.get(table.id).associations) == {lab.public.id, lab.private.id}


def test_making_another_table_main_moves_the_unassociated_subnets_with_it(lab: Lab) -> None:
    explicit = lab.cloud.create_route_table(lab.vpc, name="explicit-rt")
    lab.cloud.associate_route_table(explicit, lab.public)
    new_main = lab.cloud.create_route_table(lab.vpc, name="new-main-rt")
    lab.cloud.set_main_route_table(lab.vpc, new_main)
    assert lab.cloud.get(new_main.id).is_main is True
    assert lab.cloud.get(lab.vpc.main_route_table_id).is_main is False
    assert lab.cloud.get(lab.vpc.id).main_route_table_id == new_main.id
    assert lab.cloud.route_for(lab.private, "10.0.1.9").route_table_id == new_main.id
    assert lab.cloud.route_for(lab.public, "10.0.2.9").route_table_id == explicit.id
    later = lab.cloud.create_subnet(lab.vpc, "10.0.3.0/24")
    assert lab.cloud.route_for(later, "10.0.1.9").route_table_id == new_main.id


def test_the_main_table_cannot_be_deleted(lab: Lab) -> None:
    err = raised(lab.cloud.delete_route_table, lab.vpc.main_route_table_id)
    assert err.code == "DependencyViolation"
    assert isinstance(err, Conflict)


def test_an_associated_table_cannot_be_deleted_until_the_subnet_moves_away(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="public-rt")
    lab.cloud.associate_route_table(table, lab.public)
    err = raised(lab.cloud.delete_route_table, table)
    assert err.code == "DependencyViolation"
    assert lab.public.id in str(err)
    lab.cloud.associate_route_table(lab.cloud.create_route_table(lab.vpc), lab.public)
    lab.cloud.delete_route_table(table)
    with pytest.raises(NotFound):
        lab.cloud.get(table.id)


# --- local routes (§1, §4) --------------------------------------------------------------------

def test_the_local_route_cannot_be_deleted(lab: Lab) -> None:
    err = raised(lab.cloud.delete_route, lab.vpc.main_route_table_id, "10.0.0.0/16")
    assert err.code == "InvalidParameterValue"
    assert isinstance(err, InvalidValue)
    assert routes_of(lab.cloud, lab.cloud.get(lab.vpc.main_route_table_id))["10.0.0.0/16"].target == "local"


def test_each_vpc_block_has_its_own_undeletable_local_route(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="public-rt")
    lab.cloud.associate_vpc_cidr_block(lab.vpc, "10.1.0.0/16")
    routes = routes_of(lab.cloud, table)
    assert routes["10.1.0.0/16"].target == "local"
    assert routes["10.1.0.0/16"].origin == "CreateRouteTable"
    assert raised(lab.cloud.delete_route, table, "10.1.0.0/16").code == "InvalidParameterValue"


def test_the_local_route_carries_traffic_between_subnets(lab: Lab) -> None:
    # §14j: subnets reach each other through the local route, never deleted.
    assert chosen(lab.cloud, lab.public, "10.0.2.77") == "10.0.0.0/16"


# --- creating, replacing and deleting routes -----------------------------------------------------

def test_create_route_adds_an_active_static_route(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="public-rt")
    lab.cloud.create_route(table, "0.0.0.0/0", lab.igw)
    route = routes_of(lab.cloud, table)["0.0.0.0/0"]
    assert (route.target, route.origin, route.state) == (lab.igw.id, "CreateRoute", "active")


def test_a_route_to_an_existing_destination_is_route_already_exists(lab: Lab) -> None:
    table = lab.cloud.create_route_table(lab.vpc, name="public-rt")
    lab.cloud.create_route(table, "0.0.0.0/0", lab.igw)
    eni = lab.cloud.create_network_interface(lab.public)
    err = raised(lab.cloud.create_route, table, "0.0.0.0/0", eni)
    assert err.code == "RouteAlreadyExists"
    assert "0.0.0.0/0" in str(err)
    assert routes_of(lab.cloud, table)["0.0.0.0/0"].target == lab.igw.id


def test_a_route_for_the_local_destination_is_route_already_exists(lab: Lab) -> None:
    err = raised(lab.cloud.create_route, lab.vpc.main_route_table_id, "10.0.0.0/16", lab.igw)
    assert err.code == "RouteAlreadyExists"


def test_deleting_a_route_that_does_not_exist_is_invalid_route_not_found(lab: Lab) -> None:
    err = raised(lab.cloud.delete_route, lab.vpc.main_route_table_id, "0.0.0.0/0")
    assert err.code == "InvalidRoute.NotFound"
    assert "0.0.0.0/0" in str(err)


def test_deleting_a_route_leaves_the_destination_unrouted(lab: Lab) -> None:
    main = lab.vpc.main_route_table_id
    lab.cloud.create_route(main, "0.0.0.0/0", lab.igw)
    assert chosen(lab.cloud, lab.private, "8.8.8.8") == "0.0.0.0/0"
    lab.cloud.delete_route(main, "0.0.0.0/0")
    decision = lab.cloud.route_for(lab.private, "8.8.8.8")
    assert decision.route is None
    assert decision.route_table_id == main


def test_replace_route_changes_the_target_in_place(lab: Lab) -> None:
    main = lab.vpc.main_route_table_id
    lab.cloud.create_route(main, "0.0.0.0/0", lab.igw)
    eni = lab.cloud.create_network_interface(lab.public)
    lab.cloud.replace_route(main, "0.0.0.0/0", eni)
    assert routes_of(lab.cloud, lab.cloud.get(main))["0.0.0.0/0"].target == eni.id


def test_a_route_to_an_igw_that_is_not_attached_to_the_vpc_is_refused(lab: Lab) -> None:
    stray = lab.cloud.create_internet_gateway(name="stray-igw")
    err = raised(lab.cloud.create_route, lab.vpc.main_route_table_id, "0.0.0.0/0", stray)
    # The contract says "Gateway.NotAttached (InvalidParameterValue-ish)"; either code is accepted.
    assert err.code in {"Gateway.NotAttached", "InvalidParameterValue"}
    assert stray.id in str(err)


def test_fifty_routes_per_table_then_route_limit_exceeded_and_the_quota_is_adjustable() -> None:
    def count_created(cloud: Cloud) -> int:
        vpc = cloud.create_vpc("10.0.0.0/16")
        igw = cloud.create_internet_gateway()
        cloud.attach_internet_gateway(igw, vpc)
        created = 0
        for n in range(60):
            try:
                cloud.create_route(vpc.main_route_table_id, f"20.0.{n}.0/24", igw)
            except VpcLabError as err:
                assert err.code == "RouteLimitExceeded"
                break
            created += 1
        return created

    # §4: 50 non-propagated routes; the facts do not say whether the local route counts.
    assert count_created(Cloud(seed=1)) in {49, 50}
    bigger = Cloud(seed=1)
    bigger.quotas.routes_per_table = 100
    assert count_created(bigger) == 60


# --- longest prefix match (§4) -----------------------------------------------------------------

def test_the_most_specific_matching_route_wins(lab: Lab) -> None:
    main = lab.vpc.main_route_table_id
    wide, narrow = (lab.cloud.create_network_interface(lab.public) for _ in range(2))
    lab.cloud.create_route(main, "0.0.0.0/0", lab.igw)
    lab.cloud.create_route(main, "8.0.0.0/8", wide)
    lab.cloud.create_route(main, "8.8.0.0/16", narrow)
    assert chosen(lab.cloud, lab.private, "8.8.8.8") == "8.8.0.0/16"
    assert chosen(lab.cloud, lab.private, "8.1.2.3") == "8.0.0.0/8"
    assert chosen(lab.cloud, lab.private, "1.1.1.1") == "0.0.0.0/0"
    assert lab.cloud.route_for(lab.private, "8.8.8.8").route.target == narrow.id


def test_a_route_less_specific_than_local_never_captures_vpc_traffic(lab: Lab) -> None:
    eni = lab.cloud.create_network_interface(lab.public)
    lab.cloud.create_route(lab.vpc.main_route_table_id, "10.0.0.0/8", eni)
    assert chosen(lab.cloud, lab.private, "10.0.5.5") == "10.0.0.0/16"
    assert chosen(lab.cloud, lab.private, "10.9.5.5") == "10.0.0.0/8"


def test_no_matching_route_gives_no_route_and_says_so(lab: Lab) -> None:
    decision = lab.cloud.route_for(lab.private, "8.8.8.8")
    assert decision.route is None
    assert decision.reason  # a sentence the learner can read


# --- routes more specific than local: middlebox routing (§4) -----------------------------------

def middlebox_subnet(lab: Lab):
    """The appliance sits in a subnet of its own (§4: not in the source's or destination's)."""
    return lab.cloud.create_subnet(lab.vpc, "10.0.4.0/24", az="us-east-1a", name="middlebox-subnet")


def test_a_whole_subnet_cidr_may_be_routed_to_a_nat_gateway(lab: Lab) -> None:
    nat = lab.cloud.create_nat_gateway(middlebox_subnet(lab), allocation=lab.cloud.allocate_address())
    table = lab.cloud.create_route_table(lab.vpc, name="inspect-rt")
    lab.cloud.associate_route_table(table, lab.public)
    lab.cloud.create_route(table, "10.0.2.0/24", nat)
    assert chosen(lab.cloud, lab.public, "10.0.2.9") == "10.0.2.0/24"
    assert chosen(lab.cloud, lab.public, "10.0.3.9") == "10.0.0.0/16"


def test_a_whole_subnet_cidr_may_be_routed_to_an_appliance_eni(lab: Lab) -> None:
    appliance = lab.cloud.create_network_interface(middlebox_subnet(lab), name="firewall-eni")
    lab.cloud.modify_network_interface_attribute(appliance, source_dest_check=False)
    table = lab.cloud.create_route_table(lab.vpc, name="inspect-rt")
    lab.cloud.associate_route_table(table, lab.public)
    lab.cloud.create_route(table, "10.0.2.0/24", appliance)
    assert lab.cloud.route_for(lab.public, "10.0.2.9").route.target == appliance.id


def test_a_route_inside_local_that_is_not_a_whole_subnet_is_invalid(lab: Lab) -> None:
    eni = lab.cloud.create_network_interface(lab.public)
    main = lab.vpc.main_route_table_id
    assert raised(lab.cloud.create_route, main, "10.0.2.0/25", eni).code == "InvalidParameterValue"
    assert raised(lab.cloud.create_route, main, "10.0.9.0/24", eni).code == "InvalidParameterValue"


def test_a_whole_subnet_cidr_routed_to_an_igw_is_invalid(lab: Lab) -> None:
    err = raised(lab.cloud.create_route, lab.vpc.main_route_table_id, "10.0.2.0/24", lab.igw)
    assert err.code == "InvalidParameterValue"
    assert "10.0.2.0/24" in str(err)


# --- blackholes (§4, §6) ------------------------------------------------------------------------

def test_deleting_a_nat_gateway_leaves_its_routes_as_blackholes(lab: Lab) -> None:
    nat = lab.cloud.create_nat_gateway(lab.public, allocation=lab.cloud.allocate_address())
    table = lab.cloud.create_route_table(lab.vpc, name="private-rt")
    lab.cloud.associate_route_table(table, lab.private)
    lab.cloud.create_route(table, "0.0.0.0/0", nat)
    lab.cloud.delete_nat_gateway(nat)
    assert lab.cloud.get(nat.id).state == "deleted"
    route = routes_of(lab.cloud, table)["0.0.0.0/0"]
    assert (route.target, route.state) == (nat.id, "blackhole")


def test_a_blackhole_route_is_still_the_one_chosen(lab: Lab) -> None:
    # The route stays until fixed or deleted; traffic matching it is dropped, not rerouted.
    nat = lab.cloud.create_nat_gateway(lab.public, allocation=lab.cloud.allocate_address())
    main = lab.vpc.main_route_table_id
    lab.cloud.create_route(main, "0.0.0.0/0", lab.igw)
    lab.cloud.create_route(main, "8.8.0.0/16", nat)
    lab.cloud.delete_nat_gateway(nat)
    decision = lab.cloud.route_for(lab.private, "8.8.8.8")
    assert str(decision.route.destination) == "8.8.0.0/16"
    assert decision.route.state == "blackhole"


def test_detaching_the_igw_turns_its_routes_into_blackholes(lab: Lab) -> None:
    main = lab.vpc.main_route_table_id
    lab.cloud.create_route(main, "0.0.0.0/0", lab.igw)
    lab.cloud.detach_internet_gateway(lab.igw, lab.vpc)
    assert routes_of(lab.cloud, lab.cloud.get(main))["0.0.0.0/0"].state == "blackhole"


def test_replacing_a_blackhole_route_with_a_live_target_makes_it_active(lab: Lab) -> None:
    old = lab.cloud.create_nat_gateway(lab.public, allocation=lab.cloud.allocate_address())
    main = lab.vpc.main_route_table_id
    lab.cloud.create_route(main, "0.0.0.0/0", old)
    lab.cloud.delete_nat_gateway(old)
    new = lab.cloud.create_nat_gateway(lab.public, allocation=lab.cloud.allocate_address())
    lab.cloud.replace_route(main, "0.0.0.0/0", new)
    route = routes_of(lab.cloud, lab.cloud.get(main))["0.0.0.0/0"]
    assert (route.target, route.state) == (new.id, "active")


def test_a_blackhole_route_can_be_deleted(lab: Lab) -> None:
    nat = lab.cloud.create_nat_gateway(lab.public, allocation=lab.cloud.allocate_address())
    main = lab.vpc.main_route_table_id
    lab.cloud.create_route(main, "0.0.0.0/0", nat)
    lab.cloud.delete_nat_gateway(nat)
    lab.cloud.delete_route(main, "0.0.0.0/0")
    assert "0.0.0.0/0" not in routes_of(lab.cloud, lab.cloud.get(main))
