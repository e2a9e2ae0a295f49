"""The NAT lab: many private hosts open connections through one NAT gateway, and the view
shows its translation table grow; beside it, the 1:1 NAT the internet gateway does for an
instance with a public address.

The widget is a thin shell over the engine: the lab world of :func:`vpclab.grading.bank.nat.world`
(``Cloud(seed=0)``), ``cloud.open_connection`` (which records the NAT gateway's translation),
``cloud.nat_translations`` and ``cloud.trace``. Errors (a bad destination, a connection that
cannot be made, no free port) are shown inside the widget, above the table.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from vpclab.cidr import is_address
from vpclab.cloud import Cloud
from vpclab.display import html_table
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.grading.bank.nat import INTERNET, app_hosts, world
from vpclab.i18n import message
from vpclab.nat import NAT_PORTS
from vpclab.resources import Instance, NatGateway
from vpclab.trace import Trace
from vpclab.widgets.shell import error_html, panel, shown

__all__ = ["DEFAULT_DESTINATION", "destination_of", "lab_cloud", "nat_lab", "nat_view"]

DEFAULT_DESTINATION = f"{INTERNET}:443"
PROTOCOL = "tcp"


def lab_cloud(hosts: int = 4, *, limit: int | None = None) -> Cloud:
    """The lab world with ``hosts`` private instances; ``limit`` lowers the connections-per-
    destination quota (55,000 by default) so that the limit can be reached by hand."""
    cloud = world("working", hosts)
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidValue("InvalidParameterValue", message("nat.lab.bad_limit", limit=limit),
                               fix=message("nat.lab.bad_limit_fix"))
        cloud.quotas.nat_connections_per_destination = limit
    return cloud


def destination_of(text: str) -> tuple[str, int]:
    """``"93.184.216.34:443"`` → ``("93.184.216.34", 443)``; without a port, 443."""
    address, colon, port = str(text).strip().partition(":")
    if not is_address(address) or (colon and not (port.isdigit() and 1 <= int(port) <= 65535)):
        raise InvalidValue("InvalidParameterValue", message("nat.lab.bad_destination", text=text),
                           fix=message("nat.lab.bad_destination_fix"))
    return address.strip(), int(port) if port else 443


def _napt_html(cloud: Cloud, nat: NatGateway, destination: tuple[str, int]) -> str:
    table = cloud.nat_translations(nat)
    entries = list(table.entries.values())
    limit, eip = f"{table.limit:,}", table.public_ip
    intro = message("nat.lab.napt_intro", eip=eip, low=NAT_PORTS[0], high=NAT_PORTS[1])
    parts = [f"<h4>{html.escape(message('nat.lab.napt_title', nat=nat.label))}</h4>",
             f"<p>{html.escape(intro)}</p>"]
    if entries:
        rows = [(n, f"{e.private_ip}:{e.private_port}", f"{e.public_ip}:{e.public_port}",
                 f"{e.destination_ip}:{e.destination_port}/{e.protocol}") for n, e in enumerate(entries, start=1)]
        header = (message("nat.lab.number"), message("nat.lab.inside"), message("nat.lab.outside"),
                  message("nat.lab.destination_column"))
        newest = html_table(header, rows).rsplit("<tr>", 1)
        parts.append(newest[0] + '<tr style="font-weight:bold;background:#dafbe1">' + newest[1])
        ports = ", ".join(str(p) for p in sorted(e.public_port for e in entries))
        sharing = message("nat.lab.hosts_sharing", hosts=len({e.private_ip for e in entries}), eip=eip)
        used = message("nat.lab.ports_used", eip=eip, ports=ports)
        parts.append(f"<p>{html.escape(sharing)}<br>{html.escape(used)}</p>")
    else:
        parts.append(f"<p><i>{html.escape(message('nat.lab.none_yet'))}</i></p>")
    counts: dict[str, int] = {f"{destination[0]}:{destination[1]}/{PROTOCOL}": 0}
    for e in entries:
        key = f"{e.destination_ip}:{e.destination_port}/{e.protocol}"
        counts[key] = counts.get(key, 0) + 1
    parts.append(html_table((message("nat.lab.destination_column"), message("nat.lab.connections")),
                            [(key, message("nat.lab.of_limit", count=f"{count:,}", limit=limit))
                             for key, count in counts.items()],
                            caption=message("nat.lab.limit_caption", limit=limit)))
    return "".join(parts)


def _igw_html(cloud: Cloud, host: Instance, destination: tuple[str, int]) -> str:
    igw = cloud.internet_gateway_of(host.vpc_id)
    title = message("nat.lab.igw_title", igw=igw.label if igw else "-", host=host.label)
    parts = [f"<h4>{html.escape(title)}</h4>",
             f"<p>{html.escape(message('nat.lab.igw_pair', private=host.private_ip, public=host.public_ip))}</p>"]
    shown_destination = f"{destination[0]}:{destination[1]}"
    trace = cloud.trace(host, destination[0], PROTOCOL, destination[1])
    hop = next((h for h in trace.forward if h.type == "internet-gateway" and h.translated), None)
    if trace.reachable and hop is not None and hop.translated is not None:
        before, after = hop.translated["from"], hop.translated["to"]
        same = before.rsplit(":", 1)[1] == after.rsplit(":", 1)[1]
        note = message("nat.lab.igw_ports_same" if same else "nat.lab.igw_ports_changed")
        text = message("nat.lab.igw_connection", host=host.name or host.id, destination=shown_destination,
                       before=before, after=after)
        parts.append(f"<p>{html.escape(text)}<br><b>{html.escape(note)}</b></p>")
    elif trace.blocker is None:  # the destination is inside the VPC: no gateway, no NAT
        text = message("nat.lab.igw_not_used", host=host.name or host.id, destination=shown_destination)
        parts.append(f"<p>{html.escape(text)}</p>")
    else:
        text = message("nat.lab.igw_blocked", host=host.name or host.id, destination=shown_destination,
                       code=trace.blocker.code)
        parts.append(f"<p>{html.escape(text)}</p>")
    return "".join(parts)


def _last_html(last: Trace) -> str:
    steps = [h.translated for h in last.forward if h.action == "translate" and h.translated]
    nat_passed = any(h.type == "nat-gateway" and h.action == "translate" for h in last.forward)
    if not nat_passed:
        text = message("nat.lab.last_no_nat", source=last.source, destination=last.destination)
    else:
        path = " → ".join([steps[0]["from"], *(s["to"] for s in steps), f"{last.destination}:{last.port}"])
        text = message("nat.lab.last", path=path)
    return f"<p>{html.escape(text)}</p>"


def nat_view(cloud: Cloud, destination: str = DEFAULT_DESTINATION, *, nat: object = "lab-nat",
             public_host: object = "web", last: Trace | None = None) -> str:
    """What the NAT lab shows: the NAT gateway's translation table and the connections per
    destination (``destination`` is ``"address:port"``), beside the internet gateway's 1:1 NAT
    for ``public_host``; with ``last``, the path of the connection just opened. HTML, or an
    error message."""

    def render() -> str:
        where = destination_of(destination)
        gateway = cloud._ref(nat, NatGateway)
        host = cloud._ref(public_host, Instance)
        side = '<div style="flex:1 1 320px;min-width:280px">{}</div>'
        parts = [] if last is None else [_last_html(last)]
        parts.append('<div style="display:flex;gap:24px;flex-wrap:wrap">'
                     + side.format(_napt_html(cloud, gateway, where))
                     + side.format(_igw_html(cloud, host, where)) + "</div>")
        return "".join(parts)

    return shown(render)


def _open(cloud: Cloud, host: str, destination: str) -> str:
    """Open a connection from ``host``; the view after it, with the error on top if it failed."""
    try:
        address, port = destination_of(destination)
        last = cloud.open_connection(host, address, PROTOCOL, port)
    except VpcLabError as err:
        return error_html(err) + nat_view(cloud, destination)
    return nat_view(cloud, destination, last=last)


def nat_lab(hosts: int = 4, *, limit: int | None = None) -> Any:
    """A host picker, a destination and a button that opens a connection through the NAT
    gateway; the view shows the translation table (see :func:`nat_view`)."""
    try:
        cloud = lab_cloud(hosts, limit=limit)
    except VpcLabError as err:
        return panel("nat_lab", [], widgets.HTML(value=error_html(err)))
    choices = [(f"{i.name} · {i.private_ip}", i.id) for i in app_hosts(cloud)]
    host = widgets.Dropdown(options=choices, value=choices[0][1], description=message("nat.lab.host"))
    box = widgets.Text(value=DEFAULT_DESTINATION, description=message("nat.lab.destination"))
    button = widgets.Button(description=message("nat.lab.open"), button_style="primary")
    view = widgets.HTML(value=nat_view(cloud, box.value))

    def open_one(_button: object = None) -> None:
        view.value = shown(lambda: _open(cloud, host.value, box.value))

    def update(_change: object = None) -> None:
        view.value = nat_view(cloud, box.value)

    button.on_click(open_one)
    box.observe(update, names="value")
    return panel("nat_lab", [host, box, button], view)

