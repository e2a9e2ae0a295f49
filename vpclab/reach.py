"""Who can reach a destination: every instance and network interface, and what stops the others.

``reach(cloud, destination, protocol, port)`` answers, for every source interface of a Cloud,
whether it can open a connection to ``destination`` (as :meth:`Cloud.trace` decides it,
DESIGN.md §3) and, where it cannot, the first thing that stops it. ``vpclab reach FILE --to
DST --port N`` does the same for an AWS describe file.

Sources are the network interfaces of type ``interface`` (instances' and standalone ones:
ELB, Lambda, …); the interfaces of NAT gateways, VPC endpoints and transit gateway
attachments only carry others' traffic. The interface that holds the destination address is
not a source of itself.

**One trace per group, not per source.** Interfaces that AWS treats alike get one verdict:
they are grouped and one representative of each group is traced. Two interfaces are in one
group when they share

- the subnet (so the VPC, route table, network ACL and Availability Zone),
- the set of security groups (so the outbound rules, and membership wherever another group
  names theirs),
- source/destination check, interface type, NAT-instance role, and whether there is a public
  IPv4 address (the internet gateway's 1:1 NAT needs one);
- and the same *address signature*. Their addresses differ, and a rule may name one of them:
  a ``/32`` in a security group, a NACL entry for half the subnet, a route to a ``/26``
  across a peering connection (on the way back). So every CIDR the Cloud holds is gathered
  (rules, NACL entries, routes, TGW routes, prefix lists, VPN and Direct Connect prefixes, VPC
  and subnet blocks: any field of any record that parses as a CIDR), and the signature of an
  address is the set of those CIDRs that lie inside its subnet and contain it. A CIDR either
  contains the whole subnet, lies outside it, or lies inside it, so two addresses with the same
  signature are matched by exactly the same CIDRs. A public address gets its signature
  against every gathered CIDR (a destination reached through the internet sees it).

An interface that a route names as its target (an appliance) is a group of its own: packets
addressed to others pass through it. So is one whose address another interface also holds
(VPCs with overlapping blocks), as the tracer finds interfaces by address. Security group
membership is taken from the addresses a rule that names a group matches, not only from the
interface's own list. The one thing a trace decides by something other than
addresses and rules is the port a NAT gateway (or NAT instance) picks, which is derived
from the source address; it matters only where a network ACL on the reply's way has a port
range that cuts through the NAT ports 1024–65535. When the representative's reply crossed
such an ACL after a NAT translated its port, every member of the group is traced on its own
(counted in ``traced_individually``).

Messages of a shared verdict are the representative's (they may quote its address), and
each result names the representative (``traced_as``), so ``vpclab trace`` can replay it.

``ReachReport.to_dict()`` (and ``vpclab reach --json``) has this shape::

    {"destination": "i-0db…", "protocol": "tcp", "port": 5432, "all_reachable": false,
     "reachable_count": 1, "source_count": 3,
     "sources": [{"source": "eni-…", "instance": "i-…", "name": "app", "address": "10.0.2.7",
                  "reachable": true, "code": null, "component": null, "direction": null,
                  "rule": null, "group": 0, "traced_as": "eni-…"}, …],
     "blockers": [{"code": "ENI_SG_RULES_MISMATCH", "component": "sg-…", "direction": "forward",
                   "rule": null, "sources": 2, "message": "…"}],
     "grouping": {"sources": 3, "groups": 3, "traces": 3, "address_splits": 0,
                  "route_targets": 0, "traced_individually": 0}}

``vpclab reach`` exits 0 when every source can reach the destination (also when there is no
source at all), 1 when some cannot, 2 on bad input (an unreadable file, a destination that
matches nothing, a bad protocol or port).
"""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vpclab.cidr import is_address
from vpclab.display import Displayable
from vpclab.errors import InvalidValue
from vpclab.firewall import normalize_protocol
from vpclab.i18n import message
from vpclab.nat import NAT_PORTS
from vpclab.resources import (
    ALL,
    DhcpOptions,
    ElasticIp,
    Instance,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    Subnet,
)
from vpclab.trace import Trace

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["ReachReport", "SourceReach", "add_arguments", "reach", "run"]

