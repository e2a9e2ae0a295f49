"""VPCs and subnets: creating them the way AWS does (aws-vpc-facts.md §1, §2, §4, §7, §8).

A new VPC comes with a main route table (local routes only), a default security group
(inbound from its own members, outbound to everywhere) and a default network ACL (rule 100
allows all in and out, then ``*`` denies). The default VPC adds an internet gateway, a
0.0.0.0/0 route to it and one /20 public subnet per Availability Zone.
"""

from __future__ import annotations

from vpclab.cidr import parse
from vpclab.cidr_rules import validate_secondary_cidr, validate_subnet_cidr, validate_vpc_cidr
from vpclab.errors import Conflict, InvalidValue, LimitExceeded
from vpclab.i18n import message
from vpclab.resources import (
    ALL,
    NACL_DEFAULT_RULE,
    DhcpOptions,
    InternetGateway,
    NaclEntry,
    NetworkAcl,
    NetworkInterface,
    Resource,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnGateway,
    evolve,
)
from vpclab.world import R, World

__all__ = ["DEFAULT_VPC_CIDR", "VpcOperations", "default_nacl_entries", "deny_all_entries"]

DEFAULT_VPC_CIDR = "172.31.0.0/16"
ALL_TRAFFIC = SgRule(ALL, None, None, "0.0.0.0/0")


def deny_all_entries() -> tuple[NaclEntry, ...]:
    """The ``*`` rules every NACL ends with (all that a new custom NACL has)."""
    return tuple(NaclEntry(NACL_DEFAULT_RULE, egress, ALL, "deny", "0.0.0.0/0") for egress in (False, True))


def default_nacl_entries() -> tuple[NaclEntry, ...]:
    """A default NACL: rule 100 allows everything, each direction, before the ``*`` rule."""
    allow = tuple(NaclEntry(100, egress, ALL, "allow", "0.0.0.0/0") for egress in (False, True))
    return allow + deny_all_entries()


