"""The endpoint lab: ticking pieces, choosing a service or a source changes the path and the
billing shown; errors stay inside the widget. Facts: aws-vpc-facts.md §5, §6, §9, §10, §14 h."""

from __future__ import annotations

import re
from typing import Any

import pytest

from vpclab import Cloud
from vpclab.endpoints import CHARGES
from vpclab.widgets.endpoint_lab import endpoint_lab, endpoint_view

GATEWAY_PATH = "through the gateway endpoint"
INTERFACE_PATH = "through its interface endpoint"


def _parts(widget: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
    controls, view = widget.children
    nat, gateway, interface, service, source = controls.children
    return nat, gateway, interface, service, source, view


def _trace(view_html: str) -> str:
    """The trace in the path column (after the route table)."""
    return view_html.split("</pre>", 1)[1].split("What is charged", 1)[0]


def _billing(view_html: str) -> str:
    """The billing column of the view (after the path column)."""
    return view_html.split("What is charged", 1)[1]


def _row(view_html: str, piece: str) -> str:
    """The billing row of one piece (its name in bold up to the end of the row)."""
    match = re.search(rf"<b>{piece}</b>.*?</tr>", _billing(view_html))
    assert match, piece
    return match.group(0)


def test_the_frame_carries_the_css_names_the_browser_test_uses() -> None:
    widget = endpoint_lab()
    assert "vpclab-endpoint-lab" in widget._dom_classes
    assert "vpclab-view" in widget.children[1]._dom_classes


def test_by_default_s3_traffic_goes_through_the_nat_gateway_and_internet_gateway() -> None:
    *_, view = _parts(endpoint_lab())
    assert "0.0.0.0/0 → nat-" in view.value and "nat-gateway" in _trace(view.value)
    assert GATEWAY_PATH not in view.value and INTERFACE_PATH not in view.value
    assert "this request goes through it" in _row(view.value, "NAT gateway")
    assert "per hour" in _row(view.value, "NAT gateway") and "per GB" in _row(view.value, "NAT gateway")
    assert "no charge" in _row(view.value, "internet gateway")


def test_ticking_the_gateway_endpoint_adds_the_prefix_list_route_and_moves_the_path() -> None:
    _, gateway, _, _, _, view = _parts(endpoint_lab())
    gateway.value = True
    assert re.search(r"pl-[0-9a-f]+ +→ vpce-", view.value)
    assert GATEWAY_PATH in view.value
    assert "nat-gateway" not in _trace(view.value)
    assert "this request goes through it" in _row(view.value, "gateway endpoint")
    assert "no charge" in _row(view.value, "gateway endpoint")
    assert "not on this request" in _row(view.value, "NAT gateway")  # still there, still billed per hour


def test_an_interface_endpoint_with_private_dns_answers_the_service_name_with_a_private_address() -> None:
    _, _, interface, _, _, view = _parts(endpoint_lab())
    interface.value = True
    answer = re.search(r"DNS answers ([0-9.]+)", view.value)
    assert answer and answer.group(1).startswith("10.0.2.")
    assert INTERFACE_PATH in view.value
    row = _row(view.value, "interface endpoint")
    assert "for each Availability Zone it is in (1 here)" in row and "per GB" in row
    assert "this request goes through it" in row


def test_with_both_endpoints_private_dns_sends_s3_to_the_interface_endpoint() -> None:
    html = endpoint_view("s3", gateway=True, interface=True)
    assert INTERFACE_PATH in html and GATEWAY_PATH not in html
    assert "not on this request" in _row(html, "gateway endpoint")


def test_sqs_has_no_gateway_endpoint_the_refusal_is_shown_and_the_path_stays_on_the_nat() -> None:
    _, gateway, _, service, _, view = _parts(endpoint_lab())
    gateway.value = True
    service.value = "sqs"
    assert "vpclab-error" in _row(view.value, "gateway endpoint")
    assert "gateway endpoints exist only for s3 and dynamodb" in view.value
    assert "sqs.us-east-1.amazonaws.com" in view.value and "nat-gateway" in _trace(view.value)


@pytest.mark.parametrize("service", ["s3", "dynamodb"])
def test_both_gateway_services_use_their_gateway_endpoint(service: str) -> None:
    html = endpoint_view(service, gateway=True)
    assert f"com.amazonaws.us-east-1.{service} {GATEWAY_PATH}" in html


def test_a_peered_vpc_cannot_use_the_gateway_endpoint_but_can_reach_the_interface_endpoint() -> None:
    *_, view = _parts(endpoint_lab(gateway=True, source="peered"))
    assert "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR" in view.value and GATEWAY_PATH not in view.value
    html = endpoint_view("s3", interface=True, source="peered")
    assert ".vpce.amazonaws.com" in html  # the endpoint's own DNS name
    assert INTERFACE_PATH in html and "the connection can be made" in html


def test_without_nat_or_endpoint_there_is_no_route_to_the_service() -> None:
    nat, *_, view = _parts(endpoint_lab())
    nat.value = False
    assert "NO_ROUTE_TO_DESTINATION" in view.value
    assert "<b>NAT gateway</b>" not in view.value


@pytest.mark.parametrize(("kwargs", "text"), [({"service": ""}, "is not a service name"),
                                              ({"source": "mars"}, "is not a place the lab can send")])
def test_a_bad_input_is_shown_in_the_widget_not_raised(kwargs: dict[str, str], text: str) -> None:
    html = endpoint_view(**kwargs)  # type: ignore[arg-type]
    assert "vpclab-error" in html and text in html


def test_the_widget_accepts_an_unlisted_service_and_shows_its_path() -> None:
    *_, view = _parts(endpoint_lab("kms"))
    assert "kms.us-east-1.amazonaws.com" in view.value and "nat-gateway" in _trace(view.value)


def test_the_view_is_the_same_every_time() -> None:
    assert endpoint_view("s3", gateway=True) == endpoint_view("s3", gateway=True)


# --- the engine pieces the lab stands on -------------------------------------------------------

def test_charges_follow_the_facts_sheet() -> None:
    # §5 internet gateway free; §6 NAT gateway per hour + per GB; §9 gateway endpoint free,
    # interface endpoint per endpoint-hour (per AZ) + per GB.
    assert (CHARGES["internet-gateway"].hourly, CHARGES["internet-gateway"].per_gb) == (False, False)
    assert (CHARGES["nat-gateway"].hourly, CHARGES["nat-gateway"].per_gb) == (True, True)
    assert (CHARGES["gateway-endpoint"].hourly, CHARGES["gateway-endpoint"].per_gb) == (False, False)
    interface = CHARGES["interface-endpoint"]
    assert (interface.hourly, interface.per_gb, interface.hourly_per_az) == (True, True, True)


def test_billed_on_names_the_pieces_a_request_passes_through() -> None:
    cloud = Cloud(seed=2)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app", nat_in=public)
    host = cloud.launch(app, "host")
    s3 = cloud.service_address("s3")
    nat_id = next(r.target for r in cloud.route_table_for(app).routes if r.destination == "0.0.0.0/0")
    igw = cloud.internet_gateway_of(vpc)
    assert igw is not None
    assert cloud.billed_on(cloud.trace(host, s3, "tcp", 443)) == (("nat-gateway", nat_id),
                                                                  ("internet-gateway", igw.id))
    gateway = cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(app)])
    assert cloud.billed_on(cloud.trace(host, s3, "tcp", 443)) == (("gateway-endpoint", gateway.id),)
    sqs = cloud.create_vpc_endpoint(vpc, "sqs", endpoint_type="Interface", subnets=[app])
    assert cloud.billed_on(cloud.trace(host, sqs.id, "tcp", 443)) == (("interface-endpoint", sqs.id),)
    blocked = cloud.trace(host, s3, "udp", 443)  # a gateway endpoint carries only TCP and ICMP echo
    assert not blocked.reachable and cloud.billed_on(blocked) == ()
