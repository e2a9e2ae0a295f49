"""Planning the subnets of a VPC: tiers × Availability Zones, free space, overlaps.

>>> plan = plan_subnets("10.0.0.0/16", tiers=["public", "app", "db"], azs=["a", "b"])
>>> plan.prefix, str(plan.subnet("app", "b"))
(19, '10.0.96.0/19')
>>> [str(c) for c in free_space("10.0.0.0/24", ["10.0.0.0/26"])]
['10.0.0.64/26', '10.0.0.128/25']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

import netaddr

from vpclab.cidr import AWS_MAX_PREFIX, Cidr, parse
from vpclab.display import Displayable, html_table
from vpclab.errors import InvalidValue, NotFound
from vpclab.i18n import message

__all__ = ["PlannedSubnet", "SubnetPlan", "find_overlaps", "free_space", "plan_subnets"]


@dataclass(frozen=True, slots=True)
class PlannedSubnet:
    tier: str
    az: str
    cidr: Cidr


@dataclass(frozen=True, slots=True)
class SubnetPlan(Displayable):
    """Equal subnets, one per tier and AZ, carved from a VPC block in address order."""

    vpc: Cidr
    prefix: int
    subnets: tuple[PlannedSubnet, ...]
    spare: tuple[Cidr, ...]

    def subnet(self, tier: str, az: str) -> Cidr:
        for planned in self.subnets:
            if (planned.tier, planned.az) == (tier, az):
                return planned.cidr
        raise NotFound(
            "InvalidSubnetID.NotFound",
            message("plan.no_such_subnet", tier=tier, az=az),
            fix=message("plan.no_such_subnet_fix",
                        tiers=", ".join(dict.fromkeys(p.tier for p in self.subnets)),
                        azs=", ".join(dict.fromkeys(p.az for p in self.subnets))),
        )

    @property
    def summary(self) -> str:
        """One line: how many subnets of which size, in which VPC block."""
        key = "plan.summary_one" if len(self.subnets) == 1 else "plan.summary"
        return message(key, vpc=self.vpc, count=len(self.subnets), prefix=self.prefix)

    def _rows(self) -> list[tuple[str, str, str, str]]:
        return [(p.tier, p.az, str(p.cidr), f"{p.cidr.usable:,}") for p in self.subnets]

    def _text_(self) -> str:
        lines = [self.summary]
        lines += [f"  {tier:<10} {az:<16} {cidr:<18} {usable}" for tier, az, cidr, usable in self._rows()]
        if self.spare:
            lines.append(message("plan.spare", blocks=", ".join(str(c) for c in self.spare)))
        return "\n".join(lines)

    def _html_(self) -> str:
        table = html_table(
            [message("label.tier"), "AZ", "CIDR", message("label.usable")],
            self._rows(),
            caption=self.summary,
        )
        spare = ", ".join(str(c) for c in self.spare)
        return table + (f"<p>{message('plan.spare', blocks=spare)}</p>" if spare else "")


def plan_subnets(
    vpc: str | Cidr, tiers: Sequence[str], azs: Sequence[str], *, prefix: int | None = None
) -> SubnetPlan:
    """One subnet per tier in each AZ, all the same size, tier by tier in address order.

    Without ``prefix`` the subnets are as large as possible: the VPC is split into the
    smallest power of two that holds ``len(tiers) * len(azs)`` parts; the parts left
    over are returned as ``spare``, free for later tiers.
    """
    block = parse(vpc)
    if not tiers or not azs:
        raise InvalidValue("InvalidParameterValue", message("plan.empty"),
                           fix=message("plan.empty_fix"))
    for names, what in ((tiers, "tier"), (azs, "AZ")):
        if len(set(names)) != len(names):
            raise InvalidValue("InvalidParameterValue", message("plan.duplicate", what=what),
                               fix=message("plan.duplicate_fix", what=what))
    needed = len(tiers) * len(azs)
    if prefix is None:
        prefix = block.prefix + (needed - 1).bit_length()
    if prefix > AWS_MAX_PREFIX:
        raise InvalidValue(
            "InvalidSubnet.Range",
            message("plan.too_small", vpc=block, needed=needed, prefix=prefix),
            fix=message("plan.too_small_fix"),
        )
    have = 2 ** (prefix - block.prefix) if prefix > block.prefix else 1
    if have < needed:
        raise InvalidValue(
            "InvalidSubnet.Range",
            message("plan.not_enough_one" if have == 1 else "plan.not_enough", vpc=block, prefix=prefix,
                    have=have, needed=needed),
            fix=message("plan.not_enough_fix"),
        )
    # only the parts the plan uses: a /16 holds 4,096 /28s, and making them all is slow
    parts = (islice(map(Cidr, block.network.subnets(new_prefix=prefix)), needed) if prefix > block.prefix
             else (block,))
    pairs = [(tier, az) for tier in tiers for az in azs]
    planned = tuple(PlannedSubnet(t, a, c) for (t, a), c in zip(pairs, parts, strict=True))
    spare = free_space(block, [p.cidr for p in planned])
    return SubnetPlan(block, prefix, planned, spare)


def free_space(vpc: str | Cidr, used: Iterable[str | Cidr]) -> tuple[Cidr, ...]:
    """The largest blocks of ``vpc`` that no block in ``used`` touches, in address order."""
    block = parse(vpc)
    free = netaddr.IPSet([str(block)]) - netaddr.IPSet([str(parse(u)) for u in used])
    return tuple(parse(str(c)) for c in free.iter_cidrs())


def find_overlaps(blocks: Iterable[str | Cidr]) -> list[tuple[Cidr, Cidr]]:
    """Every pair of blocks that share at least one address, in input order."""
    parsed = [parse(b) for b in blocks]
    ordered = sorted(enumerate(parsed), key=lambda item: item[1])
    pairs: list[tuple[int, int]] = []
    for pos, (i, left) in enumerate(ordered):
        for j, right in ordered[pos + 1:]:
            if right.network.network_address > left.network.broadcast_address:
                break
            pairs.append((min(i, j), max(i, j)))
    return [(parsed[i], parsed[j]) for i, j in sorted(pairs)]
