"""A linter for a Cloud: configurations that AWS accepts but that are probably mistakes.

``lint(cloud)`` returns :class:`Finding` values, each naming the resource (its AWS id), a
short code, a severity and a message that says what is wrong, why it matters and how to
fix it. Severity ``error``: traffic that should flow cannot, or a door is open to the whole
internet. Severity ``warning``: waste, or trouble waiting to happen.

Each check cites the section of aws-vpc-facts.md it rests on.

>>> from vpclab.cloud import Cloud
>>> cloud = Cloud(seed=1)
>>> vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
>>> ssh = cloud.create_security_group(vpc, "ssh-sg")
>>> _ = cloud.allow(ssh, 22, source="0.0.0.0/0")
>>> sorted(f.code for f in lint(cloud))
['admin-port-open-to-world', 'unused-security-group']

``vpclab lint FILE [--json] [--lenient]`` exits 0 when it finds nothing, 1 when it finds
problems, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import TYPE_CHECKING, NamedTuple

from vpclab.cidr import cached_network, parse, span
from vpclab.display import Displayable
from vpclab.firewall import port_matches
from vpclab.i18n import message
from vpclab.ports import WELL_KNOWN_PORTS, reply_ports
from vpclab.resources import (
    ALL,
    NACL_DEFAULT_RULE,
    Instance,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
    VpcEndpoint,
)

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["ADMIN_PORTS", "DATABASE_PORTS", "EPHEMERAL_PORTS", "Finding", "add_arguments", "lint", "run"]

# aws-vpc-facts.md §13 (vpclab.ports): remote administration and database ports.
ADMIN_PORTS = {port: s.name for s in WELL_KNOWN_PORTS if s.key in ("ssh", "rdp") for port in s.ports}
DATABASE_PORTS = {port: s.name for s in WELL_KNOWN_PORTS
                  if s.key in ("mssql", "oracle", "mysql", "postgresql", "redshift") for port in s.ports}
# aws-vpc-facts.md §8 and §14e: clients vary, so replies need 1024–65535 (NAT gateway, ELB, Lambda).
EPHEMERAL_PORTS = reply_ports()
_WORLD = ("0.0.0.0/0", "::/0")
_NEARLY_FULL_SHARE = 10  # per cent of the usable addresses
_NEARLY_FULL_COUNT = 5


@dataclass(frozen=True, slots=True)
class Finding(Displayable):
    """One problem: ``code`` (kebab-case), ``severity`` (error or warning), ``resource`` (an
    AWS id) and a ``message`` in learner terms: what, why it matters, how to fix it."""

    code: str
    severity: str
    resource: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def _text_(self) -> str:
        return f"{self.severity} {self.code} {self.resource}: {self.message}"


def lint(cloud: Cloud) -> tuple[Finding, ...]:
    """Every finding of every check, check by check, resources in the Cloud's order."""
    checks = (_open_admin_and_database_ports, _nacl_replies_blocked, _nat_without_internet_route,
              _blackhole_routes, _shadowed_nacl_rules, _unused_security_groups, _unused_route_tables,
              _nearly_full_subnets, _overlapping_peers)
    return tuple(finding for check in checks for finding in check(cloud))


# --- security groups -----------------------------------------------------------------------


def _open_admin_and_database_ports(cloud: Cloud) -> Iterator[Finding]:
    """Inbound rules from 0.0.0.0/0 that reach SSH or RDP (code ``admin-port-open-to-world``)
    or a database port (``database-port-open-to-world``): single ports, ranges that cover
    them and all-traffic rules alike. Ports from aws-vpc-facts.md §13; a security group rule
    allows and never denies (§7), so nothing else can take such a rule back."""
    for group in cloud._all(SecurityGroup):
        for rule in group.ingress:
            if rule.peer not in _WORLD:
                continue
            for code, key, ports in (("admin-port-open-to-world", "lint.admin_port_open", ADMIN_PORTS),
                                     ("database-port-open-to-world", "lint.database_port_open", DATABASE_PORTS)):
                exposed = [f"{name} {port}" for port, name in ports.items()
                           if port_matches(rule.protocol, rule.from_port, rule.to_port, "tcp", port)]
                if exposed:
                    yield Finding(code, "error", group.id,
                                  message(key, group=group.label, ports=", ".join(exposed), rule=rule.describe()))


