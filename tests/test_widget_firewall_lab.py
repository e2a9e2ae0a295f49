"""The SG vs NACL lab: each control changes the traced connection the way AWS would, the
client's ephemeral port is highlighted, and a bad input is shown inside the widget."""

from __future__ import annotations

import re
from typing import Any

from vpclab.widgets.firewall_lab import firewall_lab, firewall_view, lab_world


def _controls(widget: Any) -> tuple[dict[str, Any], Any]:
    """The lab's controls by their CSS class (vpclab-sg-in, …), and its view."""
    rows, view = widget.children
    found = {}
    for row in rows.children:
        for control in row.children:
            name = next(c for c in control._dom_classes if c.startswith("vpclab-"))
            found[name.removeprefix("vpclab-")] = control
    return found, view


def _verdict(html: str) -> str:
    """The lab's own verdict line (✓ or ✗ …), as text."""
    match = re.search(r'<div style="color:#(?:1a7f37|cf222e)"><b>([✓✗][^<]*)</b></div>', html)
    assert match, html[:500]
    return match.group(1)


def test_all_rules_on_the_connection_works_and_the_ephemeral_port_is_marked() -> None:
    controls, view = _controls(firewall_lab())
    assert _verdict(view.value).startswith("✓ the connection works")
    assert controls["source-port"].value == 32768  # the lowest port of the Linux range
    assert "198.51.100.7:<mark>32768</mark>" in view.value
    assert "outbound rule 100: allow TCP 1024-65535 0.0.0.0/0" in view.value
    assert "reply to an allowed connection: security groups are stateful" in view.value


def test_without_the_nacl_outbound_rule_the_reply_is_dropped_on_the_return_path() -> None:
    controls, view = _controls(firewall_lab())
    controls["nacl-out"].value = ()  # the menu's "(no rule)"
    verdict = _verdict(view.value)
    assert verdict.startswith("✗ stopped on the reply path (return) at web-acl")
    assert "outbound rule *: deny all 0.0.0.0/0 (SUBNET_ACL_RESTRICTION)" in verdict
    assert "inbound rule 100: allow TCP 443 0.0.0.0/0" in view.value  # the request itself got in
    assert "denies the reply (TCP port <mark>32768</mark> with 198.51.100.7)" in view.value


def test_without_security_group_outbound_rules_the_reply_still_gets_out_stateful() -> None:
    controls, view = _controls(firewall_lab())
    controls["sg-out"].value = False
    assert _verdict(view.value).startswith("✓ the connection works")
    assert "<td>outbound</td><td>all traffic 0.0.0.0/0</td>" not in view.value  # the rule is gone
    assert "reply to an allowed connection: security groups are stateful" in view.value


def test_without_the_security_group_inbound_rule_the_request_is_stopped_at_the_instance() -> None:
    controls, view = _controls(firewall_lab())
    controls["sg-in"].value = False
    verdict = _verdict(view.value)
    assert verdict.startswith("✗ stopped on the request path (forward) at web-sg")
    assert "ENI_SG_RULES_MISMATCH" in verdict


def test_a_deny_rule_wins_only_when_its_number_is_lower() -> None:
    controls, view = _controls(firewall_lab())
    controls["nacl-deny"].value = 90
    assert "inbound rule 90: deny all 198.51.100.0/24 (SUBNET_ACL_RESTRICTION)" in _verdict(view.value)
    controls["nacl-deny"].value = 110
    assert _verdict(view.value).startswith("✓")  # rule 100 matched first


def test_another_port_meets_the_nacl_before_the_security_group() -> None:
    controls, view = _controls(firewall_lab())
    controls["port"].value = 22
    verdict = _verdict(view.value)
    assert "request path" in verdict and "inbound rule *: deny all" in verdict


def test_the_notes_range_breaks_nat_gateway_clients_and_windows_range_breaks_linux() -> None:
    controls, view = _controls(firewall_lab())
    controls["nacl-out"].value = (32768, 65535)
    assert _verdict(view.value).startswith("✓")  # Linux, port 32768
    controls["client"].value = "nat-gateway"
    assert (controls["source-port"].min, controls["source-port"].max) == (1024, 65535)
    assert controls["source-port"].value == 1024
    assert "SUBNET_ACL_RESTRICTION" in _verdict(view.value) and "<mark>1024</mark>" in view.value
    controls["source-port"].value = 40000
    assert _verdict(view.value).startswith("✓")
    controls["nacl-out"].value = (49152, 65535)
    controls["client"].value = "linux"
    assert "reply path" in _verdict(view.value)
    controls["client"].value = "windows"
    assert controls["source-port"].value == 49152 and _verdict(view.value).startswith("✓")


def test_a_source_port_outside_the_clients_range_is_shown_as_an_error() -> None:
    html = firewall_view(client="windows", source_port=40000)
    assert "vpclab-error" in html and "49152–65535" in html and "40000" in html
    assert "vpclab-error" in firewall_view(client="macos") and "linux, windows" in firewall_view(client="macos")


def test_the_world_is_built_by_the_engine_with_exactly_the_rules_asked_for() -> None:
    cloud, web = lab_world(nacl_out=None, deny_rule=90, sg_out=False)
    acl = cloud.network_acl_for(web.subnet_id)
    assert acl.name == "web-acl" and not acl.is_default
    assert sorted((e.egress, e.rule_number, e.action) for e in acl.entries) == [
        (False, 90, "deny"), (False, 100, "allow"), (False, 32767, "deny"), (True, 32767, "deny")]
    assert cloud.get(web.security_group_ids[0]).egress == ()
