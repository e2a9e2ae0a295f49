"""Security groups and network ACLs: how each decides about a packet (aws-vpc-facts.md §7, §8).

- A security group is stateful and allow-only: every rule of every group on an ENI is
  merged into one allow set; a rule may name a CIDR, another group (matching its members'
  private addresses) or a prefix list.
- A network ACL is stateless: rules 1–32766 are checked lowest first and the first match
  decides; the ``*`` rule (32767) denies whatever is left.

>>> from vpclab.resources import NaclEntry
>>> entries = (NaclEntry(100, False, "tcp", "allow", "0.0.0.0/0", 443, 443),)
>>> nacl_decision(entries, egress=False, protocol="tcp", port=443, remote="1.2.3.4").action
'allow'
>>> nacl_decision(entries, egress=False, protocol="tcp", port=22, remote="1.2.3.4").rule_label
'*'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from vpclab.cidr import in_cidr, parse
from vpclab.errors import Conflict, InvalidValue, LimitExceeded, NotFound
from vpclab.gateways import GatewayOperations
from vpclab.i18n import message
from vpclab.resources import (
    ALL,
    NACL_DEFAULT_RULE,
    NaclEntry,
    NetworkAcl,
    NetworkInterface,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
    evolve,
)
from vpclab.vpc import deny_all_entries

__all__ = [
    "FirewallOperations",
    "SgDecision",
    "nacl_decision",
    "normalize_protocol",
    "port_matches",
    "sg_decision",
]

_PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp",
              "-1": ALL, "all": ALL}
ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY = 8, 0


def normalize_protocol(protocol: object) -> str:
    """AWS's protocol names: tcp, udp, icmp, or "-1" for all (numbers are accepted too)."""
    key = str(protocol).strip().lower()
    if key in _PROTOCOLS:
        return _PROTOCOLS[key]
    if key.isdigit() and 0 <= int(key) <= 255:
        return key
    raise InvalidValue("InvalidParameterValue", message("firewall.bad_protocol", protocol=protocol),
                       fix=message("firewall.bad_protocol_fix"))


def port_matches(rule_protocol: str, from_port: int | None, to_port: int | None,
                 protocol: str, port: int | None) -> bool:
    """Does a rule of ``rule_protocol`` and port range match a packet? ("-1" ignores ports.)

    For ICMP the range holds the ICMP type (-1: every type) and ``port`` is the packet's type.
    """
    if rule_protocol == ALL:
        return True
    if rule_protocol != protocol:
        return False
    if from_port is None or port is None or (protocol == "icmp" and from_port == -1):
        return True
    if protocol == "icmp":
        return from_port == port
    high = from_port if to_port is None else to_port
    return from_port <= port <= high


@dataclass(frozen=True, slots=True)
class SgDecision:
    allowed: bool
    group_id: str | None  # the group whose rule allowed it
    rule: SgRule | None


def sg_decision(groups: Sequence[SecurityGroup], *, egress: bool, protocol: str, port: int | None,
                remote: str, members: Callable[[str], Iterable[str]],
                prefix_list: Callable[[str], Iterable[str]]) -> SgDecision:
    """Whether the merged rules of ``groups`` allow a packet to or from ``remote``."""
    for group in groups:
        for rule in group.egress if egress else group.ingress:
            if not port_matches(rule.protocol, rule.from_port, rule.to_port, protocol, port):
                continue
            if _peer_matches(rule.peer, remote, members, prefix_list):
                return SgDecision(True, group.id, rule)
    return SgDecision(False, None, None)


def _peer_matches(peer: str, remote: str, members: Callable[[str], Iterable[str]],
                  prefix_list: Callable[[str], Iterable[str]]) -> bool:
    if peer.startswith("sg-"):
        return remote in members(peer)
    if peer.startswith("pl-"):
        return any(in_cidr(remote, cidr) for cidr in prefix_list(peer))
    return in_cidr(remote, peer)


_DEFAULT_DENY = {egress: NaclEntry(NACL_DEFAULT_RULE, egress, ALL, "deny", "0.0.0.0/0")
                 for egress in (False, True)}


def nacl_decision(entries: Iterable[NaclEntry], *, egress: bool, protocol: str, port: int | None,
                  remote: str) -> NaclEntry:
    """The entry that decides: the lowest-numbered match, else the ``*`` deny rule."""
    for entry in sorted(e for e in entries if e.egress == egress):
        if port_matches(entry.protocol, entry.from_port, entry.to_port, protocol, port) and \
                in_cidr(remote, entry.cidr):
            return entry
    return _DEFAULT_DENY[egress]