SOURCE_TYPES = ("interface",)
# Ranges the tracer matches addresses against that are not in any record (trace._NOT_PUBLIC).
_BUILT_IN_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
_MASKS = tuple((0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF for length in range(33))
# Records that hold addresses of their own but no CIDR that a rule or route matches on.
_NO_CIDRS = (NetworkInterface, Instance, ElasticIp, DhcpOptions)


@dataclass(frozen=True, slots=True)
class SourceReach:
    """The verdict for one source interface."""

    source: str  # the network interface id
    instance: str | None
    name: str | None
    address: str
    reachable: bool
    code: str | None  # the first explanation (None when reachable)
    component: str | None
    direction: str | None
    rule: int | None
    group: int  # index of the group whose trace decided
    traced_as: str  # the interface actually traced (this one, or its group's representative)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "instance": self.instance, "name": self.name, "address": self.address,
                "reachable": self.reachable, "code": self.code, "component": self.component,
                "direction": self.direction, "rule": self.rule, "group": self.group, "traced_as": self.traced_as}


@dataclass(frozen=True, slots=True)
class Grouping:
    """How many traces answered how many sources, and why groups were split."""

    sources: int
    groups: int
    traces: int
    address_splits: int  # extra groups because a CIDR of the Cloud cuts through a subnet
    route_targets: int  # extra groups because a route names the interface as its target
    traced_individually: int  # members traced on their own because of NAT-port-sensitive ACLs

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Blocker:
    """One thing that stops some sources, with the message of the first trace that met it."""

    code: str
    component: str | None
    direction: str
    rule: int | None
    sources: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class ReachReport(Displayable):
    """Which sources can reach ``destination``, and what stops the others."""

    destination: str  # resolved: a resource id, or the address
    protocol: str
    port: int | None
    results: tuple[SourceReach, ...]
    blockers: tuple[Blocker, ...]
    grouping: Grouping

    @property
    def reachable(self) -> tuple[SourceReach, ...]:
        return tuple(r for r in self.results if r.reachable)

    @property
    def unreachable(self) -> tuple[SourceReach, ...]:
        return tuple(r for r in self.results if not r.reachable)

    @property
    def all_reachable(self) -> bool:
        """True when every source can reach the destination (also when there is none)."""
        return all(r.reachable for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        """The ``vpclab reach --json`` shape (see the module docstring)."""
        return {"destination": self.destination, "protocol": self.protocol, "port": self.port,
                "all_reachable": self.all_reachable, "reachable_count": len(self.reachable),
                "source_count": len(self.results), "sources": [r.to_dict() for r in self.results],
                "blockers": [b.to_dict() for b in self.blockers], "grouping": self.grouping.to_dict()}

    def _text_(self) -> str:
        what = self.protocol.upper() if self.port is None else f"{self.protocol.upper()} {self.port}"
        if not self.results:
            return message("reach.no_sources", destination=self.destination, what=what)
        lines = [message("reach.summary", reachable=len(self.reachable), total=len(self.results),
                         destination=self.destination, what=what)]
        if self.reachable:
            lines.append(message("reach.can_reach", count=len(self.reachable)))
            lines += [_row(r) for r in self.reachable]
        for blocker in self.blockers:
            where = blocker.component or "-"
            rule = "" if blocker.rule is None else message("reach.rule", rule=blocker.rule)
            lines.append(message("reach.blocked_by", code=blocker.code, component=where, direction=blocker.direction,
                                 rule=rule, count=blocker.sources))
            lines.append(f"    {blocker.message}")
            lines += [_row(r) for r in self.unreachable if _blocker_key(r) == _blocker_key(blocker)]
        g = self.grouping
        lines.append(message("reach.grouping", sources=g.sources, groups=g.groups, traces=g.traces,
                             address_splits=g.address_splits, route_targets=g.route_targets,
                             individually=g.traced_individually))
        return "\n".join(lines)


def _row(result: SourceReach) -> str:
    return f"  {result.source:<24} {result.instance or '':<21} {result.address:<15} {result.name or ''}".rstrip()


def _blocker_key(item: SourceReach | Blocker) -> tuple[Any, ...]:
    return item.code, item.component, item.direction, item.rule


# --- the address signature ------------------------------------------------------------------
class _Boundaries:
    """Every CIDR the Cloud matches addresses against, as (network, prefix length) pairs."""

    def __init__(self, texts: Iterable[str]) -> None:
        networks: set[tuple[int, int]] = set()
        for text in set(texts):
            try:
                network = ipaddress.IPv4Network(text.strip(), strict=False)
            except ValueError:  # a description or policy with a slash in it: not a CIDR
                continue
            networks.add((int(network.network_address), network.prefixlen))
        self.networks = networks
        self.lengths = tuple(sorted({length for _, length in networks}))

    def signature(self, address: int, longer_than: int) -> tuple[tuple[int, int], ...]:
        """The gathered CIDRs longer than ``/longer_than`` that contain ``address``."""
        found = []
        for length in self.lengths:
            if length > longer_than:
                key = (address & _MASKS[length], length)
                if key in self.networks:
                    found.append(key)
        return tuple(found)


_FIELDS: dict[type[Any], tuple[str, ...]] = {}  # per record type: its field names (empty: not a record)


def _texts(value: object) -> Iterator[str]:
    """Every string with a slash in a record, its tuples and the records nested in them."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "/" in item:
                yield item
        elif isinstance(item, tuple | list | set | frozenset):
            stack.extend(item)
        else:
            kind = type(item)
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(item)) \
                    if dataclasses.is_dataclass(item) and not isinstance(item, type) else ()
            stack.extend(getattr(item, name) for name in names)


def _gathered_cidrs(cloud: Cloud) -> Iterator[str]:
    for item in cloud._items.values():
        if not isinstance(item, _NO_CIDRS):
            yield from _texts(item)
    for cidrs in cloud._prefix_lists.values():
        yield from cidrs
    yield from _BUILT_IN_RANGES


def _route_targets(cloud: Cloud) -> set[str]:
    """Interfaces that a route sends packets to (instances named by their interface)."""
    targets = set()
    for table in cloud._all(RouteTable):
        for route in table.routes:
            target = cloud._items.get(route.target)
            if isinstance(target, NetworkInterface):
                targets.add(target.id)
            elif isinstance(target, Instance):
                targets.add(target.eni_id)
    return targets


# --- reach ----------------------------------------------------------------------------------------
def reach(cloud: Cloud, destination: object, protocol: str = "tcp", port: int | None = 443) -> ReachReport:
    """Can each source interface of ``cloud`` open a connection to ``destination``?

    ``destination`` is what :meth:`Cloud.trace` takes: an id, a Name tag or an IP address.

    >>> from vpclab import Cloud
    >>> cloud = Cloud(seed=1)
    >>> vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    >>> subnet = cloud.create_subnet(vpc, "10.0.1.0/24", name="app")
    >>> db = cloud.create_security_group(vpc, "db")
    >>> _ = cloud.allow(db, 5432, source="10.0.1.0/25")
    >>> target = cloud.launch(subnet, "db", db)
    >>> apps = [cloud.launch(subnet, f"app{n}") for n in range(4)]
    >>> report = reach(cloud, "db", "tcp", 5432)
    >>> len(report.results) == 4, report.grouping.traces <= 2
    (True, True)
    """
    proto = normalize_protocol(protocol)
    if proto not in ("tcp", "udp", "icmp", ALL):
        raise InvalidValue("InvalidParameterValue", message("trace.bad_protocol", protocol=protocol),
                           fix=message("trace.bad_protocol_fix"))
    if proto in ("tcp", "udp") and port is None:
        raise InvalidValue("MissingParameter", message("reach.no_port", protocol=proto.upper()),
                           fix=message("reach.no_port_fix"))
    reference, excluded = _destination(cloud, destination)
    sources = [e for e in cloud._all(NetworkInterface) if e.interface_type in SOURCE_TYPES
               and not excluded.intersection((e.id, e.private_ip, e.public_ip))]
    groups = _group(cloud, sources)
    results: dict[str, SourceReach] = {}
    first_message: dict[tuple[Any, ...], str] = {}
    traces = individually = 0
    shown_destination, shown_protocol = reference, "all" if proto == ALL else proto
    shown_port = port if proto in ("tcp", "udp") else None
    for number, members in enumerate(groups.members):
        representative = members[0]
        trace = cloud.trace(representative.id, reference, protocol, port)
        traces += 1
        shown_destination, shown_protocol, shown_port = trace.destination, trace.protocol, trace.port
        verdicts = {representative.id: trace}
        if len(members) > 1 and _nat_port_sensitive(cloud, trace):
            for member in members[1:]:
                verdicts[member.id] = cloud.trace(member.id, reference, protocol, port)
            traces += len(members) - 1
            individually += len(members) - 1
        for member in members:
            own = verdicts.get(member.id)
            decided = own or trace
            results[member.id] = _result(cloud, member, decided, representative if own is None else member, number)
            if decided.blocker is not None:
                first_message.setdefault(_blocker_key(results[member.id]), decided.blocker.message)
    ordered = tuple(results[e.id] for e in sources)
    counts: dict[tuple[Any, ...], int] = {}
    for result in ordered:
        if not result.reachable:
            counts[_blocker_key(result)] = counts.get(_blocker_key(result), 0) + 1
    blockers = tuple(Blocker(key[0], key[1], key[2], key[3], count, first_message[key])
                     for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    grouping = Grouping(len(sources), len(groups.members), traces, groups.address_splits, groups.route_targets,
                        individually)
    return ReachReport(shown_destination, shown_protocol, shown_port, ordered, blockers, grouping)


def _destination(cloud: Cloud, destination: object) -> tuple[str, set[str]]:
    """The destination resolved (a resource id, or the address), and the interface id and
    addresses it stands for: an interface holding them is not a source of itself."""
    if isinstance(destination, str) and is_address(destination):
        address = destination.strip()
        return address, {address}
    target = cloud._endpoint_eni(destination)  # a NotFound listing the candidates when nothing matches
    named = cloud._endpoint(destination)
    return named.id, {a for a in (target.id, target.private_ip, target.public_ip) if a}


@dataclass
class _Groups:
    members: list[list[NetworkInterface]]
    address_splits: int
    route_targets: int


def _group(cloud: Cloud, sources: list[NetworkInterface]) -> _Groups:
    boundaries = _Boundaries(_gathered_cidrs(cloud))
    appliances = _route_targets(cloud)
    member_of: dict[str, set[str]] = {}  # private IP -> groups whose members hold it (rules naming a group)
    for group_id, addresses in cloud._sg_members.items():
        for address in addresses:
            member_of.setdefault(address, set()).add(group_id)
    prefixes: dict[str, int] = {}
    by_key: dict[tuple[Any, ...], list[NetworkInterface]] = {}
    plain: set[tuple[Any, ...]] = set()
    signed: set[tuple[Any, ...]] = set()
    for eni in sources:
        prefix = prefixes.get(eni.subnet_id)
        if prefix is None:
            prefix = prefixes[eni.subnet_id] = ipaddress.IPv4Network(cloud._ref(eni.subnet_id, Subnet).cidr).prefixlen
        base = (eni.subnet_id, tuple(sorted(eni.security_group_ids)), eni.source_dest_check, eni.public_ip is not None,
                eni.interface_type, eni.nat_instance, tuple(sorted(member_of.get(eni.private_ip, ()))))
        private = boundaries.signature(int(ipaddress.IPv4Address(eni.private_ip)), prefix)
        public = boundaries.signature(int(ipaddress.IPv4Address(eni.public_ip)), -1) if eni.public_ip else ()
        # an address another interface holds too (VPCs that overlap) is looked up as that one's
        alone = eni.id if eni.id in appliances or cloud._eni_by_ip.get(eni.private_ip) != eni.id or \
            (eni.public_ip and cloud._eni_by_public_ip.get(eni.public_ip) != eni.id) else None
        plain.add(base)
        signed.add((base, private, public))
        by_key.setdefault((base, private, public, alone), []).append(eni)
    members = list(by_key.values())
    return _Groups(members, len(signed) - len(plain), len(members) - len(signed))


def _nat_port_sensitive(cloud: Cloud, trace: Trace) -> bool:
    """Whether a NAT translated the source port and the reply then crossed a network ACL whose
    decision can depend on that port (a range cutting through 1024–65535)."""
    translated = any(h.translated is not None and _port(h.translated["from"]) != _port(h.translated["to"])
                     for h in trace.forward)
    if not translated:
        return False
    acls = {h.component for h in trace.return_ if h.type == "network-acl"}
    for acl_id in acls:
        acl = cloud._items.get(acl_id)
        if not isinstance(acl, NetworkAcl):
            return True  # cannot tell: be safe
        for entry in acl.entries:
            if entry.protocol in ("tcp", "udp") and entry.from_port is not None:
                low, high = entry.from_port, entry.to_port if entry.to_port is not None else entry.from_port
                if low <= NAT_PORTS[1] and high >= NAT_PORTS[0] and not (low <= NAT_PORTS[0] and high >= NAT_PORTS[1]):
                    return True
    return False


def _port(endpoint: str) -> str:
    return endpoint.rpartition(":")[2] if ":" in endpoint else ""


def _result(cloud: Cloud, member: NetworkInterface, trace: Trace, traced: NetworkInterface, group: int) -> SourceReach:
    blocker = trace.blocker
    component = None if blocker is None else blocker.component
    # the source's own groups, when they block its egress, are named in its own order
    egress_denied = bool(trace.forward) and trace.forward[0].type == "security-group" and \
        trace.forward[0].action == "deny"
    if egress_denied and traced.id != member.id and component == ",".join(traced.security_group_ids):
        component = ",".join(member.security_group_ids)
    instance = cloud._items.get(member.instance_id or "")
    name = member.name or (instance.name if isinstance(instance, Instance) else None)
    return SourceReach(member.id, member.instance_id, name, member.private_ip, trace.reachable,
                       None if blocker is None else blocker.code, component,
                       None if blocker is None else blocker.direction, None if blocker is None else blocker.rule,
                       group, traced.id)


# --- the command --------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``vpclab reach FILE --to DST --port N [--protocol P] [--json] [--lenient]``.

    Exit status: 0 when every source can reach the destination (or there is no source), 1 when
    some cannot, 2 on bad input."""
    parser.add_argument("file", help=message("reach.help.file"))
    parser.add_argument("--to", dest="destination", required=True, help=message("reach.help.to"))
    parser.add_argument("--port", type=int, default=None, help=message("reach.help.port"))
    parser.add_argument("--protocol", default="tcp", choices=["tcp", "udp", "icmp", "all"],
                        help=message("reach.help.protocol"))
    parser.add_argument("--json", action="store_true", help=message("reach.help.json"))
    parser.add_argument("--lenient", action="store_true", help=message("reach.help.lenient"))


def run(args: argparse.Namespace) -> int:
    """Run ``vpclab reach``: 0 when every source can reach, 1 when some cannot (2, bad input,
    is raised as a VpcLabError for the CLI to report)."""
    from vpclab.cloud import Cloud

    cloud = Cloud.from_aws(args.file, lenient=args.lenient)
    report = reach(cloud, args.destination, args.protocol, args.port)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report._text_())
    return 0 if report.all_reachable else 1
