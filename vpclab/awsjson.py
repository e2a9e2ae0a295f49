"""Loading a real configuration: AWS describe JSON into a Cloud (DESIGN.md §4).

Input is one JSON object that combines describe responses under their own top-level keys
(``Vpcs``, ``Subnets``, ``RouteTables``, …), or a folder of ``aws ec2 describe-* --output
json`` files; the key decides what a file holds, not its name. This module reads the
resources the engine models: VPCs, subnets, route tables, internet and NAT gateways,
security groups, network ACLs, network interfaces, instances, Elastic IPs and DHCP options.

AWS semantics are followed where a file leaves them out: every NACL ends with the ``*``
deny rule; a route in state ``blackhole`` drops; a route to a resource that is not in the
file is a blackhole (with a warning naming the id); terminated instances and deleted NAT
gateways are skipped. Unknown keys are reported as warnings, never a crash.
"""

from __future__ import annotations

import ipaddress
import json
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpclab.errors import InvalidValue, VpcLabWarning
from vpclab.firewall import normalize_protocol
from vpclab.i18n import message
from vpclab.nat import NatTable
from vpclab.resources import (
    ALL,
    NACL_DEFAULT_RULE,
    DhcpOptions,
    ElasticIp,
    Instance,
    InternetGateway,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
)

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["AwsImportWarning", "ImportReport", "load_aws", "read_aws_json"]

KNOWN_KEYS = ("Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "SecurityGroups",
              "NetworkAcls", "NetworkInterfaces", "Reservations", "Instances", "Addresses", "DhcpOptions")
LATER_KEYS = ("EgressOnlyInternetGateways", "VpcEndpoints", "VpcPeeringConnections", "PrefixLists",
              "TransitGateways", "TransitGatewayAttachments", "TransitGatewayVpcAttachments",
              "TransitGatewayRouteTables", "TransitGatewayRoutes", "TransitGatewayRouteTableAssociations",
              "TransitGatewayRouteTablePropagations", "VpnGateways", "VpnConnections", "CustomerGateways",
              "PrefixListEntries")
_TARGET_KEYS = ("GatewayId", "NatGatewayId", "NetworkInterfaceId", "InstanceId", "VpcPeeringConnectionId",
                "TransitGatewayId", "EgressOnlyInternetGatewayId", "LocalGatewayId", "CarrierGatewayId",
                "CoreNetworkArn")


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
            if key in combined and isinstance(value, list):
                combined[key] = [*combined[key], *value]
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
            except _Skip as skip:
                self.fail(str(skip))
            except (InvalidValue, ValueError, KeyError, TypeError) as err:
                self.fail(message("aws.bad_item", kind=key, where=where, file=self.origin.get(key, "?"),
                                  problem=getattr(err, "message", None) or err))

    # --- building ---------------------------------------------------------------------------
    def load(self) -> ImportReport:
        for key in self.data:
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
        self.each("RouteTables", self.route_table)
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
            from vpclab.resources import evolve

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
        routes = []
        for route in item.get("Routes", []) or []:
            destination = route.get("DestinationCidrBlock") or route.get("DestinationPrefixListId")
            if not destination:
                continue  # an IPv6 route: not modelled
            target = next((str(route[k]) for k in _TARGET_KEYS if route.get(k)), None)
            if target is None:
                self.report.warn(message("aws.route_no_target", table=table_id, destination=destination))
                target = "unknown"
            if target != "local" and target not in self.cloud._items and not target.startswith(_LATER_TARGETS):
                self.report.warn(message("aws.route_missing_target", table=table_id, destination=destination,
                                         target=target))
            state = "blackhole" if route.get("State") == "blackhole" else "active"
            origin = str(route.get("Origin") or ("CreateRouteTable" if target == "local" else "CreateRoute"))
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
        vgws = tuple(v["GatewayId"] for v in item.get("PropagatingVgws", []) or [] if v.get("GatewayId"))
        self.cloud._put(RouteTable(table_id, _name(item), vpc_id, tuple(routes), tuple(associations),
                                   propagating_vgws=vgws))
        return True

    main_tables: dict[str, str]

    def finish_vpcs(self) -> None:
        """Fill in each VPC's main route table, default security group and default NACL; make
        what the file lacks the way AWS would have it."""
        from vpclab.resources import evolve
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


_LATER_TARGETS = ("pcx-", "tgw-", "vgw-", "vpce-", "eigw-")
_ID_FIELDS = {"Vpcs": "VpcId", "Subnets": "SubnetId", "RouteTables": "RouteTableId",
              "InternetGateways": "InternetGatewayId", "NatGateways": "NatGatewayId", "SecurityGroups": "GroupId",
              "NetworkAcls": "NetworkAclId", "NetworkInterfaces": "NetworkInterfaceId", "_Instances": "InstanceId",
              "Addresses": "PublicIp", "DhcpOptions": "DhcpOptionsId"}


class _Skip(Exception):
    """One resource of the file cannot be used (the message says why)."""


def _name(item: Mapping[str, Any]) -> str | None:
    for tag in item.get("Tags", []) or []:
        if isinstance(tag, dict) and tag.get("Key") == "Name" and tag.get("Value"):
            return str(tag["Value"])
    return None


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
        peers = [r["CidrIp"] for r in permission.get("IpRanges", []) or [] if r.get("CidrIp")]
        peers += [p["GroupId"] for p in permission.get("UserIdGroupPairs", []) or [] if p.get("GroupId")]
        peers += [p["PrefixListId"] for p in permission.get("PrefixListIds", []) or [] if p.get("PrefixListId")]
        rules += [SgRule(protocol, low, high, _network(p) if "/" in p else p) for p in peers]
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
