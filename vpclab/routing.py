"""Route tables and how the VPC router picks a route (aws-vpc-facts.md §4).

- Each subnet uses exactly one route table: its explicit association, else the main table.
- Every table has one ``local`` route per VPC block; it cannot be deleted.
- The most specific matching route wins (longest prefix). On equal prefixes a static route
  beats a prefix-list route, which beats a propagated one; a propagated route never
  overrides the local route, however specific.
- A route more specific than a local route must cover exactly one subnet and point at a NAT
  gateway or a network interface (the "middlebox" routes).
- A route whose target is gone, detached or failed is in state ``blackhole``.
- A subnet whose table routes to an internet gateway is public; one whose only routes out of
  the VPC go to a virtual private gateway is VPN-only; any other is private.

:func:`route_candidates` says, route by route, why the router picks one route for an address
(the same rules as :func:`select_route`, which it uses).
"""

from __future__ import annotations

import html
import ipaddress
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from vpclab.cidr import cached_address, cached_network, in_cidr, is_address, parse
from vpclab.dhcp import AddressingOperations
from vpclab.display import Displayable
from vpclab.errors import Conflict, InvalidValue, LimitExceeded, NotFound
from vpclab.i18n import message
from vpclab.resources import (
    Instance,
    InternetGateway,
    NatGateway,
    NetworkInterface,
    Resource,
    Route,
    RouteTable,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnGateway,
    evolve,
)

__all__ = ["RouteCandidate", "RouteChoice", "RouteDecision", "RoutingOperations", "route_candidates", "select_route"]

ROUTE_TARGETS = (InternetGateway, NatGateway, NetworkInterface, VpcPeeringConnection, TransitGateway, VpnGateway)
_TARGET_PREFIXES = ("igw-", "eigw-", "nat-", "eni-", "i-", "pcx-", "tgw-", "vgw-", "vpce-")
_RANK = {"static": 3, "prefix-list": 2, "propagated": 1}


def _kind(route: Route) -> str:
    if route.origin == "EnableVgwRoutePropagation":
        return "propagated"
    if route.destination.startswith("pl-"):
        return "prefix-list"
    return "static"


def _no_prefix_lists(_prefix_list: str) -> Iterable[str]:
    return ()


def _in_local(routes: Sequence[Route], address: str) -> bool:
    """Is ``address`` inside one of the table's local routes (a block of the VPC)?"""
    return any(in_cidr(address, r.destination) for r in routes
               if r.target == "local" or r.origin == "CreateRouteTable")


def _matched_prefix(route: Route, kind: str, target: ipaddress.IPv4Address,
                    prefix_list: Callable[[str], Iterable[str]]) -> int | None:
    """The length of the longest prefix of ``route`` that holds ``target``, or None."""
    if kind != "prefix-list":
        network = cached_network(route.destination)
        return network.prefixlen if target in network else None
    return max((n.prefixlen for n in map(cached_network, prefix_list(route.destination)) if target in n),
               default=None)


def select_route(routes: Sequence[Route], address: str,
                 prefix_list: Callable[[str], Iterable[str]] = _no_prefix_lists) -> Route | None:
    """The route the VPC router uses for ``address``, or None.

    >>> table = [Route("10.0.0.0/16", "local", "CreateRouteTable"), Route("0.0.0.0/0", "igw-1")]
    >>> select_route(table, "8.8.8.8").target, select_route(table, "10.0.3.4").target
    ('igw-1', 'local')
    """
    target = cached_address(address)
    in_local = _in_local(routes, address)
    best: tuple[int, int] | None = None
    chosen: Route | None = None
    for route in routes:
        kind = _kind(route)
        if kind == "propagated" and in_local:
            continue  # propagated routes never override the local route
        length = _matched_prefix(route, kind, target, prefix_list)
        if length is None:
            continue
        key = (length, _RANK[kind])
        if best is None or key > best:
            best, chosen = key, route
    return chosen


