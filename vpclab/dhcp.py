"""Addresses: DHCP-style assignment of private IPv4 addresses, public IPv4 addresses and
Elastic IPs, network interfaces and instances, and DHCP options sets (aws-vpc-facts.md §3).

AWS does not document the order in which it picks a free private address (only that a NAT
gateway's is random), so the default is *random among the free addresses*, from the
Cloud's seed. ``Cloud(address_mode="lowest")`` hands out the lowest free address instead:
a simplification for lessons, and labelled as one.
"""

from __future__ import annotations

import html
import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from vpclab.cidr import Cidr, parse
from vpclab.display import Displayable, html_table
from vpclab.errors import Conflict, InvalidValue, LimitExceeded
from vpclab.i18n import message
from vpclab.resources import (
    DhcpOptions,
    ElasticIp,
    Instance,
    NetworkInterface,
    SecurityGroup,
    Subnet,
    Vpc,
    evolve,
)
from vpclab.vpc import VpcOperations

__all__ = ["AddressMap", "AddressPool", "AddressingOperations", "DhcpSettings"]

ADDRESS_MODES = ("random", "lowest")
AMAZON_PROVIDED_DNS = "AmazonProvidedDNS"
RESOLVER_LINK_LOCAL = "169.254.169.253"
# A stand-in for Amazon's public IPv4 pool: addresses come from here, never from the account.
PUBLIC_POOL = tuple(ipaddress.IPv4Network(n) for n in ("3.34.0.0/15", "13.124.0.0/16", "54.180.0.0/15"))


class AddressPool:
    """The free addresses of one subnet (the five reserved ones are never free)."""

    def __init__(self, cidr: str) -> None:
        block = parse(cidr)
        self.first = int(block.network.network_address) + 4
        self.last = int(block.network.broadcast_address) - 1
        self.used: set[int] = set()

    @property
    def size(self) -> int:
        return max(0, self.last - self.first + 1)

    @property
    def free(self) -> int:
        return self.size - len(self.used)

    def contains(self, address: int) -> bool:
        return self.first <= address <= self.last

    def take(self, rng_value: float | None) -> int:
        """A free address: lowest when ``rng_value`` is None, else the first free one at or
        after a random point (``rng_value`` in [0, 1)) in the range, wrapping around."""
        if self.free <= 0:
            raise AssertionError("caller checks free first")  # pragma: no cover
        start = self.first if rng_value is None else self.first + int(rng_value * self.size)
        for offset in range(self.size):
            candidate = self.first + (start - self.first + offset) % self.size
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class DhcpSettings(Displayable):
    """What instances in a VPC learn from its DHCP server: the router of their subnet
    (base + 1), DNS servers, domain name and NTP servers."""

    routers: dict[str, str]  # subnet id -> its router address
    domain_name_servers: tuple[str, ...]
    domain_name: str | None
    ntp_servers: tuple[str, ...]
    options_id: str

    def _text_(self) -> str:
        routers = ", ".join(f"{s}: {r}" for s, r in self.routers.items()) or "—"
        return message("dhcp.settings", router=routers,
                       dns=", ".join(self.domain_name_servers) or message("dhcp.no_dns"),
                       domain=self.domain_name or "—", ntp=", ".join(self.ntp_servers) or "Amazon Time Sync",
                       options=self.options_id)


GRID_LIMIT = 256  # a subnet up to a /24 is drawn as a grid of every address
_LISTED_LIMIT = 64  # up to a /26 the text lists every address, free ones too
_GRID_STYLE = {"reserved": "background:#eaeef2;color:#57606a", "in-use": "background:#ddf4ff;font-weight:bold",
               "free": "background:#ffffff;color:#8c959f"}


