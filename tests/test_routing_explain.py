"""Why the VPC router picks a route, route by route (route_candidates, cloud.explain_route), and
public, private and VPN-only subnets (cloud.subnet_kind). From aws-vpc-facts.md §4."""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Mapping

import pytest

from vpclab import Cloud, InvalidValue
from vpclab.resources import Route
from vpclab.routing import route_candidates, select_route

LOCAL = Route("10.0.0.0/16", "local", "CreateRouteTable")


def verdicts(routes: list[Route], address: str, prefix_lists: Mapping[str, tuple[str, ...]] | None = None
             ) -> dict[tuple[str, str], str]:
    lists = prefix_lists or {}
    judged = route_candidates(routes, address, lambda pl: lists.get(pl, ()))
    return {(c.route.destination, c.route.target): c.verdict + (f".{c.why}" if c.why else "") for c in judged}


def test_the_longest_matching_prefix_is_chosen_and_the_others_say_why_they_lose() -> None:
    routes = [LOCAL, Route("0.0.0.0/0", "igw-1"), Route("8.8.0.0/16", "eni-1"), Route("9.0.0.0/8", "eni-2")]
    assert verdicts(routes, "8.8.8.8") == {
        ("10.0.0.0/16", "local"): "no-match", ("0.0.0.0/0", "igw-1"): "less-specific",
        ("8.8.0.0/16", "eni-1"): "chosen.longest", ("9.0.0.0/8", "eni-2"): "no-match"}
    judged = route_candidates(routes, "8.8.8.8")
    assert [c.prefix for c in judged] == [None, 0, 16, None]
    assert "8.8.0.0/16" in judged[1].reason and "less specific" in judged[1].reason


def test_the_only_match_is_chosen_as_the_only_one() -> None:
    assert verdicts([LOCAL, Route("0.0.0.0/0", "igw-1")], "1.1.1.1")[("0.0.0.0/0", "igw-1")] == "chosen.only"


def test_the_local_route_beats_a_less_specific_static_route_for_vpc_addresses() -> None:
    routes = [LOCAL, Route("10.0.0.0/8", "pcx-1")]
    assert verdicts(routes, "10.0.5.5") == {("10.0.0.0/16", "local"): "chosen.longest",
                                            ("10.0.0.0/8", "pcx-1"): "less-specific"}
    assert verdicts(routes, "10.9.5.5")[("10.0.0.0/8", "pcx-1")] == "chosen.only"


def test_on_equal_prefixes_static_beats_prefix_list_beats_propagated() -> None:
    static, listed = Route("172.31.0.0/16", "pcx-1"), Route("pl-1", "tgw-1")
    propagated = Route("172.31.0.0/16", "vgw-1", "EnableVgwRoutePropagation")
    lists = {"pl-1": ("172.31.0.0/16",)}
    both = verdicts([LOCAL, static, listed, propagated], "172.31.4.4", lists)
    assert both[("172.31.0.0/16", "pcx-1")] == "chosen.priority"
    assert both[("pl-1", "tgw-1")] == both[("172.31.0.0/16", "vgw-1")] == "lower-priority"
    without_static = verdicts([LOCAL, listed, propagated], "172.31.4.4", lists)
    assert without_static[("pl-1", "tgw-1")] == "chosen.priority"
    reason = route_candidates([LOCAL, static, propagated], "172.31.4.4")[2].reason
    assert "propagated route loses to a static route" in reason


def test_a_more_specific_propagated_route_still_wins_outside_the_vpc() -> None:
    routes = [LOCAL, Route("192.168.0.0/16", "pcx-1"), Route("192.168.5.0/24", "vgw-1", "EnableVgwRoutePropagation")]
    assert verdicts(routes, "192.168.5.9")[("192.168.5.0/24", "vgw-1")] == "chosen.longest"


def test_a_propagated_route_never_overrides_the_local_route_however_specific() -> None:
    routes = [LOCAL, Route("10.0.2.0/24", "vgw-1", "EnableVgwRoutePropagation")]
    judged = verdicts(routes, "10.0.2.7")
    assert judged == {("10.0.0.0/16", "local"): "chosen.only", ("10.0.2.0/24", "vgw-1"): "under-local"}
    assert "never overrides the local route" in route_candidates(routes, "10.0.2.7")[1].reason


