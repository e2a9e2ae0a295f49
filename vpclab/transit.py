"""Transit gateways (aws-vpc-facts.md §11): a Regional router between attachments.

- A VPC attachment puts an interface in one subnet per AZ; only those AZs can use it.
- Each attachment is *associated* with exactly one TGW route table (which decides where
  its traffic goes) and may *propagate* its routes into any number of tables.
- Routes: longest prefix first; on equal prefixes static > prefix-list > VPC-propagated >
  Direct-Connect-propagated > Connect-propagated > VPN-propagated. A static route may be a
  blackhole. A VPC whose CIDR is identical to one already propagated into a table is not
  propagated again. VPC route tables still need their own routes to the TGW.
"""

from __future__ import annotations

from collections.abc import Sequence

from vpclab.cidr import cached_address, cached_network, cidr_list, parse
from vpclab.errors import Conflict, InvalidValue, NotFound
from vpclab.i18n import message
from vpclab.peering import PeeringOperations
from vpclab.resources import (
    Subnet,
    TgwRoute,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    Vpc,
    VpnConnection,
    evolve,
)

__all__ = ["TransitOperations", "select_tgw_route"]

_RANK = {"static": 6, "prefix-list": 5, "vpc": 4, "direct-connect-gateway": 3, "connect": 2, "vpn": 1}


def select_tgw_route(routes: Sequence[TgwRoute], address: str) -> TgwRoute | None:
    """Longest prefix, then the priority of route types on equal prefixes."""
    target = cached_address(address)
    best: tuple[int, int] | None = None
    chosen = None
    for route in routes:
        network = cached_network(route.destination)
        if target not in network:
            continue
        key = (network.prefixlen, _priority(route))
        if best is None or key > best:
            best, chosen = key, route
    return chosen


