"""vpclab.cidr: parsing, sizes, the reserved addresses, splitting (aws-vpc-facts.md §1)."""

from __future__ import annotations

import warnings

import pytest

from vpclab.cidr import classful, network_of, parse
from vpclab.errors import HostBitsWarning, InvalidValue, VpcLabError


def test_a_24_has_256_addresses_and_251_usable_in_aws() -> None:
    block = parse("10.0.0.0/24")
    assert (block.total, block.usable, block.netmask) == (256, 251, "255.255.255.0")
    assert (block.first, block.last, block.prefix) == ("10.0.0.0", "10.0.0.255", 24)


@pytest.mark.parametrize(("cidr", "usable"), [("10.0.0.0/28", 11), ("10.0.0.0/24", 251),
                                              ("10.0.0.0/20", 4091), ("10.0.0.0/16", 65531)])
def test_usable_counts_from_the_facts_sheet(cidr: str, usable: int) -> None:
    assert parse(cidr).usable == usable


def test_the_five_reserved_addresses_and_their_purposes() -> None:
    reserved = parse("10.0.0.0/24").reserved
    assert [(r.address, r.purpose) for r in reserved] == [
        ("10.0.0.0", "network"), ("10.0.0.1", "vpc-router"), ("10.0.0.2", "dns"),
        ("10.0.0.3", "future"), ("10.0.0.255", "broadcast"),
    ]
    assert reserved[1].explanation.startswith("VPC router")


def test_the_vpc_router_has_an_address_base_plus_one() -> None:
    assert parse("10.0.16.0/20").router == "10.0.16.1"


def test_blocks_smaller_than_28_have_no_usable_or_reserved_addresses() -> None:
    tiny = parse("10.0.0.0/29")
    assert (tiny.usable, tiny.reserved, list(tiny.hosts())) == (0, (), [])
    assert not tiny.is_valid_subnet


def test_hosts_skip_the_reserved_addresses() -> None:
    hosts = list(parse("10.0.0.0/28").hosts())
    assert hosts[0] == "10.0.0.4" and hosts[-1] == "10.0.0.14" and len(hosts) == 11


def test_aws_validity_is_16_to_28_and_never_link_local() -> None:
    assert parse("10.0.0.0/16").is_valid_vpc and parse("10.0.0.0/28").is_valid_vpc
    assert not parse("10.0.0.0/15").is_valid_vpc
    assert not parse("169.254.0.0/16").is_valid_vpc


def test_the_json_contract_for_a_24() -> None:
    assert parse("10.0.0.0/24").to_dict() == {
        "cidr": "10.0.0.0/24", "version": 4, "prefix": 24, "netmask": "255.255.255.0",
        "first": "10.0.0.0", "last": "10.0.0.255", "total": 256, "usable": 251,
        "reserved": [{"address": "10.0.0.0", "purpose": "network"},
                     {"address": "10.0.0.1", "purpose": "vpc-router"},
                     {"address": "10.0.0.2", "purpose": "dns"},
                     {"address": "10.0.0.3", "purpose": "future"},
                     {"address": "10.0.0.255", "purpose": "broadcast"}],
        "valid_vpc": True, "valid_subnet": True,
    }


def test_host_bits_are_normalized_with_a_warning_that_names_the_network() -> None:
    expected = r"^10\.0\.0\.1/24 has host bits set; the network is 10\.0\.0\.0/24$"
    with pytest.warns(HostBitsWarning, match=expected):
        assert str(parse("10.0.0.1/24")) == "10.0.0.0/24"


def test_host_bits_are_an_error_in_strict_mode() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse("10.0.0.1/24", strict=True)
    assert str(caught.value) == (
        "InvalidParameterValue: 10.0.0.1/24 has host bits set; the network is 10.0.0.0/24. "
        "Fix: write 10.0.0.0/24"
    )


