"""Reachability requirements: a network design judged by what it lets through, not by its shape.

A design is any Cloud. Its instances play *roles* by their Name tag: ``web…``, ``app…`` and
``db…`` (``web-a``, ``app-1``…); ``internet`` stands for a host on the internet
(198.51.100.10, a documentation address). A :class:`Requirement` says that every member of one
role can (or cannot) open a connection to every member of another on a protocol and port; a
:class:`Spread` says that a role has members in at least N Availability Zones; a
:class:`NatPerZone` says that a role reaches the internet through a NAT gateway in its own AZ
(so losing one AZ does not cut off the others). ``check_design(cloud, requirements)`` traces
every pair and reports each requirement as met or not, with the first failing pair and what
stopped it.

>>> from vpclab import Cloud
>>> cloud = Cloud(seed=0)
>>> _ = cloud.create_vpc("10.0.0.0/16", name="lab")
>>> check_design(cloud, [Spread("R1", "web", 2)]).passed
False
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vpclab.display import Displayable, html_table
from vpclab.i18n import message
from vpclab.resources import Instance, NatGateway, Subnet
from vpclab.trace import Trace

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["INTERNET", "INTERNET_HOST", "THREE_TIER", "Check", "DesignReport", "NatPerZone", "Requirement",
           "RequirementResult", "Spread", "check_design", "members", "three_tier"]

INTERNET = "internet"
INTERNET_HOST = "198.51.100.10"


@dataclass(frozen=True, slots=True)
class Requirement:
    """Every ``source`` can (``reachable=True``) or cannot open ``protocol``/``port`` to every ``destination``."""

    id: str
    source: str
    destination: str
    port: int
    reachable: bool
    protocol: str = "tcp"

    @property
    def text(self) -> str:
        key = "requirements.must_reach" if self.reachable else "requirements.must_not_reach"
        return message(key, source=self.source, destination=self.destination, protocol=self.protocol.upper(),
                       port=self.port)


@dataclass(frozen=True, slots=True)
class Spread:
    """``role`` has members in at least ``zones`` Availability Zones."""

    id: str
    role: str
    zones: int

    @property
    def text(self) -> str:
        return message("requirements.spread", role=self.role, zones=self.zones)


@dataclass(frozen=True, slots=True)
class NatPerZone:
    """Each member of ``role`` reaches the internet through a NAT gateway in its own AZ."""

    id: str
    role: str
    port: int = 443

    @property
    def text(self) -> str:
        return message("requirements.nat_per_zone", role=self.role, port=self.port)


Check = Requirement | Spread | NatPerZone


@dataclass(frozen=True, slots=True)
class RequirementResult:
    id: str
    text: str
    met: bool
    reason: str
    trace: Trace | None = None  # the pair behind the verdict: the first that failed, else the first traced


class DesignReport(Displayable):
    """Each requirement, met or not, with why."""

    def __init__(self, results: Sequence[RequirementResult]) -> None:
        self.results = tuple(results)

    @property
    def passed(self) -> bool:
        return all(r.met for r in self.results)

    def met(self, ids: Iterable[str]) -> bool:
        """Whether every requirement named in ``ids`` is met."""
        wanted = set(ids)
        return all(r.met for r in self.results if r.id in wanted) and wanted <= {r.id for r in self.results}

    def _text_(self) -> str:
        done = sum(r.met for r in self.results)
        lines = [message("requirements.summary", met=done, total=len(self.results))]
        lines += [f"{'✓' if r.met else '✗'} {r.id}: {r.text} — {r.reason}" for r in self.results]
        return "\n".join(lines)

    def _html_(self) -> str:
        done = sum(r.met for r in self.results)
        rows = [("✓" if r.met else "✗", r.id, r.text, r.reason) for r in self.results]
        table = html_table(("", "requirement", "what it asks", "why"), rows)
        color = "#1a7f37" if self.passed else "#cf222e"
        head = html.escape(message("requirements.summary", met=done, total=len(self.results)))
        return f'<div class="vpclab-requirements"><b style="color:{color}">{head}</b>{table}</div>'


def members(cloud: Cloud, role: str) -> list[Instance]:
    """The running instances whose Name starts with ``role`` (``web`` → web-a, web-b…)."""
    return sorted((i for i in cloud._all(Instance) if i.state == "running" and (i.name or "").startswith(role)),
                  key=lambda i: i.name or i.id)


def _ends(cloud: Cloud, role: str) -> list[str]:
    return [INTERNET_HOST] if role == INTERNET else [i.id for i in members(cloud, role)]


def _name(cloud: Cloud, end: str) -> str:
    return INTERNET if end == INTERNET_HOST else (cloud._ref(end, Instance).name or end)


def _check(cloud: Cloud, item: Check) -> RequirementResult:
    if isinstance(item, Spread):
        zones = {cloud._ref(i.subnet_id, Subnet).az for i in members(cloud, item.role)}
        reason = message("requirements.zones_found", role=item.role, zones=", ".join(sorted(zones)) or "none")
        return RequirementResult(item.id, item.text, len(zones) >= item.zones, reason)
    if isinstance(item, NatPerZone):
        return _check_nat(cloud, item)
    sources, destinations = _ends(cloud, item.source), _ends(cloud, item.destination)
    for role, ends in ((item.source, sources), (item.destination, destinations)):
        if not ends:
            return RequirementResult(item.id, item.text, False, message("requirements.no_members", role=role))
    first: Trace | None = None
    for source in sources:
        for destination in destinations:
            trace = cloud.trace(source, destination, item.protocol, item.port)
            first = first or trace
            if trace.reachable != item.reachable:
                pair = f"{_name(cloud, source)} → {_name(cloud, destination)}"
                if trace.blocker is None:
                    reason = message("requirements.unexpectedly_open", pair=pair)
                else:
                    reason = message("requirements.blocked", pair=pair, code=trace.blocker.code,
                                     component=trace.blocker.component or "", direction=trace.blocker.direction)
                return RequirementResult(item.id, item.text, False, reason, trace)
    count = len(sources) * len(destinations)
    return RequirementResult(item.id, item.text, True, message("requirements.pairs_ok", pairs=count), first)


def _check_nat(cloud: Cloud, item: NatPerZone) -> RequirementResult:
    found = members(cloud, item.role)
    if not found:
        return RequirementResult(item.id, item.text, False, message("requirements.no_members", role=item.role))
    first: Trace | None = None
    for instance in found:
        zone = cloud._ref(instance.subnet_id, Subnet).az
        trace = cloud.trace(instance.id, INTERNET_HOST, "tcp", item.port)
        first = first or trace
        nats = [cloud._items[h.component] for h in trace.forward if h.component in cloud._items
                and isinstance(cloud._items[h.component], NatGateway)]
        zones = {cloud._ref(n.subnet_id, Subnet).az for n in nats if isinstance(n, NatGateway)}
        if not trace.reachable or zones != {zone}:
            return RequirementResult(item.id, item.text, False, message(
                "requirements.nat_elsewhere", instance=instance.name or instance.id, zone=zone,
                nat_zones=", ".join(sorted(zones)) or "none", reachable="yes" if trace.reachable else "no"), trace)
    return RequirementResult(item.id, item.text, True, message("requirements.nat_ok", count=len(found)), first)


def check_design(cloud: Cloud, requirements: Iterable[Check] | None = None) -> DesignReport:
    """Judge ``cloud`` against ``requirements`` (the three-tier set by default)."""
    return DesignReport([_check(cloud, item) for item in (THREE_TIER if requirements is None else requirements)])


def three_tier(zones: int = 2, app_port: int = 8080, db_port: int = 5432) -> tuple[Check, ...]:
    """The capstone's requirements: a three-tier web application across ``zones`` Availability
    Zones, its app tier listening on ``app_port`` and its database on ``db_port``."""
    return (
        Spread("R1", "web", zones),
        Spread("R2", "app", zones),
        Spread("R3", "db", zones),
        Requirement("R4", INTERNET, "web", 443, True),
        Requirement("R5", INTERNET, "web", 22, False),
        Requirement("R6", INTERNET, "app", app_port, False),
        Requirement("R7", INTERNET, "db", db_port, False),
        Requirement("R8", "web", "app", app_port, True),
        Requirement("R9", "app", "db", db_port, True),
        Requirement("R10", "web", "db", db_port, False),
        Requirement("R11", "app", INTERNET, 443, True),
        Requirement("R12", "db", INTERNET, 443, False),
        NatPerZone("R13", "app"),
    )


#: The capstone's requirements as the lesson states them: two Availability Zones, app on 8080,
#: PostgreSQL on 5432.
THREE_TIER: tuple[Check, ...] = three_tier()
