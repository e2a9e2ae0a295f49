"""Wrong types and dependencies found by the random-world property: clear errors, never a crash."""

from __future__ import annotations

import math

import pytest

from vpclab import Cloud, VpcLabError


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=9)


def code(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(VpcLabError) as caught:
        call(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize("hours", ["5", None, math.nan, math.inf, -1, True])
def test_advance_clock_needs_a_finite_number_of_hours(cloud: Cloud, hours: object) -> None:
    assert code(cloud.advance_clock, hours) == "InvalidParameterValue"


@pytest.mark.parametrize("asn", ["abc", None, -1, 1.5, 2**40, 65535, True])
def test_the_amazon_side_asn_must_be_private(cloud: Cloud, asn: object) -> None:
    assert code(cloud.create_vpn_gateway, amazon_side_asn=asn) == "InvalidParameterValue"
    assert cloud.create_vpn_gateway(amazon_side_asn=4_200_000_000).amazon_side_asn == 4_200_000_000


def test_lists_given_as_a_single_value_are_refused_clearly(cloud: Cloud) -> None:
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24", "a")
    tgw = cloud.create_transit_gateway()
    vgw = cloud.create_vpn_gateway()
    assert code(cloud.create_vpc_endpoint, vpc, "sqs", endpoint_type="Interface", subnets=None) == \
        "InvalidParameterValue"
    assert code(cloud.create_transit_gateway_vpc_attachment, tgw, vpc, subnet.id) == "InvalidParameterValue"
    assert code(cloud.create_direct_connect_virtual_interface, vgw, "192.168.0.0/16") == "InvalidParameterValue"
    vpn = cloud.create_vpn_connection(cloud.create_customer_gateway("203.0.113.1"), vpn_gateway=vgw,
                                      static_routes_only=False)
    assert code(cloud.advertise_bgp_routes, vpn, 5) == "InvalidParameterValue"


def test_a_policy_that_is_not_json_is_malformed(cloud: Cloud) -> None:
    vpc = cloud.create_vpc("10.0.0.0/16")
    assert code(cloud.create_vpc_endpoint, vpc, "s3", policy={"Statement": {1, 2}}) == "MalformedPolicyDocument"


def test_a_vpc_with_a_vgw_an_endpoint_or_a_peering_cannot_be_deleted(cloud: Cloud) -> None:
    # AWS refuses DeleteVpc while such resources still depend on the VPC (DependencyViolation).
    vpc, other = cloud.create_vpc("10.0.0.0/16"), cloud.create_vpc("10.1.0.0/16")
    vgw = cloud.create_vpn_gateway()
    cloud.attach_vpn_gateway(vgw, vpc)
    assert code(cloud.delete_vpc, vpc) == "DependencyViolation"
    cloud.detach_vpn_gateway(vgw)
    endpoint = cloud.create_vpc_endpoint(vpc, "s3")
    assert code(cloud.delete_vpc, vpc) == "DependencyViolation"
    cloud.delete_vpc_endpoint(endpoint)
    pcx = cloud.create_vpc_peering_connection(vpc, other)
    assert code(cloud.delete_vpc, other) == "DependencyViolation"
    cloud.delete_vpc_peering_connection(pcx)
    cloud.delete_vpc(vpc)
    assert cloud.get(vgw.id).vpc_id is None  # type: ignore[attr-defined]
