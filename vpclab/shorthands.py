"""Friendly shorthands for notebooks: each is a few AWS operations done in the usual order.

>>> from vpclab import Cloud
>>> lab = Cloud(seed=1)
>>> vpc = lab.create_vpc("10.0.0.0/16", name="lab")
>>> public = lab.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
>>> app = lab.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app", nat_in=public)
>>> web_sg = lab.create_security_group(vpc, "web-sg")
>>> _ = lab.allow(web_sg, 443, source="0.0.0.0/0")
>>> web = lab.launch(public, "web", web_sg)
>>> lab.trace("8.8.8.8", web, "tcp", 443).reachable
True

Each shorthand only calls the validated operations, so the errors are AWS's.
"""

from __future__ import annotations

from vpclab.errors import InvalidValue
from vpclab.i18n import message
from vpclab.resources import Instance, InternetGateway, NatGateway, SecurityGroup, Subnet, Vpc
from vpclab.trace import Trace, TraceOperations

__all__ = ["LINUX_EPHEMERAL_PORTS", "ShorthandOperations"]

LINUX_EPHEMERAL_PORTS = (32768, 60999)  # the Linux kernel's default range (aws-vpc-facts.md §8)


class ShorthandOperations(TraceOperations):
    """add_internet_gateway, add_public_subnet, add_private_subnet, allow, launch, open_connection."""

    def add_internet_gateway(self, vpc: object, name: str | None = None) -> InternetGateway:
        """The VPC's internet gateway, created and attached if it has none."""
        record = self._ref(vpc, Vpc)
        existing = self.internet_gateway_of(record)
        if existing is not None:
            return existing
        gateway = self.create_internet_gateway(name or f"{record.name or record.id}-igw")
        return self.attach_internet_gateway(gateway, record)

    def add_public_subnet(self, vpc: object, cidr: str, az: str | None = None, name: str | None = None) -> Subnet:
        """A subnet whose route table sends 0.0.0.0/0 to the internet gateway, and whose
        instances get public IPv4 addresses on launch."""
        record = self._ref(vpc, Vpc)
        subnet = self.create_subnet(record, cidr, az, name, map_public_ip_on_launch=True)
        gateway = self.add_internet_gateway(record)
        table = self.create_route_table(record, f"{name or subnet.id}-rt")
        self.create_route(table, "0.0.0.0/0", gateway)
        self.associate_route_table(table, subnet)
        return subnet

    def add_private_subnet(self, vpc: object, cidr: str, az: str | None = None, name: str | None = None, *,
                           nat_in: object | None = None) -> Subnet:
        """A subnet with its own route table; with ``nat_in`` (a public subnet), a NAT gateway
        there (with a new Elastic IP) and a 0.0.0.0/0 route to it."""
        record = self._ref(vpc, Vpc)
        subnet = self.create_subnet(record, cidr, az, name)
        table = self.create_route_table(record, f"{name or subnet.id}-rt")
        self.associate_route_table(table, subnet)
        if nat_in is not None:
            host = self._ref(nat_in, Subnet)
            nat = next((n for n in self._all(NatGateway) if n.subnet_id == host.id and n.state == "available"), None)
            if nat is None:
                nat = self.create_nat_gateway(host, self.allocate_address(), name=f"{host.name or host.id}-nat")
            self.create_route(table, "0.0.0.0/0", nat)
        return subnet

    def allow(self, sg: object, port: int | tuple[int, int] | None = None, *, source: object = "0.0.0.0/0",
              protocol: str = "tcp") -> SecurityGroup:
        """Allow inbound ``protocol``/``port`` from a CIDR or from another security group."""
        single: int | None = None
        ports: tuple[int, int] | None = None
        if port is None or (isinstance(port, int) and not isinstance(port, bool)):
            single = port
        else:
            ports = port  # type: ignore[assignment]  # a tuple, or anything else: checked where the rule is made
        if isinstance(source, str) and "/" in source:
            return self.authorize_security_group_ingress(sg, protocol, single, ports=ports, cidr=source)
        return self.authorize_security_group_ingress(sg, protocol, single, ports=ports, source_group=source)

    def launch(self, subnet: object, name: str | None = None, *security_groups: object) -> Instance:
        """One instance (the VPC's default security group when none is given)."""
        return self.run_instances(subnet, 1, name, list(security_groups) or None)[0]

    def open_connection(self, source: object, destination: object, protocol: str = "tcp", port: int = 443, *,
                        source_port: int | None = None) -> Trace:
        """Open a connection for real: like :meth:`trace`, but the NAT gateways on the way
        record the translation (see ``cloud.nat_translations(nat)``). Without
        ``source_port`` the client picks one from the Linux ephemeral range."""
        source = source.strip() if isinstance(source, str) else source
        destination = destination.strip() if isinstance(destination, str) else destination
        if source_port is None:
            source_port = self._rng.randint(*LINUX_EPHEMERAL_PORTS)
        sender, _ = self._trace_source(source)
        destination_ip = self._trace_destination(destination, sender)[0]
        result = self.trace(source, destination, protocol, port, source_port=source_port)
        if not result.reachable:
            first = result.explanations[0]
            raise InvalidValue("ConnectionRefused", message("shorthand.cannot_connect", code=first.code,
                                                            reason=first.message),
                               fix=message("shorthand.cannot_connect_fix"))
        for hop in result.forward:
            if hop.type == "nat-gateway" and hop.action == "translate" and hop.translated:
                inside_ip, inside_port = hop.translated["from"].rsplit(":", 1)
                table = self._nat_tables[hop.component]
                table.limit = self.quotas.nat_connections_per_destination  # quotas may have been raised
                table.translate(
                    result.protocol, inside_ip, int(inside_port), destination_ip, int(port))
        return result
