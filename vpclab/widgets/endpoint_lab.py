"""The endpoint lab: the same request to an AWS service from a private instance, through a
NAT gateway, a gateway endpoint or an interface endpoint; the path and what it is billed for.

Tick which pieces exist, pick the service and where the request comes from: the view shows
what DNS answers, the app subnet's route table, the trace hop by hop, and beside it what
each piece is charged for (:data:`vpclab.endpoints.CHARGES`, never a price). The widget is
a thin shell over the engine: :func:`endpoint_view` builds a seeded world and traces it;
an error is shown inside the widget.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from vpclab.cloud import Cloud
from vpclab.endpoints import CHARGES
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.i18n import message
from vpclab.resources import Resource, VpcEndpoint
from vpclab.widgets.shell import error_html, panel, shown

__all__ = ["SERVICES", "SOURCES", "endpoint_lab", "endpoint_view"]

SERVICES = (("S3", "s3"), ("DynamoDB", "dynamodb"), ("SQS", "sqs"))
SOURCES = ("vpc", "peered")
_PIECES = ("nat-gateway", "internet-gateway", "gateway-endpoint", "interface-endpoint")
_WIDE = {"description_width": "initial"}  # show the whole label


def _world(service: str, *, nat: bool, gateway: bool, interface: bool
           ) -> tuple[Cloud, dict[str, Resource | VpcLabError]]:
    """The shop VPC (public and app subnets, app-host), a peered partner VPC whose default
    route goes over the peering, and the pieces asked for (or the error AWS would give)."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="shop")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    app_rt = cloud.route_table_for(app)
    cloud.launch(app, "app-host")
    partner = cloud.create_vpc("10.1.0.0/16", name="partner")
    partner_app = cloud.add_private_subnet(partner, "10.1.1.0/24", az="a", name="partner-app")
    pcx = cloud.create_vpc_peering_connection(vpc, partner, name="shop-partner")
    cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route(app_rt, "10.1.0.0/16", pcx)
    cloud.create_route(cloud.route_table_for(partner_app), "10.0.0.0/16", pcx)
    cloud.create_route(cloud.route_table_for(partner_app), "0.0.0.0/0", pcx)
    cloud.launch(partner_app, "partner-host")
    endpoint_sg = cloud.create_security_group(vpc, "endpoint-sg")
    for block in ("10.0.0.0/16", "10.1.0.0/16"):
        cloud.allow(endpoint_sg, 443, source=block)
    pieces: dict[str, Resource | VpcLabError] = {}
    igw = cloud.internet_gateway_of(vpc)
    if igw is not None:
        pieces["internet-gateway"] = igw
    if nat:
        gateway_nat = cloud.create_nat_gateway(public, cloud.allocate_address(), name="public-nat")
        cloud.create_route(app_rt, "0.0.0.0/0", gateway_nat)
        pieces["nat-gateway"] = gateway_nat
    for wanted, kind, options in ((gateway, "gateway-endpoint", {"route_tables": [app_rt]}),
                                  (interface, "interface-endpoint", {"endpoint_type": "Interface", "subnets": [app],
                                                                     "security_groups": [endpoint_sg]})):
        if wanted:
            try:
                pieces[kind] = cloud.create_vpc_endpoint(vpc, service, name=f"{service}-{kind}", **options)
            except VpcLabError as err:  # e.g. a gateway endpoint for SQS: AWS refuses it
                pieces[kind] = err
    return cloud, pieces


def _charges_text(kind: str, piece: Resource) -> str:
    charges = CHARGES[kind]
    if not charges.hourly and not charges.per_gb:
        return message("endpoint_lab.charge.free")
    parts = []
    if charges.hourly_per_az and isinstance(piece, VpcEndpoint):
        parts.append(message("endpoint_lab.charge.hourly_per_az", zones=len(piece.subnet_ids)))
    elif charges.hourly:
        parts.append(message("endpoint_lab.charge.hourly"))
    if charges.per_gb:
        parts.append(message("endpoint_lab.charge.per_gb"))
    return "; ".join(parts)


