"""The route table explorer: choosing a subnet or typing a destination changes the judged table,
the chosen route and the path; errors stay inside the widget."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from vpclab import Cloud
from vpclab.widgets.route_explorer import lesson_world, route_explorer, route_view


def _parts(widget: Any) -> tuple[Any, Any, Any]:
    controls, view = widget.children
    menu, box = controls.children
    return menu, box, view


def _text(view_html: str) -> str:
    return html.unescape(re.sub(r"<svg.*?</svg>", "", view_html, flags=re.S))


@pytest.fixture(scope="module")
def world() -> Cloud:
    return lesson_world()


def test_it_starts_on_the_private_subnet_app_going_to_the_internet_through_the_nat_gateway() -> None:
    widget = route_explorer()
    assert "vpclab-route-explorer" in widget._dom_classes
    menu, box, view = _parts(widget)
    assert menu.label == "app · 10.0.2.0/24" and box.value == "8.8.8.8"
    text = _text(view.value)
    assert "Chosen route: 0.0.0.0/0 → nat-" in text and "the only route that matches 8.8.8.8" in text
    assert "its VPC router answers at 10.0.2.1".lower() in text.lower()
    assert "A private subnet" in text and "associated with it explicitly" in text
    assert "the connection can be made" in text and "<svg" in view.value


def test_typing_an_address_picks_the_longest_prefix(world: Cloud) -> None:
    _, box, view = _parts(route_explorer(world, "app"))
    box.value = "10.1.9.9"
    text = _text(view.value)
    assert "Chosen route: 10.1.9.0/24 → vgw-" in text
    assert "/24 is the longest prefix that matches 10.1.9.9" in text
    assert text.count('class="vpclab-route-less-specific"') == 3  # 0.0.0.0/0 and both 10.1.0.0/16 routes


def test_on_equal_prefixes_the_static_peering_route_beats_the_propagated_one(world: Cloud) -> None:
    text = _text(route_view(world, "app", "10.1.1.10"))
    assert "Chosen route: 10.1.0.0/16 → pcx-" in text
    assert "a propagated route loses to a static route" in text
    assert "the connection can be made" in text  # to partner-server, through the peering


def test_a_blackhole_route_is_chosen_and_drops_the_packet(world: Cloud) -> None:
    text = _text(route_view(world, "app", "10.2.0.5"))
    assert "Chosen route: 10.2.0.0/16 → pcx-" in text and "is a blackhole" in text
    assert "BAD_STATE_ROUTE" in text


def test_choosing_the_subnet_on_the_main_table_shows_no_route_to_the_internet(world: Cloud) -> None:
    menu, _, view = _parts(route_explorer(world))
    menu.label = "db · 10.0.3.0/24"
    text = _text(view.value)
    assert "the VPC's main table, because it has no explicit association" in text
    assert "Chosen route" not in text and "NO_ROUTE_TO_DESTINATION" in text
    menu.label = "public · 10.0.1.0/24"
    text = _text(view.value)
    assert "A public subnet" in text and "Chosen route: 0.0.0.0/0 → igw-" in text


def test_the_local_route_carries_traffic_to_another_subnet(world: Cloud) -> None:
    text = _text(route_view(world, "app", "10.0.3.10"))
    assert "Chosen route: 10.0.0.0/16 → local" in text and "the connection can be made" in text


def test_a_bad_address_is_shown_in_the_widget_not_raised(world: Cloud) -> None:
    _, box, view = _parts(route_explorer(world))
    box.value = "10.1.9."
    assert "vpclab-error" in view.value and "is not an IPv4 address" in view.value


def test_an_unknown_subnet_is_shown_in_the_view_with_the_known_ones(world: Cloud) -> None:
    shown = route_view(world, "nowhere", "8.8.8.8")
    assert "vpclab-error" in shown and "public, app, db" in shown


def test_a_subnet_without_instances_shows_the_route_but_no_path() -> None:
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    cloud.add_public_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="public")
    menu, _, view = _parts(route_explorer(cloud))
    assert menu.label == "public · 10.0.1.0/24"
    assert "Chosen route: 0.0.0.0/0 → igw-" in view.value and "There is no instance in public" in view.value
