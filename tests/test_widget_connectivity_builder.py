"""The connectivity builder: switching peerings, a transit gateway and a VPN changes what a
trace finds; a failed (overlapping) peering and bad ends are shown inside the widget.

Written from aws-vpc-facts.md §10 (peering: routes on both sides, no transitive routing, no
overlapping CIDRs), §11 (transit gateway, Site-to-Site VPN on a VGW or a TGW) and §12 (codes).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from vpclab.resources import VpcPeeringConnection, VpnConnection
from vpclab.topology import topology
from vpclab.widgets.connectivity_builder import (
    OFFICE_HOST,
    connectivity_builder,
    connectivity_view,
    connectivity_world,
)


def text(view_html: str) -> str:
    """The view without its picture and hop table: what the learner reads first."""
    view_html = re.sub(r"<\?xml.*?</svg>", "", view_html, flags=re.S)
    return re.sub(r"<details>.*?</details>", "", view_html, flags=re.S)


def parts(widget: Any) -> tuple[dict[str, Any], Any, Any, Any, Any]:
    controls, view = widget.children
    toggle_row, end_row = controls.children
    keys = ("peer_ab", "peer_bc", "via_b", "transit", "vpn", "overlap")
    source, destination, button = end_row.children
    return dict(zip(keys, toggle_row.children, strict=True)), source, destination, button, view


# --- the view: what a trace finds ---------------------------------------------------------------

def test_before_tracing_the_view_shows_the_picture_and_asks_for_a_trace() -> None:
    view = connectivity_view(trace=False)
    assert "<svg" in view and "press trace" in view
    assert "can be made" not in view and "blocked by" not in view


def test_with_nothing_switched_on_a_has_no_route_to_c() -> None:
    view = text(connectivity_view())
    assert "blocked by NO_ROUTE_TO_DESTINATION" in view and "a-app-rt" in view
    assert "no connection between the networks yet" in view


def test_two_peerings_do_not_connect_a_and_c() -> None:
    # §10: A↔B and B↔C peered: A's route table still has no route for C.
    view = text(connectivity_view(peer_ab=True, peer_bc=True))
    assert "peering A-B" in view and "peering B-C" in view and ": active" in view
    assert "blocked by NO_ROUTE_TO_DESTINATION" in view


def test_routing_a_to_c_through_b_is_refused_by_the_peering() -> None:
    # §10: no transitive routing: the A-B peering carries only B's addresses.
    view = text(connectivity_view(peer_ab=True, peer_bc=True, via_b=True))
    assert "blocked by PCX_REQUIRES_ADDRESS_IN_VPC_CIDR" in view
    assert "Peering is not transitive" in view


def test_a_peering_connects_its_two_vpcs_both_ways() -> None:
    for source, destination in (("a-server", "b-server"), ("b-server", "a-server")):
        view = text(connectivity_view(peer_ab=True, source=source, destination=destination))
        assert "the connection can be made" in view


def test_a_transit_gateway_connects_a_and_c() -> None:
    # §11: routing between attachments is transitive when the route tables allow it.
    view = connectivity_view(transit=True)
    assert "the connection can be made" in text(view)
    assert "transit gateway" in view and "<svg" in view and "<details>" in view


def test_the_more_specific_peering_route_still_wins_over_the_transit_gateway() -> None:
    # A's /16 route for C into the A-B peering beats 10.0.0.0/8 → transit gateway.
    view = text(connectivity_view(peer_ab=True, peer_bc=True, via_b=True, transit=True))
    assert "blocked by PCX_REQUIRES_ADDRESS_IN_VPC_CIDR" in view


def test_via_b_without_both_peerings_says_it_adds_nothing() -> None:
    view = text(connectivity_view(peer_ab=True, via_b=True))
    assert "vpclab-warning" in view and "needs both peerings" in view


# --- overlapping CIDRs --------------------------------------------------------------------------

def test_an_overlapping_peering_fails_and_the_error_is_shown_in_the_widget() -> None:
    # §10: overlapping CIDRs are refused.
    view = text(connectivity_view(overlap=True, peer_bc=True, source="b-server"))
    assert "vpclab-error" in view and "could not be made" in view and "overlap" in view
    assert "VPC C 10.2.0.0/16" in view


def test_a_failed_peering_gets_no_routes_and_stays_failed() -> None:
    cloud = connectivity_world(overlap=True, peer_bc=True)
    (pcx,) = cloud._all(VpcPeeringConnection)
    assert pcx.status == "failed"
    assert not any(r.target == pcx.id for r in cloud.route_table("b-app-rt").routes)


# --- the Site-to-Site VPN --------------------------------------------------------------------------

def test_a_vpn_on_a_virtual_private_gateway_serves_vpc_a_only() -> None:
    assert "can be made" in text(connectivity_view(vpn=True, destination=OFFICE_HOST))
    view = text(connectivity_view(vpn=True, peer_ab=True, source="b-server", destination=OFFICE_HOST))
    assert "blocked by NO_ROUTE_TO_DESTINATION" in view and "b-app-rt" in view
    assert "only A&#x27;s route table learns" in view


def test_a_vpn_on_the_transit_gateway_serves_every_attached_vpc() -> None:
    for end in ("a-server", "b-server", "c-server"):
        assert "can be made" in text(connectivity_view(vpn=True, transit=True, source=OFFICE_HOST, destination=end))
    assert "ends on the transit gateway" in text(connectivity_view(vpn=True, transit=True))


def test_the_vpn_has_two_tunnels() -> None:
    # §11: every VPN connection has two tunnels.
    (vpn,) = connectivity_world(vpn=True)._all(VpnConnection)
    assert vpn.tunnels == ("UP", "UP")
    assert "2 tunnels, BGP" in text(connectivity_view(vpn=True))


def test_the_on_premises_host_without_a_vpn_is_not_traced_as_an_internet_host() -> None:
    view = text(connectivity_view(source=OFFICE_HOST))
    assert "vpclab-warning" in view and "not connected yet" in view
    assert "blocked by" not in view


def test_the_picture_draws_a_trace_from_on_premises_from_the_on_premises_node() -> None:
    # The topology change made for this widget: a trace that starts on-premises starts at that node.
    cloud = connectivity_world(vpn=True, transit=True)
    result = cloud.trace(OFFICE_HOST, "c-server", "tcp", 22)
    outline = topology(cloud, result).outline
    assert "✓ 1: on-premises → tgw-" in outline


def test_the_picture_draws_direct_connect_as_a_link_to_on_premises() -> None:
    # The topology change made for lesson 08: a Direct Connect private VIF is an edge of its own.
    cloud = connectivity_world(vpn=True)
    vif = cloud.create_direct_connect_virtual_interface("a-vgw", ["192.168.0.0/16"], name="office-dx")
    result = cloud.trace("a-server", OFFICE_HOST, "tcp", 22)
    outline = topology(cloud, result).outline
    assert f"Direct Connect office-dx ({vif.id}) {vif.vpn_gateway_id} ↔ on-premises" in outline
    assert f"{vif.vpn_gateway_id} → on-premises" in outline  # the trace leaves by the VGW


def test_without_graphviz_the_view_shows_the_picture_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vpclab.render.dot_available", lambda: False)
    view = connectivity_view(transit=True)
    assert "<svg" not in view and "vpclab-outline" in view and "graphviz" in view and "transit gateway hub" in view


# --- bad input stays inside the widget -------------------------------------------------------------

@pytest.mark.parametrize(("source", "destination", "words"), [
    ("a-server", "a-server", "the source and the destination are the same"),
    ("d-server", "a-server", "is not one of the ends"),
])
def test_bad_ends_are_shown_as_errors(source: str, destination: str, words: str) -> None:
    view = connectivity_view(source=source, destination=destination)
    assert "vpclab-error" in view and words in view


# --- the widget itself ------------------------------------------------------------------------------

def test_toggles_and_the_trace_button_change_the_view() -> None:
    widget = connectivity_builder()
    assert "vpclab-connectivity-builder" in widget._dom_classes
    toggles, _, _, button, view = parts(widget)
    assert "press trace" in view.value
    button.click()
    assert "blocked by NO_ROUTE_TO_DESTINATION" in text(view.value)
    toggles["peer_ab"].value = True
    toggles["peer_bc"].value = True
    toggles["via_b"].value = True
    assert "blocked by PCX_REQUIRES_ADDRESS_IN_VPC_CIDR" in text(view.value)  # traced again at once
    toggles["via_b"].value = False
    toggles["transit"].value = True
    assert "the connection can be made" in text(view.value)


def test_choosing_the_ends_traces_between_them() -> None:
    toggles, source, destination, button, view = parts(connectivity_builder())
    toggles["vpn"].value = True
    source.value = OFFICE_HOST
    destination.value = "a-server"
    assert "press trace" in view.value
    button.click()
    assert "on-premises host 192.168.10.5 → server in VPC A" in text(view.value)
    assert "the connection can be made" in text(view.value)


def test_the_same_end_twice_is_an_error_in_the_widget() -> None:
    _, source, destination, button, view = parts(connectivity_builder())
    button.click()
    destination.value = source.value
    assert "vpclab-error" in view.value
