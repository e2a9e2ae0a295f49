"""The storage under a Cloud: resources by id, names, seeded ids, and looking things up.

Operations live in the concept modules (vpc, dhcp, routing, gateways, firewall); they all
work on this one store.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any, TypeVar

from vpclab.errors import InvalidValue, NotFound
from vpclab.i18n import message
from vpclab.quotas import Quotas
from vpclab.resources import NetworkInterface, Resource, SecurityGroup

__all__ = ["World"]

R = TypeVar("R", bound=Resource)  # any resource record type

_KIND_NAMES = {
    "Vpc": "VPC", "Subnet": "subnet", "RouteTable": "route table", "InternetGateway": "internet gateway",
    "NatGateway": "NAT gateway", "SecurityGroup": "security group", "NetworkAcl": "network ACL",
    "NetworkInterface": "network interface", "Instance": "instance", "ElasticIp": "Elastic IP",
    "DhcpOptions": "DHCP options set",
}
_NOT_FOUND_CODES = {
    "Vpc": "InvalidVpcID.NotFound", "Subnet": "InvalidSubnetID.NotFound",
    "RouteTable": "InvalidRouteTableID.NotFound", "InternetGateway": "InvalidInternetGatewayID.NotFound",
    "NatGateway": "NatGatewayNotFound", "SecurityGroup": "InvalidGroup.NotFound",
    "NetworkAcl": "InvalidNetworkAclID.NotFound", "NetworkInterface": "InvalidNetworkInterfaceID.NotFound",
    "Instance": "InvalidInstanceID.NotFound", "ElasticIp": "InvalidAllocationID.NotFound",
    "DhcpOptions": "InvalidDhcpOptionID.NotFound",
}


def kind_name(kind: type[Any] | str) -> str:
    """How a learner calls a resource type ("route table")."""
    key = kind if isinstance(kind, str) else kind.__name__
    return _KIND_NAMES.get(key, key)


class World:
    """Resources by id, with seeded randomness for ids and addresses."""

    def __init__(self, *, region: str, azs: tuple[str, ...], seed: int | None,
                 quotas: Quotas | None, address_mode: str) -> None:
        from vpclab.dhcp import AddressPool  # the indexes below are kept by the operations
        from vpclab.nat import NatTable

        self.address_mode = address_mode
        self._pools: dict[str, AddressPool] = {}  # subnet id -> its free addresses
        self._eni_by_ip: dict[str, str] = {}  # private IPv4 -> ENI id
        self._public_ips: set[str] = set()  # public IPv4s handed out (auto-assigned and EIPs)
        self._sg_members: dict[str, set[str]] = {}  # sg id -> private IPs of its members
        self._subnet_tables: dict[str, str] = {}  # subnet id -> explicitly associated route table
        self._subnet_acls: dict[str, str] = {}  # subnet id -> explicitly associated network ACL
        self._prefix_lists: dict[str, tuple[str, ...]] = {}  # pl id -> CIDRs
        self._nat_tables: dict[str, NatTable] = {}  # NAT gateway id -> its translations
        self.region = region
        self.azs = azs
        self.quotas = quotas or Quotas()
        self.seed = seed
        self._rng = random.Random(seed)
        self._items: dict[str, Resource] = {}
        self._by_name: defaultdict[str, set[str]] = defaultdict(set)
        self._by_kind: dict[type[Resource], dict[str, Resource]] = {}
        self._eni_by_public_ip: dict[str, str] = {}  # public IPv4 (auto or EIP) -> ENI id
        self._sg_by_name: dict[tuple[str, str], str] = {}  # (vpc id, group name) -> sg id

    # --- storing -------------------------------------------------------------------------
    def _new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self._rng.getrandbits(68):017x}"
            if candidate not in self._items:
                return candidate

    def _put(self, item: R) -> R:
        old = self._items.get(item.id)
        if old is not None:
            self._unindex(old)
        self._items[item.id] = item
        self._by_kind.setdefault(type(item), {})[item.id] = item
        if item.name:
            self._by_name[item.name].add(item.id)
        if isinstance(item, NetworkInterface) and item.public_ip:
            self._eni_by_public_ip[item.public_ip] = item.id
        if isinstance(item, SecurityGroup):
            self._sg_by_name[(item.vpc_id, item.group_name)] = item.id
        return item

    def _drop(self, item: Resource) -> None:
        if self._items.pop(item.id, None) is not None:
            self._unindex(self._by_kind[type(item)].pop(item.id))

    def _unindex(self, item: Resource) -> None:
        if item.name:
            self._by_name[item.name].discard(item.id)
        if isinstance(item, NetworkInterface) and item.public_ip:
            self._eni_by_public_ip.pop(item.public_ip, None)
        if isinstance(item, SecurityGroup):
            self._sg_by_name.pop((item.vpc_id, item.group_name), None)

    def _all(self, kind: type[R]) -> list[R]:
        """Every resource of exactly this type, oldest first."""
        return list(self._by_kind.get(kind, {}).values())  # type: ignore[arg-type]

    # --- looking up ----------------------------------------------------------------------
    def get(self, ref: object) -> Resource:
        """The current record of a resource, by record, id or Name tag."""
        return self._ref(ref, Resource)

    def _ref(self, ref: object, kind: type[R]) -> R:
        """Resolve a record, an id or a Name tag to the current record of type ``kind``."""
        if isinstance(ref, Resource):
            ref = ref.id
        if not isinstance(ref, str):
            raise InvalidValue("InvalidParameterValue",
                               message("world.bad_reference", value=repr(ref), kind=kind_name(kind)),
                               fix=message("world.bad_reference_fix", kind=kind_name(kind)))
        item = self._items.get(ref)
        if item is None:
            matches = [self._items[i] for i in sorted(self._by_name.get(ref, ()))
                       if isinstance(self._items[i], kind)]
            if len(matches) == 1:
                item = matches[0]
            elif len(matches) > 1:
                raise NotFound(_NOT_FOUND_CODES.get(kind.__name__, "InvalidID.NotFound"),
                               message("world.ambiguous", ref=ref, kind=kind_name(kind)),
                               fix=message("world.ambiguous_fix", ids=", ".join(m.id for m in matches)))
        if item is None or not isinstance(item, kind):
            known = sorted(i.name or i.id for i in self._items.values() if isinstance(i, kind))
            shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
            raise NotFound(_NOT_FOUND_CODES.get(kind.__name__, "InvalidID.NotFound"),
                           message("world.not_found", ref=ref, kind=kind_name(kind)),
                           fix=message("world.not_found_fix", known=shown or message("world.none_yet")))
        return item