@pytest.mark.parametrize(("text", "expected"), [
    ("garbage", "InvalidParameterValue: 'garbage' has no prefix length, so it is an address, not a "
                "block. Fix: add the prefix length, for example garbage/24 (or garbage/32 for one address)"),
    ("10.0.0.0/33", "InvalidParameterValue: '10.0.0.0/33' is not a valid IPv4 CIDR block (four numbers "
                    "0–255, then /0 to /32). Fix: write an IPv4 network address and a prefix length, "
                    "like 10.0.0.0/16"),
    ("300.0.0.0/16", "InvalidParameterValue: '300.0.0.0/16' is not a valid IPv4 CIDR block (four numbers "
                     "0–255, then /0 to /32). Fix: write an IPv4 network address and a prefix length, "
                     "like 10.0.0.0/16"),
    ("2001:db8::/32", "InvalidParameterValue: '2001:db8::/32' is an IPv6 block; vpclab handles IPv4 "
                      "blocks only for now. Fix: write an IPv4 network address and a prefix length, "
                      "like 10.0.0.0/16"),
])
def test_malformed_blocks_get_one_clear_message(text: str, expected: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse(text)
    assert str(caught.value) == expected
    error = caught.value  # no netaddr/ipaddress traceback behind it:
    assert error.__context__ is None or error.__suppress_context__


def test_a_non_string_is_refused_clearly() -> None:
    with pytest.raises(InvalidValue, match="not 24 \\(int\\)"):
        parse(24)  # type: ignore[arg-type]


def test_whitespace_around_a_block_is_ignored() -> None:
    assert str(parse("  10.0.0.0/16\n")) == "10.0.0.0/16"


def test_split_into_equal_parts() -> None:
    assert [str(p) for p in parse("10.0.0.0/16").split(4)] == [
        "10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"]


@pytest.mark.parametrize("count", [3, 0, 1, -4, True])
def test_split_needs_a_power_of_two(count: int) -> None:
    with pytest.raises(InvalidValue, match="only by a power of two"):
        parse("10.0.0.0/16").split(count)


def test_split_suggests_the_next_power_of_two() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse("10.0.0.0/16").split(3)
    assert caught.value.fix == "split into 4 parts and leave the extra ones free"


def test_subnets_by_prefix_and_the_4096_part_limit() -> None:
    assert len(parse("10.0.0.0/16").subnets(28)) == 4096
    with pytest.raises(InvalidValue, match="gives 8,192 parts"):
        parse("10.0.0.0/16").subnets(29)
    with pytest.raises(InvalidValue, match=r"/16 is not a smaller block inside 10\.0\.0\.0/16"):
        parse("10.0.0.0/16").subnets(16)


def test_containment_and_overlap() -> None:
    vpc = parse("10.0.0.0/16")
    assert vpc.contains(parse("10.0.1.0/24")) and vpc.contains("10.0.200.7")
    assert not vpc.contains(parse("10.1.0.0/24")) and not vpc.contains(parse("10.0.0.0/8"))
    assert vpc.overlaps(parse("10.0.0.0/8")) and not vpc.overlaps(parse("10.1.0.0/16"))


def test_bit_grid_marks_network_and_host_bits() -> None:
    grid = parse("10.0.0.0/20").bit_grid()
    assert grid.network_bits == "00001010" + "00000000" + "0000"
    assert grid.host_bits == "0" * 12
    assert str(grid).splitlines()[1] == "NNNNNNNN.NNNNNNNN.NNNNhhhh.hhhhhhhh"


def test_network_of_an_address() -> None:
    assert str(network_of("10.0.7.9", 22)) == "10.0.4.0/22"
    with pytest.raises(InvalidValue, match=r"'10\.0\.7' is not an IPv4 address"):
        network_of("10.0.7", 22)
    with pytest.raises(InvalidValue):
        network_of("10.0.7.9", 33)


@pytest.mark.parametrize(("address", "klass", "prefix", "size"), [
    ("10.0.0.0", "A", 8, 16_777_216), ("172.31.0.0", "B", 16, 65_536),
    ("192.168.1.0", "C", 24, 256), ("224.0.0.1", "D", None, None),
])
def test_classful_view_has_one_fixed_size_per_class(address: str, klass: str,
                                                    prefix: int | None, size: int | None) -> None:
    view = classful(address)
    assert (view.klass, view.default_prefix, view.size) == (klass, prefix, size)


def test_the_myth_about_172_31_255_25_is_corrected() -> None:
    assert parse("172.31.0.0/16").last == "172.31.255.255"


def test_values_are_hashable_and_ordered() -> None:
    blocks = {parse("10.0.1.0/24"), parse("10.0.0.0/24"), parse("10.0.1.0/24")}
    assert [str(b) for b in sorted(blocks)] == ["10.0.0.0/24", "10.0.1.0/24"]
    assert repr(parse("10.0.0.0/24")) == "Cidr('10.0.0.0/24')"


def test_display_bundle_has_text_and_html() -> None:
    bundle = parse("10.0.0.0/24")._repr_mimebundle_()
    assert bundle["text/plain"].startswith("10.0.0.0/24: 256 addresses")
    assert "vpc-router" in bundle["text/html"]


def test_every_error_is_a_vpclab_error_with_a_code() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for bad in ["", "/", "10.0.0.0/", "10.0.0.0/x", "a.b.c.d/8", "10.0.0.0/-1"]:
            with pytest.raises(VpcLabError) as caught:
                parse(bad)
            assert caught.value.code == "InvalidParameterValue"


def test_a_block_too_small_for_a_subnet_has_no_router_address() -> None:
    with pytest.raises(InvalidValue, match=r"10\.0\.0\.0/29 is smaller than /28"):
        _ = parse("10.0.0.0/29").router


@pytest.mark.parametrize("address", ["0.1.2.3", "127.0.0.1"])
def test_the_0_and_127_networks_were_never_ordinary_class_a_networks(address: str) -> None:
    view = classful(address)
    assert (view.klass, view.default_prefix) == ("A", None)
    octet = address.split(".")[0]
    assert str(view) == f"{address} is in class A ({octet}), which was never used for ordinary networks"


def test_blocks_aws_refuses_do_not_claim_usable_addresses_in_their_display() -> None:
    text = parse("10.0.0.0/8")._text_()
    assert "usable in AWS" not in text.splitlines()[0]
    assert text.splitlines()[-1] == "not allowed as an AWS VPC or subnet block: /8 is outside /16 to /28"