def _port_range(protocol: str, port: int | None, ports: tuple[int, int] | None, *,
                what: str) -> tuple[int | None, int | None]:
    """The (from, to) ports of a rule, checked: TCP and UDP need ports, -1 takes none."""
    if port is not None and ports is not None:
        raise InvalidValue("InvalidParameterCombination", message("firewall.port_and_ports"),
                           fix=message("firewall.port_and_ports_fix"))
    if protocol == ALL:
        return None, None
    if ports is not None and (not isinstance(ports, tuple | list) or len(ports) != 2):
        raise InvalidValue("InvalidParameterValue", message("firewall.bad_port_pair", ports=ports),
                           fix=message("firewall.bad_port_pair_fix"))
    low, high = (port, port) if port is not None else (tuple(ports) if ports is not None else (None, None))
    if protocol == "icmp":
        return (-1, -1) if low is None else (low, high)
    if low is None or high is None:
        if protocol in ("tcp", "udp"):
            raise InvalidValue("InvalidParameterValue", message("firewall.needs_ports", protocol=protocol,
                                                                what=what),
                               fix=message("firewall.needs_ports_fix"))
        return None, None
    for value in (low, high):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
            raise InvalidValue("InvalidParameterValue", message("firewall.bad_port", port=value),
                               fix=message("firewall.bad_port_fix"))
    if low > high:
        raise InvalidValue("InvalidParameterValue", message("firewall.reversed_ports", low=low, high=high),
                           fix=message("firewall.reversed_ports_fix", low=low, high=high))
    return low, high


