"""The world: VPCs, secondary CIDRs, subnets, the default VPC, quotas, deletion order, error codes.

Written from aws-vpc-facts.md (§1, §2, §4, §7, §8) and DESIGN.md §2, against the engine API
contract; the facts sheet wins where the two disagree.
"""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest

from vpclab import Cloud, VpcLabError
from vpclab.errors import Conflict, HostBitsWarning, InvalidValue, LimitExceeded, NotFound


def raised(call, *args, **kwargs) -> VpcLabError:
    """The VpcLabError that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(VpcLabError) as caught:
        call(*args, **kwargs)
    return caught.value


def cidrs(values) -> list[str]:
    return [str(value) for value in values]


def local_destinations(route_table) -> list[str]:
    return sorted(str(route.destination) for route in route_table.routes if route.target == "local")


def rule_numbers(acl, *, egress: bool) -> list[tuple[int, str]]:
    return sorted((entry.rule_number, entry.action) for entry in acl.entries if entry.egress == egress)


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=1)


@pytest.fixture
def vpc(cloud: Cloud):
    return cloud.create_vpc("10.0.0.0/16", name="lab")


# --- VPCs ---------------------------------------------------------------------------------------

def test_create_vpc_returns_a_value_with_an_aws_style_id_and_its_block(vpc) -> None:
    assert vpc.id.startswith("vpc-")
    assert cidrs(vpc.cidr_blocks) == ["10.0.0.0/16"]
    assert vpc.name == "lab"
    assert vpc.is_default is False


def test_values_handed_out_are_immutable(vpc) -> None:
    # DESIGN §2: everything the world hands out is a frozen dataclass.
    with pytest.raises(dataclasses.FrozenInstanceError):
        vpc.name = "changed"


def test_get_returns_the_current_value_by_id_and_by_name_tag(cloud: Cloud, vpc) -> None:
    assert cloud.get(vpc.id) == vpc
    assert cloud.get("lab").id == vpc.id


def test_a_new_vpc_has_a_main_route_table_with_only_the_local_route(cloud: Cloud, vpc) -> None:
    # §4: in a nondefault VPC the main table starts with only the local route.
    main = cloud.get(vpc.main_route_table_id)
    assert main.id.startswith("rtb-")
    assert main.is_main is True
    assert [(str(r.destination), r.target, r.origin, r.state) for r in main.routes] == [
        ("10.0.0.0/16", "local", "CreateRouteTable", "active")]


def test_a_new_vpc_has_a_default_security_group_that_trusts_its_own_members(cloud: Cloud, vpc) -> None:
    # §7: inbound all from the group itself, outbound all to 0.0.0.0/0.
    sg = cloud.get(vpc.default_security_group_id)
    assert sg.id.startswith("sg-")
    assert sg.name == "default"
    assert sg.vpc_id == vpc.id
    assert len(sg.ingress) == 1 and sg.id in repr(sg.ingress[0])
    assert len(sg.egress) == 1 and "0.0.0.0/0" in repr(sg.egress[0])


def test_a_new_vpc_has_a_default_nacl_allowing_all_with_rule_100_then_star_deny(cloud: Cloud, vpc) -> None:
    # §8: rule 100 allows everything both ways, then the `*` rule (32767) denies.
    acl = cloud.get(vpc.default_network_acl_id)
    assert acl.id.startswith("acl-")
    assert acl.is_default is True
    assert rule_numbers(acl, egress=False) == [(100, "allow"), (32767, "deny")]
    assert rule_numbers(acl, egress=True) == [(100, "allow"), (32767, "deny")]


@pytest.mark.parametrize("cidr", ["10.0.0.0/15", "10.0.0.0/8", "10.0.0.0/29", "169.254.0.0/16"])
def test_vpc_blocks_outside_16_to_28_or_link_local_are_invalid_vpc_range(cloud: Cloud, cidr: str) -> None:
    # §1: /16 to /28; 169.254.0.0/16 is never assignable.
    err = raised(cloud.create_vpc, cidr)
    assert err.code == "InvalidVpc.Range"
    assert isinstance(err, InvalidValue) and isinstance(err, ValueError)


def test_a_vpc_block_with_host_bits_is_normalized_to_its_network_with_a_warning(cloud: Cloud) -> None:
    # §1 and DESIGN §2: 100.68.0.18/18 becomes 100.68.0.0/18, as the API does.
    with pytest.warns(HostBitsWarning, match="100.68.0.0/18"):
        vpc = cloud.create_vpc("100.68.0.18/18")
    assert cidrs(vpc.cidr_blocks) == ["100.68.0.0/18"]


def test_five_vpcs_per_region_then_vpc_limit_exceeded(cloud: Cloud) -> None:
    for n in range(5):
        cloud.create_vpc(f"10.{n}.0.0/16")
    err = raised(cloud.create_vpc, "10.9.0.0/16")
    assert err.code == "VpcLimitExceeded"
    assert isinstance(err, LimitExceeded)


def test_the_vpc_quota_is_adjustable_per_cloud_and_only_for_that_cloud(cloud: Cloud) -> None:
    # DESIGN §2: quotas are AWS's defaults, adjustable per Cloud as a quota increase would be.
    cloud.quotas.vpcs_per_region = 6
    for n in range(6):
        cloud.create_vpc(f"10.{n}.0.0/16")
    assert Cloud(seed=1).quotas.vpcs_per_region == 5


# --- secondary CIDR blocks ---------------------------------------------------------------------

def test_a_secondary_block_adds_a_local_route_to_every_route_table(cloud: Cloud, vpc) -> None:
    # §1, §4: one local route per VPC CIDR, in every table of the VPC.
    custom = cloud.create_route_table(vpc, name="custom-rt")
    cloud.associate_vpc_cidr_block(vpc, "10.1.0.0/16")
    assert cidrs(cloud.get(vpc.id).cidr_blocks) == ["10.0.0.0/16", "10.1.0.0/16"]
    for table_id in (vpc.main_route_table_id, custom.id):
        assert local_destinations(cloud.get(table_id)) == ["10.0.0.0/16", "10.1.0.0/16"]


def test_a_route_table_created_after_a_secondary_block_has_both_local_routes(cloud: Cloud, vpc) -> None:
    cloud.associate_vpc_cidr_block(vpc, "10.1.0.0/16")
    later = cloud.create_route_table(vpc, name="later-rt")
    assert local_destinations(later) == ["10.0.0.0/16", "10.1.0.0/16"]


def test_a_secondary_block_overlapping_the_vpc_is_refused(cloud: Cloud, vpc) -> None:
    err = raised(cloud.associate_vpc_cidr_block, vpc, "10.0.128.0/17")
    assert err.code == "InvalidVpc.Range"
    assert "10.0.0.0/16" in str(err)


def test_a_secondary_block_from_a_restricted_range_is_refused(cloud: Cloud, vpc) -> None:
    # §1 table: a 10.0.0.0/8 VPC cannot add 192.168.0.0/16.
    assert raised(cloud.associate_vpc_cidr_block, vpc, "192.168.0.0/16").code == "InvalidVpc.Range"
    assert cidrs(cloud.get(vpc.id).cidr_blocks) == ["10.0.0.0/16"]


def test_five_blocks_per_vpc_primary_included_then_cidr_limit_exceeded(cloud: Cloud, vpc) -> None:
    for n in range(1, 5):
        cloud.associate_vpc_cidr_block(vpc, f"10.{n}.0.0/16")
    err = raised(cloud.associate_vpc_cidr_block, vpc, "10.9.0.0/16")
    assert err.code == "CidrLimitExceeded"
    assert isinstance(err, LimitExceeded)


def test_a_new_block_may_not_be_as_large_as_an_existing_route_destination(cloud: Cloud, vpc) -> None:
    # §1: with a route for 10.2.0.0/24 you may add 10.2.0.0/25 or smaller, not /24 or larger.
    igw = cloud.create_internet_gateway(name="lab-igw")
    cloud.attach_internet_gateway(igw, vpc)
    cloud.create_route(vpc.main_route_table_id, "10.2.0.0/24", igw)
    err = raised(cloud.associate_vpc_cidr_block, vpc, "10.2.0.0/24")
    assert err.code == "InvalidVpc.Range"
    assert "10.2.0.0/24" in str(err)
    cloud.associate_vpc_cidr_block(vpc, "10.2.0.0/25")


# --- subnets -----------------------------------------------------------------------------------

def test_create_subnet_returns_its_value(cloud: Cloud, vpc) -> None:
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1b", name="web-subnet")
    assert subnet.id.startswith("subnet-")
    assert (subnet.vpc_id, str(subnet.cidr), subnet.az, subnet.name) == (
        vpc.id, "10.0.1.0/24", "us-east-1b", "web-subnet")
    assert subnet.map_public_ip_on_launch is False  # §3: false for nondefault subnets


def test_operations_accept_the_object_its_id_or_its_name_tag(cloud: Cloud, vpc) -> None:
    by_object = cloud.create_subnet(vpc, "10.0.1.0/24")
    by_id = cloud.create_subnet(vpc.id, "10.0.2.0/24")
    by_name = cloud.create_subnet("lab", "10.0.3.0/24")
    assert by_object.vpc_id == by_id.vpc_id == by_name.vpc_id == vpc.id


def test_the_default_azs_are_us_east_1a_b_c(cloud: Cloud, vpc) -> None:
    assert tuple(cloud.azs) == ("us-east-1a", "us-east-1b", "us-east-1c")
    assert cloud.create_subnet(vpc, "10.0.1.0/24").az in cloud.azs


def test_a_subnet_outside_the_vpc_is_invalid_subnet_range_and_names_the_vpc_block(cloud: Cloud, vpc) -> None:
    err = raised(cloud.create_subnet, vpc, "10.1.0.0/24")
    assert err.code == "InvalidSubnet.Range"
    assert "10.0.0.0/16" in str(err)


def test_a_subnet_smaller_than_28_is_invalid_subnet_range(cloud: Cloud, vpc) -> None:
    assert raised(cloud.create_subnet, vpc, "10.0.0.0/29").code == "InvalidSubnet.Range"


def test_a_subnet_may_be_the_whole_vpc_block(cloud: Cloud, vpc) -> None:
    # §1: identical to the VPC CIDR gives a one-subnet VPC.
    assert str(cloud.create_subnet(vpc, "10.0.0.0/16").cidr) == "10.0.0.0/16"


def test_overlapping_subnets_are_invalid_subnet_conflict(cloud: Cloud, vpc) -> None:
    first = cloud.create_subnet(vpc, "10.0.0.0/24")
    err = raised(cloud.create_subnet, vpc, "10.0.0.128/25")
    assert err.code == "InvalidSubnet.Conflict"
    assert isinstance(err, Conflict)
    assert "10.0.0.0/24" in str(err) or first.id in str(err)


def test_a_subnet_may_lie_in_a_secondary_block(cloud: Cloud, vpc) -> None:
    cloud.associate_vpc_cidr_block(vpc, "10.1.0.0/16")
    assert str(cloud.create_subnet(vpc, "10.1.5.0/24").cidr) == "10.1.5.0/24"


def test_a_subnet_az_must_be_one_of_the_clouds_azs(cloud: Cloud, vpc) -> None:
    err = raised(cloud.create_subnet, vpc, "10.0.1.0/24", az="us-west-2a")
    assert err.code == "InvalidParameterValue"
    assert "us-east-1a" in str(err)


# --- the default VPC (§2) ----------------------------------------------------------------------

@pytest.fixture
def default_vpc(cloud: Cloud):
    return cloud.create_default_vpc()


def default_subnets(cloud: Cloud, vpc) -> list:
    """The VPC's subnets, read as AWS's DescribeNetworkAcls shows them: every subnet has one NACL."""
    return [cloud.get(subnet_id) for subnet_id in cloud.get(vpc.default_network_acl_id).associations]


def test_the_default_vpc_is_172_31_0_0_16_and_marked_default(default_vpc) -> None:
    assert default_vpc.is_default is True
    assert cidrs(default_vpc.cidr_blocks) == ["172.31.0.0/16"]  # no IPv6 block either


def test_the_default_vpc_has_one_20_subnet_per_az(cloud: Cloud, default_vpc) -> None:
    subnets = default_subnets(cloud, default_vpc)
    assert sorted(subnet.az for subnet in subnets) == sorted(cloud.azs)
    # The 0/16/32 third octets are UNCONFIRMED in §2 ("commonly"); the API contract fixes them.
    assert sorted(str(subnet.cidr) for subnet in subnets) == [
        "172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"]
    assert all(subnet.map_public_ip_on_launch for subnet in subnets)
    assert all(cloud.free_addresses(subnet) == 4091 for subnet in subnets)


def test_the_default_vpc_main_table_routes_the_internet_to_an_attached_igw(cloud: Cloud, default_vpc) -> None:
    main = cloud.get(default_vpc.main_route_table_id)
    routes = {str(route.destination): route for route in main.routes}
    assert set(routes) == {"172.31.0.0/16", "0.0.0.0/0"}
    assert routes["172.31.0.0/16"].target == "local"
    assert routes["0.0.0.0/0"].target.startswith("igw-")
    assert routes["0.0.0.0/0"].state == "active"  # attached, not a blackhole


def test_the_default_vpc_comes_with_default_sg_nacl_and_dhcp_options(cloud: Cloud, default_vpc) -> None:
    assert cloud.get(default_vpc.default_security_group_id).name == "default"
    acl = cloud.get(default_vpc.default_network_acl_id)
    assert rule_numbers(acl, egress=False) == [(100, "allow"), (32767, "deny")]
    settings = cloud.dhcp_settings(default_vpc)
    assert settings.domain_name == "ec2.internal"
    assert tuple(settings.domain_name_servers) == ("172.31.0.2",)


def test_a_default_subnet_instance_gets_a_public_ip_and_can_reach_the_web(cloud: Cloud, default_vpc) -> None:
    (instance,) = cloud.run_instances(default_subnets(cloud, default_vpc)[0])
    assert instance.public_ip is not None
    assert ipaddress.ip_address(instance.private_ip) in ipaddress.ip_network("172.31.0.0/16")
    assert cloud.trace(instance.id, "8.8.8.8", "tcp", 443).reachable


def test_a_nondefault_subnet_of_the_default_vpc_gets_no_public_ip(cloud: Cloud, default_vpc) -> None:
    extra = cloud.create_subnet(default_vpc, "172.31.200.0/24")
    (instance,) = cloud.run_instances(extra)
    assert instance.public_ip is None


def test_removing_the_igw_route_makes_the_default_subnets_private(cloud: Cloud, default_vpc) -> None:
    (instance,) = cloud.run_instances(default_subnets(cloud, default_vpc)[0])
    cloud.delete_route(default_vpc.main_route_table_id, "0.0.0.0/0")
    trace = cloud.trace(instance.id, "8.8.8.8", "tcp", 443)
    assert not trace.reachable
    assert trace.explanations[0].code == "NO_ROUTE_TO_DESTINATION"


# --- deletion order ----------------------------------------------------------------------------

def test_a_subnet_with_an_instance_cannot_be_deleted_until_it_is_terminated(cloud: Cloud, vpc) -> None:
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    (instance,) = cloud.run_instances(subnet)
    err = raised(cloud.delete_subnet, subnet)
    assert err.code == "DependencyViolation"
    assert isinstance(err, Conflict)
    assert instance.id in str(err) or instance.eni_id in str(err)
    cloud.terminate_instances(instance)
    cloud.delete_subnet(subnet)
    with pytest.raises(NotFound):
        cloud.get(subnet.id)


def test_a_subnet_with_a_network_interface_cannot_be_deleted(cloud: Cloud, vpc) -> None:
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    eni = cloud.create_network_interface(subnet)
    assert raised(cloud.delete_subnet, subnet).code == "DependencyViolation"
    assert eni.id.startswith("eni-")


def test_a_subnet_with_a_nat_gateway_cannot_be_deleted(cloud: Cloud, vpc) -> None:
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    igw = cloud.create_internet_gateway()
    cloud.attach_internet_gateway(igw, vpc)
    cloud.create_nat_gateway(subnet, allocation=cloud.allocate_address())
    assert raised(cloud.delete_subnet, subnet).code == "DependencyViolation"


def test_a_vpc_with_a_subnet_cannot_be_deleted_until_the_subnet_is(cloud: Cloud, vpc) -> None:
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    err = raised(cloud.delete_vpc, vpc)
    assert err.code == "DependencyViolation"
    assert subnet.id in str(err)
    cloud.delete_subnet(subnet)
    cloud.delete_vpc(vpc)
    with pytest.raises(NotFound):
        cloud.get(vpc.id)


def test_deleting_a_vpc_removes_its_main_table_default_sg_and_default_nacl(cloud: Cloud, vpc) -> None:
    cloud.delete_vpc(vpc)
    for resource_id in (vpc.main_route_table_id, vpc.default_security_group_id, vpc.default_network_acl_id):
        with pytest.raises(NotFound):
            cloud.get(resource_id)


def test_a_vpc_with_an_attached_igw_cannot_be_deleted_until_it_is_detached(cloud: Cloud, vpc) -> None:
    igw = cloud.create_internet_gateway(name="lab-igw")
    cloud.attach_internet_gateway(igw, vpc)
    assert raised(cloud.delete_vpc, vpc).code == "DependencyViolation"
    cloud.detach_internet_gateway(igw, vpc)
    cloud.delete_vpc(vpc)


def test_a_vpc_with_a_non_default_security_group_cannot_be_deleted(cloud: Cloud, vpc) -> None:
    sg = cloud.create_security_group(vpc, "web-sg")
    err = raised(cloud.delete_vpc, vpc)
    assert err.code == "DependencyViolation"
    assert sg.id in str(err) or "web-sg" in str(err)


def test_an_attached_igw_cannot_be_deleted(cloud: Cloud, vpc) -> None:
    igw = cloud.create_internet_gateway()
    cloud.attach_internet_gateway(igw, vpc)
    assert raised(cloud.delete_internet_gateway, igw).code == "DependencyViolation"
    cloud.detach_internet_gateway(igw, vpc)
    cloud.delete_internet_gateway(igw)


def test_a_vpc_takes_only_one_igw_and_an_igw_only_one_vpc(cloud: Cloud, vpc) -> None:
    # §5: one IGW attached per VPC at a time.
    first, second = cloud.create_internet_gateway(), cloud.create_internet_gateway()
    cloud.attach_internet_gateway(first, vpc)
    assert raised(cloud.attach_internet_gateway, second, vpc).code == "Resource.AlreadyAssociated"
    other = cloud.create_vpc("10.1.0.0/16", name="other")
    assert raised(cloud.attach_internet_gateway, first, other).code == "Resource.AlreadyAssociated"


def test_deleting_a_vpc_frees_its_place_in_the_quota(cloud: Cloud) -> None:
    vpcs = [cloud.create_vpc(f"10.{n}.0.0/16") for n in range(5)]
    cloud.delete_vpc(vpcs[0])
    cloud.create_vpc("10.9.0.0/16")


# --- lookups -----------------------------------------------------------------------------------

def test_a_name_that_matches_nothing_is_not_found_and_a_lookup_error(cloud: Cloud, vpc) -> None:
    with pytest.raises(NotFound) as caught:
        cloud.get("no-such-thing")
    assert isinstance(caught.value, LookupError)
    assert "no-such-thing" in str(caught.value)


def test_a_name_that_matches_several_resources_lists_the_candidates(cloud: Cloud, vpc) -> None:
    other = cloud.create_vpc("10.1.0.0/16", name="other")
    first = cloud.create_subnet(vpc, "10.0.1.0/24", name="twin")
    second = cloud.create_subnet(other, "10.1.1.0/24", name="twin")
    with pytest.raises(NotFound) as caught:
        cloud.get("twin")
    assert first.id in str(caught.value) and second.id in str(caught.value)