@dataclass(frozen=True, slots=True)
class AddressMap(Displayable):
    """Every address of one subnet: reserved by AWS (and what for), in use (and by what),
    or free. ``cloud.address_map(subnet)`` builds it."""

    subnet: str  # the subnet's label
    cidr: str
    holders: dict[str, str]  # private IPv4 -> what holds it, lowest address first

    @property
    def block(self) -> Cidr:
        return parse(self.cidr)

    @property
    def in_use(self) -> int:
        return len(self.holders)

    @property
    def free(self) -> int:
        """How many more addresses the subnet can hand out."""
        return self.block.usable - self.in_use

    def slots(self) -> Iterator[tuple[str, str, str]]:
        """``(address, state, detail)`` for every address, lowest first: state ``reserved``
        (detail: its purpose), ``in-use`` (detail: the holder) or ``free``."""
        reserved = {r.address: r.purpose for r in self.block.reserved}
        for address in self.block.network:
            text = str(address)
            if text in reserved:
                yield text, "reserved", reserved[text]
            elif text in self.holders:
                yield text, "in-use", self.holders[text]
            else:
                yield text, "free", ""

    def _head(self) -> str:
        return message("dhcp.map.head", subnet=self.subnet, cidr=self.cidr, total=f"{self.block.total:,}",
                       reserved=len(self.block.reserved), in_use=f"{self.in_use:,}", free=f"{self.free:,}")

    def _text_(self) -> str:
        lines = [self._head()]
        listed = self.block.total <= _LISTED_LIMIT
        lines += [f"  {address:<15} {state:<8} {detail}".rstrip() for address, state, detail in self.slots()
                  if listed or state != "free"]
        if not listed and self.free:
            lines.append("  " + message("dhcp.map.free_not_listed", free=f"{self.free:,}"))
        return "\n".join(lines)

    def _html_(self) -> str:
        head = f"<div>{html.escape(self._head())}</div>"
        if self.block.total > GRID_LIMIT:
            taken = [(a, s, d) for a, s, d in self.slots() if s != "free"]
            return head + html_table(("address", "state", "detail"), taken)
        columns = min(16, self.block.total)
        cells = []
        for address, state, detail in self.slots():
            label = html.escape(detail or message("dhcp.map.free"))
            title = html.escape(f"{address} · {state}" + (f" · {detail}" if detail else ""))
            cells.append(f'<td class="vpclab-address {state}" title="{title}" style="{_GRID_STYLE[state]};'
                         f'border:1px solid #d0d7de;padding:2px 4px;text-align:center;font-size:11px">'
                         f".{address.rsplit('.', 1)[1]}<br><small>{label}</small></td>")
        grid = "".join(f"<tr>{''.join(cells[i:i + columns])}</tr>" for i in range(0, len(cells), columns))
        legend = f"<div><small>{html.escape(message('dhcp.map.legend'))}</small></div>"
        return f'{head}<table class="vpclab-address-grid" style="border-collapse:collapse">{grid}</table>{legend}'


def _holder(eni: NetworkInterface, instances: dict[str, Instance]) -> str:
    """What to call the thing that holds an address: the instance's name, or the interface's kind."""
    if eni.instance_id and eni.instance_id in instances:
        instance = instances[eni.instance_id]
        return instance.name or instance.id
    if eni.interface_type == "nat_gateway":
        return message("dhcp.map.nat_gateway")
    if eni.interface_type == "vpc_endpoint":
        return message("dhcp.map.endpoint")
    return eni.name or eni.id


