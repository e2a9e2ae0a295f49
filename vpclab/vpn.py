"""Site-to-Site VPN and Direct Connect (aws-vpc-facts.md §11).

- A virtual private gateway (VGW) attaches to one VPC; a VPN connection joins it (or a
  transit gateway) to a customer gateway through two tunnels; with both tunnels down the
  connection carries nothing.
- On-premises prefixes reach the VGW as static routes or over BGP; a Direct Connect private
  virtual interface on the VGW brings its own. For the same prefix the VGW prefers Direct
  Connect, then static VPN routes, then BGP VPN routes (after the longest prefix).
- With route propagation on, a VPC route table shows the VGW's prefixes as propagated
  routes (which never override the local route, and lose to a static route of equal prefix).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from vpclab.cidr import cached_address, cached_network, cidr_list, parse
from vpclab.errors import Conflict, InvalidValue
from vpclab.i18n import message
from vpclab.resources import (
    CustomerGateway,
    DirectConnectVif,
    Route,
    RouteTable,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    Vpc,
    VpnConnection,
    VpnGateway,
    evolve,
)
from vpclab.transit import TransitOperations

__all__ = ["OnPremisesRoute", "VpnOperations"]

MAX_PROPAGATED_ROUTES = 100
_PRIORITY = {"direct-connect": 3, "static": 2, "bgp": 1}


@dataclass(frozen=True, slots=True)
class OnPremisesRoute:
    """How a VGW reaches an on-premises prefix: through a VPN connection or a Direct Connect VIF."""

    prefix: str
    kind: str  # direct-connect, static, bgp
    connection_id: str


class VpnOperations(TransitOperations):
    """VPN gateways, customer gateways, VPN connections, Direct Connect and route propagation."""

    def create_vpn_gateway(self, name: str | None = None, amazon_side_asn: int = 64512) -> VpnGateway:
        """A virtual private gateway; its Amazon-side ASN is private: 64512–65534 or 4200000000–4294967294."""
        asn = amazon_side_asn
        if isinstance(asn, bool) or not isinstance(asn, int) or not (
                64512 <= asn <= 65534 or 4_200_000_000 <= asn <= 4_294_967_294):
            raise InvalidValue("InvalidParameterValue", message("vpn.bad_amazon_asn", asn=asn),
                               fix=message("vpn.bad_amazon_asn_fix"))
        return self._put(VpnGateway(self._new_id("vgw"), name, None, amazon_side_asn))

    def attach_vpn_gateway(self, vgw: object, vpc: object) -> VpnGateway:
        gateway, record = self._ref(vgw, VpnGateway), self._ref(vpc, Vpc)
        if gateway.vpc_id is not None:
            raise Conflict("Resource.AlreadyAssociated", message("vpn.vgw_attached", vgw=gateway.label,
                                                                 vpc=gateway.vpc_id),
                           fix=message("gw.igw_attached_elsewhere_fix"))
        if any(g.vpc_id == record.id for g in self._all(VpnGateway)):
            raise Conflict("VpnGatewayLimitExceeded", message("vpn.vpc_has_vgw", vpc=record.label),
                           fix=message("vpn.vpc_has_vgw_fix"))
        return self._put(evolve(gateway, vpc_id=record.id))

    def detach_vpn_gateway(self, vgw: object) -> VpnGateway:
        return self._put(evolve(self._ref(vgw, VpnGateway), vpc_id=None))

    def vpn_gateway_of(self, vpc_id: str) -> VpnGateway | None:
        return next((g for g in self._all(VpnGateway) if g.vpc_id == vpc_id), None)

    def create_customer_gateway(self, ip_address: str, bgp_asn: int = 65000, name: str | None = None
                                ) -> CustomerGateway:
        try:
            ipaddress.IPv4Address(str(ip_address))
        except ValueError:
            raise InvalidValue("InvalidParameterValue", message("address.malformed", text=ip_address),
                               fix=message("address.fix")) from None
        if isinstance(bgp_asn, bool) or not isinstance(bgp_asn, int) or not 1 <= bgp_asn <= 2_147_483_647:
            raise InvalidValue("InvalidParameterValue", message("vpn.bad_asn", asn=bgp_asn),
                               fix=message("vpn.bad_asn_fix"))
        return self._put(CustomerGateway(self._new_id("cgw"), name, str(ip_address), bgp_asn))

    def create_vpn_connection(self, cgw: object, *, vpn_gateway: object | None = None,
                              transit_gateway: object | None = None, static_routes_only: bool = True,
                              name: str | None = None) -> VpnConnection:
        """Two tunnels from the AWS side (a VGW or a transit gateway) to a customer gateway."""
        customer = self._ref(cgw, CustomerGateway)
        if (vpn_gateway is None) == (transit_gateway is None):
            raise InvalidValue("InvalidParameterCombination", message("vpn.one_side"), fix=message("vpn.one_side_fix"))
        vgw_id = self._ref(vpn_gateway, VpnGateway).id if vpn_gateway is not None else None
        tgw = self._ref(transit_gateway, TransitGateway) if transit_gateway is not None else None
        vpn = self._put(VpnConnection(self._new_id("vpn"), name, customer.id, vgw_id, tgw.id if tgw else None,
                                      bool(static_routes_only)))
        if tgw is not None:
            link = self._put(TransitGatewayAttachment(self._new_id("tgw-attach"), name, tgw.id, "vpn", vpn.id))
            self._use_defaults(tgw, link)
        return vpn

    def vpn_attachment(self, vpn_id: str) -> TransitGatewayAttachment | None:
        return next((a for a in self._all(TransitGatewayAttachment)
                     if a.resource_type == "vpn" and a.resource_id == vpn_id), None)

    def create_vpn_connection_route(self, vpn: object, cidr: str) -> VpnConnection:
        """A static route: an on-premises prefix reached through this VPN connection."""
        record = self._ref(vpn, VpnConnection)
        if not record.static_routes_only:
            raise InvalidValue("InvalidVpnConnection.InvalidType", message("vpn.not_static", vpn=record.label),
                               fix=message("vpn.not_static_fix"))
        prefix = str(parse(cidr))
        if prefix in record.routes:
            raise Conflict("RouteAlreadyExists", message("routing.exists", destination=prefix, table=record.label),
                           fix=message("routing.exists_fix"))
        return self._put(evolve(record, routes=(*record.routes, prefix)))

    def advertise_bgp_routes(self, vpn: object, cidrs: Iterable[str]) -> VpnConnection:
        """What the customer gateway advertises over BGP (a dynamic VPN connection)."""
        record = self._ref(vpn, VpnConnection)
        if record.static_routes_only:
            raise InvalidValue("InvalidVpnConnection.InvalidType", message("vpn.not_bgp", vpn=record.label),
                               fix=message("vpn.not_bgp_fix"))
        prefixes = tuple(dict.fromkeys(str(parse(c)) for c in cidr_list(cidrs, "cidrs")))
        return self._put(evolve(record, bgp_routes=prefixes))

    def set_vpn_tunnel_state(self, vpn: object, tunnel: int, state: str) -> VpnConnection:
        record = self._ref(vpn, VpnConnection)
        if tunnel not in (0, 1) or state not in ("UP", "DOWN"):
            raise InvalidValue("InvalidParameterValue", message("vpn.bad_tunnel", tunnel=tunnel, state=state),
                               fix=message("vpn.bad_tunnel_fix"))
        tunnels = tuple(state if i == tunnel else t for i, t in enumerate(record.tunnels))
        return self._put(evolve(record, tunnels=tunnels))

    def create_direct_connect_virtual_interface(self, vgw: object, prefixes: Iterable[str],
                                                name: str | None = None) -> DirectConnectVif:
        """A private virtual interface on the VGW, bringing the on-premises ``prefixes``."""
        gateway = self._ref(vgw, VpnGateway)
        learned = tuple(dict.fromkeys(str(parse(p)) for p in cidr_list(prefixes, "prefixes")))
        return self._put(DirectConnectVif(self._new_id("dxvif"), name, gateway.id, learned))

    def enable_vgw_route_propagation(self, route_table: object, vgw: object) -> RouteTable:
        table, gateway = self._ref(route_table, RouteTable), self._ref(vgw, VpnGateway)
        if gateway.vpc_id != table.vpc_id:
            raise InvalidValue("Gateway.NotAttached", message("vpn.not_attached", vgw=gateway.label, vpc=table.vpc_id),
                               fix=message("vpn.not_attached_fix"))
        if gateway.id not in table.propagating_vgws:
            self._put(evolve(table, propagating_vgws=(*table.propagating_vgws, gateway.id)))
        return self.route_table(table.id)

    def disable_vgw_route_propagation(self, route_table: object, vgw: object) -> RouteTable:
        table, gateway = self._ref(route_table, RouteTable), self._ref(vgw, VpnGateway)
        self._put(evolve(table, propagating_vgws=tuple(v for v in table.propagating_vgws if v != gateway.id)))
        return self.route_table(table.id)

    # --- what the VGW knows -------------------------------------------------------------------
    def vgw_routes(self, vgw_id: str) -> list[OnPremisesRoute]:
        """Every on-premises prefix the VGW has learned, with how it was learned."""
        routes = [OnPremisesRoute(p, "direct-connect", vif.id) for vif in self._all(DirectConnectVif)
                  if vif.vpn_gateway_id == vgw_id for p in vif.prefixes]
        for vpn in self._all(VpnConnection):
            if vpn.vpn_gateway_id == vgw_id:
                routes += [OnPremisesRoute(p, "static", vpn.id) for p in vpn.routes]
                routes += [OnPremisesRoute(p, "bgp", vpn.id) for p in vpn.bgp_routes]
        return routes

    def vgw_route_for(self, vgw_id: str, address: str) -> OnPremisesRoute | None:
        """Longest prefix; on equal prefixes Direct Connect > static VPN > BGP VPN."""
        target = cached_address(address)
        candidates = [r for r in self.vgw_routes(vgw_id) if target in cached_network(r.prefix)]
        return max(candidates, key=lambda r: (cached_network(r.prefix).prefixlen, _PRIORITY[r.kind]), default=None)

    def on_premises_owner(self, address: str) -> VpnConnection | DirectConnectVif | None:
        """The connection whose on-premises prefixes hold ``address`` (Direct Connect first)."""
        target = cached_address(address)
        for vif in self._all(DirectConnectVif):
            if any(target in cached_network(p) for p in vif.prefixes):
                return vif
        for vpn in self._all(VpnConnection):
            if any(target in cached_network(p) for p in vpn.prefixes):
                return vpn
        for table in self._all(TransitGatewayRouteTable):  # static TGW routes to a VPN attachment
            for route in table.static_routes:
                link = self._items.get(route.attachment_id or "")
                if isinstance(link, TransitGatewayAttachment) and link.resource_type == "vpn" and \
                        target in cached_network(route.destination) and link.resource_id in self._items:
                    return self._ref(link.resource_id, VpnConnection)
        return None

    def _propagated_routes(self, table: RouteTable) -> tuple[Route, ...]:
        routes: list[Route] = []
        for vgw_id in table.propagating_vgws:
            gateway = self._items.get(vgw_id)
            if not isinstance(gateway, VpnGateway) or gateway.vpc_id != table.vpc_id:
                continue
            for prefix in dict.fromkeys(r.prefix for r in self.vgw_routes(vgw_id)):
                routes.append(Route(prefix, vgw_id, "EnableVgwRoutePropagation"))
        return tuple(routes[:MAX_PROPAGATED_ROUTES])