class TransitOperations(PeeringOperations):
    """Transit gateways, their attachments and route tables."""

    def create_transit_gateway(self, name: str | None = None, *, default_route_table_association: bool = True,
                               default_route_table_propagation: bool = True) -> TransitGateway:
        tgw_id = self._new_id("tgw")
        default = None
        if default_route_table_association or default_route_table_propagation:
            default = self._put(TransitGatewayRouteTable(self._new_id("tgw-rtb"), f"{name or tgw_id} default",
                                                         tgw_id, is_default=True)).id
        return self._put(TransitGateway(tgw_id, name, default, default_route_table_association,
                                        default_route_table_propagation))

    def create_transit_gateway_vpc_attachment(self, tgw: object, vpc: object, subnets: Sequence[object],
                                              name: str | None = None) -> TransitGatewayAttachment:
        """Attach a VPC through one subnet per AZ (AZs without one cannot use the TGW)."""
        gateway = self._ref(tgw, TransitGateway)
        record = self._ref(vpc, Vpc)
        chosen = [self._ref(s, Subnet) for s in cidr_list(subnets, "subnets")]
        if not chosen:
            raise InvalidValue("MissingParameter", message("tgw.needs_subnets"), fix=message("tgw.needs_subnets_fix"))
        zones = [s.az for s in chosen]
        if len(set(zones)) != len(zones):
            raise InvalidValue("DuplicateSubnetsInSameZone", message("vpce.same_zone"),
                               fix=message("tgw.same_zone_fix"))
        for subnet in chosen:
            self._require_same_vpc(subnet, record.id, record)
            if self._pool(subnet).free < 1:
                raise self._full(subnet, 1)
        if any(a.resource_id == record.id and a.transit_gateway_id == gateway.id
               for a in self._all(TransitGatewayAttachment)):
            raise Conflict("DuplicateTransitGatewayAttachment", message("tgw.already_attached", vpc=record.label,
                                                                         tgw=gateway.label),
                           fix=message("tgw.already_attached_fix"))
        attachment_id = self._new_id("tgw-attach")
        enis = [self._new_eni(s, (), None, interface_type="transit_gateway", name=f"TGW attachment {attachment_id}")
                for s in chosen]
        attachment = self._put(TransitGatewayAttachment(attachment_id, name, gateway.id, "vpc", record.id,
                                                        tuple(s.id for s in chosen), tuple(e.id for e in enis)))
        self._use_defaults(gateway, attachment)
        return attachment

    def _use_defaults(self, gateway: TransitGateway, attachment: TransitGatewayAttachment) -> None:
        if gateway.default_route_table_id is None:
            return
        if gateway.default_association:
            self.associate_transit_gateway_route_table(gateway.default_route_table_id, attachment)
        if gateway.default_propagation:
            self.enable_transit_gateway_route_table_propagation(gateway.default_route_table_id, attachment)

    def create_transit_gateway_route_table(self, tgw: object, name: str | None = None) -> TransitGatewayRouteTable:
        gateway = self._ref(tgw, TransitGateway)
        return self._put(TransitGatewayRouteTable(self._new_id("tgw-rtb"), name, gateway.id))

    def _tgw_pair(self, table: object, attachment: object
                  ) -> tuple[TransitGatewayRouteTable, TransitGatewayAttachment]:
        rtb = self._ref(table, TransitGatewayRouteTable)
        link = self._ref(attachment, TransitGatewayAttachment)
        if rtb.transit_gateway_id != link.transit_gateway_id:
            raise InvalidValue("InvalidParameterValue",
                               message("tgw.other_tgw", table=rtb.label, attachment=link.label),
                               fix=message("tgw.other_tgw_fix"))
        return rtb, link

    def tgw_association(self, attachment: object) -> TransitGatewayRouteTable | None:
        """The TGW route table an attachment is associated with, if any."""
        link_id = self._ref(attachment, TransitGatewayAttachment).id
        return next((t for t in self._all(TransitGatewayRouteTable) if link_id in t.associations), None)

    def associate_transit_gateway_route_table(self, table: object, attachment: object) -> TransitGatewayRouteTable:
        rtb, link = self._tgw_pair(table, attachment)
        current = self.tgw_association(link)
        if current is not None:
            raise Conflict("Resource.AlreadyAssociated", message("tgw.associated", attachment=link.label,
                                                                 table=current.label),
                           fix=message("tgw.associated_fix"))
        return self._put(evolve(rtb, associations=(*rtb.associations, link.id)))

    def disassociate_transit_gateway_route_table(self, table: object, attachment: object) -> TransitGatewayRouteTable:
        rtb, link = self._tgw_pair(table, attachment)
        if link.id not in rtb.associations:
            raise NotFound("InvalidAssociation.NotFound", message("tgw.not_associated", attachment=link.label,
                                                                  table=rtb.label),
                           fix=message("tgw.associated_fix"))
        return self._put(evolve(rtb, associations=tuple(a for a in rtb.associations if a != link.id)))

    def enable_transit_gateway_route_table_propagation(self, table: object, attachment: object
                                                       ) -> TransitGatewayRouteTable:
        rtb, link = self._tgw_pair(table, attachment)
        if link.id in rtb.propagations:
            raise Conflict("TransitGatewayRouteTablePropagation.Duplicate",
                           message("tgw.propagating", attachment=link.label, table=rtb.label),
                           fix=message("tgw.propagating_fix"))
        return self._put(evolve(rtb, propagations=(*rtb.propagations, link.id)))

    def disable_transit_gateway_route_table_propagation(self, table: object, attachment: object
                                                        ) -> TransitGatewayRouteTable:
        rtb, link = self._tgw_pair(table, attachment)
        return self._put(evolve(rtb, propagations=tuple(p for p in rtb.propagations if p != link.id)))

    def create_transit_gateway_route(self, table: object, cidr: str, attachment: object | None = None, *,
                                     blackhole: bool = False) -> TransitGatewayRouteTable:
        """A static route to an attachment, or a static blackhole route that drops."""
        rtb = self._ref(table, TransitGatewayRouteTable)
        destination = str(parse(cidr))
        if (attachment is None) != blackhole:
            raise InvalidValue("InvalidParameterCombination", message("tgw.route_target"),
                               fix=message("tgw.route_target_fix"))
        link_id = None
        if attachment is not None:
            link_id = self._tgw_pair(rtb, attachment)[1].id
        if any(r.destination == destination for r in rtb.static_routes):
            raise Conflict("RouteAlreadyExists", message("routing.exists", destination=destination, table=rtb.label),
                           fix=message("routing.exists_fix"))
        route = TgwRoute(destination, link_id, "static", "blackhole" if blackhole else "active")
        return self._put(evolve(rtb, static_routes=(*rtb.static_routes, route)))

    def delete_transit_gateway_route(self, table: object, cidr: str) -> TransitGatewayRouteTable:
        rtb = self._ref(table, TransitGatewayRouteTable)
        destination = str(parse(cidr))
        kept = tuple(r for r in rtb.static_routes if r.destination != destination)
        if len(kept) == len(rtb.static_routes):
            raise NotFound("InvalidRoute.NotFound", message("routing.not_found", destination=destination,
                                                            table=rtb.label),
                           fix=message("routing.not_found_fix",
                                       routes=", ".join(r.destination for r in rtb.static_routes)))
        return self._put(evolve(rtb, static_routes=kept))

    def transit_gateway_routes(self, table: object) -> tuple[TgwRoute, ...]:
        """The table's effective routes, one per prefix: a static route hides propagated ones
        of the same prefix, and among propagated ones the priority decides (VPC > Direct
        Connect > VPN); an identical VPC CIDR is propagated only once."""
        rtb = self._ref(table, TransitGatewayRouteTable)
        best: dict[str, TgwRoute] = {}
        for route in rtb.static_routes:
            best[route.destination] = evolve_tgw(route, self._tgw_route_state(route))
        for link_id in rtb.propagations:
            link = self._items.get(link_id)
            if not isinstance(link, TransitGatewayAttachment):
                continue
            for cidr in self._propagated_cidrs(link):
                candidate = TgwRoute(cidr, link.id, "propagated", "active", link.resource_type)
                current = best.get(cidr)
                if current is None or _priority(candidate) > _priority(current):
                    best[cidr] = candidate
        return tuple(best.values())

    def _propagated_cidrs(self, link: TransitGatewayAttachment) -> tuple[str, ...]:
        if link.resource_type == "vpc" and link.resource_id in self._items:
            return self._ref(link.resource_id, Vpc).cidr_blocks
        if link.resource_type == "vpn" and link.resource_id in self._items:
            return self._ref(link.resource_id, VpnConnection).bgp_routes
        return ()

    def _tgw_route_state(self, route: TgwRoute) -> str:
        if route.attachment_id is None or route.attachment_id not in self._items:
            return "blackhole"
        return route.state

    def vpc_attachment(self, tgw_id: str, vpc_id: str) -> TransitGatewayAttachment | None:
        return next((a for a in self._all(TransitGatewayAttachment) if a.transit_gateway_id == tgw_id
                     and a.resource_type == "vpc" and a.resource_id == vpc_id), None)


def _priority(route: TgwRoute) -> int:
    return _RANK["static" if route.route_type == "static" else route.origin]


def evolve_tgw(route: TgwRoute, state: str) -> TgwRoute:
    from dataclasses import replace

    return route if route.state == state else replace(route, state=state)
