"""Addresses: DHCP assignment, public IPv4 on launch, Elastic IPs, DHCP options sets.

Written from aws-vpc-facts.md §1 (reserved addresses, DNS addresses), §2 and §3, and DESIGN.md §2
(seeded randomness), against the engine API contract.
"""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest

from vpclab import Cloud, VpcLabError
from vpclab.errors import InvalidValue, LimitExceeded


def raised(call, *args, **kwargs) -> VpcLabError:
    """The VpcLabError that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(VpcLabError) as caught:
        call(*args, **kwargs)
    return caught.value


def in_cidr(address: str, cidr: str) -> bool:
    return ipaddress.ip_address(address) in ipaddress.ip_network(cidr)


RESERVED_24 = ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"]
USABLE_28 = [f"10.0.2.{n}" for n in range(4, 15)]  # 10.0.2.0/28 without .0-.3 and .15


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=1)


@pytest.fixture
def vpc(cloud: Cloud):
    return cloud.create_vpc("10.0.0.0/16", name="lab")


@pytest.fixture
def subnet(cloud: Cloud, vpc):
    return cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="app-subnet")


@pytest.fixture
def tiny(cloud: Cloud, vpc):
    return cloud.create_subnet(vpc, "10.0.2.0/28", az="us-east-1a", name="tiny-subnet")


@pytest.fixture
def public(cloud: Cloud, vpc):
    igw = cloud.create_internet_gateway(name="lab-igw")
    cloud.attach_internet_gateway(igw, vpc)
    return cloud.create_subnet(vpc, "10.0.3.0/24", name="public-subnet", map_public_ip_on_launch=True)


def launch_sequence(cloud: Cloud, count: int = 5) -> list[str]:
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    return [instance.private_ip for instance in cloud.run_instances(subnet, count=count)]


# --- private addresses (§1, §3) ----------------------------------------------------------------

def test_a_launched_instance_is_running_with_an_eni_and_the_default_sg(cloud: Cloud, vpc, subnet) -> None:
    (instance,) = cloud.run_instances(subnet, name="app")
    assert instance.id.startswith("i-") and instance.eni_id.startswith("eni-")
    assert (instance.subnet_id, instance.vpc_id, instance.state) == (subnet.id, vpc.id, "running")
    assert tuple(instance.security_group_ids) == (vpc.default_security_group_id,)  # §7
    assert in_cidr(instance.private_ip, "10.0.1.0/24")


@pytest.mark.parametrize(("cidr", "usable"), [("10.0.1.0/24", 251), ("10.0.16.0/20", 4091),
                                              ("10.0.2.0/28", 11)])
def test_a_new_subnet_has_its_size_minus_5_free_addresses(cloud: Cloud, vpc, cidr: str, usable: int) -> None:
    assert cloud.free_addresses(cloud.create_subnet(vpc, cidr)) == usable


def test_a_full_28_hands_out_exactly_the_11_unreserved_addresses(cloud: Cloud, tiny) -> None:
    # §1: base+0..3 and the last address are never given to an instance.
    instances = cloud.run_instances(tiny, count=11)
    assert sorted(instance.private_ip for instance in instances) == sorted(USABLE_28)
    assert cloud.free_addresses(tiny) == 0


def test_random_assignment_never_picks_a_reserved_address(cloud: Cloud, subnet) -> None:
    addresses = {instance.private_ip for instance in cloud.run_instances(subnet, count=100)}
    assert len(addresses) == 100
    assert not addresses & set(RESERVED_24)
    assert all(in_cidr(address, "10.0.1.0/24") for address in addresses)


def test_random_assignment_is_reproducible_with_the_same_seed() -> None:
    # DESIGN §2: randomness takes a seed, so lessons and tests are reproducible.
    assert launch_sequence(Cloud(seed=1)) == launch_sequence(Cloud(seed=1))


def test_random_is_the_default_mode_and_differs_between_seeds() -> None:
    # §3: AWS picks "an available" address, order undocumented; the simulator picks at random.
    first = launch_sequence(Cloud(seed=1))
    assert first != ["10.0.1.4", "10.0.1.5", "10.0.1.6", "10.0.1.7", "10.0.1.8"]
    assert first != launch_sequence(Cloud(seed=2))


def test_lowest_mode_hands_out_the_lowest_free_address_and_reuses_released_ones() -> None:
    # §3: a deterministic "lowest free" mode is a labelled teaching simplification.
    cloud = Cloud(seed=1, address_mode="lowest")
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    first, second = cloud.run_instances(subnet, count=2)
    assert (first.private_ip, second.private_ip) == ("10.0.1.4", "10.0.1.5")
    cloud.terminate_instances(first)
    (third,) = cloud.run_instances(subnet)
    assert third.private_ip == "10.0.1.4"


def test_an_explicit_private_ip_is_used(cloud: Cloud, subnet) -> None:
    (instance,) = cloud.run_instances(subnet, private_ip="10.0.1.77")
    assert instance.private_ip == "10.0.1.77"
    assert cloud.free_addresses(subnet) == 250


def test_an_explicit_private_ip_outside_the_subnet_is_invalid(cloud: Cloud, subnet) -> None:
    err = raised(cloud.run_instances, subnet, private_ip="10.0.2.10")
    assert err.code == "InvalidParameterValue"
    assert "10.0.1.0/24" in str(err)
    assert cloud.free_addresses(subnet) == 251


@pytest.mark.parametrize("address", RESERVED_24)
def test_an_explicit_reserved_private_ip_is_invalid(cloud: Cloud, subnet, address: str) -> None:
    err = raised(cloud.run_instances, subnet, private_ip=address)
    assert err.code == "InvalidParameterValue"
    assert address in str(err)


def test_an_explicit_private_ip_already_in_use_is_invalid_ip_address_in_use(cloud: Cloud, subnet) -> None:
    cloud.run_instances(subnet, private_ip="10.0.1.77")
    err = raised(cloud.run_instances, subnet, private_ip="10.0.1.77")
    assert err.code == "InvalidIPAddress.InUse"
    assert "10.0.1.77" in str(err)


def test_a_subnet_without_room_for_count_launches_nothing(cloud: Cloud, tiny) -> None:
    cloud.run_instances(tiny, count=10)
    err = raised(cloud.run_instances, tiny, count=2)
    assert err.code == "InsufficientFreeAddressesInSubnet"
    assert cloud.free_addresses(tiny) == 1  # all or nothing: not one of the two was launched
    cloud.run_instances(tiny, count=1)
    assert cloud.free_addresses(tiny) == 0


def test_asking_for_more_than_a_subnet_holds_launches_nothing(cloud: Cloud, tiny) -> None:
    assert raised(cloud.run_instances, tiny, count=12).code == "InsufficientFreeAddressesInSubnet"
    assert cloud.free_addresses(tiny) == 11


def test_terminating_releases_the_private_ip_for_reuse(cloud: Cloud, subnet) -> None:
    # §3: primary private IPs are released when the instance terminates.
    (instance,) = cloud.run_instances(subnet, private_ip="10.0.1.77")
    cloud.terminate_instances(instance)
    assert cloud.free_addresses(subnet) == 251
    (again,) = cloud.run_instances(subnet, private_ip="10.0.1.77")
    assert again.private_ip == "10.0.1.77"


def test_a_network_interface_takes_an_address_and_has_source_dest_check_on(cloud: Cloud, subnet) -> None:
    # §3: source/destination check is on by default for every ENI.
    eni = cloud.create_network_interface(subnet, name="appliance-eni")
    assert eni.id.startswith("eni-") and eni.subnet_id == subnet.id
    assert in_cidr(eni.private_ip, "10.0.1.0/24") and eni.private_ip not in RESERVED_24
    assert eni.source_dest_check is True
    assert cloud.free_addresses(subnet) == 250
    cloud.modify_network_interface_attribute(eni, source_dest_check=False)
    assert cloud.get(eni.id).source_dest_check is False


def test_a_nat_gateway_takes_an_unreserved_address_of_its_subnet(cloud: Cloud, public) -> None:
    # §6: its private IP is picked at random from the subnet.
    nat = cloud.create_nat_gateway(public, allocation=cloud.allocate_address())
    assert in_cidr(nat.private_ip, "10.0.3.0/24")
    assert nat.private_ip not in {"10.0.3.0", "10.0.3.1", "10.0.3.2", "10.0.3.3", "10.0.3.255"}
    assert cloud.free_addresses(public) == 250


# --- public IPv4 on launch (§2, §3) ------------------------------------------------------------

def test_a_subnet_that_maps_public_ips_gives_each_instance_its_own_public_ip(cloud: Cloud, public) -> None:
    first, second = cloud.run_instances(public, count=2)
    for instance in (first, second):
        assert instance.public_ip is not None
        assert not ipaddress.ip_address(instance.public_ip).is_private  # from Amazon's pool
    assert first.public_ip != second.public_ip


def test_a_nondefault_subnet_gives_no_public_ip(cloud: Cloud, subnet) -> None:
    (instance,) = cloud.run_instances(subnet)
    assert instance.public_ip is None


def test_associate_public_ip_overrides_the_subnet_at_launch(cloud: Cloud, subnet, public) -> None:
    (forced,) = cloud.run_instances(subnet, associate_public_ip=True)
    (refused,) = cloud.run_instances(public, associate_public_ip=False)
    assert forced.public_ip is not None
    assert refused.public_ip is None


# --- Elastic IPs (§3) --------------------------------------------------------------------------

def test_allocate_address_gives_an_unassociated_static_public_ip(cloud: Cloud) -> None:
    eip = cloud.allocate_address(name="web-eip")
    assert eip.allocation_id.startswith("eipalloc-")
    assert not ipaddress.ip_address(eip.public_ip).is_private
    assert eip.association is None


def test_five_elastic_ips_per_region_then_address_limit_exceeded(cloud: Cloud) -> None:
    for _ in range(5):
        cloud.allocate_address()
    err = raised(cloud.allocate_address)
    assert err.code == "AddressLimitExceeded"
    assert isinstance(err, LimitExceeded)


def test_associating_an_eip_releases_the_automatic_public_ip_for_good(cloud: Cloud, public) -> None:
    (instance,) = cloud.run_instances(public)
    automatic = instance.public_ip
    eip = cloud.allocate_address()
    cloud.associate_address(eip, instance)
    assert cloud.get(instance.id).public_ip == eip.public_ip != automatic
    assert cloud.get(eip.allocation_id).association is not None
    cloud.disassociate_address(eip)
    assert cloud.get(instance.id).public_ip is None  # the automatic address does not come back


def test_an_eip_gives_a_public_address_to_an_instance_in_a_private_subnet(cloud: Cloud, subnet) -> None:
    (instance,) = cloud.run_instances(subnet)
    eip = cloud.allocate_address()
    cloud.associate_address(eip, instance)
    assert cloud.get(instance.id).public_ip == eip.public_ip


def test_an_eip_keeps_its_address_when_moved_to_another_instance(cloud: Cloud, subnet) -> None:
    first, second = cloud.run_instances(subnet, count=2)
    eip = cloud.allocate_address()
    cloud.associate_address(eip, first)
    cloud.disassociate_address(eip)
    cloud.associate_address(eip, second)
    assert cloud.get(second.id).public_ip == eip.public_ip
    assert cloud.get(eip.allocation_id).public_ip == eip.public_ip


def test_terminating_leaves_the_eip_allocated_but_unassociated(cloud: Cloud, subnet) -> None:
    (instance,) = cloud.run_instances(subnet)
    eip = cloud.allocate_address()
    cloud.associate_address(eip, instance)
    cloud.terminate_instances(instance)
    after = cloud.get(eip.allocation_id)
    assert after.association is None
    assert after.public_ip == eip.public_ip


# --- DHCP options sets (§1 DNS addresses, §3) ---------------------------------------------------

def test_the_default_dhcp_options_give_amazon_dns_at_base_plus_2_and_ec2_internal(cloud: Cloud, vpc) -> None:
    settings = cloud.dhcp_settings(vpc)
    assert tuple(settings.domain_name_servers) == ("10.0.0.2",)
    assert settings.domain_name == "ec2.internal"
    assert tuple(settings.ntp_servers) == ()  # Amazon Time Sync is used by default


def test_the_router_is_base_plus_1_of_each_subnet(cloud: Cloud, vpc, subnet, tiny) -> None:
    # §1 and §14c: the VPC router answers at base+1 of every subnet; DHCP tells instances.
    routers = cloud.dhcp_settings(vpc).routers
    assert routers[subnet.id] == "10.0.1.1"
    assert routers[tiny.id] == "10.0.2.1"


def test_amazon_dns_stays_at_primary_base_plus_2_with_a_secondary_block(cloud: Cloud, vpc) -> None:
    cloud.associate_vpc_cidr_block(vpc, "10.1.0.0/16")
    in_secondary = cloud.create_subnet(vpc, "10.1.0.0/24")
    settings = cloud.dhcp_settings(vpc)
    assert tuple(settings.domain_name_servers) == ("10.0.0.2",)
    assert settings.routers[in_secondary.id] == "10.1.0.1"


def test_amazon_dns_follows_the_primary_block_of_each_vpc(cloud: Cloud) -> None:
    other = cloud.create_vpc("192.168.16.0/20")
    assert tuple(cloud.dhcp_settings(other).domain_name_servers) == ("192.168.16.2",)


@pytest.mark.parametrize(("region", "domain"), [("us-east-1", "ec2.internal"),
                                                ("eu-west-1", "eu-west-1.compute.internal"),
                                                ("ap-northeast-2", "ap-northeast-2.compute.internal")])
def test_the_default_domain_name_depends_on_the_region(region: str, domain: str) -> None:
    cloud = Cloud(region=region, seed=1)
    vpc = cloud.create_vpc("10.0.0.0/16")
    assert cloud.dhcp_settings(vpc).domain_name == domain


def test_a_custom_options_set_applies_once_associated(cloud: Cloud, vpc) -> None:
    options = cloud.create_dhcp_options(domain_name="corp.example", domain_name_servers=("10.0.0.53",),
                                        ntp_servers=("10.0.0.123",))
    assert options.id.startswith("dopt-")
    assert cloud.dhcp_settings(vpc).domain_name == "ec2.internal"  # not applied before association
    cloud.associate_dhcp_options(options, vpc)
    assert cloud.get(vpc.id).dhcp_options_id == options.id  # one set per VPC at a time
    settings = cloud.dhcp_settings(vpc)
    assert settings.domain_name == "corp.example"
    assert tuple(settings.domain_name_servers) == ("10.0.0.53",)
    assert tuple(settings.ntp_servers) == ("10.0.0.123",)


def test_amazon_provided_dns_in_a_custom_set_still_resolves_to_base_plus_2(cloud: Cloud, vpc) -> None:
    options = cloud.create_dhcp_options(domain_name="corp.example")
    cloud.associate_dhcp_options(options, vpc)
    assert tuple(cloud.dhcp_settings(vpc).domain_name_servers) == ("10.0.0.2",)


def test_options_sets_are_replaced_not_edited(cloud: Cloud, vpc) -> None:
    # §3: a set can't be edited; create a new one and associate it.
    first = cloud.create_dhcp_options(domain_name="one.example")
    cloud.associate_dhcp_options(first, vpc)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.domain_name = "two.example"
    second = cloud.create_dhcp_options(domain_name="two.example")
    cloud.associate_dhcp_options(second, vpc)
    assert cloud.dhcp_settings(vpc).domain_name == "two.example"
    assert cloud.get(first.id).domain_name == "one.example"


def test_a_vpc_can_go_back_to_the_default_set(cloud: Cloud, vpc) -> None:
    # §3. The default set is named by its id: in the AWS API the keyword "default" means
    # "no DHCP options" (DNS resolution off), which the contract's "default" may or may not mean.
    original = vpc.dhcp_options_id
    assert original.startswith("dopt-")
    cloud.associate_dhcp_options(cloud.create_dhcp_options(domain_name="corp.example"), vpc)
    cloud.associate_dhcp_options(original, vpc)
    assert cloud.get(vpc.id).dhcp_options_id == original
    assert cloud.dhcp_settings(vpc).domain_name == "ec2.internal"


def test_an_options_set_holds_at_most_four_dns_servers(cloud: Cloud) -> None:
    # §3: up to 4 IPv4 servers (or 3 plus AmazonProvidedDNS).
    cloud.create_dhcp_options(
        domain_name_servers=("10.0.0.51", "10.0.0.52", "10.0.0.53", "AmazonProvidedDNS"))
    with pytest.raises(InvalidValue):
        cloud.create_dhcp_options(
            domain_name_servers=("10.0.0.51", "10.0.0.52", "10.0.0.53", "10.0.0.54", "10.0.0.55"))
