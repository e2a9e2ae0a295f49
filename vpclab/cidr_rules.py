"""The rules AWS applies to the CIDR blocks of VPCs and subnets (aws-vpc-facts.md §1).

Each ``validate_*`` function returns the normalized block or raises a
:class:`~vpclab.errors.VpcLabError` with the code AWS gives for the same mistake:

- ``InvalidVpc.Range``: a VPC block outside /16–/28, in 169.254.0.0/16, overlapping the
  VPC's other blocks, restricted by the range of its primary block, or not smaller than
  the destination of a route the VPC already has;
- ``CidrLimitExceeded``: more than the quota of IPv4 blocks per VPC (5 by default);
- ``InvalidSubnet.Range``: a subnet outside /16–/28 or outside every block of its VPC;
- ``InvalidSubnet.Conflict``: a subnet overlapping another subnet of the VPC.

>>> str(validate_subnet_cidr("10.0.1.0/24", ["10.0.0.0/16"], ["10.0.0.0/24"]))
'10.0.1.0/24'
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vpclab.cidr import AWS_MAX_PREFIX, AWS_MIN_PREFIX, Cidr, parse, span
from vpclab.display import Displayable, Table
from vpclab.errors import Conflict, InvalidValue, LimitExceeded
from vpclab.i18n import message

__all__ = [
    "DEFAULT_CIDR_BLOCKS_PER_VPC",
    "SECONDARY_CIDR_RESTRICTIONS",
    "SecondaryCidrRule",
    "secondary_cidr_table",
    "validate_secondary_cidr",
    "validate_subnet_cidr",
    "validate_vpc_cidr",
]

DEFAULT_CIDR_BLOCKS_PER_VPC = 5  # primary included; adjustable up to 50

_NET = ipaddress.IPv4Network
_TEN, _ONE72, _ONE92 = _NET("10.0.0.0/8"), _NET("172.16.0.0/12"), _NET("192.168.0.0/16")
_BENCHMARK = _NET("198.19.0.0/16")
_SHARED = _NET("100.64.0.0/10")
_RFC1918 = (_TEN, _ONE72, _ONE92)


@dataclass(frozen=True, slots=True)
class SecondaryCidrRule(Displayable):
    """One row of AWS's table of which secondary blocks a VPC may add."""

    existing_range: str
    cannot_add: tuple[str, ...]
    can_add: str

    def _text_(self) -> str:
        return f"{self.existing_range:<24} cannot add: {', '.join(self.cannot_add)}"


def _row(existing: str, cannot: Sequence[_NET], can: str) -> SecondaryCidrRule:
    return SecondaryCidrRule(existing, tuple(str(n) for n in cannot), can)


SECONDARY_CIDR_RESTRICTIONS: tuple[SecondaryCidrRule, ...] = (
    _row(
        "10.0.0.0/8",
        (_ONE72, _ONE92, _BENCHMARK),
        "other 10.0.0.0/8 blocks (none in 10.0.0.0/16 once a block lies in 10.0.0.0/15); "
        "public; 100.64.0.0/10",
    ),
    _row(
        "172.16.0.0/12",
        (_TEN, _ONE92, _NET("172.31.0.0/16"), _BENCHMARK),
        "other 172.16.0.0/12 blocks; public; 100.64.0.0/10",
    ),
    _row("192.168.0.0/16", (_TEN, _ONE72, _BENCHMARK), "other 192.168.0.0/16 blocks; public; 100.64.0.0/10"),
    _row("198.19.0.0/16", _RFC1918, "public; 100.64.0.0/10"),
    _row("public or 100.64.0.0/10", (*_RFC1918, _BENCHMARK), "other public blocks; 100.64.0.0/10"),
)


def _restriction_row(primary: Cidr) -> SecondaryCidrRule:
    for rng, row in zip((_TEN, _ONE72, _ONE92, _BENCHMARK), SECONDARY_CIDR_RESTRICTIONS, strict=False):
        if primary.network.subnet_of(rng):
            return row
    return SECONDARY_CIDR_RESTRICTIONS[-1]


def _check_aws_size(block: Cidr, code: str, kind: str) -> None:
    if block.is_link_local:
        raise InvalidValue(code, message("rules.link_local", cidr=block, kind=kind),
                           fix=message("rules.link_local_fix"))
    if not block.fits_aws:
        raise InvalidValue(
            code,
            message("rules.size", cidr=block, kind=kind, prefix=block.prefix),
            fix=message("rules.size_fix", low=AWS_MIN_PREFIX, high=AWS_MAX_PREFIX),
        )


def validate_vpc_cidr(text: str | Cidr) -> Cidr:
    """The primary block of a new VPC: /16 to /28, never 169.254.0.0/16."""
    block = parse(text)
    _check_aws_size(block, "InvalidVpc.Range", "VPC")
    return block


