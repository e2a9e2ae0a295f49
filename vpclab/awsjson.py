"""Loading a real configuration: AWS describe JSON into a Cloud (DESIGN.md §4).

Input is one JSON object that combines describe responses under their own top-level keys
(``Vpcs``, ``Subnets``, ``RouteTables``, …), or a folder of ``aws ec2 describe-* --output
json`` files; the key decides what a file holds, not its name. This module reads the
resources the engine models: VPCs, subnets, route tables, internet and NAT gateways,
security groups, network ACLs, network interfaces, instances, Elastic IPs, DHCP options,
prefix lists, VPC endpoints, peering connections, transit gateways (with their attachments,
route tables, static routes, associations and propagations), virtual private gateways,
customer gateways and VPN connections.

AWS semantics are followed where a file leaves them out: every NACL ends with the ``*``
deny rule; a route in state ``blackhole`` drops; a route to a resource that is not in the
file is a blackhole (with a warning naming the id); terminated instances, deleted NAT
gateways, peering connections that are deleted, rejected, failed or expired, and deleted
gateways and connections are skipped. Routes that gateways propagate (VGW routes in a VPC
route table, propagated TGW routes) are not copied: the engine recomputes them from the
propagations, and what a BGP VPN advertises is read back from them. Unknown keys are
reported as warnings, never a crash.
"""

from __future__ import annotations

import ipaddress
import json
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpclab.endpoints import GATEWAY_SERVICES, SERVICE_RANGES
from vpclab.errors import InvalidValue, VpcLabWarning
from vpclab.firewall import normalize_protocol
from vpclab.i18n import message
from vpclab.nat import NatTable
from vpclab.resources import (
    ALL,
    NACL_DEFAULT_RULE,
    CustomerGateway,
    DhcpOptions,
    ElasticIp,
    Instance,
    InternetGateway,
    ManagedPrefixList,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    TgwRoute,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
    evolve,
)

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["AwsImportWarning", "ImportReport", "load_aws", "read_aws_json"]

KNOWN_KEYS = ("Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "SecurityGroups",
              "NetworkAcls", "NetworkInterfaces", "Reservations", "Instances", "Addresses", "DhcpOptions",
              "PrefixLists", "PrefixListEntries", "VpcEndpoints", "VpcPeeringConnections", "TransitGateways",
              "TransitGatewayAttachments", "TransitGatewayVpcAttachments", "TransitGatewayRouteTables",
              "TransitGatewayRoutes", "TransitGatewayRouteTableAssociations", "TransitGatewayRouteTablePropagations",
              "VpnGateways", "VpnConnections", "CustomerGateways")
LATER_KEYS = ("EgressOnlyInternetGateways",)
# The keyed maps (DESIGN.md §4): TGW route table id -> the list the named call returns.
_TGW_MAPS = {"TransitGatewayRoutes": "Routes", "TransitGatewayRouteTableAssociations": "Associations",
             "TransitGatewayRouteTablePropagations": "TransitGatewayRouteTablePropagations"}
_TARGET_KEYS = ("GatewayId", "NatGatewayId", "NetworkInterfaceId", "InstanceId", "VpcPeeringConnectionId",
                "TransitGatewayId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId",
                "CoreNetworkArn")
_GONE = ("deleted", "deleting", "rejected", "rejecting", "failed", "failing", "expired", "rollingback")
_VGW_PROPAGATED = "EnableVgwRoutePropagation"


class AwsImportWarning(VpcLabWarning):
    """Something in an AWS file was skipped or completed the way AWS would."""


@dataclass
class ImportReport:
    """What was imported (counts per resource type) and what was skipped, and why."""

    imported: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def warn(self, text: str, *, skipped: bool = False) -> None:
        (self.skipped if skipped else self.notes).append(text)
        warnings.warn(AwsImportWarning(text), stacklevel=4)