@dataclass(frozen=True, slots=True)
class RouteCandidate:
    """One route of a table judged for one address: does it match, and does it win?

    ``verdict`` is ``chosen``; or, for a route that loses, ``no-match``, ``less-specific``
    (the chosen route has a longer prefix), ``lower-priority`` (same prefix, but static >
    prefix list > propagated), ``same-rank`` (same prefix and kind as the chosen route: AWS
    picks one of them) or ``under-local`` (a propagated route is never used for an address of
    the VPC). For the chosen route, ``why`` is ``only`` (the only match), ``longest`` or
    ``priority`` (it ties on prefix length and wins on kind).
    """

    route: Route
    kind: str  # local, static, prefix-list, propagated
    prefix: int | None  # the matching prefix length; None when the route does not match
    verdict: str
    address: str
    winner: Route | None
    why: str = ""

    @property
    def reason(self) -> str:
        """Why the route wins or loses, in a sentence."""
        key = f"routing.verdict.{self.verdict}" + (f".{self.why}" if self.why else "")
        best = self.winner
        return message(key, address=self.address, destination=self.route.destination, prefix=self.prefix,
                       kind=message(f"routing.kind.{self.kind}"),
                       best="—" if best is None else best.destination,
                       best_kind="—" if best is None else message(f"routing.kind.{_shown_kind(best)}"))


def _shown_kind(route: Route) -> str:
    return "local" if route.target == "local" else _kind(route)


def route_candidates(routes: Sequence[Route], address: str,
                     prefix_list: Callable[[str], Iterable[str]] = _no_prefix_lists) -> tuple[RouteCandidate, ...]:
    """Every route of a table judged for ``address``, in table order: the one the router
    picks (:func:`select_route`), and why each other one loses.

    >>> table = [Route("10.0.0.0/16", "local", "CreateRouteTable"), Route("0.0.0.0/0", "igw-1")]
    >>> [(c.route.destination, c.verdict) for c in route_candidates(table, "10.0.3.4")]
    [('10.0.0.0/16', 'chosen'), ('0.0.0.0/0', 'less-specific')]
    """
    target = cached_address(address)
    winner = select_route(routes, address, prefix_list)
    in_local = _in_local(routes, address)
    found = [(route, _kind(route), _matched_prefix(route, _kind(route), target, prefix_list)) for route in routes]
    usable = [(length, _RANK[kind]) for route, kind, length in found
              if length is not None and not (kind == "propagated" and in_local)]
    best = max(usable, default=(0, 0))
    judged = []
    for route, kind, length in found:
        why = ""
        if winner is not None and route == winner:
            verdict = "chosen"
            why = "only" if len(usable) == 1 else (
                "priority" if any(u[0] == best[0] and u[1] < best[1] for u in usable) else "longest")
        elif length is None:
            verdict = "no-match"
        elif kind == "propagated" and in_local:
            verdict = "under-local"
        elif length < best[0]:
            verdict = "less-specific"
        elif _RANK[kind] < best[1]:
            verdict = "lower-priority"
        else:
            verdict = "same-rank"
        judged.append(RouteCandidate(route, _shown_kind(route), length, verdict, address, winner, why))
    return tuple(judged)


@dataclass(frozen=True, slots=True)
class RouteChoice(Displayable):
    """A table's routes judged for one address (``cloud.explain_route(subnet, address)``)."""

    route_table_id: str
    address: str
    candidates: tuple[RouteCandidate, ...]

    @property
    def chosen(self) -> RouteCandidate | None:
        return next((c for c in self.candidates if c.verdict == "chosen"), None)

    def _text_(self) -> str:
        lines = [message("routing.choice", address=self.address, table=self.route_table_id)]
        for c in self.candidates:
            mark = "✓" if c.verdict == "chosen" else ("·" if c.prefix is not None else " ")
            lines.append(f"  {mark} {c.route.destination:<18} → {c.route.target:<24} "
                         f"{message(f'routing.kind.{c.kind}'):<11} {c.route.state:<9} {c.reason}")
        if self.chosen is None:
            lines.append(message("routing.choice_none", address=self.address))
        return "\n".join(lines)

    def _html_(self) -> str:
        rows = []
        for c in self.candidates:
            style = {"chosen": "background:#dafbe1;font-weight:bold"}.get(
                c.verdict, "color:#8c959f" if c.prefix is None else "")
            if c.verdict == "chosen" and c.route.state == "blackhole":
                style = "background:#ffebe9;font-weight:bold"
            mark = "✓" if c.verdict == "chosen" else ("●" if c.prefix is not None else "")
            cells = (mark, c.route.destination, c.route.target, message(f"routing.kind.{c.kind}"),
                     c.route.state, "—" if c.prefix is None else f"/{c.prefix}", c.reason)
            rows.append(f'<tr class="vpclab-route-{c.verdict}" style="{style}">'
                        + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells) + "</tr>")
        header = "".join(f"<th>{html.escape(message(f'routing.column.{name}'))}</th>"
                         for name in ("mark", "destination", "target", "kind", "state", "match", "why"))
        caption = html.escape(message("routing.choice", address=self.address, table=self.route_table_id))
        none = "" if self.chosen is not None else \
            f'<div style="color:#cf222e">✗ {html.escape(message("routing.choice_none", address=self.address))}</div>'
        return (f'<table class="vpclab vpclab-route-choice"><caption>{caption}</caption><tr>{header}</tr>'
                f'{"".join(rows)}</table>{none}')


