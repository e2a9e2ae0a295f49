"""The SG vs NACL lab: switch security group and network ACL rules on and off, pick the port
and the client, and watch the request and the reply go through (or not), hop by hop.

The world is small: a client on the internet opens a connection to a web server in a public
subnet that has a security group (``web-sg``) and a custom network ACL (``web-acl``). The
widget is a thin shell: :func:`lab_world` builds the world with the engine's operations,
:func:`firewall_view` traces the connection with ``cloud.trace`` and shows the hops. The
client's ephemeral port (its source port, where the reply goes) is highlighted. Errors stay
inside the widget.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from vpclab.cloud import Cloud
from vpclab.errors import InvalidValue
from vpclab.i18n import message
from vpclab.ports import WELL_KNOWN_PORTS, ephemeral_range, reply_ports
from vpclab.resources import Instance, Resource
from vpclab.trace import Hop, Trace
from vpclab.widgets.shell import panel, shown

__all__ = ["CLIENT", "CLIENTS", "DENY_RULES", "NACL_OUT_RANGES", "firewall_lab", "firewall_view", "lab_world"]

CLIENT = "198.51.100.7"  # a documentation address (RFC 5737) standing for a client on the internet
CLIENT_NETWORK = "198.51.100.0/24"
WEB_PORT = 443
ALLOW_RULE = 100
CLIENTS = ("linux", "windows", "nat-gateway")  # keys of vpclab.ports.EPHEMERAL_RANGES
DENY_RULES = (None, 90, 110)  # an inbound rule denying the client's network: none, before or after rule 100
REPLY_PORTS = reply_ports()  # 1024–65535: every client's ephemeral ports
# What the outbound allow rule lets replies use: AWS's advice, the study notes' range, Windows' range.
NACL_OUT_RANGES: tuple[tuple[int, int] | None, ...] = (REPLY_PORTS, (32768, 65535), (49152, 65535), None)
_TCP_PORTS = tuple(dict.fromkeys(p for s in WELL_KNOWN_PORTS if "TCP" in s.protocol for p in s.ports))


def lab_world(*, sg_in: bool = True, sg_out: bool = True, nacl_in: bool = True,
              nacl_out: tuple[int, int] | None = REPLY_PORTS,
              deny_rule: int | None = None) -> tuple[Cloud, Instance]:
    """The lab's world with these rules, and its web server."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    subnet = cloud.add_public_subnet(vpc, "10.0.1.0/24", name="web-subnet")
    sg = cloud.create_security_group(vpc, "web-sg", "the web server")
    acl = cloud.create_network_acl(vpc, "web-acl")
    cloud.replace_network_acl_association(subnet, acl)
    web = cloud.launch(subnet, "web", sg)
    if sg_in:
        cloud.allow(sg, WEB_PORT, source="0.0.0.0/0")
    if not sg_out:
        cloud.revoke_security_group_egress(sg, "-1", cidr="0.0.0.0/0")
    if nacl_in:
        cloud.create_network_acl_entry(acl, ALLOW_RULE, "tcp", "allow", "0.0.0.0/0", port=WEB_PORT)
    if deny_rule is not None:
        cloud.create_network_acl_entry(acl, deny_rule, "-1", "deny", CLIENT_NETWORK)
    if nacl_out is not None:
        cloud.create_network_acl_entry(acl, ALLOW_RULE, "tcp", "allow", "0.0.0.0/0", egress=True, ports=nacl_out)
    return cloud, web


def _source_port(client: str, source_port: int | None) -> int:
    low, high = ephemeral_range(client)
    if source_port is None:
        return low
    if isinstance(source_port, bool) or not isinstance(source_port, int) or not low <= source_port <= high:
        raise InvalidValue("InvalidParameterValue",
                           message("fw.lab.bad_source_port", port=source_port, low=low, high=high,
                                   who=message(f"fw.lab.client.{client}")),
                           fix=message("fw.lab.bad_source_port_fix", low=low, high=high))
    return source_port


def _stopping_hop(trace: Trace) -> Hop | None:
    return next((h for h in (*trace.forward, *trace.return_) if h.action in ("deny", "drop")), None)


def _verdict(cloud: Cloud, trace: Trace) -> str:
    blocker = trace.blocker
    if blocker is None:
        return f'<div style="color:#1a7f37"><b>✓ {html.escape(message("fw.lab.works"))}</b></div>'
    hop = _stopping_hop(trace)
    item = cloud._items.get(blocker.component or "")
    where = item.label if isinstance(item, Resource) else (blocker.component or "")
    text = message("fw.lab.blocked", path=message(f"fw.lab.path.{blocker.direction}"), where=where,
                   rule=hop.detail if hop else blocker.message, code=blocker.code)
    return f'<div style="color:#cf222e"><b>✗ {html.escape(text)}</b></div>'


def _mark(text: str, port: int) -> str:
    """``text`` (HTML) with the ephemeral port highlighted wherever it stands as a number of its own."""
    return re.sub(rf"(?<![\w.\-–]){port}(?![\w\-–])", f"<mark>{port}</mark>", text)