def read_aws_json(source: str | Path | Mapping[str, Any]) -> tuple[dict[str, list[Any] | dict[str, Any]],
                                                                   dict[str, str]]:
    """The combined describe data and, per top-level key, the file it came from."""
    if isinstance(source, Mapping):
        return _merge([(dict(source), "<dict>")])
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".json")
        if not files:
            raise InvalidValue("InvalidAwsJson", message("aws.empty_folder", path=path),
                               fix=message("aws.format_fix"))
        return _merge([(_read_file(p), str(p)) for p in files])
    return _merge([(_read_file(path), str(path))])


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InvalidValue("InvalidAwsJson", message("aws.unreadable", path=path, problem=err.strerror or err),
                           fix=message("aws.format_fix")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidValue("InvalidAwsJson", message("aws.bad_json", path=path, line=err.lineno,
                                                     column=err.colno, problem=err.msg),
                           fix=message("aws.format_fix")) from None
    if not isinstance(data, dict):
        raise InvalidValue("InvalidAwsJson", message("aws.not_object", path=path, type=type(data).__name__),
                           fix=message("aws.format_fix"))
    return data


def _merge(parts: list[tuple[dict[str, Any], str]]) -> tuple[dict[str, Any], dict[str, str]]:
    combined: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for data, where in parts:
        for key, value in data.items():
            if key in combined and isinstance(value, list) and isinstance(combined[key], list):
                combined[key] = [*combined[key], *value]
            elif key in combined and isinstance(value, dict) and isinstance(combined[key], dict):
                combined[key] = {**combined[key], **value}  # a keyed map split over files
            else:
                combined[key] = value
            origin.setdefault(key, where)
    return combined, origin


class _Loader:
    def __init__(self, cloud: Cloud, data: dict[str, Any], origin: dict[str, str], lenient: bool) -> None:
        self.cloud = cloud
        self.data = data
        self.origin = origin
        self.lenient = lenient
        self.report = ImportReport()
        self.skipped_ids: set[str] = set()  # resources in the file that were skipped on purpose (deleted, …)
        self.raw_enis: dict[str, dict[str, Any]] = {}  # network interface id -> its describe item
        self.claimed_enis: set[str] = set()  # ENIs already given to a TGW attachment
        self.tgw_associated: dict[str, str] = {}  # attachment id -> TGW route table (from Association)
        self.vgw_learned: dict[str, list[str]] = {}  # vgw id -> prefixes it propagated into the file's tables
        self.vpn_learned: dict[str, list[str]] = {}  # vpn id -> prefixes propagated into TGW tables (BGP)
        self.pl_entries: dict[str, list[dict[str, Any]]] = {}  # pl id -> PrefixListEntries
        self.pl_put: set[str] = set()  # prefix lists made from the file

    # --- reading helpers -------------------------------------------------------------------
    def items(self, key: str) -> list[dict[str, Any]]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(message("aws.not_list", key=key, file=self.origin.get(key, "?"), type=type(value).__name__))
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.fail(message("aws.not_item", key=key, index=index, file=self.origin.get(key, "?")))
        return good

    def fail(self, text: str) -> None:
        """A part of the file that cannot be used: an error, or with lenient a skip."""
        if not self.lenient:
            raise InvalidValue("InvalidAwsJson", text, fix=message("aws.lenient_fix"))
        self.report.warn(text, skipped=True)

    def need(self, item: Mapping[str, Any], key: str, kind: str, where: str) -> Any:
        value = item.get(key)
        if value in (None, ""):
            raise _Skip(message("aws.missing_field", field=key, kind=kind, where=where,
                                file=self.origin.get(kind, "?")))
        return value

    def each(self, key: str, build: Any) -> None:
        for index, item in enumerate(self.items(key)):
            where = str(item.get(_ID_FIELDS.get(key, ""), f"#{index}"))
            try:
                if build(item, where):
                    self.report.imported[key] += 1
            except _Note as note:  # skipped on purpose (deleted, another account, not modelled)
                self.report.warn(str(note), skipped=True)
                self.skipped_ids.add(where)
            except _Skip as skip:
                self.fail(str(skip))
            except (InvalidValue, ValueError, KeyError, TypeError) as err:
                self.fail(message("aws.bad_item", kind=key.lstrip("_"), where=where, file=self.origin.get(key, "?"),
                                  problem=getattr(err, "message", None) or err))

    # --- building ---------------------------------------------------------------------------
    def load(self) -> ImportReport:
        for key in self.data:
            if key in LATER_KEYS and not self.data[key]:
                continue  # an empty list of something not modelled loses nothing
            if key in LATER_KEYS:
                self.report.warn(message("aws.later_key", key=key, file=self.origin[key]), skipped=True)
            elif key not in KNOWN_KEYS and key not in ("ResponseMetadata", "NextToken"):
                self.report.warn(message("aws.unknown_key", key=key, file=self.origin[key]), skipped=True)
        self.each("DhcpOptions", self.dhcp_options)
        self.each("Vpcs", self.vpc)
        self.each("Subnets", self.subnet)
        self.each("InternetGateways", self.internet_gateway)
        self.each("SecurityGroups", self.security_group)
        self.each("NetworkAcls", self.network_acl)
        self.each("Addresses", self.address)
        self.each("NetworkInterfaces", self.network_interface)
        instances = [i for r in self.items("Reservations") for i in r.get("Instances", []) or []]
        self.data["_Instances"] = instances + self.items("Instances")
        self.origin["_Instances"] = self.origin.get("Reservations", self.origin.get("Instances", "?"))
        self.each("_Instances", self.instance)
        self.each("NatGateways", self.nat_gateway)
        self.pl_entries = self.mapping("PrefixListEntries", "Entries")
        self.data["_PrefixLists"] = merge_by_id(self.items("PrefixLists"), "PrefixListId")
        self.origin["_PrefixLists"] = self.origin.get("PrefixLists", "?")
        self.each("_PrefixLists", self.prefix_list)
        self.prefix_list_entries()
        self.each("VpcPeeringConnections", self.peering_connection)
        self.each("TransitGateways", self.transit_gateway)
        self.each("TransitGatewayRouteTables", self.tgw_route_table)
        self.default_tgw_tables()
        self.each("VpnGateways", self.vpn_gateway)
        self.each("CustomerGateways", self.customer_gateway)
        self.each("VpnConnections", self.vpn_connection)
        vpc_attachments = [{**a, "ResourceType": "vpc", "ResourceId": a.get("VpcId")}
                           for a in self.items("TransitGatewayVpcAttachments")]
        self.data["_TransitGatewayAttachments"] = merge_by_id(
            [*self.items("TransitGatewayAttachments"), *vpc_attachments], "TransitGatewayAttachmentId")
        where = self.origin.get("TransitGatewayAttachments") or self.origin.get("TransitGatewayVpcAttachments", "?")
        self.origin["_TransitGatewayAttachments"] = where
        self.origin.setdefault("TransitGatewayAttachments", where)
        self.each("_TransitGatewayAttachments", self.tgw_attachment)
        self.tgw_routing()
        self.missing_vpn_attachments()
        self.each("VpcEndpoints", self.vpc_endpoint)
        self.each("RouteTables", self.route_table)
        self.finish_gateway_endpoints()
        self.finish_prefix_lists()
        self.finish_vpns()
        self.finish_vpcs()
        self.report.imported = Counter({k.lstrip("_"): v for k, v in self.report.imported.items()})
        return self.report

    def dhcp_options(self, item: dict[str, Any], where: str) -> bool:
        values: dict[str, tuple[str, ...]] = {}
        for conf in item.get("DhcpConfigurations", []) or []:
            values[conf.get("Key", "")] = tuple(str(v.get("Value")) for v in conf.get("Values", []) or [])
        domain = values.get("domain-name", (None,))[0]
        self.cloud._put(DhcpOptions(self.need(item, "DhcpOptionsId", "DhcpOptions", where), _name(item), domain,
                                    values.get("domain-name-servers", ()), values.get("ntp-servers", ())))
        return True

    def vpc(self, item: dict[str, Any], where: str) -> bool:
        vpc_id = self.need(item, "VpcId", "Vpcs", where)
        blocks = [a["CidrBlock"] for a in item.get("CidrBlockAssociationSet", []) or []
                  if (a.get("CidrBlockState") or {}).get("State", "associated") == "associated" and a.get("CidrBlock")]
        primary = _network(self.need(item, "CidrBlock", "Vpcs", where))
        blocks = [primary, *(_network(b) for b in blocks if _network(b) != primary)]
        dhcp = item.get("DhcpOptionsId") or self.cloud._default_dhcp_options().id
        if dhcp != "default" and dhcp not in self.cloud._items:
            self.report.warn(message("aws.missing_dhcp", vpc=vpc_id, options=dhcp))
            dhcp = self.cloud._default_dhcp_options().id
        self.cloud._put(Vpc(vpc_id, _name(item), tuple(blocks), "", "", "", dhcp, bool(item.get("IsDefault"))))
        return True

    def subnet(self, item: dict[str, Any], where: str) -> bool:
        subnet_id = self.need(item, "SubnetId", "Subnets", where)
        vpc_id = self.known(item, "VpcId", Vpc, "Subnets", where)
        cidr = item.get("CidrBlock")
        if not cidr:
            self.report.warn(message("aws.ipv6_only_subnet", subnet=subnet_id), skipped=True)
            return False
        self.cloud._put(Subnet(subnet_id, _name(item), vpc_id, _network(cidr),
                               str(item.get("AvailabilityZone") or self.cloud.azs[0]),
                               bool(item.get("MapPublicIpOnLaunch")), bool(item.get("DefaultForAz"))))
        return True

    def known(self, item: Mapping[str, Any], key: str, kind: type[Any], section: str, where: str) -> str:
        value = self.need(item, key, section, where)
        if value in self.skipped_ids:
            raise _Note(message("aws.depends_on_skipped", kind=section, where=where, field=key, ref=value))
        if not isinstance(self.cloud._items.get(value), kind):
            raise _Skip(message("aws.dangling", kind=section, where=where, field=key, ref=value,
                                file=self.origin.get(section, "?")))
        return str(value)

    def internet_gateway(self, item: dict[str, Any], where: str) -> bool:
        attached = [a.get("VpcId") for a in item.get("Attachments", []) or []
                    if a.get("State") in ("available", "attached", None) and a.get("VpcId") in self.cloud._items]
        self.cloud._put(InternetGateway(self.need(item, "InternetGatewayId", "InternetGateways", where),
                                        _name(item), attached[0] if attached else None))
        return True

    def security_group(self, item: dict[str, Any], where: str) -> bool:
        group_id = self.need(item, "GroupId", "SecurityGroups", where)
        vpc_id = self.known(item, "VpcId", Vpc, "SecurityGroups", where)
        name = str(item.get("GroupName") or group_id)
        self.cloud._put(SecurityGroup(group_id, _name(item) or name, vpc_id, name, str(item.get("Description", "")),
                                      _sg_rules(item.get("IpPermissions")),
                                      _sg_rules(item.get("IpPermissionsEgress"))))
        return True

    def network_acl(self, item: dict[str, Any], where: str) -> bool:
        acl_id = self.need(item, "NetworkAclId", "NetworkAcls", where)
        vpc_id = self.known(item, "VpcId", Vpc, "NetworkAcls", where)
        entries = [_nacl_entry(e) for e in item.get("Entries", []) or [] if e.get("CidrBlock")]
        for egress in (False, True):  # AWS semantics: every NACL ends with the * deny rule
            if not any(e.rule_number == NACL_DEFAULT_RULE and e.egress == egress for e in entries):
                entries.append(NaclEntry(NACL_DEFAULT_RULE, egress, ALL, "deny", "0.0.0.0/0"))
        associations = tuple(a["SubnetId"] for a in item.get("Associations", []) or []
                             if a.get("SubnetId") in self.cloud._items)
        acl = NetworkAcl(acl_id, _name(item), vpc_id, tuple(sorted(entries)), associations,
                         bool(item.get("IsDefault")))
        self.cloud._put(acl)
        for subnet_id in associations:
            if not acl.is_default:
                self.cloud._subnet_acls[subnet_id] = acl_id
        return True

    def address(self, item: dict[str, Any], where: str) -> bool:
        allocation = item.get("AllocationId") or f"eipalloc-{where.replace('.', '')}"
        public_ip = self.need(item, "PublicIp", "Addresses", where)
        self.cloud._put(ElasticIp(allocation, _name(item), public_ip, item.get("NetworkInterfaceId")))
        self.cloud._public_ips.add(public_ip)
        return True

    def network_interface(self, item: dict[str, Any], where: str) -> bool:
        eni_id = self.need(item, "NetworkInterfaceId", "NetworkInterfaces", where)
        subnet_id = self.known(item, "SubnetId", Subnet, "NetworkInterfaces", where)
        self.raw_enis[eni_id] = item
        association = item.get("Association") or {}
        attachment = item.get("Attachment") or {}
        self.add_eni(NetworkInterface(
            eni_id, _name(item), subnet_id, self.cloud._items[subnet_id].vpc_id,  # type: ignore[attr-defined]
            self.need(item, "PrivateIpAddress", "NetworkInterfaces", where),
            self.group_ids(item.get("Groups")),
            public_ip=association.get("PublicIp"), allocation_id=association.get("AllocationId"),
            source_dest_check=item.get("SourceDestCheck", True) is not False,
            instance_id=attachment.get("InstanceId"),
            interface_type=str(item.get("InterfaceType") or "interface")))
        return True

    def group_ids(self, groups: Iterable[Mapping[str, Any]] | None) -> tuple[str, ...]:
        return tuple(str(g["GroupId"]) for g in groups or [] if g.get("GroupId") in self.cloud._items)

    def add_eni(self, eni: NetworkInterface) -> None:
        subnet = self.cloud._ref(eni.subnet_id, Subnet)
        value = int(ipaddress.IPv4Address(eni.private_ip))
        pool = self.cloud._pool(subnet)
        if not pool.contains(value):
            raise _Skip(message("aws.eni_outside", eni=eni.id, ip=eni.private_ip, subnet=subnet.id,
                                cidr=subnet.cidr))
        pool.used.add(value)
        self.cloud._put(eni)
        self.cloud._index_eni(eni)
        if eni.public_ip:
            self.cloud._public_ips.add(eni.public_ip)

    def instance(self, item: dict[str, Any], where: str) -> bool:
        instance_id = self.need(item, "InstanceId", "Instances", where)
        state = (item.get("State") or {}).get("Name", "running")
        if state in ("terminated", "shutting-down"):
            self.report.warn(message("aws.skipped_terminated", instance=instance_id), skipped=True)
            return False
        interfaces = item.get("NetworkInterfaces") or []
        primary = next((n for n in interfaces if (n.get("Attachment") or {}).get("DeviceIndex", 0) == 0),
                       interfaces[0] if interfaces else {})
        eni_id = primary.get("NetworkInterfaceId")
        if not eni_id or eni_id not in self.cloud._items:  # the file had no separate ENI: build it
            subnet_id = self.known(item, "SubnetId", Subnet, "Instances", where)
            eni_id = eni_id or f"eni-of-{instance_id}"
            self.add_eni(NetworkInterface(
                eni_id, None, subnet_id, self.cloud._items[subnet_id].vpc_id,  # type: ignore[attr-defined]
                self.need(item, "PrivateIpAddress", "Instances", where),
                self.group_ids(item.get("SecurityGroups")),
                public_ip=item.get("PublicIpAddress"), instance_id=instance_id,
                source_dest_check=item.get("SourceDestCheck", True) is not False))
        eni = self.cloud._ref(eni_id, NetworkInterface)
        if eni.instance_id != instance_id:
            eni = self.cloud._put(evolve(eni, instance_id=instance_id))
        self.cloud._put(Instance(instance_id, _name(item), eni.subnet_id, eni.vpc_id, eni.id, eni.private_ip,
                                 eni.public_ip, eni.security_group_ids, state))
        return True

    def nat_gateway(self, item: dict[str, Any], where: str) -> bool:
        nat_id = self.need(item, "NatGatewayId", "NatGateways", where)
        subnet_id = self.known(item, "SubnetId", Subnet, "NatGateways", where)
        state = str(item.get("State") or "available")
        addresses = item.get("NatGatewayAddresses") or [{}]
        first = addresses[0]
        eni_id = first.get("NetworkInterfaceId")
        vpc_id = self.cloud._items[subnet_id].vpc_id  # type: ignore[attr-defined]
        if state == "available" and first.get("PrivateIp"):
            if eni_id not in self.cloud._items:
                eni_id = eni_id or f"eni-of-{nat_id}"
                self.add_eni(NetworkInterface(eni_id, None, subnet_id, vpc_id, first["PrivateIp"], (),
                                              public_ip=first.get("PublicIp"), allocation_id=first.get("AllocationId"),
                                              interface_type="nat_gateway"))
        else:
            eni_id = None
        connectivity = str(item.get("ConnectivityType") or "public")
        nat = NatGateway(nat_id, _name(item), subnet_id, vpc_id, connectivity, state, first.get("PrivateIp"),
                         first.get("AllocationId"), first.get("PublicIp"), item.get("FailureCode"),
                         item.get("FailureMessage"), eni_id)
        self.cloud._put(nat)
        if eni_id:
            self.cloud._nat_tables[nat_id] = NatTable(nat_id, nat.public_ip or str(nat.private_ip), self.cloud.seed,
                                                      self.cloud.quotas.nat_connections_per_destination)
        return True

    def route_table(self, item: dict[str, Any], where: str) -> bool:
        table_id = self.need(item, "RouteTableId", "RouteTables", where)
        vpc_id = self.known(item, "VpcId", Vpc, "RouteTables", where)
        vgws = tuple(v["GatewayId"] for v in item.get("PropagatingVgws", []) or [] if v.get("GatewayId"))
        routes = []
        for route in item.get("Routes", []) or []:
            destination = route.get("DestinationCidrBlock") or route.get("DestinationPrefixListId")
            if not destination:
                continue  # an IPv6 route: not modelled
            target = next((str(route[k]) for k in _TARGET_KEYS if route.get(k)), None)
            if target is None:
                self.report.warn(message("aws.route_no_target", table=table_id, destination=destination))
                target = "unknown"
            origin = str(route.get("Origin") or ("CreateRouteTable" if target == "local" else "CreateRoute"))
            if origin == _VGW_PROPAGATED and target in vgws and isinstance(self.cloud._items.get(target), VpnGateway):
                # the engine recomputes it from the propagation; what it learned tells BGP prefixes
                self.vgw_learned.setdefault(target, []).append(_network(destination))
                continue
            if target in self.skipped_ids:
                self.report.warn(message("aws.route_skipped_target", table=table_id, destination=destination,
                                         target=target))
            elif target != "local" and target not in self.cloud._items and not target.startswith(_LATER_TARGETS):
                self.report.warn(message("aws.route_missing_target", table=table_id, destination=destination,
                                         target=target))
            state = "blackhole" if route.get("State") == "blackhole" else "active"
            if target.startswith("i-") and target in self.cloud._items:
                target = self.cloud._items[target].eni_id  # type: ignore[attr-defined]
            routes.append(Route(_network(destination) if not destination.startswith("pl-") else destination,
                                target, origin, state))
        associations = []
        for association in item.get("Associations", []) or []:
            if association.get("Main"):
                self.main_tables[vpc_id] = table_id
            subnet_id = association.get("SubnetId")
            if subnet_id in self.cloud._items:
                associations.append(subnet_id)
                self.cloud._subnet_tables[subnet_id] = table_id
        self.cloud._put(RouteTable(table_id, _name(item), vpc_id, tuple(routes), tuple(associations),
                                   self.main_tables.get(vpc_id) == table_id, vgws))
        return True

    # --- prefix lists -----------------------------------------------------------------------
    def mapping(self, key: str, inner: str) -> dict[str, list[dict[str, Any]]]:
        """A keyed map of the combined form: id -> the list the named call returns."""
        value = self.data.get(key)
        if value is None:
            return {}
        file = self.origin.get(key, "?")
        if not isinstance(value, dict):
            self.fail(message("aws.not_map", key=key, file=file, type=type(value).__name__))
            return {}
        result: dict[str, list[dict[str, Any]]] = {}
        for ref, entries in value.items():
            if isinstance(entries, dict):  # the whole response pasted in: take its list
                entries = entries.get(inner, [])
            if not isinstance(entries, list):
                self.fail(message("aws.not_list", key=f"{key}[{ref}]", file=file, type=type(entries).__name__))
                continue
            result[str(ref)] = [e for e in entries if isinstance(e, dict)]
        return result

    def put_prefix_list(self, pl_id: str, name: str | None, list_name: str, cidrs: tuple[str, ...]) -> None:
        self.cloud._prefix_lists[pl_id] = cidrs
        self.cloud._put(ManagedPrefixList(pl_id, name, list_name, cidrs))
        self.pl_put.add(pl_id)

    def gateway_service(self, list_name: str) -> bool:
        """Whether a prefix list name is that of s3 or dynamodb in this Region."""
        return list_name in (f"com.amazonaws.{self.cloud.region}.{s}" for s in GATEWAY_SERVICES)

    def kit_ranges(self, service: str) -> tuple[str, ...]:
        """The kit's own table of a gateway service's ranges in this Region."""
        short = self.cloud._service(service)[0]
        ranges = SERVICE_RANGES.get(self.cloud.region, {}).get(short)
        if ranges is None:  # a Region the table lacks: the kit's fallback, as prefix_list() has it
            minted = self.cloud.prefix_list(short)
            ranges = minted.cidrs
            if minted.id not in self.pl_put:  # prefix_list() mints its own id: take the ranges only
                self.cloud._drop(minted)
                self.cloud._prefix_lists.pop(minted.id, None)
        return ranges

    def prefix_list(self, item: dict[str, Any], where: str) -> bool:
        pl_id = str(self.need(item, "PrefixListId", "PrefixLists", where))
        list_name = str(item.get("PrefixListName") or pl_id)
        entries = self.pl_entries.get(pl_id)
        if item.get("Cidrs"):
            cidrs = tuple(_network(c) for c in item["Cidrs"])
        elif entries is not None:
            cidrs = tuple(_network(e["Cidr"]) for e in entries if e.get("Cidr"))
            self.report.imported["PrefixListEntries"] += 1
        elif self.gateway_service(list_name):
            cidrs = self.kit_ranges(list_name)
            self.report.warn(message("aws.pl_kit_ranges", pl=pl_id, name=list_name, cidrs=", ".join(cidrs)))
        else:
            raise _Note(message("aws.pl_no_cidrs", pl=pl_id, name=list_name))
        self.put_prefix_list(pl_id, _name(item), list_name, cidrs)
        return True

    def prefix_list_entries(self) -> None:
        """Customer-managed lists that only PrefixListEntries names."""
        for pl_id, entries in self.pl_entries.items():
            if pl_id not in self.pl_put:
                try:
                    cidrs = tuple(_network(e["Cidr"]) for e in entries if e.get("Cidr"))
                except ValueError as err:
                    self.fail(message("aws.bad_item", kind="PrefixListEntries", where=pl_id,
                                      file=self.origin.get("PrefixListEntries", "?"), problem=err))
                    continue
                self.put_prefix_list(pl_id, None, pl_id, cidrs)
                self.report.imported["PrefixListEntries"] += 1

    # --- peering ----------------------------------------------------------------------------
    def peering_connection(self, item: dict[str, Any], where: str) -> bool:
        pcx_id = str(self.need(item, "VpcPeeringConnectionId", "VpcPeeringConnections", where))
        status = item.get("Status") or {}
        code = str(status.get("Code") or "active")
        if code in _GONE:
            raise _Note(message("aws.skipped_state", kind="VpcPeeringConnections", where=pcx_id, state=code))
        sides = []
        for side in ("RequesterVpcInfo", "AccepterVpcInfo"):
            info = item.get(side) or {}
            vpc_id = self.need(info, "VpcId", "VpcPeeringConnections", f"{pcx_id} {side}")
            region = info.get("Region")
            if not isinstance(self.cloud._items.get(vpc_id), Vpc) or (region and region != self.cloud.region):
                raise _Note(message("aws.pcx_outside", pcx=pcx_id, vpc=vpc_id))
            sides.append(str(vpc_id))
        self.cloud._put(VpcPeeringConnection(pcx_id, _name(item), sides[0], sides[1], code,
                                             str(status.get("Message") or "")))
        return True

    # --- transit gateways -------------------------------------------------------------------
    def transit_gateway(self, item: dict[str, Any], where: str) -> bool:
        tgw_id = str(self.need(item, "TransitGatewayId", "TransitGateways", where))
        self.not_gone(item, "TransitGateways", tgw_id)
        options = item.get("Options") or {}
        association = options.get("AssociationDefaultRouteTableId")
        propagation = options.get("PropagationDefaultRouteTableId")
        if association and propagation and association != propagation:
            self.report.warn(message("aws.tgw_defaults_differ", tgw=tgw_id, association=association,
                                     propagation=propagation))
        self.cloud._put(TransitGateway(tgw_id, _name(item), association or propagation or None,
                                       options.get("DefaultRouteTableAssociation", "enable") == "enable",
                                       options.get("DefaultRouteTablePropagation", "enable") == "enable",
                                       int(options.get("AmazonSideAsn") or 64512)))
        return True

    def not_gone(self, item: Mapping[str, Any], kind: str, where: str) -> str:
        """The item's State; deleted, failed and the like are skipped with a note."""
        state = str(item.get("State") or "available")
        if state.lower() in _GONE:
            raise _Note(message("aws.skipped_state", kind=kind, where=where, state=state))
        return state

    def tgw_route_table(self, item: dict[str, Any], where: str) -> bool:
        table_id = str(self.need(item, "TransitGatewayRouteTableId", "TransitGatewayRouteTables", where))
        tgw_id = self.known(item, "TransitGatewayId", TransitGateway, "TransitGatewayRouteTables", where)
        self.not_gone(item, "TransitGatewayRouteTables", table_id)
        gateway = self.cloud._ref(tgw_id, TransitGateway)
        default = bool(item.get("DefaultAssociationRouteTable") or item.get("DefaultPropagationRouteTable")) \
            or table_id == gateway.default_route_table_id
        self.cloud._put(TransitGatewayRouteTable(table_id, _name(item), tgw_id, is_default=default))
        return True

    def default_tgw_tables(self) -> None:
        """A transit gateway's default route table exists, whether the file lists it or not."""
        for gateway in self.cloud._all(TransitGateway):
            table = gateway.default_route_table_id
            if table and table not in self.cloud._items and table not in self.skipped_ids:
                self.cloud._put(TransitGatewayRouteTable(table, None, gateway.id, is_default=True))
                self.report.warn(message("aws.tgw_made_table", tgw=gateway.id, table=table))

    def tgw_attachment(self, item: dict[str, Any], where: str) -> bool:
        link_id = str(self.need(item, "TransitGatewayAttachmentId", "TransitGatewayAttachments", where))
        state = str(item.get("State") or "available")
        if state not in ("available", "modifying"):
            raise _Note(message("aws.skipped_state", kind="TransitGatewayAttachments", where=link_id, state=state))
        tgw_id = self.known(item, "TransitGatewayId", TransitGateway, "TransitGatewayAttachments", where)
        kind = str(item.get("ResourceType") or "")
        resource = str(self.need(item, "ResourceId", "TransitGatewayAttachments", where))
        subnets: tuple[str, ...] = ()
        enis: tuple[str, ...] = ()
        if kind == "vpc":
            if not isinstance(self.cloud._items.get(resource), Vpc):
                raise _Note(message("aws.tgw_attach_outside", attachment=link_id, vpc=resource))
            subnets = tuple(s for s in item.get("SubnetIds") or []
                            if isinstance(sub := self.cloud._items.get(s), Subnet) and sub.vpc_id == resource)
            if not subnets:  # only describe-transit-gateway-attachments: the interfaces tell the subnets
                subnets = tuple(dict.fromkeys(self.cloud._ref(e, NetworkInterface).subnet_id
                                              for e in self.raw_enis if self.names_attachment(e, link_id)))
            if not subnets:
                raise _Note(message("aws.tgw_attach_no_subnets", attachment=link_id))
            enis = self.tgw_enis(link_id, subnets)
        elif kind == "vpn":
            vpn = self.cloud._ref(self.known(item, "ResourceId", VpnConnection, "TransitGatewayAttachments", where),
                                  VpnConnection)
            if vpn.transit_gateway_id != tgw_id:
                raise _Skip(message("aws.dangling", kind="TransitGatewayAttachments", where=link_id,
                                    field="TransitGatewayId", ref=tgw_id,
                                    file=self.origin["TransitGatewayAttachments"]))
        else:
            raise _Note(message("aws.tgw_attach_type", attachment=link_id, type=kind or "?"))
        self.cloud._put(TransitGatewayAttachment(link_id, _name(item), tgw_id, kind, resource, subnets, enis))
        association = item.get("Association") or {}
        if association.get("TransitGatewayRouteTableId") and \
                association.get("State", "associated") in ("associated", "associating"):
            self.tgw_associated[link_id] = str(association["TransitGatewayRouteTableId"])
        return True

    def names_attachment(self, eni_id: str, link_id: str | None) -> bool:
        """Whether a transit-gateway interface of the file names ``link_id`` (None: any attachment)."""
        raw = self.raw_enis.get(eni_id, {})
        eni = self.cloud._items.get(eni_id)
        if not isinstance(eni, NetworkInterface) or eni.interface_type != "transit_gateway":
            return False
        text = f"{raw.get('Description', '')} {json.dumps(raw.get('Attachment') or {}, default=str)}"
        return (link_id in text) if link_id else "tgw-attach-" in text

    def tgw_enis(self, link_id: str, subnets: tuple[str, ...]) -> tuple[str, ...]:
        """The attachment's interface in each subnet: from the file, else made as AWS would."""
        chosen: dict[str, str | None] = {}
        for subnet_id in subnets:
            mine = [e for e in self.raw_enis if e not in self.claimed_enis and self.names_attachment(e, link_id)
                    and self.cloud._ref(e, NetworkInterface).subnet_id == subnet_id]
            unnamed = [e for e in self.raw_enis if e not in self.claimed_enis and not self.names_attachment(e, None)
                       and isinstance(eni := self.cloud._items.get(e), NetworkInterface)
                       and eni.interface_type == "transit_gateway" and eni.subnet_id == subnet_id]
            chosen[subnet_id] = next(iter(mine or unnamed), None)
            subnet = self.cloud._ref(subnet_id, Subnet)
            if chosen[subnet_id] is None and self.cloud._pool(subnet).free < 1:
                raise _Skip(message("aws.tgw_subnet_full", attachment=link_id, subnet=subnet_id))
        result = []
        for subnet_id, eni_id in chosen.items():
            if eni_id is None:
                eni = self.cloud._new_eni(self.cloud._ref(subnet_id, Subnet), (), None,
                                          interface_type="transit_gateway", name=f"TGW attachment {link_id}")
                self.report.warn(message("aws.tgw_made_eni", attachment=link_id, subnet=subnet_id, eni=eni.id,
                                         ip=eni.private_ip))
                eni_id = eni.id
            self.claimed_enis.add(eni_id)
            result.append(eni_id)
        return tuple(result)

    def tgw_link(self, entry: Mapping[str, Any], table_id: str, key: str) -> str | None:
        """The attachment an entry of a keyed map names, if it is one of the table's gateway."""
        link_id = str(entry.get("TransitGatewayAttachmentId") or "")
        record = self.cloud._items.get(link_id)
        table = self.cloud._ref(table_id, TransitGatewayRouteTable)
        if isinstance(record, TransitGatewayAttachment) and record.transit_gateway_id == table.transit_gateway_id:
            return record.id
        if link_id not in self.skipped_ids:
            self.report.warn(message("aws.keyed_unknown_attachment", key=key, table=table_id,
                                     attachment=link_id or "?"), skipped=True)
        return None

    def tgw_routing(self) -> None:
        """Associations, propagations and static routes of the TGW route tables (the keyed maps)."""
        maps = {key: self.mapping(key, inner) for key, inner in _TGW_MAPS.items()}
        for key, table_map in maps.items():
            for table_id in list(table_map):
                if not isinstance(self.cloud._items.get(table_id), TransitGatewayRouteTable):
                    del table_map[table_id]
                    if table_id not in self.skipped_ids:
                        self.fail(message("aws.keyed_unknown", key=key, file=self.origin.get(key, "?"), ref=table_id))
        associations: dict[str, str] = {}  # attachment -> table
        key = "TransitGatewayRouteTableAssociations"
        for table_id, entries in maps[key].items():
            for entry in entries:
                link_id = self.tgw_link(entry, table_id, key)
                if link_id is None or entry.get("State", "associated") not in ("associated", "associating"):
                    continue
                if associations.setdefault(link_id, table_id) != table_id:
                    self.report.warn(message("aws.tgw_associated_twice", attachment=link_id,
                                             table=associations[link_id], other=table_id))
        for link_id, table_id in self.tgw_associated.items():  # describe-transit-gateway-attachments says it too
            table = self.cloud._items.get(table_id)
            link = self.cloud._items.get(link_id)
            if link_id not in associations and isinstance(table, TransitGatewayRouteTable) and \
                    isinstance(link, TransitGatewayAttachment) and table.transit_gateway_id == link.transit_gateway_id:
                associations[link_id] = table_id
        propagations: dict[str, list[str]] = {}  # table -> attachments
        key = "TransitGatewayRouteTablePropagations"
        for table_id, entries in maps[key].items():
            for entry in entries:
                link_id = self.tgw_link(entry, table_id, key)
                if link_id is not None and entry.get("State", "enabled") in ("enabled", "enabling"):
                    propagations.setdefault(table_id, []).append(link_id)
        statics: dict[str, list[TgwRoute]] = {}
        for table_id, entries in maps["TransitGatewayRoutes"].items():
            statics[table_id], propagated = self.tgw_routes(table_id, entries)
            if key not in self.data and propagated:
                propagations[table_id] = list(dict.fromkeys(propagated))
                self.report.warn(message("aws.tgw_propagations_inferred", table=table_id))
        self.assume_tgw_defaults(associations, propagations)
        for table in self.cloud._all(TransitGatewayRouteTable):
            self.cloud._put(evolve(table, static_routes=tuple(statics.get(table.id, ())),
                                   associations=tuple(a for a, t in associations.items() if t == table.id),
                                   propagations=tuple(dict.fromkeys(propagations.get(table.id, ())))))

    def tgw_routes(self, table_id: str, entries: list[dict[str, Any]]) -> tuple[list[TgwRoute], list[str]]:
        """The static routes of a table (blackholes included), and the attachments that propagate
        into it; propagated routes themselves are left to the engine, which recomputes them."""
        routes: list[TgwRoute] = []
        propagated: list[str] = []
        for entry in entries:
            kind = str(entry.get("Type") or "static").lower()
            state = str(entry.get("State") or "active")
            if state in _GONE:
                continue
            links = [a for a in entry.get("TransitGatewayAttachments") or [] if a.get("TransitGatewayAttachmentId")]
            destination = entry.get("DestinationCidrBlock")
            records = [self.cloud._items.get(str(a["TransitGatewayAttachmentId"])) for a in links]
            if kind == "propagated":
                for record in records:
                    if isinstance(record, TransitGatewayAttachment):
                        propagated.append(record.id)
                        if record.resource_type == "vpn" and destination:  # what the BGP VPN advertises
                            self.vpn_learned.setdefault(record.resource_id, []).append(_network(destination))
                continue
            if kind != "static":
                continue
            if not destination:
                self.report.warn(message("aws.tgw_route_prefix_list", table=table_id,
                                         pl=entry.get("PrefixListId") or "?"), skipped=True)
                continue
            destination = _network(destination)
            if any(r.destination == destination for r in routes):
                self.report.warn(message("aws.tgw_route_duplicate", table=table_id, destination=destination),
                                 skipped=True)
                continue
            link_id = str(links[0]["TransitGatewayAttachmentId"]) if links else None
            record = records[0] if records else None
            if link_id in self.skipped_ids:
                self.report.warn(message("aws.tgw_route_skipped_attachment", table=table_id,
                                         destination=destination, attachment=link_id))
            elif link_id is not None and not isinstance(record, TransitGatewayAttachment):
                self.report.warn(message("aws.tgw_route_missing_attachment", table=table_id,
                                         destination=destination, attachment=link_id))
            blackhole = state == "blackhole" or link_id is None
            routes.append(TgwRoute(destination, link_id, "static", "blackhole" if blackhole else "active"))
        return routes, propagated

    def assume_tgw_defaults(self, associations: dict[str, str], propagations: dict[str, list[str]]) -> None:
        """Without the keyed maps (a folder of CLI outputs), attachments use their gateway's
        default table where its options say so, as AWS does when it makes them."""
        known_propagations = "TransitGatewayRouteTablePropagations" in self.data or "TransitGatewayRoutes" in self.data
        for gateway in self.cloud._all(TransitGateway):
            table = gateway.default_route_table_id
            if table is None or not isinstance(self.cloud._items.get(table), TransitGatewayRouteTable):
                continue
            links = [a.id for a in self.cloud._all(TransitGatewayAttachment) if a.transit_gateway_id == gateway.id]
            if "TransitGatewayRouteTableAssociations" not in self.data and gateway.default_association:
                assumed = [a for a in links if a not in associations]
                for link_id in assumed:
                    associations[link_id] = table
                if assumed:
                    self.report.warn(message("aws.tgw_assumed_defaults", key="TransitGatewayRouteTableAssociations",
                                             attachments=", ".join(assumed), table=table, tgw=gateway.id))
            if not known_propagations and gateway.default_propagation and links:
                propagations.setdefault(table, []).extend(links)
                self.report.warn(message("aws.tgw_assumed_defaults", key="TransitGatewayRouteTablePropagations",
                                         attachments=", ".join(links), table=table, tgw=gateway.id))

    # --- VPN --------------------------------------------------------------------------------
    def vpn_gateway(self, item: dict[str, Any], where: str) -> bool:
        vgw_id = str(self.need(item, "VpnGatewayId", "VpnGateways", where))
        self.not_gone(item, "VpnGateways", vgw_id)
        attached = [str(a["VpcId"]) for a in item.get("VpcAttachments") or []
                    if a.get("State", "attached") in ("attached", "attaching")
                    and isinstance(self.cloud._items.get(a.get("VpcId", "")), Vpc)]
        self.cloud._put(VpnGateway(vgw_id, _name(item), attached[0] if attached else None,
                                   int(item.get("AmazonSideAsn") or 64512)))
        return True

    def customer_gateway(self, item: dict[str, Any], where: str) -> bool:
        cgw_id = str(self.need(item, "CustomerGatewayId", "CustomerGateways", where))
        self.not_gone(item, "CustomerGateways", cgw_id)
        address = str(ipaddress.IPv4Address(str(self.need(item, "IpAddress", "CustomerGateways", where)).strip()))
        asn = int(item.get("BgpAsn") or item.get("BgpAsnExtended") or 65000)  # a string in the API
        self.cloud._put(CustomerGateway(cgw_id, _name(item), address, asn))
        return True

    def vpn_connection(self, item: dict[str, Any], where: str) -> bool:
        vpn_id = str(self.need(item, "VpnConnectionId", "VpnConnections", where))
        state = self.not_gone(item, "VpnConnections", vpn_id)
        cgw_id = self.known(item, "CustomerGatewayId", CustomerGateway, "VpnConnections", where)
        vgw_id = self.known(item, "VpnGatewayId", VpnGateway, "VpnConnections", where) \
            if item.get("VpnGatewayId") else None
        tgw_id = self.known(item, "TransitGatewayId", TransitGateway, "VpnConnections", where) \
            if item.get("TransitGatewayId") else None
        if (vgw_id is None) == (tgw_id is None):  # Cloud WAN, a VPN concentrator, …
            raise _Note(message("aws.vpn_one_side", vpn=vpn_id))
        options = item.get("Options") or {}
        routes = tuple(dict.fromkeys(_network(r["DestinationCidrBlock"]) for r in item.get("Routes") or []
                                     if r.get("DestinationCidrBlock") and r.get("State", "available") not in _GONE))
        tunnels = tuple("UP" if str(t.get("Status", "")).upper() == "UP" else "DOWN"
                        for t in item.get("VgwTelemetry") or [])
        if not tunnels:
            self.report.warn(message("aws.vpn_no_telemetry", vpn=vpn_id))
            tunnels = ("UP", "UP")
        self.cloud._put(VpnConnection(vpn_id, _name(item), cgw_id, vgw_id, tgw_id,
                                      options.get("StaticRoutesOnly") is True, tunnels, routes, (), state))
        return True

    def missing_vpn_attachments(self) -> None:
        """A VPN connection on a transit gateway always has its vpn attachment."""
        for vpn in self.cloud._all(VpnConnection):
            if vpn.transit_gateway_id is None or self.cloud.vpn_attachment(vpn.id) is not None:
                continue
            gateway = self.cloud._ref(vpn.transit_gateway_id, TransitGateway)
            link = self.cloud._put(TransitGatewayAttachment(self.cloud._new_id("tgw-attach"), None, gateway.id,
                                                            "vpn", vpn.id))
            if gateway.default_route_table_id in self.cloud._items:
                self.cloud._use_defaults(gateway, link)
            self.report.warn(message("aws.vpn_no_attachment", vpn=vpn.id, tgw=gateway.id, attachment=link.id))

    def finish_vpns(self) -> None:
        """What a BGP connection advertises is not in describe output; the routes it propagated
        into the file's tables (VPC tables for a VGW, TGW tables for a transit gateway) tell it."""
        vpns = self.cloud._all(VpnConnection)
        for vpn in vpns:
            if vpn.transit_gateway_id:
                learned = self.vpn_learned.get(vpn.id, [])
            else:
                static = {p for other in vpns if other.vpn_gateway_id == vpn.vpn_gateway_id for p in other.routes}
                learned = [p for p in self.vgw_learned.get(vpn.vpn_gateway_id or "", []) if p not in static]
            if vpn.static_routes_only:
                continue
            prefixes = tuple(dict.fromkeys(learned))
            if prefixes:
                self.cloud._put(evolve(vpn, bgp_routes=prefixes))
                self.report.warn(message("aws.vpn_bgp_learned", vpn=vpn.id, prefixes=", ".join(prefixes)))
            else:
                self.report.warn(message("aws.vpn_bgp_unknown", vpn=vpn.id))
        for vgw_id, learned in self.vgw_learned.items():
            explained = {p for vpn in self.cloud._all(VpnConnection) if vpn.vpn_gateway_id == vgw_id
                         for p in vpn.prefixes}
            unexplained = [p for p in dict.fromkeys(learned) if p not in explained]
            if unexplained:
                self.report.warn(message("aws.vgw_unexplained", vgw=vgw_id, prefixes=", ".join(unexplained)),
                                 skipped=True)

    # --- VPC endpoints ----------------------------------------------------------------------
    def vpc_endpoint(self, item: dict[str, Any], where: str) -> bool:
        endpoint_id = str(self.need(item, "VpcEndpointId", "VpcEndpoints", where))
        state = self.not_gone(item, "VpcEndpoints", endpoint_id).lower()
        vpc_id = self.known(item, "VpcId", Vpc, "VpcEndpoints", where)
        service = str(self.need(item, "ServiceName", "VpcEndpoints", where))
        kind = str(item.get("VpcEndpointType") or "Gateway")
        policy = _policy_text(item.get("PolicyDocument"))
        if kind == "Gateway":
            short, full = self.cloud._service(service)
            if short not in GATEWAY_SERVICES:
                raise InvalidValue("InvalidParameter", message("vpce.gateway_only", service=short))
            tables = tuple(str(t) for t in item.get("RouteTableIds") or [])
            self.cloud._put(VpcEndpoint(endpoint_id, _name(item), vpc_id, full, "Gateway", tables,
                                        policy_document=policy, state=state))
            return True
        if kind != "Interface":
            raise _Note(message("aws.endpoint_type", endpoint=endpoint_id, type=kind))
        subnets = tuple(str(s) for s in item.get("SubnetIds") or []
                        if isinstance(sub := self.cloud._items.get(s), Subnet) and sub.vpc_id == vpc_id)
        enis = []
        for eni_id in item.get("NetworkInterfaceIds") or []:
            eni = self.cloud._items.get(eni_id)
            if not isinstance(eni, NetworkInterface):
                self.report.warn(message("aws.endpoint_eni_missing", endpoint=endpoint_id, eni=eni_id), skipped=True)
                continue
            if eni.interface_type != "vpc_endpoint":
                self.cloud._put(evolve(eni, interface_type="vpc_endpoint"))
            enis.append(eni.id)
        dns = tuple(str(d["DnsName"]) for d in item.get("DnsEntries") or [] if d.get("DnsName"))
        self.cloud._put(VpcEndpoint(endpoint_id, _name(item), vpc_id, service, "Interface", (), subnets, tuple(enis),
                                    self.group_ids(item.get("Groups")), item.get("PrivateDnsEnabled") is True, dns,
                                    policy, state))
        return True

    def finish_gateway_endpoints(self) -> None:
        """Each gateway endpoint: its prefix list, and a ``pl-… → vpce-…`` route in each of its tables."""
        for endpoint in self.cloud._all(VpcEndpoint):
            if endpoint.endpoint_type != "Gateway":
                continue
            routed = [t for t in self.cloud._all(RouteTable) if any(r.target == endpoint.id for r in t.routes)]
            used = [r.destination for t in routed for r in t.routes
                    if r.target == endpoint.id and r.destination.startswith("pl-")]
            named = [p.id for p in self.cloud._all(ManagedPrefixList) if p.prefix_list_name == endpoint.service_name]
            pl_id = next(iter(used or named), None)
            if pl_id is None:
                pl = self.cloud.prefix_list(endpoint.service_name)
                pl_id = pl.id
                self.pl_put.add(pl_id)
                self.report.warn(message("aws.pl_kit_ranges", pl=pl_id, name=endpoint.service_name,
                                         cidrs=", ".join(pl.cidrs)))
            elif pl_id not in self.cloud._prefix_lists:
                cidrs = self.kit_ranges(endpoint.service_name)
                self.put_prefix_list(pl_id, None, endpoint.service_name, cidrs)
                self.skipped_ids.discard(pl_id)
                self.report.warn(message("aws.pl_kit_ranges", pl=pl_id, name=endpoint.service_name,
                                         cidrs=", ".join(cidrs)))
            listed = []
            for table_id in endpoint.route_table_ids:
                table = self.cloud._items.get(table_id)
                if not isinstance(table, RouteTable) or table.vpc_id != endpoint.vpc_id:
                    self.report.warn(message("aws.endpoint_table_missing", endpoint=endpoint.id, table=table_id),
                                     skipped=True)
                    continue
                listed.append(table.id)
                if not any(r.target == endpoint.id for r in table.routes):
                    self.cloud._put(evolve(table, routes=(*table.routes, Route(pl_id, endpoint.id, "CreateRoute"))))
                    self.report.warn(message("aws.endpoint_route_added", endpoint=endpoint.id, table=table.id,
                                             pl=pl_id))
            tables = tuple(dict.fromkeys([*listed, *(t.id for t in routed)]))
            self.cloud._put(evolve(endpoint, route_table_ids=tables))

    def finish_prefix_lists(self) -> None:
        """Routes and rules that name a prefix list the file lacks match nothing: say so."""
        known = self.cloud._prefix_lists
        for table in self.cloud._all(RouteTable):
            for route in table.routes:
                pl = route.destination
                if pl.startswith("pl-") and pl not in known and pl not in self.skipped_ids:
                    self.report.warn(message("aws.pl_unknown_route", table=table.id, pl=pl))
        for group in self.cloud._all(SecurityGroup):
            for pl in dict.fromkeys(r.peer for r in (*group.ingress, *group.egress)):
                if pl.startswith("pl-") and pl not in known and pl not in self.skipped_ids:
                    self.report.warn(message("aws.pl_unknown_rule", group=group.id, pl=pl))

    main_tables: dict[str, str]

    def finish_vpcs(self) -> None:
        """Fill in each VPC's main route table, default security group and default NACL; make
        what the file lacks the way AWS would have it."""
        from vpclab.vpc import default_nacl_entries

        for vpc in self.cloud._all(Vpc):
            main = self.main_tables.get(vpc.id)
            if main is None:
                main = self.cloud._new_id("rtb")
                self.cloud._put(RouteTable(main, None, vpc.id, tuple(Route(b, "local", "CreateRouteTable")
                                                                     for b in vpc.cidr_blocks)))
                self.report.warn(message("aws.made_main_table", vpc=vpc.id, table=main))
            groups = [g for g in self.cloud._all(SecurityGroup) if g.vpc_id == vpc.id and g.group_name == "default"]
            if groups:
                default_sg = groups[0].id
            else:
                default_sg = self.cloud._new_id("sg")
                self.cloud._put(SecurityGroup(default_sg, None, vpc.id, "default", "default VPC security group",
                                              (SgRule(ALL, None, None, default_sg),),
                                              (SgRule(ALL, None, None, "0.0.0.0/0"),)))
                self.report.warn(message("aws.made_default_sg", vpc=vpc.id, group=default_sg))
            acls = [a for a in self.cloud._all(NetworkAcl) if a.vpc_id == vpc.id and a.is_default]
            if acls:
                default_acl = acls[0].id
            else:
                default_acl = self.cloud._new_id("acl")
                self.cloud._put(NetworkAcl(default_acl, None, vpc.id, default_nacl_entries(), is_default=True))
                self.report.warn(message("aws.made_default_acl", vpc=vpc.id, acl=default_acl))
            self.cloud._put(evolve(vpc, main_route_table_id=main, default_security_group_id=default_sg,
                                   default_network_acl_id=default_acl))


_LATER_TARGETS = ("eigw-",)
_ID_FIELDS = {"Vpcs": "VpcId", "Subnets": "SubnetId", "RouteTables": "RouteTableId",
              "InternetGateways": "InternetGatewayId", "NatGateways": "NatGatewayId", "SecurityGroups": "GroupId",
              "NetworkAcls": "NetworkAclId", "NetworkInterfaces": "NetworkInterfaceId", "_Instances": "InstanceId",
              "Addresses": "PublicIp", "DhcpOptions": "DhcpOptionsId", "_PrefixLists": "PrefixListId",
              "VpcEndpoints": "VpcEndpointId", "VpcPeeringConnections": "VpcPeeringConnectionId",
              "TransitGateways": "TransitGatewayId", "TransitGatewayRouteTables": "TransitGatewayRouteTableId",
              "_TransitGatewayAttachments": "TransitGatewayAttachmentId", "VpnGateways": "VpnGatewayId",
              "CustomerGateways": "CustomerGatewayId", "VpnConnections": "VpnConnectionId"}


class _Skip(Exception):
    """One resource of the file cannot be used (the message says why)."""


class _Note(_Skip):
    """One resource of the file is skipped on purpose, as AWS would not use it either."""


def merge_by_id(items: Iterable[dict[str, Any]], id_field: str) -> list[dict[str, Any]]:
    """Items that describe the same resource (from two describe calls) as one."""
    merged: dict[str, dict[str, Any]] = {}
    loose = []
    for item in items:
        key = item.get(id_field)
        if not key:
            loose.append(item)
            continue
        fields = {k: v for k, v in item.items() if v is not None and v != "" and v != [] and v != {}}
        merged[str(key)] = {**merged.get(str(key), {}), **fields}
    return [*merged.values(), *loose]


def _policy_text(document: Any) -> str | None:
    """An endpoint policy as the engine keeps it (None: the default full-access policy)."""
    if document in (None, ""):
        return None
    data = json.loads(document) if isinstance(document, str) else document
    return json.dumps(data, indent=2, sort_keys=True)


def _name(item: Mapping[str, Any]) -> str | None:
    for tag in item.get("Tags") or item.get("TagSet") or []:  # describe-network-interfaces: TagSet
        if isinstance(tag, dict) and tag.get("Key") == "Name" and tag.get("Value"):
            return str(tag["Value"])
    return None


@lru_cache(maxsize=65536)
def _network(cidr: str) -> str:
    """A CIDR as AWS stores it: normalized to its network."""
    return str(ipaddress.IPv4Network(str(cidr), strict=False))


def _ports(item: Mapping[str, Any], low_key: str, high_key: str) -> tuple[int | None, int | None]:
    low, high = item.get(low_key), item.get(high_key)
    return (None if low is None else int(low), None if high is None else int(high))


def _sg_rules(permissions: Iterable[Mapping[str, Any]] | None) -> tuple[SgRule, ...]:
    rules = []
    for permission in permissions or []:
        protocol = normalize_protocol(permission.get("IpProtocol", ALL))
        low, high = _ports(permission, "FromPort", "ToPort") if protocol != ALL else (None, None)
        peers = [(r["CidrIp"], r) for r in permission.get("IpRanges", []) or [] if r.get("CidrIp")]
        peers += [(p["GroupId"], p) for p in permission.get("UserIdGroupPairs", []) or [] if p.get("GroupId")]
        peers += [(p["PrefixListId"], p) for p in permission.get("PrefixListIds", []) or [] if p.get("PrefixListId")]
        rules += [SgRule(protocol, low, high, _network(p) if "/" in p else p, str(entry.get("Description") or ""))
                  for p, entry in peers]
    return tuple(rules)


def _nacl_entry(entry: Mapping[str, Any]) -> NaclEntry:
    protocol = normalize_protocol(entry.get("Protocol", ALL))
    port_range = entry.get("PortRange") or {}
    low: int | None
    high: int | None
    if protocol == "icmp":
        icmp = entry.get("IcmpTypeCode") or {}
        low = high = int(icmp.get("Type", -1))
    elif protocol == ALL:
        low = high = None
    else:
        low, high = _ports(port_range, "From", "To")
    return NaclEntry(int(entry["RuleNumber"]), bool(entry.get("Egress")), protocol,
                     str(entry.get("RuleAction", "deny")), _network(entry["CidrBlock"]), low, high)


def load_aws(source: str | Path | Mapping[str, Any], *, lenient: bool = False, region: str | None = None,
             seed: int | None = 0) -> tuple[Cloud, ImportReport]:
    """A Cloud holding the configuration in ``source``, and a report of what was read."""
    from vpclab.cloud import Cloud
    from vpclab.quotas import Quotas

    data, origin = read_aws_json(source)
    zones = sorted({str(s.get("AvailabilityZone")) for s in data.get("Subnets", []) or []
                    if isinstance(s, dict) and s.get("AvailabilityZone")})
    region = region or (zones[0][:-1] if zones else "us-east-1")
    unlimited = Quotas(**{name: 10**9 for name in Quotas.__dataclass_fields__})
    cloud = Cloud(region, seed=seed, azs=tuple(zones) or None, quotas=unlimited)
    loader = _Loader(cloud, data, origin, lenient)
    loader.main_tables = {}
    report = loader.load()
    cloud.quotas = Quotas()
    return cloud, report
