"""The DHCP lab widget: launching uses addresses, a full subnet shows AWS's error inside the
widget, terminating frees an address; and the address map it draws (vpclab.dhcp)."""

from __future__ import annotations

import re

from vpclab import Cloud
from vpclab.widgets.dhcp_lab import dhcp_lab, dhcp_view

FULL = "InsufficientFreeAddressesInSubnet"


def _parts(widget):  # type: ignore[no-untyped-def]
    controls, view = widget.children
    size, group, launch_one, launch_group, terminate = controls.children
    return size, group, launch_one, launch_group, terminate, view


def _free(html: str) -> int:
    found = re.search(r"more instances that fit: (\d+)", html)
    assert found is not None, html
    return int(found.group(1))


def _in_use(html: str) -> int:
    return html.count('class="vpclab-address in-use"')


def test_a_new_28_has_11_free_addresses_and_names_router_and_dns() -> None:
    *_, view = _parts(dhcp_lab("10.0.1.0/28"))
    assert _free(view.value) == 11 and _in_use(view.value) == 0
    assert "default gateway (the VPC router) 10.0.1.1" in view.value
    assert "DNS server 10.0.0.2" in view.value  # base + 2 of the VPC's block, not of the subnet
    assert view.value.count('class="vpclab-address reserved"') == 5


def test_launching_one_takes_one_address() -> None:
    _, _, launch_one, *_, view = _parts(dhcp_lab("10.0.1.0/28"))
    launch_one.click()
    assert _free(view.value) == 10 and _in_use(view.value) == 1
    assert "launched web1" in view.value and "vpclab-error" not in view.value


def test_launching_until_full_shows_the_error_in_the_widget() -> None:
    _, group, launch_one, launch_group, _, view = _parts(dhcp_lab("10.0.1.0/28"))
    group.value = 11
    launch_group.click()
    assert _free(view.value) == 0 and _in_use(view.value) == 11
    assert "vpclab-error" not in view.value
    launch_one.click()
    assert "vpclab-error" in view.value and FULL in view.value
    assert _in_use(view.value) == 11  # nothing changed


def test_a_group_larger_than_the_free_space_launches_nothing() -> None:
    _, group, _, launch_group, _, view = _parts(dhcp_lab("10.0.1.0/28"))
    group.value = 12
    launch_group.click()
    assert FULL in view.value and "not enough for 12" in view.value
    assert _in_use(view.value) == 0 and _free(view.value) == 11


def test_terminating_frees_an_address_for_the_next_launch() -> None:
    _, group, launch_one, launch_group, terminate, view = _parts(dhcp_lab("10.0.1.0/28"))
    group.value = 11
    launch_group.click()
    terminate.click()
    assert _free(view.value) == 1 and "is free again" in view.value
    freed = re.search(r"\(the oldest\): ([\d.]+) is free again", view.value)
    assert freed is not None
    launch_one.click()
    assert _free(view.value) == 0 and "vpclab-error" not in view.value
    assert f"its address, {freed.group(1)}" in view.value  # the only free address


def test_terminating_with_nothing_running_says_so() -> None:
    *_, terminate, view = _parts(dhcp_lab())
    terminate.click()
    assert "no instance is running" in view.value and "vpclab-error" not in view.value


def test_choosing_another_size_starts_a_new_subnet() -> None:
    size, _, launch_one, *_, view = _parts(dhcp_lab("10.0.1.0/28"))
    launch_one.click()
    size.value = 24
    assert "subnet 10.0.1.0/24" in view.value and _free(view.value) == 251 and _in_use(view.value) == 0
    size.value = 27
    assert _free(view.value) == 27


def test_the_view_function_replays_steps_and_shows_errors() -> None:
    html = dhcp_view("10.0.1.0/27", [("launch", 20), ("launch", 8)])
    assert FULL in html and "7 free addresses, not enough for 8" in html
    assert _free(dhcp_view("10.0.1.0/27", [("launch", 20), ("launch", 7)])) == 0
    assert "vpclab-error" in dhcp_view("10.0.1.0/29") and "InvalidSubnet.Range" in dhcp_view("10.0.1.0/29")


def test_the_lowest_mode_hands_out_addresses_in_order() -> None:
    html = dhcp_view("10.0.1.0/28", [("launch", 1), ("launch", 1)], address_mode="lowest")
    assert "launched web2: DHCP tells it its address, 10.0.1.5" in html


def test_the_address_map_names_reserved_used_and_free_addresses() -> None:
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/28", name="app")
    (web,) = cloud.run_instances(subnet, name="web")
    states = {address: (state, detail) for address, state, detail in cloud.address_map(subnet).slots()}
    assert states["10.0.1.1"] == ("reserved", "vpc-router") and states["10.0.1.15"] == ("reserved", "broadcast")
    assert states[web.private_ip] == ("in-use", "web")
    assert sum(state == "free" for state, _ in states.values()) == 10 == cloud.address_map(subnet).free
    assert f"{web.private_ip:<15} in-use   web" in str(cloud.address_map(subnet))


def test_the_address_map_names_a_nat_gateway_and_shortens_big_subnets() -> None:
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16")
    public = cloud.add_public_subnet(vpc, "10.0.0.0/20", name="public")
    nat = cloud.create_nat_gateway(public, cloud.allocate_address())
    addresses = cloud.address_map(public)
    assert addresses.holders == {nat.private_ip: "NAT gateway"} and addresses.free == 4090
    text = str(addresses)
    assert "4,090 free addresses (not listed)" in text and len(text.splitlines()) == 8
    assert "vpclab-address-grid" not in addresses._html_()  # a /20 is listed, not drawn