class VpcOperations(World):
    """create_vpc, associate_vpc_cidr_block, create_subnet, create_default_vpc, deletions."""

    def create_vpc(self, cidr: str, name: str | None = None) -> Vpc:
        """A VPC with its main route table, default security group and default NACL."""
        block = validate_vpc_cidr(cidr)
        if len(self._all(Vpc)) >= self.quotas.vpcs_per_region:
            raise LimitExceeded("VpcLimitExceeded",
                                message("vpc.limit", limit=self.quotas.vpcs_per_region, region=self.region),
                                fix=message("vpc.limit_fix"))
        return self._new_vpc(str(block), name, is_default=False)

    def _new_vpc(self, cidr: str, name: str | None, *, is_default: bool, vpc_id: str | None = None) -> Vpc:
        vpc_id = vpc_id or self._new_id("vpc")
        rtb = RouteTable(self._new_id("rtb"), None, vpc_id, (Route(cidr, "local", "CreateRouteTable"),),
                         is_main=True)
        sg_id = self._new_id("sg")
        sg = SecurityGroup(sg_id, "default", vpc_id, "default", "default VPC security group",
                           ingress=(SgRule(ALL, None, None, sg_id),), egress=(ALL_TRAFFIC,))
        acl = NetworkAcl(self._new_id("acl"), None, vpc_id, default_nacl_entries(), is_default=True)
        for item in (rtb, sg, acl):
            self._put(item)
        return self._put(Vpc(vpc_id, name, (cidr,), rtb.id, sg_id, acl.id, self._default_dhcp_options().id,
                             is_default))

    def _default_dhcp_options(self) -> DhcpOptions:
        """The Region's default options set: AmazonProvidedDNS and the Region's domain name."""
        existing = [d for d in self._all(DhcpOptions) if d.name == "default"]
        if existing:
            return existing[0]
        domain = "ec2.internal" if self.region == "us-east-1" else f"{self.region}.compute.internal"
        return self._put(DhcpOptions(self._new_id("dopt"), "default", domain))

    def associate_vpc_cidr_block(self, vpc: object, cidr: str) -> Vpc:
        """Add a secondary IPv4 block; every route table of the VPC gets a local route for it."""
        record = self._ref(vpc, Vpc)
        tables = [t for t in self._all(RouteTable) if t.vpc_id == record.id]
        destinations = [r.destination for t in tables for r in t.routes
                        if r.target != "local" and not r.destination.startswith("pl-")]
        block = validate_secondary_cidr(cidr, record.cidr_blocks, route_destinations=destinations,
                                        limit=self.quotas.cidr_blocks_per_vpc)
        for table in tables:
            self._put(evolve(table, routes=(*table.routes, Route(str(block), "local", "CreateRouteTable"))))
        return self._put(evolve(record, cidr_blocks=(*record.cidr_blocks, str(block))))

    def create_subnet(self, vpc: object, cidr: str, az: str | None = None, name: str | None = None,
                      *, map_public_ip_on_launch: bool = False) -> Subnet:
        """A subnet in one AZ, inside one of the VPC's blocks, overlapping no other subnet."""
        record = self._ref(vpc, Vpc)
        zone = self._zone(az)
        siblings = [s for s in self._all(Subnet) if s.vpc_id == record.id]
        if len(siblings) >= self.quotas.subnets_per_vpc:
            raise LimitExceeded("SubnetLimitExceeded",
                                message("vpc.subnet_limit", limit=self.quotas.subnets_per_vpc, vpc=record.label),
                                fix=message("vpc.limit_fix"))
        block = validate_subnet_cidr(cidr, record.cidr_blocks, [s.cidr for s in siblings])
        return self._add_subnet(Subnet(self._new_id("subnet"), name, record.id, str(block), zone,
                                       map_public_ip_on_launch))

    def _add_subnet(self, subnet: Subnet) -> Subnet:
        """Store a new subnet; like AWS, it is associated with the VPC's default NACL."""
        vpc = self._ref(subnet.vpc_id, Vpc)
        acl = self._ref(vpc.default_network_acl_id, NetworkAcl)
        self._put(evolve(acl, associations=(*acl.associations, subnet.id)))
        return self._put(subnet)

    def _require_same_vpc(self, thing: Resource, vpc_id: str, other: Resource) -> None:
        """``thing`` (a route table or NACL) must belong to the VPC of ``other``."""
        if getattr(thing, "vpc_id", None) != vpc_id:
            raise InvalidValue("InvalidParameterValue",
                               message("routing.other_vpc", table=thing.label, subnet=other.label),
                               fix=message("routing.other_vpc_fix"))

    def _without_association(self, record: R, subnet_id: str) -> R:
        """Store ``record`` (a route table or NACL) without its association to ``subnet_id``."""
        kept = tuple(a for a in getattr(record, "associations", ()) if a != subnet_id)
        return self._put(evolve(record, associations=kept))

    def subnets(self, vpc: object) -> tuple[Subnet, ...]:
        """The VPC's subnets, in address order."""
        vpc_id = self._ref(vpc, Vpc).id
        return tuple(sorted((s for s in self._all(Subnet) if s.vpc_id == vpc_id), key=lambda s: parse(s.cidr)))

    def modify_subnet_attribute(self, subnet: object, *, map_public_ip_on_launch: bool) -> Subnet:
        return self._put(evolve(self._ref(subnet, Subnet), map_public_ip_on_launch=map_public_ip_on_launch))

    def _zone(self, az: str | None) -> str:
        if az is None:
            return self.azs[0]
        if az in self.azs:
            return az
        if len(az) == 1 and f"{self.region}{az}" in self.azs:
            return f"{self.region}{az}"
        raise InvalidValue("InvalidParameterValue", message("vpc.bad_az", az=az, region=self.region),
                           fix=message("vpc.bad_az_fix", azs=", ".join(self.azs)))

    def create_default_vpc(self) -> Vpc:
        """The default VPC exactly as AWS builds it (aws-vpc-facts.md §2)."""
        if any(v.is_default for v in self._all(Vpc)):
            raise Conflict("DefaultVpcAlreadyExists", message("vpc.default_exists", region=self.region),
                           fix=message("vpc.default_exists_fix"))
        vpc = self._new_vpc(DEFAULT_VPC_CIDR, None, is_default=True)
        igw = self._put(InternetGateway(self._new_id("igw"), None, vpc.id))
        main = self._ref(vpc.main_route_table_id, RouteTable)
        self._put(evolve(main, routes=(*main.routes, Route("0.0.0.0/0", igw.id, "CreateRoute"))))
        for zone, block in zip(self.azs, parse(DEFAULT_VPC_CIDR).subnets(20), strict=False):
            self._add_subnet(Subnet(self._new_id("subnet"), None, vpc.id, str(block), zone,
                                    map_public_ip_on_launch=True, default_for_az=True))
        return vpc

    def delete_subnet(self, subnet: object) -> None:
        record = self._ref(subnet, Subnet)
        users = [i.id for i in self._items.values()
                 if isinstance(i, NetworkInterface) and i.subnet_id == record.id]
        if users:
            raise Conflict("DependencyViolation", message("vpc.subnet_in_use", subnet=record.label,
                                                          users=", ".join(sorted(users))),
                           fix=message("vpc.subnet_in_use_fix"))
        self._subnet_acls.pop(record.id, None)
        self._subnet_tables.pop(record.id, None)
        holders: list[RouteTable | NetworkAcl] = [*self._all(RouteTable), *self._all(NetworkAcl)]
        for holder in holders:
            if record.id in holder.associations:
                self._without_association(holder, record.id)
        self._drop(record)

    def delete_vpc(self, vpc: object) -> None:
        record = self._ref(vpc, Vpc)
        blockers = sorted(
            item.id for item in self._items.values()
            if (isinstance(item, Subnet) and item.vpc_id == record.id)
            or (isinstance(item, InternetGateway) and item.vpc_id == record.id)
            or (isinstance(item, SecurityGroup) and item.vpc_id == record.id
                and item.id != record.default_security_group_id)
            or (isinstance(item, RouteTable) and item.vpc_id == record.id and not item.is_main)
            or (isinstance(item, NetworkAcl) and item.vpc_id == record.id and not item.is_default)
            or (isinstance(item, VpnGateway | VpcEndpoint) and item.vpc_id == record.id)
            or (isinstance(item, VpcPeeringConnection) and item.status in ("pending-acceptance", "active")
                and record.id in (item.requester_vpc_id, item.accepter_vpc_id))
        )
        if blockers:
            raise Conflict("DependencyViolation", message("vpc.vpc_in_use", vpc=record.label,
                                                          users=", ".join(blockers)),
                           fix=message("vpc.vpc_in_use_fix"))
        for item in list(self._items.values()):
            if getattr(item, "vpc_id", None) == record.id:
                self._drop(item)
        self._drop(record)