def _unused_security_groups(cloud: Cloud) -> Iterator[Finding]:
    """Groups that no network interface, instance or endpoint uses and no other group names
    (``unused-security-group``). A VPC's default group is left alone: it cannot be deleted
    (aws-vpc-facts.md §7)."""
    holders: list[NetworkInterface | Instance | VpcEndpoint] = [
        *cloud._all(NetworkInterface), *cloud._all(Instance), *cloud._all(VpcEndpoint)]
    used = {group_id for holder in holders for group_id in holder.security_group_ids}
    defaults = {vpc.default_security_group_id for vpc in cloud._all(Vpc)}
    groups = cloud._all(SecurityGroup)
    referenced = {rule.peer for other in groups for rule in (*other.ingress, *other.egress) if rule.peer != other.id}
    for group in groups:
        if group.id in used or group.id in referenced or group.id in defaults or group.group_name == "default":
            continue
        yield Finding("unused-security-group", "warning", group.id,
                      message("lint.unused_security_group", group=group.label))


# --- network ACLs ----------------------------------------------------------------------------


class _Traffic(NamedTuple):
    """What a NACL rule matches: a protocol, a port range (None: every port or ICMP type), a CIDR."""

    protocol: str
    ports: tuple[int, int] | None
    cidr: str


def _traffic(entry: NaclEntry) -> _Traffic:
    if entry.protocol == ALL or entry.from_port is None or (entry.protocol == "icmp" and entry.from_port == -1):
        return _Traffic(entry.protocol, None, entry.cidr)
    return _Traffic(entry.protocol, (entry.from_port, entry.to_port if entry.to_port is not None else entry.from_port),
                    entry.cidr)


def _covers(outer: _Traffic, inner: _Traffic) -> bool:
    """Does every packet ``inner`` matches also match ``outer``?"""
    if outer.protocol != ALL:
        if outer.protocol != inner.protocol:
            return False
        if outer.ports is not None:
            if inner.ports is None:
                return False
            if outer.protocol == "icmp":
                if outer.ports != inner.ports:
                    return False
            elif not (outer.ports[0] <= inner.ports[0] and inner.ports[1] <= outer.ports[1]):
                return False
    one, other = cached_network(inner.cidr), cached_network(outer.cidr)
    return one.version == other.version and one.subnet_of(other)


def _rules(acl: NetworkAcl, *, egress: bool) -> list[NaclEntry]:
    """A direction's numbered rules in the order they are checked, without the ``*`` rule."""
    return sorted(e for e in acl.entries if e.egress == egress and e.rule_number < NACL_DEFAULT_RULE)


def _shadow_of(entry: NaclEntry, earlier: list[NaclEntry]) -> NaclEntry | None:
    """The first earlier rule that matches everything ``entry`` matches, if any."""
    return next((e for e in earlier if _covers(_traffic(e), _traffic(entry))), None)


def _shadowed_nacl_rules(cloud: Cloud) -> Iterator[Finding]:
    """Rules that can never match because one lower-numbered rule already matches all their
    traffic (``nacl-rule-shadowed``): rules are checked from the lowest number up and the
    first match decides (aws-vpc-facts.md §8). Only one earlier rule at a time is compared,
    so a rule covered by several earlier rules together is not reported."""
    for acl in cloud._all(NetworkAcl):
        for egress in (False, True):
            rules = _rules(acl, egress=egress)
            for position, entry in enumerate(rules):
                shadow = _shadow_of(entry, rules[:position])
                if shadow is not None:
                    key = "lint.nacl_rule_redundant" if shadow.action == entry.action else "lint.nacl_rule_shadowed"
                    yield Finding("nacl-rule-shadowed", "warning", acl.id,
                                  message(key, acl=acl.label, direction=_direction(egress), rule=entry.describe(),
                                          earlier=shadow.describe(), action=entry.action))