def _billing_html(pieces: dict[str, Resource | VpcLabError], used: set[str]) -> str:
    rows = []
    for kind in _PIECES:
        piece = pieces.get(kind)
        if piece is None:
            continue
        name = html.escape(message(f"endpoint_lab.{kind}"))
        if isinstance(piece, VpcLabError):
            rows.append(f"<tr><td><b>{name}</b></td><td>{error_html(piece)}</td></tr>")
            continue
        on_path = piece.id in used
        mark = message("endpoint_lab.carries") if on_path else message("endpoint_lab.not_used")
        style = "background:#dafbe1" if on_path else ""
        rows.append(f'<tr style="{style}"><td><b>{name}</b><br><code>{html.escape(piece.id)}</code></td>'
                    f"<td>{html.escape(_charges_text(kind, piece))}<br><i>{html.escape(mark)}</i></td></tr>")
    return (f"<h4>{html.escape(message('endpoint_lab.billing'))}</h4><table>{''.join(rows)}</table>"
            f"<p><small>{html.escape(message('endpoint_lab.billing_note'))}</small></p>")


def endpoint_view(service: str = "s3", *, nat: bool = True, gateway: bool = False, interface: bool = False,
                  source: str = "vpc") -> str:
    """What the lab shows: HTML with the path (DNS answer, route table, trace) beside the
    billing notes, or an error message."""

    def render() -> str:
        if source not in SOURCES:
            raise InvalidValue("InvalidParameterValue", message("endpoint_lab.bad_source", source=source),
                               fix=message("endpoint_lab.bad_source_fix", sources=", ".join(SOURCES)))
        cloud, pieces = _world(service, nat=nat, gateway=gateway, interface=interface)
        endpoint = pieces.get("interface-endpoint")
        sender = "app-host" if source == "vpc" else "partner-host"
        if source == "peered" and isinstance(endpoint, VpcEndpoint):
            name = endpoint.dns_names[0]  # the endpoint's own name: private DNS serves its own VPC
        else:
            name = f"{service.strip().lower()}.{cloud.region}.amazonaws.com"
        address = cloud.resolve(name)[0]
        trace = cloud.trace(sender, address, "tcp", 443)
        used = {piece_id for _, piece_id in cloud.billed_on(trace)}
        table = cloud.route_table_for("app")
        path = (f"<h4>{html.escape(message('endpoint_lab.path'))}</h4>"
                f"<p>{html.escape(message('endpoint_lab.request', source=sender, name=name, address=address))}</p>"
                f"<p><i>{html.escape(message('endpoint_lab.route_table'))}</i></p>"
                f"<pre>{html.escape(table._text_())}</pre>{trace._html_()}")
        return (f'<div style="display:flex;gap:16px;align-items:flex-start">'
                f'<div style="flex:3">{path}</div>'
                f'<div style="flex:2">{_billing_html(pieces, used)}</div></div>')

    return shown(render)


def endpoint_lab(service: str = "s3", *, nat: bool = True, gateway: bool = False, interface: bool = False,
                 source: str = "vpc") -> Any:
    """Tick boxes for the pieces, a service and a source above the view."""
    boxes = [widgets.Checkbox(value=value, description=message(f"endpoint_lab.{kind}"), indent=False)
             for kind, value in (("nat-gateway", nat), ("gateway-endpoint", gateway),
                                 ("interface-endpoint", interface))]
    known = [value for _, value in SERVICES]
    services = widgets.Dropdown(options=[*SERVICES, *([] if service in known else [(service, service)])],
                                value=service, description=message("endpoint_lab.service"), style=_WIDE)
    origins = [(message(f"endpoint_lab.source.{s}"), s) for s in SOURCES]
    sources = widgets.Dropdown(options=[*origins, *([] if source in SOURCES else [(source, source)])],
                               value=source, description=message("endpoint_lab.source"), style=_WIDE)
    view = widgets.HTML()

    def update(_change: object = None) -> None:
        view.value = endpoint_view(services.value, nat=boxes[0].value, gateway=boxes[1].value,
                                   interface=boxes[2].value, source=sources.value)

    for control in (*boxes, services, sources):
        control.observe(update, names="value")
    update()
    return panel("endpoint_lab", [*boxes, services, sources], view)