class AddressingOperations(VpcOperations):
    """run_instances, network interfaces, Elastic IPs, DHCP options."""

    # --- private addresses ---------------------------------------------------------------
    def _pool(self, subnet: Subnet) -> AddressPool:
        pool = self._pools.get(subnet.id)
        if pool is None:
            pool = self._pools[subnet.id] = AddressPool(subnet.cidr)
        return pool

    def free_addresses(self, subnet: object) -> int:
        """How many more addresses the subnet can hand out."""
        return self._pool(self._ref(subnet, Subnet)).free

    def address_map(self, subnet: object) -> AddressMap:
        """Which addresses of the subnet are reserved, in use (by what) and free."""
        record = self._ref(subnet, Subnet)
        instances = {i.id: i for i in self._all(Instance)}
        enis = sorted((e for e in self._all(NetworkInterface) if e.subnet_id == record.id),
                      key=lambda e: int(ipaddress.IPv4Address(e.private_ip)))
        return AddressMap(record.label, record.cidr, {e.private_ip: _holder(e, instances) for e in enis})

    def _claim(self, subnet: Subnet, private_ip: str | None) -> str:
        pool = self._pool(subnet)
        if private_ip is None:
            value = pool.take(None if self.address_mode == "lowest" else self._rng.random())
            return str(ipaddress.IPv4Address(value))
        try:
            wanted = int(ipaddress.IPv4Address(str(private_ip).strip()))
        except ValueError:
            raise InvalidValue("InvalidParameterValue", message("address.malformed", text=private_ip),
                               fix=message("address.fix")) from None
        if not pool.contains(wanted):
            reason = "reserved" if parse(subnet.cidr).contains(str(private_ip)) else "outside"
            raise InvalidValue("InvalidParameterValue",
                               message(f"dhcp.ip_{reason}", ip=private_ip, subnet=subnet.label, cidr=subnet.cidr),
                               fix=message("dhcp.ip_fix", first=ipaddress.IPv4Address(pool.first),
                                           last=ipaddress.IPv4Address(pool.last)))
        if wanted in pool.used:
            raise Conflict("InvalidIPAddress.InUse",
                           message("dhcp.ip_in_use", ip=private_ip, holder=self._eni_by_ip.get(str(private_ip))),
                           fix=message("dhcp.ip_in_use_fix"))
        pool.used.add(wanted)
        return str(ipaddress.IPv4Address(wanted))

    def _release(self, eni: NetworkInterface) -> None:
        self._pool(self._ref(eni.subnet_id, Subnet)).used.discard(int(ipaddress.IPv4Address(eni.private_ip)))
        self._eni_by_ip.pop(eni.private_ip, None)
        if eni.public_ip and not eni.allocation_id:
            self._public_ips.discard(eni.public_ip)
        for sg in eni.security_group_ids:
            self._sg_members.get(sg, set()).discard(eni.private_ip)

    def _public_ip(self) -> str:
        while True:
            network = PUBLIC_POOL[self._rng.randrange(len(PUBLIC_POOL))]
            value = int(network.network_address) + self._rng.randrange(1, network.num_addresses - 1)
            candidate = str(ipaddress.IPv4Address(value))
            if candidate not in self._public_ips:
                self._public_ips.add(candidate)
                return candidate

    # --- network interfaces and instances ----------------------------------------------------
    def _groups(self, subnet: Subnet, groups: Sequence[object] | None) -> tuple[str, ...]:
        vpc = self._ref(subnet.vpc_id, Vpc)
        if not groups:
            return (vpc.default_security_group_id,)
        ids = tuple(dict.fromkeys(self._ref(g, SecurityGroup).id for g in groups))
        if len(ids) > self.quotas.security_groups_per_eni:
            raise LimitExceeded("SecurityGroupsPerInterfaceLimitExceeded",
                                message("dhcp.too_many_groups", count=len(ids),
                                        limit=self.quotas.security_groups_per_eni),
                                fix=message("dhcp.too_many_groups_fix"))
        for sg_id in ids:
            if self._ref(sg_id, SecurityGroup).vpc_id != vpc.id:
                raise InvalidValue("InvalidParameter", message("dhcp.group_other_vpc", sg=sg_id, vpc=vpc.label),
                                   fix=message("dhcp.group_other_vpc_fix"))
        return ids

    def _new_eni(self, subnet: Subnet, groups: tuple[str, ...], private_ip: str | None, *,
                 name: str | None = None, public: bool = False, instance_id: str | None = None,
                 interface_type: str = "interface", eni_id: str | None = None) -> NetworkInterface:
        address = self._claim(subnet, private_ip)
        eni = NetworkInterface(eni_id or self._new_id("eni"), name, subnet.id, subnet.vpc_id, address, groups,
                               public_ip=self._public_ip() if public else None, instance_id=instance_id,
                               interface_type=interface_type)
        self._index_eni(eni)
        return self._put(eni)

    def _index_eni(self, eni: NetworkInterface) -> None:
        self._eni_by_ip[eni.private_ip] = eni.id
        for sg in eni.security_group_ids:
            self._sg_members.setdefault(sg, set()).add(eni.private_ip)

    def create_network_interface(self, subnet: object, security_groups: Sequence[object] | None = None,
                                 private_ip: str | None = None, name: str | None = None) -> NetworkInterface:
        record = self._ref(subnet, Subnet)
        groups = self._groups(record, security_groups)
        if self._pool(record).free < 1:
            raise self._full(record, 1)
        return self._new_eni(record, groups, private_ip, name=name)

    def _full(self, subnet: Subnet, count: int) -> LimitExceeded:
        return LimitExceeded("InsufficientFreeAddressesInSubnet",
                             message("dhcp.full", subnet=subnet.label, cidr=subnet.cidr, count=count,
                                     free=self._pool(subnet).free),
                             fix=message("dhcp.full_fix"))

    def run_instances(self, subnet: object, count: int = 1, name: str | None = None,
                      security_groups: Sequence[object] | None = None, private_ip: str | None = None,
                      associate_public_ip: bool | None = None) -> tuple[Instance, ...]:
        """Launch ``count`` instances; all or nothing, like AWS with MinCount = MaxCount."""
        record = self._ref(subnet, Subnet)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InvalidValue("InvalidParameterValue", message("dhcp.bad_count", count=count),
                               fix=message("dhcp.bad_count_fix"))
        if private_ip is not None and count != 1:
            raise InvalidValue("InvalidParameterCombination", message("dhcp.one_ip_many"),
                               fix=message("dhcp.one_ip_many_fix"))
        groups = self._groups(record, security_groups)
        if self._pool(record).free < count:
            raise self._full(record, count)
        public = record.map_public_ip_on_launch if associate_public_ip is None else associate_public_ip
        launched = []
        for index in range(count):
            instance_id = self._new_id("i")
            label = name if count == 1 or name is None else f"{name}-{index + 1}"
            eni = self._new_eni(record, groups, private_ip, public=public, instance_id=instance_id)
            launched.append(self._put(Instance(instance_id, label, record.id, record.vpc_id, eni.id,
                                               eni.private_ip, eni.public_ip, groups)))
        return tuple(launched)

    def terminate_instances(self, *instances: object) -> None:
        """Terminate instances: their addresses go back to the subnet; an EIP stays allocated."""
        for ref in instances:
            instance = self._ref(ref, Instance)
            eni = self._ref(instance.eni_id, NetworkInterface)
            if eni.allocation_id:
                self._put(evolve(self._ref(eni.allocation_id, ElasticIp), network_interface_id=None))
            self._release(eni)
            self._drop(eni)
            self._drop(instance)

    def _eni_of(self, ref: object) -> NetworkInterface:
        item = self.get(ref)
        if isinstance(item, Instance):
            return self._ref(item.eni_id, NetworkInterface)
        return self._ref(item, NetworkInterface)

    def _save_eni(self, eni: NetworkInterface) -> NetworkInterface:
        """Store a changed ENI and keep its instance's record in step."""
        self._put(eni)
        if eni.instance_id and eni.instance_id in self._items:
            instance = self._ref(eni.instance_id, Instance)
            self._put(evolve(instance, private_ip=eni.private_ip, public_ip=eni.public_ip,
                             security_group_ids=eni.security_group_ids))
        return eni

    def modify_network_interface_attribute(self, target: object, *, source_dest_check: bool | None = None,
                                           nat_instance: bool | None = None) -> NetworkInterface:
        """Turn source/destination checking off (for NAT instances and appliances), or mark
        the instance as a NAT instance (it masquerades what it forwards)."""
        eni = self._eni_of(target)
        changes: dict[str, bool] = {}
        if source_dest_check is not None:
            changes["source_dest_check"] = source_dest_check
        if nat_instance is not None:
            changes["nat_instance"] = nat_instance
        return self._save_eni(evolve(eni, **changes))

    def modify_security_groups(self, target: object, groups: Sequence[object]) -> NetworkInterface:
        """Replace the security groups of an instance's ENI (or an ENI)."""
        eni = self._eni_of(target)
        ids = self._groups(self._ref(eni.subnet_id, Subnet), groups)
        for sg in eni.security_group_ids:
            self._sg_members.get(sg, set()).discard(eni.private_ip)
        updated = evolve(eni, security_group_ids=ids)
        self._index_eni(updated)
        return self._save_eni(updated)

    # --- Elastic IPs ---------------------------------------------------------------------------
    def allocate_address(self, name: str | None = None) -> ElasticIp:
        if len(self._all(ElasticIp)) >= self.quotas.elastic_ips_per_region:
            raise LimitExceeded("AddressLimitExceeded",
                                message("dhcp.eip_limit", limit=self.quotas.elastic_ips_per_region),
                                fix=message("dhcp.eip_limit_fix"))
        return self._put(ElasticIp(self._new_id("eipalloc"), name, self._public_ip()))

    def associate_address(self, eip: object, target: object) -> ElasticIp:
        """Give an instance (or ENI) an Elastic IP; its automatic public IP is released for good."""
        address = self._ref(eip, ElasticIp)
        eni = self._eni_of(target)
        if address.network_interface_id and address.network_interface_id != eni.id:
            raise Conflict("Resource.AlreadyAssociated",
                           message("dhcp.eip_in_use", eip=address.public_ip, eni=address.network_interface_id),
                           fix=message("dhcp.eip_in_use_fix"))
        if eni.public_ip and not eni.allocation_id:
            self._public_ips.discard(eni.public_ip)
        self._save_eni(evolve(eni, public_ip=address.public_ip, allocation_id=address.id))
        return self._put(evolve(address, network_interface_id=eni.id))

    def disassociate_address(self, eip: object) -> ElasticIp:
        address = self._ref(eip, ElasticIp)
        if address.network_interface_id and address.network_interface_id in self._items:
            eni = self._ref(address.network_interface_id, NetworkInterface)
            self._save_eni(evolve(eni, public_ip=None, allocation_id=None))
        return self._put(evolve(address, network_interface_id=None))

    def release_address(self, eip: object) -> None:
        address = self._ref(eip, ElasticIp)
        if address.network_interface_id:
            raise Conflict("InvalidIPAddress.InUse", message("dhcp.eip_release_in_use", eip=address.public_ip),
                           fix=message("dhcp.eip_release_in_use_fix"))
        self._public_ips.discard(address.public_ip)
        self._drop(address)

    # --- DHCP options ----------------------------------------------------------------------------
    def create_dhcp_options(self, *, domain_name: str | None = None,
                            domain_name_servers: Iterable[str] = (AMAZON_PROVIDED_DNS,),
                            ntp_servers: Iterable[str] = (), name: str | None = None) -> DhcpOptions:
        """A new options set. Sets cannot be edited: to change settings, create a new one and
        associate it (instances pick it up when they renew their lease)."""
        servers = tuple(domain_name_servers)
        plain = [s for s in servers if s != AMAZON_PROVIDED_DNS]
        if len(plain) > 4 or (len(plain) > 3 and AMAZON_PROVIDED_DNS in servers):
            raise InvalidValue("InvalidParameterValue", message("dhcp.too_many_dns"),
                               fix=message("dhcp.too_many_dns_fix"))
        for server in (*plain, *ntp_servers):
            try:
                ipaddress.IPv4Address(server)
            except ValueError:
                raise InvalidValue("InvalidParameterValue", message("address.malformed", text=server),
                                   fix=message("address.fix")) from None
        return self._put(DhcpOptions(self._new_id("dopt"), name, domain_name, servers, tuple(ntp_servers)))

    def associate_dhcp_options(self, options: object, vpc: object) -> Vpc:
        """Use an options set for a VPC. As in the AWS API, ``"default"`` means *no* DHCP
        options (instances get no DNS servers); the Region's default set is named by its id."""
        record = self._ref(vpc, Vpc)
        option_id = "default" if options == "default" else self._ref(options, DhcpOptions).id
        return self._put(evolve(record, dhcp_options_id=option_id))

    def dhcp_settings(self, target: object) -> DhcpSettings:
        """What DHCP tells instances in a VPC (or in a subnet's VPC)."""
        item = self.get(target)
        vpc = self._ref(item.vpc_id, Vpc) if isinstance(item, Subnet) else self._ref(item, Vpc)
        routers = {s.id: parse(s.cidr).router for s in self._all(Subnet) if s.vpc_id == vpc.id}
        resolver = str(parse(vpc.cidr).network.network_address + 2)
        if vpc.dhcp_options_id == "default":
            return DhcpSettings(routers, (), None, (), "default")
        options = self._ref(vpc.dhcp_options_id, DhcpOptions)
        servers = tuple(resolver if s == AMAZON_PROVIDED_DNS else s for s in options.domain_name_servers)
        return DhcpSettings(routers, servers, options.domain_name, options.ntp_servers, options.id)