def firewall_view(*, sg_in: bool = True, sg_out: bool = True, nacl_in: bool = True,
                  nacl_out: tuple[int, int] | None = REPLY_PORTS, deny_rule: int | None = None,
                  port: int = WEB_PORT, client: str = "linux", source_port: int | None = None) -> str:
    """What the lab shows: the connection from a ``client`` on the internet (source port
    ``source_port``, by default the lowest of its ephemeral range) to the web server on
    ``port``, traced through these rules, as HTML."""

    def render() -> str:
        chosen = _source_port(client, source_port)
        low, high = ephemeral_range(client)
        cloud, web = lab_world(sg_in=sg_in, sg_out=sg_out, nacl_in=nacl_in, nacl_out=nacl_out, deny_rule=deny_rule)
        trace = cloud.trace(CLIENT, web, "tcp", port, source_port=chosen)
        lines = [
            message("fw.lab.request", client=CLIENT, port=chosen, server=web.public_ip, server_port=port),
            message("fw.lab.reply", client=CLIENT, port=chosen, server=web.private_ip, server_port=port),
            message("fw.lab.ephemeral", who=message(f"fw.lab.client.{client}"), port=chosen, low=low, high=high),
        ]
        parts = [_mark("".join(f"<div>{html.escape(line)}</div>" for line in lines), chosen),
                 _verdict(cloud, trace), _mark(trace._html_(), chosen),
                 cloud.get(web.security_group_ids[0])._html_() or "", cloud.network_acl_for(web.subnet_id)._html_()]
        return "".join(parts)

    return shown(render)


def _choice_label(value: tuple[int, int] | None) -> str:
    if value is None:
        return message("fw.lab.nacl_out_none")
    note = {REPLY_PORTS: "fw.lab.nacl_out_advice", (32768, 65535): "fw.lab.nacl_out_notes"}.get(value)
    text = f"{value[0]}–{value[1]}"
    return f"{text} {message(note)}" if note else text


def _port_label(port: int) -> str:
    names = [s.name for s in WELL_KNOWN_PORTS if port in s.ports]
    return f"{port} {names[0]}" if names else str(port)


def _client_label(client: str) -> str:
    low, high = ephemeral_range(client)
    return f"{message(f'fw.lab.client.{client}')} ({low}–{high})"


def firewall_lab(*, port: int = WEB_PORT, client: str = "linux") -> Any:
    """Boxes for the security group's and the NACL's rules, menus for the port and the
    client, and a slider for the client's source port, above the traced connection."""
    wide = {"description_width": "initial"}

    def width(pixels: int | None = None) -> widgets.Layout:
        return widgets.Layout(width=f"{pixels}px" if pixels else "auto", margin="2px 12px 2px 0")

    sg_in = widgets.Checkbox(value=True, description=message("fw.lab.sg_in"), indent=False, layout=width())
    sg_out = widgets.Checkbox(value=True, description=message("fw.lab.sg_out"), indent=False, layout=width())
    nacl_in = widgets.Checkbox(value=True, description=message("fw.lab.nacl_in"), indent=False, layout=width())
    # a menu's value None would mean "nothing chosen", so "no rule" is () and "no deny rule" is 0 in the menus
    nacl_out = widgets.Dropdown(options=[(_choice_label(v), v or ()) for v in NACL_OUT_RANGES],
                                value=NACL_OUT_RANGES[0], description=message("fw.lab.nacl_out"), style=wide,
                                layout=width(470))
    deny = widgets.Dropdown(options=[(message("fw.lab.deny_none") if r is None else
                                      message("fw.lab.deny_rule", number=r), r or 0) for r in DENY_RULES],
                            value=0, description=message("fw.lab.deny", network=CLIENT_NETWORK), style=wide,
                            layout=width(390))
    ports = widgets.Dropdown(options=[(_port_label(p), p) for p in dict.fromkeys((*_TCP_PORTS, port))], value=port,
                             description=message("fw.lab.port"), style=wide, layout=width(260))
    clients = widgets.Dropdown(options=[(_client_label(c), c) for c in dict.fromkeys((*CLIENTS, client))],
                               value=client, description=message("fw.lab.client"), style=wide, layout=width(360))
    low, high = ephemeral_range(client)
    source = widgets.IntSlider(value=low, min=low, max=high, description=message("fw.lab.source_port"),
                               continuous_update=False, style=wide, layout=width(400))
    for control, name in ((sg_in, "sg-in"), (sg_out, "sg-out"), (nacl_in, "nacl-in"), (nacl_out, "nacl-out"),
                          (deny, "nacl-deny"), (ports, "port"), (clients, "client"), (source, "source-port")):
        control.add_class(f"vpclab-{name}")
    view = widgets.HTML(value=firewall_view(port=port, client=client, source_port=low))

    def update(_change: object = None) -> None:
        view.value = firewall_view(sg_in=sg_in.value, sg_out=sg_out.value, nacl_in=nacl_in.value,
                                   nacl_out=nacl_out.value or None, deny_rule=deny.value or None, port=ports.value,
                                   client=clients.value, source_port=source.value)

    def new_client(_change: object = None) -> None:
        low, high = ephemeral_range(clients.value)
        source.unobserve(update, names="value")
        if low > source.max:  # widen first, so that min never passes max
            source.max, source.min = high, low
        else:
            source.min, source.max = low, high
        source.value = low
        source.observe(update, names="value")
        update()

    for control in (sg_in, sg_out, nacl_in, nacl_out, deny, ports):
        control.observe(update, names="value")
    source.observe(update, names="value")
    clients.observe(new_client, names="value")
    rows = [widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap"))
            for row in ([sg_in, sg_out], [nacl_in, nacl_out, deny], [ports, clients, source])]
    return panel("firewall_lab", rows, view, vertical=True)
