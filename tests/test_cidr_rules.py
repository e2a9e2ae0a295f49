"""AWS's rules for VPC and subnet blocks (aws-vpc-facts.md §1)."""

from __future__ import annotations

import pytest

from vpclab.cidr_rules import (
    SECONDARY_CIDR_RESTRICTIONS,
    validate_secondary_cidr,
    validate_subnet_cidr,
    validate_vpc_cidr,
)
from vpclab.errors import Conflict, HostBitsWarning, InvalidValue, LimitExceeded


def code_of(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises((InvalidValue, Conflict, LimitExceeded)) as caught:
        call(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "10.0.0.0/28", "192.168.0.0/20", "100.64.0.0/16",
                                  "54.0.0.0/16"])
def test_vpc_blocks_from_16_to_28_are_accepted(cidr: str) -> None:
    assert str(validate_vpc_cidr(cidr)) == cidr


def test_a_15_is_too_large_for_a_vpc() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_vpc_cidr("10.0.0.0/15")
    assert str(caught.value) == ("InvalidVpc.Range: 10.0.0.0/15 is a /15; a VPC block must be from "
                                 "/16 to /28. Fix: use a prefix length from /16 (65,536 addresses) "
                                 "to /28 (16 addresses)")


def test_link_local_is_never_a_vpc() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_vpc_cidr("169.254.0.0/16")
    assert caught.value.code == "InvalidVpc.Range"
    assert caught.value.message == ("169.254.0.0/16 is in 169.254.0.0/16, the link-local range, "
                                    "which a VPC can never use")


def test_a_vpc_block_with_host_bits_becomes_its_network_with_a_warning() -> None:
    with pytest.warns(HostBitsWarning, match="the network is 10.0.0.0/16"):
        assert str(validate_vpc_cidr("10.0.0.1/16")) == "10.0.0.0/16"


def test_subnet_must_be_inside_the_vpc_and_the_fix_suggests_a_free_block() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_subnet_cidr("10.1.0.0/24", ["10.0.0.0/16"], ["10.0.0.0/24"])
    assert str(caught.value) == ("InvalidSubnet.Range: subnet 10.1.0.0/24 is outside the VPC's blocks "
                                 "(10.0.0.0/16). Fix: did you mean 10.0.1.0/24? A subnet must lie "
                                 "inside a VPC block")


def test_subnet_may_lie_in_a_secondary_block() -> None:
    assert str(validate_subnet_cidr("10.1.0.0/24", ["10.0.0.0/16", "10.1.0.0/16"])) == "10.1.0.0/24"


def test_subnet_equal_to_the_vpc_block_is_allowed() -> None:
    assert str(validate_subnet_cidr("10.0.0.0/16", ["10.0.0.0/16"])) == "10.0.0.0/16"


def test_overlapping_subnets_conflict() -> None:
    with pytest.raises(Conflict) as caught:
        validate_subnet_cidr("10.0.0.128/25", ["10.0.0.0/16"], ["10.0.0.0/24"])
    assert str(caught.value) == ("InvalidSubnet.Conflict: subnet 10.0.0.128/25 overlaps subnet "
                                 "10.0.0.0/24. Fix: subnets of a VPC cannot share addresses; the first "
                                 "free block of that size is 10.0.1.0/25")


def test_a_full_vpc_says_there_is_no_room() -> None:
    with pytest.raises(Conflict) as caught:
        validate_subnet_cidr("10.0.0.0/28", ["10.0.0.0/28"], ["10.0.0.0/28"])
    assert caught.value.fix == "no /28 is free in the VPC: use a smaller subnet or add a secondary block"


@pytest.mark.parametrize("cidr", ["10.0.0.0/29", "10.0.0.0/32", "10.0.0.0/15"])
def test_subnet_sizes_outside_16_to_28_are_refused(cidr: str) -> None:
    assert code_of(validate_subnet_cidr, cidr, ["10.0.0.0/16"]) == "InvalidSubnet.Range"