def validate_secondary_cidr(
    text: str | Cidr,
    existing: Sequence[str | Cidr],
    *,
    route_destinations: Iterable[str | Cidr] = (),
    limit: int = DEFAULT_CIDR_BLOCKS_PER_VPC,
) -> Cidr:
    """A block to add to a VPC whose blocks are ``existing`` (primary first).

    ``route_destinations`` are the destinations of the non-local routes in the VPC's
    route tables: AWS refuses a new block equal to or larger than any of them.
    """
    block = parse(text)
    blocks = [parse(b) for b in existing]
    if not blocks:
        return validate_vpc_cidr(block)
    _check_aws_size(block, "InvalidVpc.Range", "VPC")
    if len(blocks) >= limit:
        raise LimitExceeded(
            "CidrLimitExceeded",
            message("rules.cidr_limit", limit=limit),
            fix=message("rules.cidr_limit_fix"),
        )
    for other in blocks:
        if block.overlaps(other):
            raise Conflict(
                "InvalidVpc.Range",
                message("rules.vpc_overlap", cidr=block, other=other),
                fix=message("rules.vpc_overlap_fix"),
            )
    primary = blocks[0]
    row = _restriction_row(primary)
    for restricted in row.cannot_add:
        if block.network.overlaps(_NET(restricted)):
            raise InvalidValue(
                "InvalidVpc.Range",
                message("rules.restricted", cidr=block, primary=primary, restricted=restricted,
                        range=row.existing_range),
                fix=message("rules.restricted_fix", allowed=row.can_add),
            )
    ten_zero = _NET("10.0.0.0/16")
    if block.network.overlaps(ten_zero) and any(b.network.subnet_of(_NET("10.0.0.0/15")) for b in blocks):
        raise InvalidValue(
            "InvalidVpc.Range",
            message("rules.restricted_10_0", cidr=block),
            fix=message("rules.restricted_fix", allowed=row.can_add),
        )
    for destination in (parse(d) for d in route_destinations):
        if block.contains(destination):
            raise Conflict(
                "InvalidVpc.Range",
                message("rules.route_conflict", cidr=block, route=destination),
                fix=message("rules.route_conflict_fix", route=destination),
            )
    return block


def validate_subnet_cidr(
    text: str | Cidr, vpc_blocks: Sequence[str | Cidr], existing_subnets: Iterable[str | Cidr] = ()
) -> Cidr:
    """A new subnet's block: /16 to /28, inside one VPC block, overlapping no subnet."""
    block = parse(text)
    _check_aws_size(block, "InvalidSubnet.Range", "subnet")
    low, high = span(str(block))
    inside = any(b_low <= low and high <= b_high for b_low, b_high in (span(str(parse(b))) for b in vpc_blocks))
    clashes = [s for s in existing_subnets if _overlap(span(str(parse(s))), (low, high))]
    if not inside or clashes:  # only now is the slower work of a suggestion worth doing
        blocks = [parse(b) for b in vpc_blocks]
        used = [parse(s) for s in existing_subnets]
    if not inside:
        listed = ", ".join(str(b) for b in blocks)
        suggestion = _first_free(blocks, used, block.prefix)
        fix = (message("rules.subnet_outside_fix", suggestion=suggestion) if suggestion
               else message("rules.subnet_no_room_fix", prefix=block.prefix))
        raise InvalidValue(
            "InvalidSubnet.Range", message("rules.subnet_outside", cidr=block, vpc=listed), fix=fix
        )
    if clashes:
        suggestion = _first_free(blocks, used, block.prefix)
        fix = (message("rules.subnet_conflict_fix", suggestion=suggestion) if suggestion
               else message("rules.subnet_no_room_fix", prefix=block.prefix))
        raise Conflict(
            "InvalidSubnet.Conflict", message("rules.subnet_conflict", cidr=block, other=parse(clashes[0])),
            fix=fix,
        )
    return block


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _first_free(blocks: Sequence[Cidr], used: Sequence[Cidr], prefix: int) -> Cidr | None:
    """The lowest block of length ``prefix`` inside the VPC that no subnet touches."""
    for vpc in blocks:
        if prefix < vpc.prefix:
            continue
        step = 2 ** (32 - prefix)
        start = int(vpc.network.network_address)
        for value in range(start, start + vpc.total, step):
            candidate = Cidr(_NET((value, prefix)))
            if not any(candidate.overlaps(u) for u in used):
                return candidate
    return None


def secondary_cidr_table() -> Table:
    """AWS's table of which secondary blocks a VPC may add, for display."""
    return Table(
        [message("label.existing_range"), message("label.cannot_add"), message("label.can_add")],
        [(r.existing_range, ", ".join(r.cannot_add), r.can_add) for r in SECONDARY_CIDR_RESTRICTIONS],
        caption=message("rules.table_caption"),
    )
