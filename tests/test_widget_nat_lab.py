"""The NAT lab widget: opening connections fills the NAT gateway's table; errors stay inside."""

from __future__ import annotations

import re
from typing import Any

from vpclab.widgets.nat_lab import destination_of, lab_cloud, nat_lab, nat_view

ROW = re.compile(r"<td>(10\.0\.2\.\d+):(\d+)</td><td>([\d.]+):(\d+)</td><td>([^<]+)</td>")


def _parts(widget: Any) -> tuple[Any, Any, Any, Any]:
    controls, view = widget.children
    host, box, button = controls.children
    return host, box, button, view


def _rows(view_html: str) -> list[tuple[str, ...]]:
    return ROW.findall(view_html)


def test_opening_a_connection_adds_a_translation_to_the_elastic_ip() -> None:
    widget = nat_lab()
    _, _, button, view = _parts(widget)
    eip = lab_cloud().get("lab-nat").public_ip  # type: ignore[attr-defined]
    assert _rows(view.value) == [] and "0 of 55,000" in view.value
    button.click()
    ((private_ip, _, public_ip, public_port, destination),) = _rows(view.value)
    assert private_ip == "10.0.2.175" and public_ip == eip and destination == "93.184.216.34:443/tcp"
    assert 1024 <= int(public_port) <= 65535
    assert "1 of 55,000" in view.value and "0 of 55,000" not in view.value
    assert f"last connection: {private_ip}:" in view.value


def test_many_hosts_share_one_address_and_ports_keep_them_apart() -> None:
    host, _, button, view = _parts(nat_lab(hosts=4))
    for _, instance_id in host.options:
        host.value = instance_id
        button.click()
    rows = _rows(view.value)
    assert len({r[0] for r in rows}) == 4 and len({r[2] for r in rows}) == 1  # many-to-one
    assert len({r[3] for r in rows}) == 4  # each connection its own public port
    assert "4 private host(s) share the one address" in view.value and "4 of 55,000" in view.value


def test_connections_are_counted_per_destination() -> None:
    _, box, button, view = _parts(nat_lab())
    button.click()
    box.value = "93.184.216.34:80"
    assert "93.184.216.34:80/tcp</td><td>0 of 55,000" in view.value
    assert "93.184.216.34:443/tcp</td><td>1 of 55,000" in view.value
    button.click()
    assert "93.184.216.34:80/tcp</td><td>1 of 55,000" in view.value


def test_the_internet_gateway_side_keeps_the_port() -> None:
    view = nat_view(lab_cloud())
    match = re.search(r"(10\.0\.1\.\d+):49152 → ([\d.]+):49152", view)
    assert match is not None and "the port is not changed" in view


def test_a_bad_destination_is_shown_in_the_widget_not_raised() -> None:
    _, box, button, view = _parts(nat_lab())
    box.value = "93.184.216.x:443"
    assert "vpclab-error" in view.value and "is not a destination like" in view.value
    button.click()
    assert "vpclab-error" in view.value and _rows(view.value) == []


def test_a_connection_that_cannot_be_made_is_explained_and_the_table_stays() -> None:
    _, box, button, view = _parts(nat_lab())
    button.click()
    box.value = "192.168.7.7:443"  # private addresses are never sent to the internet
    button.click()
    assert "vpclab-error" in view.value and "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS" in view.value
    assert len(_rows(view.value)) == 1


def test_a_connection_inside_the_vpc_passes_no_nat() -> None:
    _, box, button, view = _parts(nat_lab())
    box.value = "10.0.2.7:22"  # app-4, in the same subnet; app-sg allows SSH
    button.click()
    assert "did not pass the NAT gateway" in view.value and "stays inside the VPC" in view.value
    assert _rows(view.value) == [] and "vpclab-error" not in view.value


def test_the_limit_per_destination_gives_error_port_allocation() -> None:
    _, _, button, view = _parts(nat_lab(limit=2))
    button.click()
    button.click()
    assert "2 of 2" in view.value and "vpclab-error" not in view.value
    button.click()
    assert "vpclab-error" in view.value and "ErrorPortAllocation" in view.value
    assert len(_rows(view.value)) == 2


def test_bad_arguments_show_an_error_instead_of_raising() -> None:
    for widget in (nat_lab(hosts=0), nat_lab(limit=0)):
        controls, view = widget.children
        assert controls.children == () and "vpclab-error" in view.value


def test_destinations_are_read_with_a_default_port() -> None:
    assert destination_of(" 8.8.8.8:53 ") == ("8.8.8.8", 53)
    assert destination_of("93.184.216.34") == ("93.184.216.34", 443)
    for bad in ("93.184.216.34:70000", "93.184.216.34:", "web:443"):
        assert "vpclab-error" in nat_view(lab_cloud(), bad)
