"""CIDR notation for IPv4: a block, its size, its AWS-reserved addresses, and splitting it.

A :class:`Cidr` is an immutable, hashable, ordered value (safe in sets and as dict keys).

>>> block = parse("10.0.0.0/24")
>>> block.total, block.usable, block.netmask
(256, 251, '255.255.255.0')
>>> [r.address for r in block.reserved]
['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.255']
>>> [str(part) for part in block.split(4)]
['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26']

AWS reserves five addresses in every subnet (aws-vpc-facts.md §1): the network address,
base+1 for the VPC router, base+2 for DNS, base+3 for future use, and the last address
(broadcast, which a VPC does not support).
"""

from __future__ import annotations

import ipaddress
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vpclab.display import Displayable, html_table
from vpclab.errors import HostBitsWarning, InvalidValue
from vpclab.i18n import message

__all__ = [
    "AWS_MAX_PREFIX",
    "AWS_MIN_PREFIX",
    "LINK_LOCAL",
    "MAX_PARTS",
    "BitGrid",
    "Cidr",
    "ClassfulView",
    "ReservedAddress",
    "cached_address",
    "cached_network",
    "cidr_list",
    "classful",
    "in_cidr",
    "is_address",
    "network_of",
    "parse",
    "span",
]

AWS_MIN_PREFIX = 16  # the largest block a VPC or subnet may have
AWS_MAX_PREFIX = 28  # the smallest
MAX_PARTS = 4096  # splitting into more parts than this is refused
LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")  # never assignable to a VPC

_RESERVED_OFFSETS = (("network", 0), ("vpc-router", 1), ("dns", 2), ("future", 3))


@dataclass(frozen=True, slots=True)
class ReservedAddress(Displayable):
    """One of the five addresses AWS keeps back in every subnet."""

    address: str
    purpose: str  # network, vpc-router, dns, future, broadcast

    @property
    def explanation(self) -> str:
        """What AWS uses this address for, in the learner's language."""
        return message(f"cidr.reserved.{self.purpose}")

    def _text_(self) -> str:
        return f"{self.address:<15} {self.purpose:<10} {self.explanation}"


@dataclass(frozen=True, slots=True)
class BitGrid(Displayable):
    """The 32 bits of a block's network address, split at the prefix length."""

    address: str
    prefix: int

    @property
    def bits(self) -> str:
        """The address as 32 characters of 0 and 1."""
        return format(int(ipaddress.IPv4Address(self.address)), "032b")

    @property
    def network_bits(self) -> str:
        return self.bits[: self.prefix]

    @property
    def host_bits(self) -> str:
        return self.bits[self.prefix :]

    def _text_(self) -> str:
        octets = [self.bits[i : i + 8] for i in range(0, 32, 8)]
        marker = "".join("N" if i < self.prefix else "h" for i in range(32))
        marks = [marker[i : i + 8] for i in range(0, 32, 8)]
        return (
            f"{'.'.join(octets)}\n{'.'.join(marks)}\n"
            + message("cidr.bits.legend", network=self.prefix, host=32 - self.prefix)
        )

    def _html_(self) -> str:
        cells = []
        for i, bit in enumerate(self.bits):
            kind = "net" if i < self.prefix else "host"
            color = "#1f6feb" if kind == "net" else "#d0d7de"
            fg = "white" if kind == "net" else "black"
            gap = "margin-left:6px;" if i and i % 8 == 0 else ""
            cells.append(
                f'<span class="vpclab-bit {kind}" style="display:inline-block;width:14px;'
                f"text-align:center;font-family:monospace;background:{color};color:{fg};"
                f'{gap}">{bit}</span>'
            )
        legend = message("cidr.bits.legend", network=self.prefix, host=32 - self.prefix)
        return f'<div class="vpclab-bitgrid">{"".join(cells)}<div>{legend}</div></div>'