@dataclass(frozen=True, slots=True)
class RouteDecision(Displayable):
    route_table_id: str
    address: str
    route: Route | None

    @property
    def reason(self) -> str:
        """Why this route (or none) was chosen, in a sentence."""
        return self._text_()

    def _text_(self) -> str:
        if self.route is None:
            return message("routing.no_route", address=self.address, table=self.route_table_id)
        return message("routing.chosen", address=self.address, table=self.route_table_id,
                       destination=self.route.destination, target=self.route.target, state=self.route.state)


class RoutingOperations(AddressingOperations):
    """Route tables, their associations and routes."""

    def create_route_table(self, vpc: object, name: str | None = None) -> RouteTable:
        record = self._ref(vpc, Vpc)
        if sum(1 for t in self._all(RouteTable) if t.vpc_id == record.id) >= self.quotas.route_tables_per_vpc:
            raise LimitExceeded("RouteTableLimitExceeded",
                                message("routing.table_limit", limit=self.quotas.route_tables_per_vpc),
                                fix=message("vpc.limit_fix"))
        routes = tuple(Route(block, "local", "CreateRouteTable") for block in record.cidr_blocks)
        return self._put(RouteTable(self._new_id("rtb"), name, record.id, routes))

    def route_table(self, ref: object) -> RouteTable:
        """A route table as it is now, each route's state (active or blackhole) filled in."""
        table = self._ref(ref, RouteTable)
        routes = tuple(r if r.state == (state := self._route_state(table, r)) else evolve_route(r, state)
                       for r in (*table.routes, *self._propagated_routes(table)))
        return evolve(table, routes=routes)

    def _propagated_routes(self, table: RouteTable) -> tuple[Route, ...]:
        """Routes that gateways propagate into the table (see vpclab.vpn)."""
        return ()

    def route_table_for(self, subnet: object) -> RouteTable:
        """The table a subnet uses: its explicit association, else the VPC's main table."""
        record = self._ref(subnet, Subnet)
        table_id = self._subnet_tables.get(record.id) or self._ref(record.vpc_id, Vpc).main_route_table_id
        return self.route_table(table_id)

    def associate_route_table(self, route_table: object, subnet: object) -> RouteTable:
        table = self._ref(route_table, RouteTable)
        record = self._ref(subnet, Subnet)
        self._require_same_vpc(table, record.vpc_id, record)
        previous = self._subnet_tables.get(record.id)
        if previous and previous != table.id:
            self._without_association(self._ref(previous, RouteTable), record.id)
        self._subnet_tables[record.id] = table.id
        if record.id not in table.associations:
            table = self._put(evolve(table, associations=(*table.associations, record.id)))
        return self.route_table(table)

    def disassociate_route_table(self, subnet: object) -> None:
        """The subnet goes back to the main route table."""
        record = self._ref(subnet, Subnet)
        previous = self._subnet_tables.pop(record.id, None)
        if previous:
            self._without_association(self._ref(previous, RouteTable), record.id)

    def set_main_route_table(self, vpc: object, route_table: object) -> Vpc:
        """Make ``route_table`` the main table: subnets without an association now use it."""
        record = self._ref(vpc, Vpc)
        table = self._ref(route_table, RouteTable)
        self._require_same_vpc(table, record.id, record)
        old = self._ref(record.main_route_table_id, RouteTable)
        self._put(evolve(old, is_main=False))
        self._put(evolve(self._ref(table.id, RouteTable), is_main=True))
        return self._put(evolve(record, main_route_table_id=table.id))

    def get(self, ref: object) -> Resource:
        """The current record of a resource (a route table with its routes' states)."""
        item = super().get(ref)
        return self.route_table(item) if isinstance(item, RouteTable) else item

    def delete_route_table(self, route_table: object) -> None:
        table = self._ref(route_table, RouteTable)
        if self._ref(table.vpc_id, Vpc).main_route_table_id == table.id or table.associations:
            users = ", ".join(table.associations) or message("routing.main")
            raise Conflict("DependencyViolation", message("routing.table_in_use", table=table.label, users=users),
                           fix=message("routing.table_in_use_fix"))
        self._drop(table)

    def _target_id(self, table: RouteTable, target: object) -> str:
        if isinstance(target, Resource):
            target = target.id
        if not isinstance(target, str):
            raise InvalidValue("InvalidParameterValue", message("routing.bad_target", target=repr(target)),
                               fix=message("routing.bad_target_fix"))
        if not target.startswith(_TARGET_PREFIXES) and target != "local":
            target = self.get(target).id  # a Name tag
        if target == "local":
            return target
        item = self._items.get(target)
        if isinstance(item, Instance):
            return item.eni_id
        if item is None:
            raise NotFound("InvalidGatewayID.NotFound", message("routing.no_target", target=target),
                           fix=message("routing.bad_target_fix"))
        if not isinstance(item, ROUTE_TARGETS):
            raise InvalidValue("InvalidParameterValue", message("routing.bad_target", target=item.label),
                               fix=message("routing.bad_target_fix"))
        if isinstance(item, VpcPeeringConnection) and table.vpc_id not in (item.requester_vpc_id,
                                                                          item.accepter_vpc_id):
            raise InvalidValue("InvalidParameterValue", message("routing.pcx_other_vpc", pcx=item.label,
                                                                vpc=table.vpc_id),
                               fix=message("routing.pcx_other_vpc_fix"))
        if isinstance(item, InternetGateway) and item.vpc_id != table.vpc_id:
            raise InvalidValue("Gateway.NotAttached",
                               message("routing.igw_not_attached", igw=item.label, vpc=table.vpc_id),
                               fix=message("routing.igw_not_attached_fix"))
        return target

    def create_route(self, route_table: object, destination: str, target: object) -> RouteTable:
        """Add a route; the destination is a CIDR (or a prefix list id)."""
        table = self._ref(route_table, RouteTable)
        target_id = self._target_id(table, target)
        dest = destination if str(destination).startswith("pl-") else str(parse(destination))
        if any(r.destination == dest for r in table.routes):
            raise Conflict("RouteAlreadyExists", message("routing.exists", destination=dest, table=table.label),
                           fix=message("routing.exists_fix"))
        if sum(1 for r in table.routes if r.origin == "CreateRoute") >= self.quotas.routes_per_table:
            raise LimitExceeded("RouteLimitExceeded",
                                message("routing.route_limit", limit=self.quotas.routes_per_table),
                                fix=message("vpc.limit_fix"))
        if not dest.startswith("pl-"):
            self._check_more_specific_than_local(table, dest, target_id)
        self._put(evolve(table, routes=(*table.routes, Route(dest, target_id, "CreateRoute"))))
        return self.route_table(table.id)

    def _check_more_specific_than_local(self, table: RouteTable, dest: str, target: str) -> None:
        block = parse(dest)
        for local in (r.destination for r in table.routes if r.target == "local"):
            if not parse(local).contains(block) or block == parse(local):
                continue
            subnets = {s.cidr for s in self._all(Subnet) if s.vpc_id == table.vpc_id}
            if dest not in subnets or not target.startswith(("nat-", "eni-")):
                raise InvalidValue("InvalidParameterValue",
                                   message("routing.more_specific", destination=dest, local=local),
                                   fix=message("routing.more_specific_fix"))

    def delete_route(self, route_table: object, destination: str) -> RouteTable:
        table = self._ref(route_table, RouteTable)
        dest = destination if str(destination).startswith("pl-") else str(parse(destination))
        match = [r for r in table.routes if r.destination == dest]
        if not match:
            raise NotFound("InvalidRoute.NotFound", message("routing.not_found", destination=dest,
                                                            table=table.label),
                           fix=message("routing.not_found_fix",
                                       routes=", ".join(r.destination for r in table.routes)))
        if match[0].target == "local":
            raise InvalidValue("InvalidParameterValue", message("routing.local_undeletable", destination=dest),
                               fix=message("routing.local_undeletable_fix"))
        self._not_an_endpoint_route(match[0])
        self._put(evolve(table, routes=tuple(r for r in table.routes if r.destination != dest)))
        return self.route_table(table.id)

    def replace_route(self, route_table: object, destination: str, target: object) -> RouteTable:
        table = self._ref(route_table, RouteTable)
        dest = destination if str(destination).startswith("pl-") else str(parse(destination))
        if not any(r.destination == dest for r in table.routes):
            raise InvalidValue("InvalidParameterValue", message("routing.not_found", destination=dest,
                                                                table=table.label),
                               fix=message("routing.replace_missing_fix"))
        self._not_an_endpoint_route(next(r for r in table.routes if r.destination == dest))
        target_id = self._target_id(table, target)
        routes = tuple(evolve_route(r, target=target_id, origin="CreateRoute") if r.destination == dest else r
                       for r in table.routes)
        self._put(evolve(table, routes=routes))
        return self.route_table(table.id)

    def _not_an_endpoint_route(self, route: Route) -> None:
        """Gateway endpoint routes are managed through the endpoint, not the route table."""
        if route.target.startswith("vpce-"):
            raise InvalidValue("InvalidParameterValue", message("routing.endpoint_route", destination=route.destination,
                                                                endpoint=route.target),
                               fix=message("routing.endpoint_route_fix"))

    def route_for(self, subnet: object, address: str) -> RouteDecision:
        """Which route a packet from ``subnet`` to ``address`` takes, and its state."""
        table = self.route_table_for(subnet)
        return RouteDecision(table.id, address, select_route(table.routes, address, self._prefix_list_cidrs))

    def explain_route(self, subnet: object, address: str) -> RouteChoice:
        """Every route of the subnet's table judged for ``address``: the chosen one and why
        each other one loses (see :func:`route_candidates`)."""
        if not isinstance(address, str) or not is_address(address):
            raise InvalidValue("InvalidParameterValue", message("address.malformed", text=address),
                               fix=message("address.fix"))
        table = self.route_table_for(subnet)
        address = address.strip()
        return RouteChoice(table.id, address, route_candidates(table.routes, address, self._prefix_list_cidrs))

    def subnet_kind(self, subnet: object) -> str:
        """``public`` when the subnet's table has an active route to an internet gateway;
        ``vpn-only`` when its only active routes out of the VPC go to a virtual private
        gateway; else ``private`` (aws-vpc-facts.md §4)."""
        out = [r.target for r in self.route_table_for(subnet).routes if r.target != "local" and r.state == "active"]
        if any(t.startswith("igw-") for t in out):
            return "public"
        if out and all(t.startswith("vgw-") for t in out):
            return "vpn-only"
        return "private"

    def _prefix_list_cidrs(self, prefix_list_id: str) -> tuple[str, ...]:
        return self._prefix_lists.get(prefix_list_id, ())

    def _route_state(self, table: RouteTable, route: Route) -> str:
        """blackhole when the target is gone, detached from the table's VPC, or not available."""
        if route.target == "local":
            return "active"
        if route.state == "blackhole":  # as a loaded file says it is
            return "blackhole"
        item = self._items.get(route.target)
        if item is None:
            return "blackhole"
        if isinstance(item, InternetGateway):
            return "active" if item.vpc_id == table.vpc_id else "blackhole"
        if isinstance(item, NatGateway):
            return "active" if item.state == "available" else "blackhole"
        if isinstance(item, NetworkInterface):
            return "active"
        if isinstance(item, VpcPeeringConnection):
            return "active" if item.status == "active" else "blackhole"
        if isinstance(item, TransitGateway):
            attached = any(a.transit_gateway_id == item.id and a.resource_id == table.vpc_id
                           for a in self._all(TransitGatewayAttachment))
            return "active" if attached else "blackhole"
        if isinstance(item, VpnGateway):
            return "active" if item.vpc_id == table.vpc_id else "blackhole"
        if isinstance(item, VpcEndpoint):
            return "active" if item.state == "available" else "blackhole"
        return "blackhole"


def evolve_route(route: Route, state: str | None = None, **changes: str) -> Route:
    if state is not None:
        changes["state"] = state
    return replace(route, **changes)