class FirewallOperations(GatewayOperations):
    """Security groups and network ACLs."""

    # --- security groups -------------------------------------------------------------------
    def create_security_group(self, vpc: object, name: str, description: str = "") -> SecurityGroup:
        """A new group: no inbound rules, and one outbound rule that allows everything."""
        record = self._ref(vpc, Vpc)
        if not isinstance(name, str) or not name.strip() or name.startswith("sg-") or len(name) > 255:
            raise InvalidValue("InvalidParameterValue", message("firewall.bad_group_name", name=name),
                               fix=message("firewall.bad_group_name_fix"))
        if (record.id, name) in self._sg_by_name:
            raise Conflict("InvalidGroup.Duplicate", message("firewall.duplicate_group", name=name,
                                                             vpc=record.label),
                           fix=message("firewall.duplicate_group_fix"))
        if len(self._by_kind.get(SecurityGroup, {})) >= self.quotas.security_groups_per_region:
            raise LimitExceeded("SecurityGroupLimitExceeded",
                                message("firewall.group_limit", limit=self.quotas.security_groups_per_region),
                                fix=message("vpc.limit_fix"))
        return self._put(SecurityGroup(self._new_id("sg"), name, record.id, name, description,
                                       egress=(SgRule(ALL, None, None, "0.0.0.0/0"),)))

    def _sg_rule(self, group: SecurityGroup, protocol: object, port: int | None,
                 ports: tuple[int, int] | None, cidr: str | None, peer_group: object | None,
                 description: str) -> SgRule:
        proto = normalize_protocol(protocol)
        low, high = _port_range(proto, port, ports, what="security group rule")
        if (cidr is None) == (peer_group is None):
            raise InvalidValue("InvalidParameterCombination", message("firewall.one_peer"),
                               fix=message("firewall.one_peer_fix"))
        if cidr is not None:
            peer = cidr if str(cidr).startswith("pl-") else str(parse(cidr))
        else:
            other = self._ref(peer_group, SecurityGroup)
            if not self._group_reachable(group, other):
                raise InvalidValue("InvalidGroup.NotFound",
                                   message("firewall.group_other_vpc", group=other.label, vpc=group.vpc_id),
                                   fix=message("firewall.group_other_vpc_fix"))
            peer = other.id
        return SgRule(proto, low, high, peer, description)

    def _group_reachable(self, group: SecurityGroup, other: SecurityGroup) -> bool:
        """May ``group`` reference ``other``? Same VPC (peered VPCs come with peering)."""
        return other.vpc_id == group.vpc_id

    def _authorize(self, sg: object, egress: bool, protocol: object, port: int | None,
                   ports: tuple[int, int] | None, cidr: str | None, peer: object | None,
                   description: str) -> SecurityGroup:
        group = self._ref(sg, SecurityGroup)
        rule = self._sg_rule(group, protocol, port, ports, cidr, peer, description)
        rules = group.egress if egress else group.ingress
        if any(_same_permission(rule, r) for r in rules):
            raise Conflict("InvalidPermission.Duplicate",
                           message("firewall.duplicate_rule", rule=rule.describe(), group=group.label),
                           fix=message("firewall.duplicate_rule_fix"))
        if len(rules) >= self.quotas.security_group_rules_per_direction:
            raise LimitExceeded("RulesPerSecurityGroupLimitExceeded",
                                message("firewall.rule_limit", group=group.label,
                                        limit=self.quotas.security_group_rules_per_direction,
                                        direction="outbound" if egress else "inbound"),
                                fix=message("firewall.rule_limit_fix"))
        field = "egress" if egress else "ingress"
        return self._put(evolve(group, **{field: (*rules, rule)}))

    def _revoke(self, sg: object, egress: bool, protocol: object, port: int | None,
                ports: tuple[int, int] | None, cidr: str | None, peer: object | None) -> SecurityGroup:
        group = self._ref(sg, SecurityGroup)
        rule = self._sg_rule(group, protocol, port, ports, cidr, peer, "")
        rules = group.egress if egress else group.ingress
        kept = tuple(r for r in rules if not _same_permission(rule, r))
        if len(kept) == len(rules):
            raise NotFound("InvalidPermission.NotFound",
                           message("firewall.no_such_rule", rule=rule.describe(), group=group.label),
                           fix=message("firewall.no_such_rule_fix"))
        field = "egress" if egress else "ingress"
        return self._put(evolve(group, **{field: kept}))

    def authorize_security_group_ingress(self, sg: object, protocol: object, port: int | None = None, *,
                                         ports: tuple[int, int] | None = None, cidr: str | None = None,
                                         source_group: object | None = None,
                                         description: str = "") -> SecurityGroup:
        """Allow inbound traffic from a CIDR, a prefix list or the members of a group."""
        return self._authorize(sg, False, protocol, port, ports, cidr, source_group, description)

    def authorize_security_group_egress(self, sg: object, protocol: object, port: int | None = None, *,
                                        ports: tuple[int, int] | None = None, cidr: str | None = None,
                                        destination_group: object | None = None,
                                        description: str = "") -> SecurityGroup:
        return self._authorize(sg, True, protocol, port, ports, cidr, destination_group, description)

    def revoke_security_group_ingress(self, sg: object, protocol: object, port: int | None = None, *,
                                      ports: tuple[int, int] | None = None, cidr: str | None = None,
                                      source_group: object | None = None) -> SecurityGroup:
        return self._revoke(sg, False, protocol, port, ports, cidr, source_group)

    def revoke_security_group_egress(self, sg: object, protocol: object, port: int | None = None, *,
                                     ports: tuple[int, int] | None = None, cidr: str | None = None,
                                     destination_group: object | None = None) -> SecurityGroup:
        return self._revoke(sg, True, protocol, port, ports, cidr, destination_group)

    def delete_security_group(self, sg: object) -> None:
        group = self._ref(sg, SecurityGroup)
        if group.group_name == "default":
            raise InvalidValue("CannotDelete", message("firewall.delete_default_group", group=group.label),
                               fix=message("firewall.delete_default_group_fix"))
        users = sorted(e.id for e in self._all(NetworkInterface) if group.id in e.security_group_ids)
        referrers = sorted(g.id for g in self._all(SecurityGroup) if g.id != group.id
                           and any(r.peer == group.id for r in (*g.ingress, *g.egress)))
        if users or referrers:
            raise Conflict("DependencyViolation", message("firewall.group_in_use", group=group.label,
                                                          users=", ".join(users + referrers)),
                           fix=message("firewall.group_in_use_fix"))
        self._sg_members.pop(group.id, None)
        self._drop(group)

    # --- network ACLs ----------------------------------------------------------------------
    def create_network_acl(self, vpc: object, name: str | None = None) -> NetworkAcl:
        """A new custom NACL: only the ``*`` rules, so it denies everything both ways."""
        record = self._ref(vpc, Vpc)
        if sum(1 for a in self._all(NetworkAcl) if a.vpc_id == record.id) >= self.quotas.network_acls_per_vpc:
            raise LimitExceeded("NetworkAclLimitExceeded",
                                message("firewall.acl_limit", limit=self.quotas.network_acls_per_vpc),
                                fix=message("vpc.limit_fix"))
        return self._put(NetworkAcl(self._new_id("acl"), name, record.id, deny_all_entries()))

    def network_acl_for(self, subnet: object) -> NetworkAcl:
        """The NACL a subnet uses: its association, else the VPC's default NACL."""
        record = self._ref(subnet, Subnet)
        acl_id = self._subnet_acls.get(record.id) or self._ref(record.vpc_id, Vpc).default_network_acl_id
        return self._ref(acl_id, NetworkAcl)

    def _nacl_entry(self, acl: NetworkAcl, rule_number: int, protocol: object, action: str, cidr: str,
                    egress: bool, port: int | None, ports: tuple[int, int] | None) -> NaclEntry:
        if isinstance(rule_number, bool) or not isinstance(rule_number, int) or not 1 <= rule_number <= 32766:
            raise InvalidValue("InvalidParameterValue", message("firewall.bad_rule_number", number=rule_number),
                               fix=message("firewall.bad_rule_number_fix"))
        if action not in ("allow", "deny"):
            raise InvalidValue("InvalidParameterValue", message("firewall.bad_action", action=action),
                               fix=message("firewall.bad_action_fix"))
        proto = normalize_protocol(protocol)
        low, high = _port_range(proto, port, ports, what="network ACL rule")
        return NaclEntry(rule_number, bool(egress), proto, action, str(parse(cidr)), low, high)

    def create_network_acl_entry(self, acl: object, rule_number: int, protocol: object, action: str,
                                 cidr: str, *, egress: bool = False, port: int | None = None,
                                 ports: tuple[int, int] | None = None) -> NetworkAcl:
        """Add a numbered rule; lower numbers are checked first and the first match decides."""
        record = self._ref(acl, NetworkAcl)
        entry = self._nacl_entry(record, rule_number, protocol, action, cidr, egress, port, ports)
        same_way = [e for e in record.entries if e.egress == entry.egress]
        if any(e.rule_number == entry.rule_number for e in same_way):
            raise Conflict("NetworkAclEntryAlreadyExists",
                           message("firewall.entry_exists", number=rule_number, acl=record.label,
                                   direction="outbound" if egress else "inbound"),
                           fix=message("firewall.entry_exists_fix"))
        if len(same_way) >= self.quotas.network_acl_rules_per_direction:
            raise LimitExceeded("NetworkAclEntryLimitExceeded",
                                message("firewall.entry_limit", acl=record.label,
                                        limit=self.quotas.network_acl_rules_per_direction),
                                fix=message("firewall.entry_limit_fix"))
        return self._put(evolve(record, entries=tuple(sorted((*record.entries, entry)))))

    def replace_network_acl_entry(self, acl: object, rule_number: int, protocol: object, action: str,
                                  cidr: str, *, egress: bool = False, port: int | None = None,
                                  ports: tuple[int, int] | None = None) -> NetworkAcl:
        record = self._ref(acl, NetworkAcl)
        entry = self._nacl_entry(record, rule_number, protocol, action, cidr, egress, port, ports)
        kept = self._without_entry(record, rule_number, egress)
        return self._put(evolve(record, entries=tuple(sorted((*kept, entry)))))

    def delete_network_acl_entry(self, acl: object, rule_number: int, *, egress: bool = False) -> NetworkAcl:
        record = self._ref(acl, NetworkAcl)
        return self._put(evolve(record, entries=self._without_entry(record, rule_number, egress)))

    def _without_entry(self, record: NetworkAcl, rule_number: int, egress: bool) -> tuple[NaclEntry, ...]:
        if rule_number == NACL_DEFAULT_RULE:
            raise InvalidValue("InvalidParameterValue", message("firewall.default_rule_fixed"),
                               fix=message("firewall.default_rule_fixed_fix"))
        kept = tuple(e for e in record.entries if (e.rule_number, e.egress) != (rule_number, bool(egress)))
        if len(kept) == len(record.entries):
            raise NotFound("InvalidNetworkAclEntry.NotFound",
                           message("firewall.no_entry", number=rule_number, acl=record.label,
                                   direction="outbound" if egress else "inbound"),
                           fix=message("firewall.no_entry_fix"))
        return kept

    def replace_network_acl_association(self, subnet: object, acl: object) -> NetworkAcl:
        """Use ``acl`` for ``subnet`` (a subnet has exactly one NACL; this replaces it)."""
        record = self._ref(subnet, Subnet)
        new = self._ref(acl, NetworkAcl)
        self._require_same_vpc(new, record.vpc_id, record)
        old = self.network_acl_for(record)
        if old.id != new.id:
            self._without_association(old, record.id)
        self._subnet_acls[record.id] = new.id
        new = self._ref(new.id, NetworkAcl)
        if record.id not in new.associations:
            new = self._put(evolve(new, associations=(*new.associations, record.id)))
        return new

    def delete_network_acl(self, acl: object) -> None:
        record = self._ref(acl, NetworkAcl)
        if record.is_default:
            raise InvalidValue("InvalidParameterValue", message("firewall.delete_default_acl", acl=record.label),
                               fix=message("firewall.delete_default_acl_fix"))
        users = sorted(s for s, a in self._subnet_acls.items() if a == record.id)
        if users:
            raise Conflict("DependencyViolation", message("firewall.acl_in_use", acl=record.label,
                                                          users=", ".join(users)),
                           fix=message("firewall.acl_in_use_fix"))
        self._drop(record)


def _same_permission(a: SgRule, b: SgRule) -> bool:
    return (a.protocol, a.from_port, a.to_port, a.peer) == (b.protocol, b.from_port, b.to_port, b.peer)
