"""Internet gateways and NAT gateways (aws-vpc-facts.md §5, §6).

- One internet gateway per VPC; it cannot be detached while instances in the VPC still
  have public addresses, nor deleted while attached.
- A public NAT gateway needs an Elastic IP and ends ``failed`` (``Gateway.NotAttached``)
  when its VPC has no internet gateway; a private one may not have an Elastic IP. Deleting a
  NAT gateway leaves the routes to it in state ``blackhole``.
"""

from __future__ import annotations

from vpclab.errors import Conflict, InvalidValue, LimitExceeded
from vpclab.i18n import message
from vpclab.nat import NatTable
from vpclab.resources import ElasticIp, InternetGateway, NatGateway, NetworkInterface, Subnet, Vpc, evolve
from vpclab.routing import RoutingOperations

__all__ = ["GatewayOperations"]

_LIVE_NAT_STATES = ("pending", "available", "deleting")


class GatewayOperations(RoutingOperations):
    """Internet gateways and NAT gateways."""

    # --- internet gateways ------------------------------------------------------------------
    def create_internet_gateway(self, name: str | None = None) -> InternetGateway:
        if len(self._all(InternetGateway)) >= self.quotas.internet_gateways_per_region:
            raise LimitExceeded("InternetGatewayLimitExceeded",
                                message("gw.igw_limit", limit=self.quotas.internet_gateways_per_region),
                                fix=message("vpc.limit_fix"))
        return self._put(InternetGateway(self._new_id("igw"), name))

    def internet_gateway_of(self, vpc: object) -> InternetGateway | None:
        """The internet gateway attached to the VPC, if any."""
        vpc_id = self._ref(vpc, Vpc).id
        return next((g for g in self._all(InternetGateway) if g.vpc_id == vpc_id), None)

    def attach_internet_gateway(self, igw: object, vpc: object) -> InternetGateway:
        gateway = self._ref(igw, InternetGateway)
        record = self._ref(vpc, Vpc)
        if gateway.vpc_id is not None:
            raise Conflict("Resource.AlreadyAssociated",
                           message("gw.igw_attached_elsewhere", igw=gateway.label, vpc=gateway.vpc_id),
                           fix=message("gw.igw_attached_elsewhere_fix"))
        current = self.internet_gateway_of(record)
        if current is not None:
            raise Conflict("Resource.AlreadyAssociated",
                           message("gw.vpc_has_igw", vpc=record.label, igw=current.id),
                           fix=message("gw.vpc_has_igw_fix"))
        return self._put(evolve(gateway, vpc_id=record.id))

    def detach_internet_gateway(self, igw: object, vpc: object) -> InternetGateway:
        gateway = self._ref(igw, InternetGateway)
        record = self._ref(vpc, Vpc)
        if gateway.vpc_id != record.id:
            raise InvalidValue("Gateway.NotAttached", message("gw.igw_not_attached", igw=gateway.label,
                                                              vpc=record.label),
                               fix=message("gw.igw_not_attached_fix"))
        mapped = sorted(e.public_ip for e in self._all(NetworkInterface)
                        if e.vpc_id == record.id and e.public_ip)
        if mapped:
            raise Conflict("DependencyViolation", message("gw.igw_mapped", vpc=record.label,
                                                          addresses=", ".join(mapped[:5])),
                           fix=message("gw.igw_mapped_fix"))
        return self._put(evolve(gateway, vpc_id=None))

    def delete_internet_gateway(self, igw: object) -> None:
        gateway = self._ref(igw, InternetGateway)
        if gateway.vpc_id is not None:
            raise Conflict("DependencyViolation", message("gw.igw_delete_attached", igw=gateway.label,
                                                          vpc=gateway.vpc_id),
                           fix=message("gw.igw_delete_attached_fix"))
        self._drop(gateway)

    # --- NAT gateways ----------------------------------------------------------------------
    def create_nat_gateway(self, subnet: object, allocation: object | None = None, *,
                           connectivity: str = "public", name: str | None = None,
                           private_ip: str | None = None) -> NatGateway:
        """A NAT gateway in ``subnet``: public (with an Elastic IP) or private (without)."""
        record = self._ref(subnet, Subnet)
        if connectivity not in ("public", "private"):
            raise InvalidValue("InvalidParameterValue", message("gw.bad_connectivity", value=connectivity),
                               fix=message("gw.bad_connectivity_fix"))
        eip: ElasticIp | None = None
        if connectivity == "public":
            if allocation is None:
                raise InvalidValue("MissingParameter", message("gw.nat_needs_eip"), fix=message("gw.nat_needs_eip_fix"))
            eip = self._ref(allocation, ElasticIp)
            if eip.network_interface_id:
                raise Conflict("Resource.AlreadyAssociated",
                               message("dhcp.eip_in_use", eip=eip.public_ip, eni=eip.network_interface_id),
                               fix=message("dhcp.eip_in_use_fix"))
        elif allocation is not None:
            raise InvalidValue("InvalidParameterCombination", message("gw.private_nat_no_eip"),
                               fix=message("gw.private_nat_no_eip_fix"))
        live = [n for n in self._all(NatGateway) if n.state in _LIVE_NAT_STATES
                and self._ref(n.subnet_id, Subnet).az == record.az] if self._all(NatGateway) else []
        if len(live) >= self.quotas.nat_gateways_per_az:
            raise LimitExceeded("NatGatewayLimitExceeded",
                                message("gw.nat_limit", limit=self.quotas.nat_gateways_per_az, az=record.az),
                                fix=message("vpc.limit_fix"))
        nat_id = self._new_id("nat")
        if eip is not None and self.internet_gateway_of(record.vpc_id) is None:
            return self._put(NatGateway(nat_id, name, record.id, record.vpc_id, connectivity, "failed",
                                        allocation_id=eip.id, failure_code="Gateway.NotAttached",
                                        failure_message=message("gw.nat_failed_no_igw", vpc=record.vpc_id)))
        if self._pool(record).free < 1:
            raise self._full(record, 1)
        saved_mode = self.address_mode
        self.address_mode = "random"  # AWS picks a NAT gateway's private IP at random
        try:
            eni = self._new_eni(record, (), private_ip, interface_type="nat_gateway",
                                name=f"NAT gateway {nat_id}")
        finally:
            self.address_mode = saved_mode
        public_ip = None
        if eip is not None:
            eni = self._put(evolve(eni, public_ip=eip.public_ip, allocation_id=eip.id))
            self._put(evolve(eip, network_interface_id=eni.id))
            public_ip = eip.public_ip
        nat = NatGateway(nat_id, name, record.id, record.vpc_id, connectivity, "available",
                         eni.private_ip, eip.id if eip else None, public_ip, eni_id=eni.id)
        self._nat_tables[nat_id] = NatTable(nat_id, public_ip or eni.private_ip, self.seed,
                                            self.quotas.nat_connections_per_destination)
        return self._put(nat)

    def delete_nat_gateway(self, nat: object) -> NatGateway:
        """The NAT gateway goes to ``deleted``; routes to it turn into blackholes."""
        gateway = self._ref(nat, NatGateway)
        if gateway.eni_id and gateway.eni_id in self._items:
            eni = self._ref(gateway.eni_id, NetworkInterface)
            if eni.allocation_id:
                self._put(evolve(self._ref(eni.allocation_id, ElasticIp), network_interface_id=None))
            self._release(eni)
            self._drop(eni)
        self._nat_tables.pop(gateway.id, None)
        return self._put(evolve(gateway, state="deleted", eni_id=None))

    def nat_translations(self, nat: object) -> NatTable:
        """The NAT gateway's translation table (connections opened with open_connection)."""
        gateway = self._ref(nat, NatGateway)
        table = self._nat_tables.get(gateway.id)
        if table is None:
            raise InvalidValue("IncorrectState", message("gw.nat_not_available", nat=gateway.label,
                                                         state=gateway.state),
                               fix=message("gw.nat_not_available_fix"))
        return table
