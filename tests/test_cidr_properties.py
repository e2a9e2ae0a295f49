"""Properties of the CIDR algebra, checked against netaddr and the standard library."""

from __future__ import annotations

import ipaddress
from itertools import combinations

import netaddr
from hypothesis import given, settings
from hypothesis import strategies as st

from vpclab.cidr import Cidr, network_of
from vpclab.subnet_plan import find_overlaps, free_space


@st.composite
def blocks(draw: st.DrawFn, low: int = 8, high: int = 30) -> Cidr:
    address = draw(st.integers(min_value=0, max_value=2**32 - 1))
    prefix = draw(st.integers(min_value=low, max_value=high))
    return network_of(str(ipaddress.IPv4Address(address)), prefix)


@given(blocks(high=28), st.integers(min_value=1, max_value=4))
def test_split_parts_are_disjoint_and_cover_the_block(block: Cidr, bits: int) -> None:
    parts = block.split(2**bits)
    assert all(not a.overlaps(b) for a, b in combinations(parts, 2))
    assert sum(p.total for p in parts) == block.total
    assert netaddr.IPSet([str(p) for p in parts]) == netaddr.IPSet([str(block)])


@given(blocks(low=16, high=28))
def test_usable_is_size_minus_five_for_aws_sizes(block: Cidr) -> None:
    reference = netaddr.IPNetwork(str(block))
    assert block.total == reference.size
    assert block.usable == reference.size - 5
    assert len(list(block.hosts())) == block.usable
    assert block.first == str(reference.network)
    assert block.last == str(reference.broadcast or reference.network)


@given(blocks(), blocks())
def test_containment_and_overlap_agree_with_netaddr(a: Cidr, b: Cidr) -> None:
    na, nb = netaddr.IPNetwork(str(a)), netaddr.IPNetwork(str(b))
    assert a.contains(b) == (nb in na)
    assert a.overlaps(b) == bool(netaddr.IPSet([na]) & netaddr.IPSet([nb]))


@given(blocks(low=16, high=24), st.lists(blocks(low=16, high=30), max_size=6))
@settings(max_examples=200)
def test_free_space_is_what_the_standard_library_leaves(vpc: Cidr, used: list[Cidr]) -> None:
    free = free_space(vpc, used)
    expected = {vpc.network}
    for u in used:
        remaining = set()
        for net in expected:
            if u.network.supernet_of(net):
                continue
            if net.supernet_of(u.network):
                remaining.update(net.address_exclude(u.network))
            else:
                remaining.add(net)
        expected = remaining
    # free lies in the VPC, touches no used block, and is as large as what is left over:
    # so it is exactly the leftover addresses.
    assert sum(f.total for f in free) == sum(n.num_addresses for n in expected)
    assert not any(f.overlaps(u) for f in free for u in used)
    assert all(vpc.contains(f) for f in free)


@given(st.lists(blocks(low=8, high=28), max_size=12))
def test_find_overlaps_matches_checking_every_pair(items: list[Cidr]) -> None:
    expected = [(a, b) for a, b in combinations(items, 2) if a.overlaps(b)]
    assert find_overlaps(items) == expected