def _looks_like_reply_rule(entry: NaclEntry) -> bool:
    """An inbound rule for ephemeral ports (1024–65535, 32768–65535, 49152–65535, …) lets
    replies in; it opens no service, so it needs no replies of its own."""
    return entry.from_port is not None and entry.to_port is not None and entry.from_port >= EPHEMERAL_PORTS[0] \
        and entry.to_port >= 60999


def _nacl_replies_blocked(cloud: Cloud) -> Iterator[Finding]:
    """Inbound allow rules for a service whose replies the outbound rules drop
    (``nacl-replies-blocked``). NACLs are stateless, so a reply to a client in the rule's
    CIDR must be allowed outbound to that CIDR on the client's ephemeral port, and clients
    use anything from 1024 to 65535 (aws-vpc-facts.md §8, §14e). The first outbound rule
    that matches all of that traffic decides, as the NACL would; if it is a deny, or there
    is none, the replies are dropped. A deny of a few ports before a broad allow, as AWS
    advises, is fine. TCP is checked for all-traffic rules; ICMP and other protocols are not."""
    for acl in cloud._all(NetworkAcl):
        inbound, outbound = _rules(acl, egress=False), _rules(acl, egress=True)
        for position, entry in enumerate(inbound):
            protocol = "tcp" if entry.protocol == ALL else entry.protocol
            if entry.action != "allow" or protocol not in ("tcp", "udp") or _looks_like_reply_rule(entry) \
                    or _shadow_of(entry, inbound[:position]) is not None:
                continue
            replies = _Traffic(protocol, EPHEMERAL_PORTS, entry.cidr)
            decider = next((e for e in outbound if _covers(_traffic(e), replies)), None)
            if decider is not None and decider.action == "allow":
                continue
            blocker = message("lint.outbound_rule", rule=decider.describe()) if decider is not None \
                else message("lint.no_outbound_rule")
            yield Finding("nacl-replies-blocked", "error", acl.id,
                          message("lint.nacl_replies_blocked", acl=acl.label, rule=entry.describe(),
                                  protocol=protocol.upper(), cidr=entry.cidr, blocker=blocker))


def _direction(egress: bool) -> str:
    return "outbound" if egress else "inbound"


# --- routing ---------------------------------------------------------------------------------


def _nat_without_internet_route(cloud: Cloud) -> Iterator[Finding]:
    """Public NAT gateways whose own subnet's route table has no active 0.0.0.0/0 route to an
    internet gateway (``nat-gateway-without-internet-route``): the NAT gateway forwards
    through the route table of the subnet it sits in, and a public one reaches the internet
    through the internet gateway (aws-vpc-facts.md §6, §4: a subnet without such a route is
    private). Gateways that are failed, deleting or deleted are left out."""
    for nat in cloud._all(NatGateway):
        if nat.connectivity != "public" or nat.state not in ("pending", "available"):
            continue
        table = cloud.route_table_for(nat.subnet_id)
        if any(r.destination == "0.0.0.0/0" and r.target.startswith("igw-") and r.state == "active"
               for r in table.routes):
            continue
        subnet = cloud._ref(nat.subnet_id, Subnet)
        yield Finding("nat-gateway-without-internet-route", "error", nat.id,
                      message("lint.nat_without_igw_route", nat=nat.label, subnet=subnet.label, table=table.label))