@dataclass(frozen=True, slots=True, order=True, repr=False)
class Cidr(Displayable):
    """An IPv4 CIDR block. Build one with :func:`parse`."""

    network: ipaddress.IPv4Network

    def __repr__(self) -> str:
        return f"Cidr('{self.network}')"

    def __str__(self) -> str:
        return str(self.network)

    @property
    def prefix(self) -> int:
        """The prefix length: how many leading bits name the network."""
        return self.network.prefixlen

    @property
    def netmask(self) -> str:
        return str(self.network.netmask)

    @property
    def first(self) -> str:
        return str(self.network.network_address)

    @property
    def last(self) -> str:
        return str(self.network.broadcast_address)

    @property
    def total(self) -> int:
        """Every address in the block: 2 ** (32 - prefix)."""
        return self.network.num_addresses

    @property
    def fits_aws(self) -> bool:
        """True for /16 to /28: the sizes AWS allows for a VPC block or a subnet."""
        return AWS_MIN_PREFIX <= self.prefix <= AWS_MAX_PREFIX

    @property
    def is_link_local(self) -> bool:
        return self.network.overlaps(LINK_LOCAL)

    @property
    def is_valid_vpc(self) -> bool:
        """Could this block be a VPC's CIDR in AWS (/16 to /28, not 169.254.0.0/16)?"""
        return self.fits_aws and not self.is_link_local

    @property
    def is_valid_subnet(self) -> bool:
        """Could this block be a subnet's CIDR in AWS? Same size rule as a VPC."""
        return self.is_valid_vpc

    @property
    def reserved(self) -> tuple[ReservedAddress, ...]:
        """The five addresses AWS reserves; empty for blocks smaller than /28."""
        if self.prefix > AWS_MAX_PREFIX:
            return ()
        base = self.network.network_address
        first_four = tuple(ReservedAddress(str(base + off), name) for name, off in _RESERVED_OFFSETS)
        return (*first_four, ReservedAddress(self.last, "broadcast"))

    @property
    def usable(self) -> int:
        """Addresses AWS can give to instances: total - 5 (0 below /28)."""
        return self.total - 5 if self.prefix <= AWS_MAX_PREFIX else 0

    @property
    def router(self) -> str:
        """The VPC router's address in this subnet (base + 1)."""
        if not self.reserved:
            raise InvalidValue(
                "InvalidSubnet.Range",
                message("cidr.no_router", cidr=self),
                fix=message("rules.size_fix", low=AWS_MIN_PREFIX, high=AWS_MAX_PREFIX),
            )
        return str(self.network.network_address + 1)

    def bit_grid(self) -> BitGrid:
        return BitGrid(self.first, self.prefix)

    def contains(self, other: Cidr | str) -> bool:
        """True when ``other`` (a block or an address) lies wholly inside this block."""
        if isinstance(other, Cidr):
            return other.network.subnet_of(self.network)
        return _address(other) in self.network

    def overlaps(self, other: Cidr) -> bool:
        return self.network.overlaps(other.network)

    def subnets(self, prefix: int) -> tuple[Cidr, ...]:
        """Every block of length ``prefix`` inside this one, in address order."""
        if not isinstance(prefix, int) or isinstance(prefix, bool):
            raise InvalidValue(
                "InvalidParameterValue",
                message("cidr.prefix_type", prefix=prefix),
                fix=message("cidr.prefix_range_fix", low=self.prefix + 1),
            )
        if not self.prefix < prefix <= 32:
            raise InvalidValue(
                "InvalidParameterValue",
                message("cidr.prefix_not_longer", prefix=prefix, cidr=self),
                fix=message("cidr.prefix_range_fix", low=self.prefix + 1),
            )
        parts = 2 ** (prefix - self.prefix)
        if parts > MAX_PARTS:
            raise InvalidValue(
                "InvalidParameterValue",
                message("cidr.too_many_parts", parts=parts, cidr=self, prefix=prefix),
                fix=message("cidr.too_many_parts_fix", limit=MAX_PARTS),
            )
        return tuple(Cidr(net) for net in self.network.subnets(new_prefix=prefix))

    def split(self, count: int) -> tuple[Cidr, ...]:
        """Split into ``count`` equal blocks; ``count`` must be a power of two."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 2 or count & (count - 1):
            raise InvalidValue(
                "InvalidParameterValue",
                message("cidr.split_not_power_of_two", count=count),
                fix=message("cidr.split_fix", up=_next_power_of_two(count)),
            )
        extra_bits = count.bit_length() - 1
        return self.subnets(self.prefix + extra_bits)

    def hosts(self) -> Iterator[str]:
        """The addresses AWS can assign, lowest first (the reserved five left out)."""
        if self.prefix > AWS_MAX_PREFIX:
            return
        base = int(self.network.network_address)
        for value in range(base + 4, base + self.total - 1):
            yield str(ipaddress.IPv4Address(value))

    def to_dict(self, *, subnets: tuple[Cidr, ...] | None = None) -> dict[str, Any]:
        """The ``vpclab cidr --json`` shape (DESIGN.md §4b)."""
        data: dict[str, Any] = {
            "cidr": str(self),
            "version": 4,
            "prefix": self.prefix,
            "netmask": self.netmask,
            "first": self.first,
            "last": self.last,
            "total": self.total,
            "usable": self.usable,
            "reserved": [{"address": r.address, "purpose": r.purpose} for r in self.reserved],
            "valid_vpc": self.is_valid_vpc,
            "valid_subnet": self.is_valid_subnet,
        }
        if subnets is not None:
            data["subnets"] = [part.to_dict() for part in subnets]
        return data

    def _text_(self) -> str:
        lines = [
            message(
                "cidr.summary" if self.is_valid_vpc else "cidr.summary_not_aws",
                cidr=self,
                total=f"{self.total:,}",
                usable=f"{self.usable:,}",
                first=self.first,
                last=self.last,
                netmask=self.netmask,
            )
        ]
        lines += [f"  {r._text_()}" for r in self.reserved]
        lines.append(self._validity_text())
        return "\n".join(lines)

    def _validity_text(self) -> str:
        if self.is_valid_vpc:
            return message("cidr.valid_aws")
        if self.is_link_local:
            return message("cidr.invalid_link_local")
        return message("cidr.invalid_size", prefix=self.prefix)

    def _html_(self) -> str:
        facts = html_table(
            [message("label.field"), message("label.value")],
            [
                ("CIDR", self),
                (message("label.netmask"), self.netmask),
                (message("label.range"), f"{self.first} – {self.last}"),
                (message("label.total"), f"{self.total:,}"),
                (message("label.usable"), f"{self.usable:,}" if self.is_valid_vpc else "—"),
                (message("label.aws"), self._validity_text()),
            ],
        )
        reserved = html_table(
            [message("label.address"), message("label.purpose"), message("label.why")],
            [(r.address, r.purpose, r.explanation) for r in self.reserved],
            caption=message("label.reserved"),
        )
        return self.bit_grid()._html_() + facts + (reserved if self.reserved else "")


@dataclass(frozen=True, slots=True)
class ClassfulView(Displayable):
    """The obsolete classful view of an address, kept to correct a common myth."""

    address: str
    klass: str  # A, B, C, D or E
    first_octets: str
    default_prefix: int | None
    size: int | None

    def _text_(self) -> str:
        if self.default_prefix is None:
            return message("classful.special", address=self.address, klass=self.klass,
                           octets=self.first_octets)
        return message(
            "classful.view",
            address=self.address,
            klass=self.klass,
            octets=self.first_octets,
            prefix=self.default_prefix,
            size=f"{self.size:,}",
        )


_CLASSES = (  # first octet up to and including, class, octet range, prefix
    (127, "A", "1–126", 8),
    (191, "B", "128–191", 16),
    (223, "C", "192–223", 24),
    (239, "D", "224–239", None),
    (255, "E", "240–255", None),
)


def classful(address: str) -> ClassfulView:
    """Which class an address belonged to before CIDR (1993) replaced classes.

    >>> classful("10.1.2.3").default_prefix
    8
    """
    first_octet = int(_address(address)) >> 24
    if first_octet in (0, 127):  # "this network" and loopback: class A by their bits, never used
        return ClassfulView(address, "A", str(first_octet), None, None)
    for upper, klass, octets, prefix in _CLASSES:
        if first_octet <= upper:
            size = None if prefix is None else 2 ** (32 - prefix)
            return ClassfulView(address, klass, octets, prefix, size)
    raise AssertionError("unreachable: an octet is at most 255")  # pragma: no cover


def parse(text: str | Cidr, *, strict: bool = False) -> Cidr:
    """Read an IPv4 CIDR block such as ``"10.0.0.0/16"``.

    A block with host bits set (``10.0.0.1/16``) is normalized to its network with a
    :class:`~vpclab.errors.HostBitsWarning`, as the AWS API does; with ``strict=True``
    it is an error instead. Anything that is not an IPv4 CIDR raises
    :class:`~vpclab.errors.InvalidValue` with code ``InvalidParameterValue``.
    """
    if isinstance(text, Cidr):
        return text
    if not isinstance(text, str):
        raise InvalidValue(
            "InvalidParameterValue",
            message("cidr.not_text", value=repr(text), type=type(text).__name__),
            fix=message("cidr.format_fix"),
        )
    cleaned = text.strip()
    if "/" in cleaned:
        try:  # the common case: a well-formed network, as the engine stores them
            return Cidr(cached_network(cleaned))
        except ValueError:
            pass
    if "/" not in cleaned:
        raise InvalidValue(
            "InvalidParameterValue",
            message("cidr.no_prefix", text=cleaned),
            fix=message("cidr.no_prefix_fix", text=cleaned),
        )
    if ":" in cleaned:
        raise InvalidValue(
            "InvalidParameterValue",
            message("cidr.ipv6", text=cleaned),
            fix=message("cidr.format_fix"),
        )
    try:
        network = ipaddress.IPv4Network(cleaned, strict=False)
    except ValueError:
        raise InvalidValue(
            "InvalidParameterValue",
            message("cidr.malformed", text=cleaned),
            fix=message("cidr.format_fix"),
        ) from None
    if network.network_address != _host_part(cleaned):
        note = message("cidr.host_bits", text=cleaned, network=network)
        if strict:
            raise InvalidValue(
                "InvalidParameterValue", note, fix=message("cidr.host_bits_fix", network=network)
            )
        warnings.warn(HostBitsWarning(note), stacklevel=2)
    return Cidr(network)


def network_of(address: str, prefix: int) -> Cidr:
    """The block of length ``prefix`` that holds ``address``.

    >>> str(network_of("10.0.7.9", 22))
    '10.0.4.0/22'
    """
    if isinstance(prefix, bool) or not isinstance(prefix, int) or not 0 <= prefix <= 32:
        raise InvalidValue(
            "InvalidParameterValue",
            message("cidr.prefix_type", prefix=prefix),
            fix=message("cidr.prefix_range_fix", low=0),
        )
    return Cidr(ipaddress.IPv4Network((_address(address), prefix), strict=False))


@lru_cache(maxsize=65536)
def cached_network(cidr: str) -> ipaddress.IPv4Network:
    """``IPv4Network(cidr)`` for a well-formed network, cached (the engine's hot paths)."""
    return ipaddress.IPv4Network(cidr)


@lru_cache(maxsize=65536)
def cached_address(text: str) -> ipaddress.IPv4Address:
    """``IPv4Address(text)`` for a well-formed address, cached."""
    return ipaddress.IPv4Address(text)


@lru_cache(maxsize=65536)
def span(cidr: str) -> tuple[int, int]:
    """The first and last address of a well-formed block, as integers (cached).

    >>> span("10.0.0.0/24")
    (167772160, 167772415)
    """
    network = cached_network(cidr)
    return int(network.network_address), int(network.broadcast_address)


def in_cidr(address: str, cidr: str) -> bool:
    """Is ``address`` inside ``cidr``? Both must be well formed (the engine's own values);
    fast, for the tracer's hot path.

    >>> in_cidr("10.0.1.7", "10.0.0.0/16")
    True
    """
    return cached_address(address) in cached_network(cidr)


def cidr_list(values: object, what: str) -> list[Any]:
    """``values`` as a list, or InvalidValue when it is not a list of items (a lone string or
    number is a common slip for a one-item list)."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise InvalidValue("InvalidParameterValue", message("cidr.not_a_list", what=what, value=repr(values)),
                           fix=message("cidr.not_a_list_fix", what=what))
    return list(values)  # type: ignore[call-overload,unused-ignore]  # iterable, checked above


def is_address(text: str) -> bool:
    """Is ``text`` an IPv4 address (surrounding spaces allowed)?

    >>> is_address(" 10.0.0.5"), is_address("web")
    (True, False)
    """
    try:
        ipaddress.IPv4Address(text.strip())
    except ValueError:
        return False
    return True


def _host_part(text: str) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(text.split("/", 1)[0])


def _address(text: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(str(text).strip())
    except ValueError:
        raise InvalidValue(
            "InvalidParameterValue",
            message("address.malformed", text=text),
            fix=message("address.fix"),
        ) from None


def _next_power_of_two(count: object) -> int:
    if isinstance(count, int) and not isinstance(count, bool) and count > 1:
        return 1 << (count - 1).bit_length()
    return 2