def test_overlapping_prefix_lists_of_the_same_length_tie() -> None:
    lists = {"pl-1": ("52.0.0.0/8",), "pl-2": ("52.0.0.0/8",)}
    judged = verdicts([LOCAL, Route("pl-1", "vpce-1"), Route("pl-2", "vpce-2")], "52.1.1.1", lists)
    assert judged == {("10.0.0.0/16", "local"): "no-match", ("pl-1", "vpce-1"): "chosen.longest",
                      ("pl-2", "vpce-2"): "same-rank"}


def test_no_matching_route_means_nothing_is_chosen() -> None:
    judged = route_candidates([LOCAL], "8.8.8.8")
    assert [c.verdict for c in judged] == ["no-match"] and judged[0].winner is None


def test_the_chosen_candidate_is_always_select_routes_choice() -> None:
    rng = random.Random(0)
    for _ in range(200):
        routes = [LOCAL]
        for _ in range(rng.randint(1, 6)):
            prefix = rng.randint(0, 28)
            block = f"{rng.choice((10, 172, 192, 8))}.{rng.randint(0, 3)}.{rng.randint(0, 255)}.0/{prefix}"
            destination = str(ipaddress.IPv4Network(block, strict=False))
            origin = rng.choice(("CreateRoute", "EnableVgwRoutePropagation"))
            if all(r.destination != destination or r.origin != origin for r in routes):
                routes.append(Route(destination, f"eni-{len(routes)}", origin))
        address = f"{rng.choice((10, 172, 192, 8))}.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}"
        chosen = [c.route for c in route_candidates(routes, address) if c.verdict == "chosen"]
        expected = select_route(routes, address)
        assert chosen == ([] if expected is None else [expected]), (routes, address)


@pytest.fixture
def cloud() -> Cloud:
    lab = Cloud(seed=0)
    vpc = lab.create_vpc("10.0.0.0/16", name="lab")
    lab.add_public_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="public")
    lab.add_private_subnet(vpc, "10.0.2.0/24", az="us-east-1a", name="app")
    lab.create_subnet(vpc, "10.0.3.0/24", az="us-east-1a", name="db")
    return lab


def test_explain_route_judges_the_subnets_own_table_and_displays_it(cloud: Cloud) -> None:
    choice = cloud.explain_route("public", " 8.8.8.8 ")
    assert choice.address == "8.8.8.8"
    assert choice.route_table_id == cloud.route_table_for("public").id
    assert choice.chosen is not None and choice.chosen.route.target.startswith("igw-")
    assert "✓ 0.0.0.0/0" in choice._text_()
    assert 'class="vpclab-route-chosen"' in choice._html_()


def test_explain_route_without_a_match_says_the_packet_is_dropped(cloud: Cloud) -> None:
    choice = cloud.explain_route("db", "8.8.8.8")
    assert choice.chosen is None
    assert "NO_ROUTE_TO_DESTINATION" in choice._text_() and "NO_ROUTE_TO_DESTINATION" in choice._html_()


@pytest.mark.parametrize("bad", ["8.8.8", "web", 8])
def test_explain_route_refuses_what_is_not_an_address(cloud: Cloud, bad: object) -> None:
    with pytest.raises(InvalidValue, match="is not an IPv4 address"):
        cloud.explain_route("db", bad)  # type: ignore[arg-type]


def test_a_subnet_is_public_only_with_an_active_route_to_an_internet_gateway(cloud: Cloud) -> None:
    assert [cloud.subnet_kind(s) for s in ("public", "app", "db")] == ["public", "private", "private"]
    igw = cloud.internet_gateway_of("lab")
    assert igw is not None
    cloud.detach_internet_gateway(igw, "lab")  # its route turns into a blackhole
    assert cloud.subnet_kind("public") == "private"


def test_a_subnet_whose_only_way_out_is_a_vpn_gateway_is_vpn_only(cloud: Cloud) -> None:
    vgw = cloud.attach_vpn_gateway(cloud.create_vpn_gateway(), "lab")
    cloud.create_route("app-rt", "192.168.0.0/16", vgw)
    assert cloud.subnet_kind("app") == "vpn-only"
    cloud.create_route("app-rt", "0.0.0.0/0", cloud.create_network_interface("db"))
    assert cloud.subnet_kind("app") == "private"