def _blackhole_routes(cloud: Cloud) -> Iterator[Finding]:
    """Routes in state ``blackhole`` (``blackhole-route``): their target was deleted, is not
    available, or is a peering connection that is not active, so matching packets are
    dropped (aws-vpc-facts.md §4)."""
    for stored in cloud._all(RouteTable):
        table = cloud.route_table(stored.id)
        for route in table.routes:
            if route.state == "blackhole":
                yield Finding("blackhole-route", "error", table.id,
                              message("lint.blackhole_route", table=table.label, destination=route.destination,
                                      target=route.target))


def _unused_route_tables(cloud: Cloud) -> Iterator[Finding]:
    """Route tables that are not the main table and that no subnet uses (``unused-route-table``):
    a subnet uses its associated table, else the main one (aws-vpc-facts.md §4). Gateway
    (edge) associations are not modelled, so a table used only as a gateway route table is
    reported too."""
    used = {cloud.route_table_for(subnet).id for subnet in cloud._all(Subnet)}
    used.update(vpc.main_route_table_id for vpc in cloud._all(Vpc))
    for table in cloud._all(RouteTable):
        if table.id not in used and not table.is_main:
            yield Finding("unused-route-table", "warning", table.id,
                          message("lint.unused_route_table", table=table.label))


# --- addresses and peering -------------------------------------------------------------------


def _nearly_full_subnets(cloud: Cloud) -> Iterator[Finding]:
    """Subnets with fewer than 10% of their usable addresses free, or fewer than 5
    (``subnet-almost-full``). A subnet keeps 5 addresses back and cannot grow once created
    (aws-vpc-facts.md §1), so a full one refuses new instances, interfaces and NAT gateways."""
    for subnet in cloud._all(Subnet):
        usable = parse(subnet.cidr).usable
        free = cloud.free_addresses(subnet)
        if free < _NEARLY_FULL_COUNT or free * 100 < usable * _NEARLY_FULL_SHARE:
            yield Finding("subnet-almost-full", "warning", subnet.id,
                          message("lint.subnet_almost_full", subnet=subnet.label, cidr=subnet.cidr, free=free,
                                  usable=usable))


def _overlapping_peers(cloud: Cloud) -> Iterator[Finding]:
    """A VPC actively peered with two VPCs whose blocks overlap each other
    (``peered-vpcs-overlap``): AWS does no reverse-path check, so a reply for an address in
    both ranges goes to whichever peer the route table picks (aws-vpc-facts.md §10)."""
    for vpc in cloud._all(Vpc):
        peers = [cloud._ref(peer, Vpc) for peer in dict.fromkeys(cloud.active_peers(vpc.id))]
        for one, other in combinations(peers, 2):
            overlap = next(((a, b) for a in one.cidr_blocks for b in other.cidr_blocks
                            if span(a)[0] <= span(b)[1] and span(b)[0] <= span(a)[1]), None)
            if overlap is not None:
                yield Finding("peered-vpcs-overlap", "warning", vpc.id,
                              message("lint.peered_vpcs_overlap", vpc=vpc.label, one=one.label, other=other.label,
                                      a=overlap[0], b=overlap[1]))


# --- the command -----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``vpclab lint``."""
    parser.add_argument("file", help=message("cli.help.aws_file"))
    parser.add_argument("--json", action="store_true", help=message("cli.help.json"))
    parser.add_argument("--lenient", action="store_true", help=message("cli.help.lenient"))


def run(args: argparse.Namespace) -> int:
    """``vpclab lint``: print the findings; exit 0 when there are none, 1 when there are
    (2, bad input, comes from the errors the loader raises)."""
    from vpclab.cloud import Cloud

    findings = lint(Cloud.from_aws(args.file, lenient=args.lenient))
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], indent=2))
    else:
        for finding in findings:
            print(finding._text_())
        errors = sum(1 for f in findings if f.severity == "error")
        print(message("lint.summary", errors=errors, warnings=len(findings) - errors) if findings
              else message("lint.clean"))
    return 1 if findings else 0
