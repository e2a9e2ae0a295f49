"""The AWS resources a Cloud holds, as immutable records named and shaped like AWS's own.

The Cloud replaces a record whenever the resource changes, so a record a learner holds is
a snapshot; ``cloud.get(id)`` gives the current one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

from vpclab.display import Displayable, html_table

__all__ = [
    "CustomerGateway",
    "DhcpOptions",
    "DirectConnectVif",
    "ElasticIp",
    "Instance",
    "InternetGateway",
    "ManagedPrefixList",
    "NaclEntry",
    "NatGateway",
    "NetworkAcl",
    "NetworkInterface",
    "Resource",
    "Route",
    "RouteTable",
    "SecurityGroup",
    "SgRule",
    "Subnet",
    "TgwRoute",
    "TransitGateway",
    "TransitGatewayAttachment",
    "TransitGatewayRouteTable",
    "Vpc",
    "VpcEndpoint",
    "VpcPeeringConnection",
    "VpnConnection",
    "VpnGateway",
    "evolve",
]

ALL = "-1"  # AWS's protocol number for "all protocols"
NACL_DEFAULT_RULE = 32767  # the `*` rule, as the API numbers it for IPv4


@dataclass(frozen=True, slots=True)
class Resource(Displayable):
    id: str
    name: str | None

    @property
    def label(self) -> str:
        """The Name tag and id, as a learner wants to read them."""
        return f"{self.name} ({self.id})" if self.name else self.id

    def _text_(self) -> str:
        return f"{type(self).__name__} {self.label}"

    def _html_(self) -> str:
        """Every attribute of the record, one row each (subclasses show their rules as tables)."""
        rows = [(f.name, _cell(getattr(self, f.name))) for f in fields(self) if getattr(self, f.name) not in (None, ())]
        return html_table(("attribute", "value"), rows, caption=self._text_().splitlines()[0])


def _cell(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(_cell(v) for v in value)
    if hasattr(value, "describe"):
        return str(value.describe())
    return str(value)


@dataclass(frozen=True, slots=True)
class Vpc(Resource):
    cidr_blocks: tuple[str, ...]
    main_route_table_id: str
    default_security_group_id: str
    default_network_acl_id: str
    dhcp_options_id: str  # a dopt- id, or "default": no DHCP options (as the AWS API names it)
    is_default: bool = False

    @property
    def cidr(self) -> str:
        """The primary block."""
        return self.cidr_blocks[0]

    def _text_(self) -> str:
        return f"VPC {self.label}: {', '.join(self.cidr_blocks)}"


@dataclass(frozen=True, slots=True)
class Subnet(Resource):
    vpc_id: str
    cidr: str
    az: str
    map_public_ip_on_launch: bool = False
    default_for_az: bool = False

    def _text_(self) -> str:
        return f"subnet {self.label}: {self.cidr} in {self.az}"


@dataclass(frozen=True, slots=True)
class Route:
    destination: str  # a CIDR, or a prefix-list id (pl-…)
    target: str  # "local", igw-…, nat-…, eni-…, pcx-…, tgw-…, vgw-…, vpce-…
    origin: str = "CreateRoute"  # CreateRouteTable (local), CreateRoute, EnableVgwRoutePropagation
    state: str = "active"  # active or blackhole (computed by the Cloud when it hands the table out)


@dataclass(frozen=True, slots=True)
class RouteTable(Resource):
    vpc_id: str
    routes: tuple[Route, ...]
    associations: tuple[str, ...] = ()  # subnet ids
    is_main: bool = False
    propagating_vgws: tuple[str, ...] = ()

    def _text_(self) -> str:
        head = f"route table {self.label}{' (main)' if self.is_main else ''}"
        rows = [f"  {r.destination:<18} → {r.target:<24} {r.state}" for r in self.routes]
        return "\n".join([head, *rows])

    def _html_(self) -> str:
        rows = [(r.destination, r.target, r.state, r.origin) for r in self.routes]
        caption = self._text_().splitlines()[0] + (f" · subnets: {', '.join(self.associations)}"
                                                   if self.associations else "")
        return html_table(("destination", "target", "state", "origin"), rows, caption=caption)


@dataclass(frozen=True, slots=True)
class InternetGateway(Resource):
    vpc_id: str | None = None  # the attached VPC


@dataclass(frozen=True, slots=True)
class NatGateway(Resource):
    subnet_id: str
    vpc_id: str
    connectivity: str  # public or private
    state: str  # pending, available, failed, deleting, deleted
    private_ip: str | None = None
    allocation_id: str | None = None
    public_ip: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    eni_id: str | None = None


@dataclass(frozen=True, slots=True)
class SgRule:
    """One permission of a security group. ``peer`` is a CIDR, an sg-… id or a pl-… id."""

    protocol: str  # "-1", "tcp", "udp", "icmp", or a protocol number as text
    from_port: int | None
    to_port: int | None
    peer: str
    description: str = ""

    def describe(self) -> str:
        if self.protocol == ALL:
            what = "all traffic"
        elif self.from_port is None or (self.protocol == "icmp" and self.from_port == -1):
            what = f"all {self.protocol.upper()}"
        elif self.from_port == self.to_port:
            what = f"{self.protocol.upper()} {self.from_port}"
        else:
            what = f"{self.protocol.upper()} {self.from_port}-{self.to_port}"
        return f"{what} {self.peer}"


@dataclass(frozen=True, slots=True)
class SecurityGroup(Resource):
    vpc_id: str
    group_name: str
    description: str
    ingress: tuple[SgRule, ...] = ()
    egress: tuple[SgRule, ...] = ()

    def _text_(self) -> str:
        lines = [f"security group {self.label} '{self.group_name}'"]
        lines += [f"  in  {r.describe()}" for r in self.ingress] or ["  in  (nothing allowed)"]
        lines += [f"  out {r.describe()}" for r in self.egress] or ["  out (nothing allowed)"]
        return "\n".join(lines)

    def _html_(self) -> str:
        rows = [(word, r.describe(), r.description) for word, rules in (("inbound", self.ingress),
                                                                         ("outbound", self.egress))
                for r in rules] or [("", "nothing allowed", "")]
        return html_table(("direction", "allows", "description"), rows,
                          caption=self._text_().splitlines()[0] + " · stateful: replies always allowed")


@dataclass(frozen=True, slots=True, order=True)
class NaclEntry:
    rule_number: int
    egress: bool
    protocol: str
    action: str  # allow or deny
    cidr: str
    from_port: int | None = None
    to_port: int | None = None

    @property
    def rule_label(self) -> str:
        return "*" if self.rule_number == NACL_DEFAULT_RULE else str(self.rule_number)

    def describe(self) -> str:
        ports = ""
        if self.protocol != ALL and self.from_port is not None:
            ports = f" {self.from_port}" if self.from_port == self.to_port else f" {self.from_port}-{self.to_port}"
        proto = "all" if self.protocol == ALL else self.protocol.upper()
        return f"rule {self.rule_label}: {self.action} {proto}{ports} {self.cidr}"


@dataclass(frozen=True, slots=True)
class NetworkAcl(Resource):
    vpc_id: str
    entries: tuple[NaclEntry, ...]
    associations: tuple[str, ...] = ()
    is_default: bool = False

    def _text_(self) -> str:
        lines = [f"network ACL {self.label}{' (default)' if self.is_default else ''}"]
        for egress, word in ((False, "in "), (True, "out")):
            lines += [f"  {word} {e.describe()}" for e in sorted(self.entries) if e.egress == egress]
        return "\n".join(lines)

    def _html_(self) -> str:
        rows = [("outbound" if e.egress else "inbound", e.rule_label, e.action, e.describe().split(" ", 3)[3])
                for e in sorted(self.entries, key=lambda e: (e.egress, e.rule_number))]
        caption = self._text_().splitlines()[0] + " · stateless: lowest rule number first, first match wins"
        return html_table(("direction", "rule", "action", "traffic"), rows, caption=caption)


@dataclass(frozen=True, slots=True)
class NetworkInterface(Resource):
    subnet_id: str
    vpc_id: str
    private_ip: str
    security_group_ids: tuple[str, ...]
    public_ip: str | None = None
    allocation_id: str | None = None  # the Elastic IP associated, if any
    source_dest_check: bool = True
    instance_id: str | None = None
    interface_type: str = "interface"  # interface, nat_gateway, …
    nat_instance: bool = False


@dataclass(frozen=True, slots=True)
class Instance(Resource):
    subnet_id: str
    vpc_id: str
    eni_id: str
    private_ip: str
    public_ip: str | None
    security_group_ids: tuple[str, ...]
    state: str = "running"

    def _text_(self) -> str:
        public = f", public {self.public_ip}" if self.public_ip else ""
        return f"instance {self.label}: {self.private_ip}{public} in {self.subnet_id}"


@dataclass(frozen=True, slots=True)
class ElasticIp(Resource):
    public_ip: str
    network_interface_id: str | None = None

    @property
    def allocation_id(self) -> str:
        return self.id

    @property
    def association(self) -> str | None:
        """The network interface it is associated with, if any."""
        return self.network_interface_id


@dataclass(frozen=True, slots=True)
class DhcpOptions(Resource):
    domain_name: str | None
    domain_name_servers: tuple[str, ...] = ("AmazonProvidedDNS",)
    ntp_servers: tuple[str, ...] = ()
    netbios_name_servers: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())


R = TypeVar("R", bound=Resource)


def evolve(record: R, **changes: Any) -> R:
    """A copy of ``record`` with ``changes`` (records are immutable)."""
    return replace(record, **changes)


# --- connecting VPCs to services and networks (issue 4) -------------------------------------


@dataclass(frozen=True, slots=True)
class ManagedPrefixList(Resource):
    """An AWS-managed prefix list: the address ranges of a service in a Region."""

    prefix_list_name: str
    cidrs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VpcEndpoint(Resource):
    vpc_id: str
    service_name: str
    endpoint_type: str  # Gateway or Interface
    route_table_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    network_interface_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    private_dns_enabled: bool = False
    dns_names: tuple[str, ...] = ()
    policy_document: str | None = None  # JSON text; None: the default full-access policy
    state: str = "available"

    @property
    def policy(self) -> dict[str, Any] | None:
        """The endpoint policy as a dict (None: AWS's default full-access policy)."""
        if self.policy_document is None:
            return None
        data: dict[str, Any] = json.loads(self.policy_document)
        return data


@dataclass(frozen=True, slots=True)
class VpcPeeringConnection(Resource):
    requester_vpc_id: str
    accepter_vpc_id: str
    status: str  # pending-acceptance, active, rejected, deleted, expired, failed
    status_message: str = ""
    created_hour: float = 0.0

    def peer_of(self, vpc_id: str) -> str:
        return self.accepter_vpc_id if vpc_id == self.requester_vpc_id else self.requester_vpc_id


@dataclass(frozen=True, slots=True)
class TransitGateway(Resource):
    default_route_table_id: str | None
    default_association: bool = True
    default_propagation: bool = True
    amazon_side_asn: int = 64512


@dataclass(frozen=True, slots=True)
class TransitGatewayAttachment(Resource):
    transit_gateway_id: str
    resource_type: str  # vpc, vpn, direct-connect-gateway
    resource_id: str
    subnet_ids: tuple[str, ...] = ()
    network_interface_ids: tuple[str, ...] = ()
    state: str = "available"


@dataclass(frozen=True, slots=True)
class TgwRoute:
    destination: str
    attachment_id: str | None  # None for a blackhole route
    route_type: str  # static or propagated
    state: str  # active or blackhole
    origin: str = ""  # for propagated routes: vpc, direct-connect-gateway, vpn

    @property
    def type(self) -> str:
        """static or propagated, as AWS names the field."""
        return self.route_type


@dataclass(frozen=True, slots=True)
class TransitGatewayRouteTable(Resource):
    transit_gateway_id: str
    static_routes: tuple[TgwRoute, ...] = ()
    associations: tuple[str, ...] = ()  # attachment ids
    propagations: tuple[str, ...] = ()  # attachment ids
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class VpnGateway(Resource):
    vpc_id: str | None = None
    amazon_side_asn: int = 64512


@dataclass(frozen=True, slots=True)
class CustomerGateway(Resource):
    ip_address: str
    bgp_asn: int = 65000


@dataclass(frozen=True, slots=True)
class VpnConnection(Resource):
    customer_gateway_id: str
    vpn_gateway_id: str | None
    transit_gateway_id: str | None
    static_routes_only: bool
    tunnels: tuple[str, ...] = ("UP", "UP")
    routes: tuple[str, ...] = ()  # static routes: on-premises prefixes
    bgp_routes: tuple[str, ...] = ()  # prefixes the customer gateway advertises over BGP
    state: str = "available"

    @property
    def prefixes(self) -> tuple[str, ...]:
        return self.routes + self.bgp_routes


@dataclass(frozen=True, slots=True)
class DirectConnectVif(Resource):
    """A private virtual interface of Direct Connect, ending on a virtual private gateway."""

    vpn_gateway_id: str
    prefixes: tuple[str, ...]
    state: str = "available"
