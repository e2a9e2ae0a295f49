"""VPC peering (aws-vpc-facts.md §10): two VPCs joined one to one, and nothing more.

Lifecycle: pending-acceptance → active (accepted), or rejected, expired (not accepted within
168 hours), failed (overlapping CIDRs), deleted. Routes are needed on both sides; a route to
a peering that is not active is a blackhole. Peering is not transitive, and a peer cannot use
this VPC's internet gateway, NAT gateway, VPN, Direct Connect or gateway endpoints.
"""

from __future__ import annotations

from vpclab.cidr import span
from vpclab.endpoints import EndpointOperations
from vpclab.errors import Conflict, InvalidValue, LimitExceeded
from vpclab.i18n import message
from vpclab.resources import SecurityGroup, Vpc, VpcPeeringConnection, evolve

__all__ = ["EXPIRY_HOURS", "PeeringOperations"]

EXPIRY_HOURS = 168  # a request not accepted within a week expires
_OPEN = ("pending-acceptance", "provisioning", "active")


class PeeringOperations(EndpointOperations):
    """create / accept / reject / delete VPC peering connections."""

    clock_hours: float = 0.0

    def create_vpc_peering_connection(self, requester: object, accepter: object,
                                      name: str | None = None) -> VpcPeeringConnection:
        one, other = self._ref(requester, Vpc), self._ref(accepter, Vpc)
        if one.id == other.id:
            raise InvalidValue("InvalidParameterValue", message("pcx.same_vpc"), fix=message("pcx.same_vpc_fix"))
        for existing in self._all(VpcPeeringConnection):
            if existing.status in _OPEN and {existing.requester_vpc_id, existing.accepter_vpc_id} == {one.id, other.id}:
                raise Conflict("VpcPeeringConnectionAlreadyExists",
                               message("pcx.exists", pcx=existing.id, a=one.label, b=other.label),
                               fix=message("pcx.exists_fix"))
        overlap = next(((a, b) for a in one.cidr_blocks for b in other.cidr_blocks
                        if span(a)[0] <= span(b)[1] and span(b)[0] <= span(a)[1]), None)
        status, note = "pending-acceptance", ""
        if overlap is not None:
            status, note = "failed", message("pcx.overlap", a=overlap[0], b=overlap[1])
        return self._put(VpcPeeringConnection(self._new_id("pcx"), name, one.id, other.id, status, note,
                                              self.clock_hours))

    def _transition(self, pcx: object, allowed: tuple[str, ...], new: str) -> VpcPeeringConnection:
        record = self._ref(pcx, VpcPeeringConnection)
        self._expire()
        record = self._ref(record.id, VpcPeeringConnection)
        if record.status not in allowed:
            raise InvalidValue("InvalidStateTransition",
                               message("pcx.bad_state", pcx=record.label, status=record.status, new=new),
                               fix=message("pcx.bad_state_fix"))
        return self._put(evolve(record, status=new))

    def accept_vpc_peering_connection(self, pcx: object) -> VpcPeeringConnection:
        record = self._ref(pcx, VpcPeeringConnection)
        for vpc_id in (record.requester_vpc_id, record.accepter_vpc_id):
            active = [p for p in self._all(VpcPeeringConnection)
                      if p.status == "active" and vpc_id in (p.requester_vpc_id, p.accepter_vpc_id)]
            if len(active) >= self.quotas.active_peerings_per_vpc:
                raise LimitExceeded("VpcPeeringConnectionLimitExceeded",
                                    message("pcx.limit", vpc=vpc_id, limit=self.quotas.active_peerings_per_vpc),
                                    fix=message("vpc.limit_fix"))
        return self._transition(record, ("pending-acceptance",), "active")

    def reject_vpc_peering_connection(self, pcx: object) -> VpcPeeringConnection:
        return self._transition(pcx, ("pending-acceptance",), "rejected")

    def delete_vpc_peering_connection(self, pcx: object) -> VpcPeeringConnection:
        return self._transition(pcx, ("pending-acceptance", "active"), "deleted")

    def advance_clock(self, hours: float) -> None:
        """Let time pass (for lessons): peering requests older than 168 hours expire."""
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 <= hours < float("inf"):
            raise InvalidValue("InvalidParameterValue", message("pcx.bad_hours", hours=hours),
                               fix=message("pcx.bad_hours_fix"))
        self.clock_hours += hours
        self._expire()

    def _expire(self) -> None:
        for record in self._all(VpcPeeringConnection):
            if record.status == "pending-acceptance" and self.clock_hours - record.created_hour >= EXPIRY_HOURS:
                self._put(evolve(record, status="expired"))

    def active_peers(self, vpc_id: str) -> list[str]:
        """The VPCs actively peered with ``vpc_id``."""
        return [p.peer_of(vpc_id) for p in self._all(VpcPeeringConnection)
                if p.status == "active" and vpc_id in (p.requester_vpc_id, p.accepter_vpc_id)]

    def _group_reachable(self, group: SecurityGroup, other: SecurityGroup) -> bool:
        """A rule may name a group of its own VPC or of an actively peered VPC (same Region)."""
        return other.vpc_id == group.vpc_id or other.vpc_id in self.active_peers(group.vpc_id)