@pytest.mark.parametrize(("primary", "new", "allowed"), [
    ("10.0.0.0/16", "10.1.0.0/16", True),
    ("10.0.0.0/16", "100.64.0.0/16", True),
    ("10.0.0.0/16", "54.10.0.0/16", True),
    ("10.0.0.0/16", "172.16.0.0/16", False),
    ("10.0.0.0/16", "192.168.0.0/16", False),
    ("10.0.0.0/16", "198.19.0.0/16", False),
    ("172.16.0.0/16", "172.17.0.0/16", True),
    ("172.16.0.0/16", "172.31.0.0/16", False),
    ("172.16.0.0/16", "10.0.0.0/16", False),
    ("192.168.0.0/16", "10.0.0.0/16", False),
    ("192.168.0.0/20", "192.168.16.0/20", True),
    ("198.19.0.0/16", "10.0.0.0/16", False),
    ("198.19.0.0/16", "100.64.0.0/16", True),
    ("100.64.0.0/16", "192.168.0.0/16", False),
    ("100.64.0.0/16", "198.19.0.0/16", False),
    ("100.64.0.0/16", "54.1.0.0/16", True),
    ("54.1.0.0/16", "172.20.0.0/16", False),
])
def test_secondary_blocks_follow_the_restriction_table(primary: str, new: str, allowed: bool) -> None:
    if allowed:
        assert str(validate_secondary_cidr(new, [primary])) == new
    else:
        assert code_of(validate_secondary_cidr, new, [primary]) == "InvalidVpc.Range"


def test_10_0_0_0_16_is_refused_once_a_block_lies_in_10_0_0_0_15() -> None:
    with pytest.raises(InvalidValue, match=r"10\.0\.0\.0/15"):
        validate_secondary_cidr("10.0.0.0/20", ["10.1.0.0/16"])


def test_restricted_message_names_the_rule_and_what_is_allowed() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_secondary_cidr("172.16.0.0/16", ["10.0.0.0/16"])
    assert str(caught.value) == (
        "InvalidVpc.Range: 172.16.0.0/16 is restricted for a VPC whose primary block 10.0.0.0/16 is "
        "in 10.0.0.0/8: AWS does not allow 172.16.0.0/12 there. Fix: add one of: other 10.0.0.0/8 "
        "blocks (none in 10.0.0.0/16 once a block lies in 10.0.0.0/15); public; 100.64.0.0/10")


def test_secondary_block_may_not_overlap_the_vpc() -> None:
    assert code_of(validate_secondary_cidr, "10.0.128.0/17", ["10.0.0.0/16"]) == "InvalidVpc.Range"


def test_five_blocks_is_the_default_quota_and_it_is_adjustable() -> None:
    four = ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"]
    assert code_of(validate_secondary_cidr, "10.9.0.0/16", four) == "CidrLimitExceeded"
    assert str(validate_secondary_cidr("10.9.0.0/16", four, limit=6)) == "10.9.0.0/16"


def test_new_block_must_be_smaller_than_an_existing_route_destination() -> None:
    # AWS's own example: with a route to 10.0.0.0/24 (to a VGW), 10.0.0.0/25 or smaller is fine
    existing, routes = ["10.2.0.0/16"], ["10.0.0.0/24"]
    assert str(validate_secondary_cidr("10.0.0.0/25", existing, route_destinations=routes)) == "10.0.0.0/25"
    for too_large in ("10.0.0.0/24", "10.0.0.0/16"):
        code = code_of(validate_secondary_cidr, too_large, existing, route_destinations=routes)
        assert code == "InvalidVpc.Range"


def test_the_table_has_one_row_per_range_of_the_facts_sheet() -> None:
    assert [r.existing_range for r in SECONDARY_CIDR_RESTRICTIONS] == [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "198.19.0.0/16", "public or 100.64.0.0/10"]


def test_the_restriction_table_displays_as_text_and_html() -> None:
    from vpclab.cidr_rules import secondary_cidr_table

    table = secondary_cidr_table()
    lines = table._text_().splitlines()
    assert lines[1].split()[:5] == ["the", "VPC's", "primary", "block", "is"]
    assert lines[2].startswith("10.0.0.0/8") and "172.16.0.0/12, 192.168.0.0/16, 198.19.0.0/16" in lines[2]
    assert table._html_().count("<tr>") == 6
