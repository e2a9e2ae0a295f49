"""Properties of the engine, checked with Hypothesis over random route tables, rules and worlds.

- Longest-prefix match: the route the VPC router picks is the one netaddr calls the smallest
  matching CIDR (aws-vpc-facts.md §4, "Route selection").
- Security groups are stateful: a reply to an allowed request is never blocked by a security
  group, whatever its rules for the other direction say (§7, "Security groups are stateful").
- NACLs are stateless: without the outbound ephemeral-port rule, TCP replies leaving the server
  subnet are denied by the ``*`` rule, and nothing else changes (§8).
- Robustness: any sequence of operations, valid or not, either succeeds or raises a
  ``VpcLabError``; nothing else ever escapes (errors.py: "VpcLabError, base of everything
  vpclab raises on purpose"). The same holds with peering, transit gateways, VPN, Direct
  Connect and VPC endpoints in the world, for traces across them, and for the AWS JSON round
  trip (``Cloud.from_aws(cloud.to_aws())``).
"""

from __future__ import annotations

import ipaddress
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import netaddr
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule

from vpclab import Cloud, VpcLabError
from vpclab.errors import VpcLabWarning
from vpclab.resources import Route, RouteTable, Subnet, TransitGatewayRouteTable, VpnGateway
from vpclab.routing import select_route

# No example database: these tests write nothing into the working tree.
PROPERTY_SETTINGS = settings(max_examples=80, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])

INTERNET_CLIENTS = ("203.0.113.7", "198.51.100.20", "8.8.8.8", "93.184.216.34")


def canonical(address: int, prefix: int) -> str:
    return str(ipaddress.IPv4Network((address, prefix), strict=False))


@st.composite
def cidr_blocks(draw: st.DrawFn, low: int = 0, high: int = 32) -> str:
    address = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return canonical(address, draw(st.integers(min_value=low, max_value=high)))


def address_in(cidr: str, offset: int) -> str:
    network = ipaddress.IPv4Network(cidr)
    return str(network.network_address + offset % network.num_addresses)


# --- a. longest-prefix match -----------------------------------------------------------------------

TARGETS = ("igw-0a1", "nat-0b2", "eni-0c3", "pcx-0d4", "tgw-0e5", "vgw-0f6", "eigw-0a7")


@st.composite
def route_tables(draw: st.DrawFn) -> list[Route]:
    """One or two local routes (VPC blocks, /16–/28, not overlapping) and static routes to random
    destinations of any length, each destination once (AWS refuses a second route to one)."""
    locals_ = draw(st.lists(cidr_blocks(16, 28), min_size=1, max_size=2, unique=True))
    if len(locals_) == 2:
        assume(not ipaddress.IPv4Network(locals_[0]).overlaps(ipaddress.IPv4Network(locals_[1])))
    others = draw(st.lists(cidr_blocks(0, 32), max_size=12, unique=True))
    routes = [Route(cidr, "local", "CreateRouteTable") for cidr in locals_]
    routes += [Route(cidr, draw(st.sampled_from(TARGETS)), "CreateRoute") for cidr in others if cidr not in locals_]
    return draw(st.permutations(routes))


@st.composite
def addresses_near(draw: st.DrawFn, routes: list[Route]) -> str:
    """A random address, or one inside a random route's destination (so that matches are common)."""
    if routes and draw(st.booleans()):
        route = draw(st.sampled_from(routes))
        return address_in(route.destination, draw(st.integers(min_value=0, max_value=2**32 - 1)))
    return str(ipaddress.IPv4Address(draw(st.integers(min_value=0, max_value=2**32 - 1))))


@PROPERTY_SETTINGS
@given(st.data())
def test_select_route_is_the_smallest_matching_cidr(data: st.DataObject) -> None:
    routes = data.draw(route_tables())
    destinations = [route.destination for route in routes]
    for _ in range(8):
        address = data.draw(addresses_near(routes))
        expected = netaddr.smallest_matching_cidr(address, destinations)
        chosen = select_route(routes, address)
        if expected is None:
            assert chosen is None, (address, destinations)
        else:
            assert chosen is not None, (address, destinations)
            assert chosen.destination == str(expected), (address, destinations)
            assert chosen == next(r for r in routes if r.destination == str(expected))


@PROPERTY_SETTINGS
@given(st.lists(cidr_blocks(0, 32), min_size=1, max_size=8, unique=True), st.data())
def test_a_cloud_route_table_picks_the_smallest_matching_cidr(destinations: list[str], data: st.DataObject) -> None:
    # Through the Cloud: routes added with create_route, the decision read with route_for.
    # Destinations inside the VPC block would need the middlebox rules (§4), so they are left out.
    vpc_block = "10.0.0.0/16"
    destinations = [d for d in destinations
                    if not ipaddress.IPv4Network(d).subnet_of(ipaddress.IPv4Network(vpc_block))
                    and d != vpc_block]
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc(vpc_block, name="lpm")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a")
    igw = cloud.create_internet_gateway()
    cloud.attach_internet_gateway(igw, vpc)
    table = cloud.create_route_table(vpc)
    cloud.associate_route_table(table, subnet)
    for destination in destinations:
        cloud.create_route(table, destination, igw)
    routes = cloud.route_table_for(subnet).routes
    all_destinations = [r.destination for r in routes]
    for _ in range(6):
        address = data.draw(addresses_near(list(routes)))
        expected = netaddr.smallest_matching_cidr(address, all_destinations)
        decision = cloud.route_for(subnet, address)
        if expected is None:
            assert decision.route is None
        else:
            assert decision.route is not None and decision.route.destination == str(expected)


# --- b. security groups are stateful -------------------------------------------------------------------

@dataclass(frozen=True)
class SgRuleSpec:
    protocol: str  # tcp, udp, icmp or -1
    ports: tuple[int, int] | None
    peer: str  # a CIDR, or "client-sg" / "server-sg"


def _port_ranges() -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(lambda p: (min(p), max(p)))


PEER_CIDRS = ("0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24", "10.0.2.0/25", "203.0.113.0/24",
              "8.0.0.0/7", "192.168.0.0/16")


@st.composite
def sg_rule_specs(draw: st.DrawFn, port_hint: int) -> SgRuleSpec:
    protocol = draw(st.sampled_from(["tcp", "udp", "icmp", "-1"]))
    ports: tuple[int, int] | None = None
    if protocol in ("tcp", "udp"):
        ports = draw(st.one_of(_port_ranges(), st.just((port_hint, port_hint)),
                               st.integers(0, 65535).map(lambda p: (p, p))))
    peer = draw(st.one_of(st.sampled_from(PEER_CIDRS), cidr_blocks(0, 32),
                          st.sampled_from(["client-sg", "server-sg"])))
    return SgRuleSpec(protocol, ports, peer)


def _rule_matches(spec: SgRuleSpec, protocol: str, port: int, client_ip: str, client_in_client_sg: bool) -> bool:
    if spec.protocol not in ("-1", protocol):
        return False
    if spec.ports is not None and not spec.ports[0] <= port <= spec.ports[1]:
        return False
    if spec.peer == "client-sg":
        return client_in_client_sg
    if spec.peer == "server-sg":
        return False  # the client is never a member of the server's group
    return ipaddress.IPv4Address(client_ip) in ipaddress.IPv4Network(spec.peer)


@PROPERTY_SETTINGS
@given(
    placement=st.sampled_from(["same-subnet", "other-subnet", "internet"]),
    protocol=st.sampled_from(["tcp", "udp"]),
    port=st.integers(0, 65535),
    source_port=st.integers(1024, 65535),
    internet_client=st.sampled_from(INTERNET_CLIENTS),
    data=st.data(),
)
def test_a_security_group_never_blocks_the_reply_to_an_allowed_request(
        placement: str, protocol: str, port: int, source_port: int, internet_client: str,
        data: st.DataObject) -> None:
    specs = data.draw(st.lists(sg_rule_specs(port), max_size=6), label="server ingress rules")
    cloud = Cloud(seed=5)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    igw = cloud.create_internet_gateway()
    cloud.attach_internet_gateway(igw, vpc)
    subnet_a = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a")
    subnet_b = cloud.create_subnet(vpc, "10.0.2.0/24", az="us-east-1a")
    public = cloud.create_route_table(vpc)
    cloud.create_route(public, "0.0.0.0/0", igw)
    cloud.associate_route_table(public, subnet_b)
    # Both NACLs are the default one: everything allowed both ways.
    client_sg = cloud.create_security_group(vpc, "client")  # no inbound rules: replies need tracking
    server_sg = cloud.create_security_group(vpc, "server")
    cloud.revoke_security_group_egress(server_sg, "-1", cidr="0.0.0.0/0")  # no outbound rules at all
    groups = {"client-sg": client_sg, "server-sg": server_sg}
    kept: list[SgRuleSpec] = []
    for spec in specs:
        peer = {"source_group": groups[spec.peer]} if spec.peer in groups else {"cidr": spec.peer}
        try:
            cloud.authorize_security_group_ingress(server_sg, spec.protocol, ports=spec.ports, **peer)
        except VpcLabError as err:
            assert err.code == "InvalidPermission.Duplicate"
            continue
        kept.append(spec)
    (server,) = cloud.run_instances(subnet_b, security_groups=[server_sg], associate_public_ip=True)
    if placement == "internet":
        source: str = internet_client
        client_ip = internet_client
    else:
        (client,) = cloud.run_instances(subnet_b if placement == "same-subnet" else subnet_a,
                                        security_groups=[client_sg])
        source, client_ip = client.id, client.private_ip

    trace = cloud.trace(source, server.id, protocol, port, source_port=source_port)

    expected_forward = any(_rule_matches(s, protocol, port, client_ip, placement != "internet") for s in kept)
    forward_blocked = [e for e in trace.explanations if e.direction == "forward"]
    assert (not forward_blocked) == expected_forward, trace.to_dict()
    if not forward_blocked:
        # The request got in, so the reply must get out: the server's group has no outbound
        # rules and the client's group no inbound rules, yet both let the tracked reply pass.
        assert trace.reachable, trace.to_dict()
        assert all(e.code != "ENI_SG_RULES_MISMATCH" for e in trace.explanations)
        sg_hops = [h for h in trace.return_ if h.type == "security-group"]
        assert sg_hops and all(h.action == "allow" for h in sg_hops)
    else:
        assert [(e.code, e.component) for e in forward_blocked] == [("ENI_SG_RULES_MISMATCH", server_sg.id)]


# --- c. the NACL ephemeral-port rule ----------------------------------------------------------------------

@dataclass(frozen=True)
class EphemeralWorld:
    cloud: Cloud
    acl: Any
    out_rule: int
    server: Any
    neighbour: Any  # another instance in the server subnet
    client_a: Any  # an instance in subnet A (default NACL)
    client_c: Any  # an instance in subnet C (default NACL)


def build_ephemeral_world(port: int, in_rule: int, out_rule: int) -> EphemeralWorld:
    cloud = Cloud(seed=7)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    igw = cloud.create_internet_gateway()
    cloud.attach_internet_gateway(igw, vpc)
    subnet_a = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a")
    subnet_b = cloud.create_subnet(vpc, "10.0.2.0/24", az="us-east-1a")
    subnet_c = cloud.create_subnet(vpc, "10.0.3.0/24", az="us-east-1b")
    public = cloud.create_route_table(vpc)
    cloud.create_route(public, "0.0.0.0/0", igw)
    cloud.associate_route_table(public, subnet_b)
    acl = cloud.create_network_acl(vpc, name="server-acl")
    cloud.create_network_acl_entry(acl, in_rule, "tcp", "allow", "0.0.0.0/0", port=port)
    cloud.create_network_acl_entry(acl, out_rule, "tcp", "allow", "0.0.0.0/0", egress=True, ports=(1024, 65535))
    cloud.replace_network_acl_association(subnet_b, acl)
    server_sg = cloud.create_security_group(vpc, "server")
    cloud.authorize_security_group_ingress(server_sg, "tcp", port, cidr="0.0.0.0/0")
    cloud.authorize_security_group_ingress(server_sg, "udp", port, cidr="0.0.0.0/0")
    cloud.authorize_security_group_ingress(server_sg, "icmp", cidr="0.0.0.0/0")
    (server,) = cloud.run_instances(subnet_b, security_groups=[server_sg], associate_public_ip=True)
    (neighbour,) = cloud.run_instances(subnet_b, security_groups=[server_sg])
    (client_a,) = cloud.run_instances(subnet_a, security_groups=[server_sg])
    (client_c,) = cloud.run_instances(subnet_c, security_groups=[server_sg])
    return EphemeralWorld(cloud, acl, out_rule, server, neighbour, client_a, client_c)


@PROPERTY_SETTINGS
@given(
    port=st.integers(1, 65535),
    in_rule=st.integers(1, 32766),
    out_rule=st.integers(1, 32766),
    source_port=st.integers(1024, 65535),
    internet_client=st.sampled_from(INTERNET_CLIENTS),
)
def test_removing_the_outbound_ephemeral_rule_blocks_tcp_replies_and_nothing_else(
        port: int, in_rule: int, out_rule: int, source_port: int, internet_client: str) -> None:
    w = build_ephemeral_world(port, in_rule, out_rule)
    cloud = w.cloud
    to_server = [(w.client_a.id, w.server.id), (w.client_c.id, w.server.id), (internet_client, w.server.id)]
    # Traffic that never uses the server subnet's outbound rule: inside one subnet (no NACL at all),
    # between two other subnets, or refused on the way in by the server NACL's inbound rules.
    unrelated: list[tuple[str, str, str, int]] = [
        (w.neighbour.id, w.server.id, "tcp", port),
        (w.server.id, w.neighbour.id, "udp", port),
        (w.client_a.id, w.client_c.id, "tcp", port),
        (w.client_c.id, w.client_a.id, "udp", port),
        (w.client_a.id, w.server.id, "udp", port),
        (w.client_c.id, w.server.id, "icmp", port),
        (internet_client, w.server.id, "udp", port),
    ]
    before_tcp = [cloud.trace(s, d, "tcp", port, source_port=source_port) for s, d in to_server]
    before_unrelated = [cloud.trace(s, d, p, n, source_port=source_port).to_dict() for s, d, p, n in unrelated]
    assert all(t.reachable for t in before_tcp), [t.to_dict() for t in before_tcp if not t.reachable]

    cloud.delete_network_acl_entry(w.acl, w.out_rule, egress=True)

    for source, destination in to_server:
        trace = cloud.trace(source, destination, "tcp", port, source_port=source_port)
        assert not trace.reachable
        assert [(e.code, e.component, e.direction, e.rule) for e in trace.explanations] == [
            ("SUBNET_ACL_RESTRICTION", w.acl.id, "return", 32767)], trace.to_dict()
        assert all(hop.action not in ("deny", "drop") for hop in trace.forward), trace.to_dict()
        assert any(hop.action == "deliver" for hop in trace.forward)
        assert any(hop.component == w.acl.id and hop.action == "deny" for hop in trace.return_)
    after_unrelated = [cloud.trace(s, d, p, n, source_port=source_port).to_dict() for s, d, p, n in unrelated]
    for case, before, after in zip(unrelated, before_unrelated, after_unrelated, strict=True):
        assert after == before, case


# --- d. random worlds raise nothing but VpcLabError -------------------------------------------------------

GARBAGE_CIDRS = ("garbage", "", " ", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "300.1.1.1/16", "::/0",
                 "2001:db8::/32", "10.0.0.0//16", "10.0.0.0/16/16", " 10.0.0.0/16 ", "10.0.0.0/16\n",
                 "010.0.0.0/16", "10.0.0.0/255.255.0.0", "10.0.0.0/0.0.255.255", "0.0.0.0/0", "169.254.0.0/16",
                 "172.16.0.0/12", "192.168.0.0/16", "10.0.0.1/16", "10.0.0.0/8", "10.0.0.0/28", "10.0.0.0/29",
                 "pl-0123456789abcdef0", "10.0.0.0/16 ", "10.0.0.0/1e1", "1.2.3/24", "10.0.0.0/016")

garbage_cidrs = st.one_of(
    st.sampled_from(GARBAGE_CIDRS),
    st.builds(lambda a, p: canonical(a, p), st.integers(0x0A000000, 0x0AFFFFFF), st.integers(8, 32)),
    st.builds(lambda a, p: f"{ipaddress.IPv4Address(a)}/{p}", st.integers(0x0A000000, 0x0A03FFFF),
              st.integers(14, 30)),  # often with host bits set
    st.text(max_size=12),
)
# Mostly blocks that fit together (so that subnets, instances and routes get made), some garbage.
good_vpc_cidrs = st.sampled_from(["10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/24", "192.168.0.0/16", "100.64.0.0/16"])
good_subnet_cidrs = st.one_of(
    st.builds("10.0.{}.0/24".format, st.integers(0, 15)),
    st.builds("10.{}.{}.0/24".format, st.integers(0, 1), st.integers(0, 7)),
    st.sampled_from(["10.0.0.0/28", "10.0.0.16/28", "192.168.1.0/24", "100.64.0.0/20", "10.0.0.0/16"]),
)
good_peer_cidrs = st.one_of(
    st.sampled_from(["0.0.0.0/0", "8.8.8.0/24", "203.0.113.0/24", "10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/8",
                     "192.168.0.0/16", "pl-0123456789abcdef0"]),
    good_subnet_cidrs,
)
vpc_cidrs = st.one_of(good_vpc_cidrs, good_vpc_cidrs, garbage_cidrs)
subnet_cidrs = st.one_of(good_subnet_cidrs, good_subnet_cidrs, garbage_cidrs)
peer_cidrs = st.one_of(good_peer_cidrs, good_peer_cidrs, garbage_cidrs)
protocols = st.one_of(
    st.sampled_from(["tcp", "udp", "icmp", "-1"]),
    st.sampled_from(["tcp", "udp", "icmp", "-1", "all", "6", "17", "1", "47", "TCP", " udp ", "256", "-2", "",
                     "foo", "icmpv6"]),
    st.integers(-3, 300),
)
ports = st.one_of(st.sampled_from([None, 22, 53, 443, 8080]), st.integers(-5, 70000))
port_pairs = st.one_of(st.sampled_from([None, (1024, 65535), (0, 65535), (80, 443)]),
                       st.tuples(st.integers(-5, 70000), st.integers(-5, 70000)))
names = st.one_of(st.none(), st.sampled_from(["a", "b", "web", "db", "sg-x", "default", ""]))
ref_names = st.sampled_from(["a", "b", "web", "db", "default", "", "vpc-0123456789abcdef0", "sg-x"])  # by Name tag
azs = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "us-east-1a", "us-east-1c"]),
                st.sampled_from(["d", "us-west-2a", "", "A"]))
# Either port or ports is the usual call; both at once (refused) sometimes.
port_specs = st.one_of(st.tuples(ports, st.none()), st.tuples(st.none(), port_pairs), st.tuples(ports, port_pairs))
rule_numbers = st.one_of(st.sampled_from([1, 100, 110, 200, 32766]), st.integers(-3, 40000))
plain_addresses = st.one_of(
    st.integers(0x0A000000, 0x0A0107FF).map(lambda n: str(ipaddress.IPv4Address(n))),  # in the base VPC
    st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n))),
    st.sampled_from(["8.8.8.8", "203.0.113.7", "10.0.0.2", "169.254.169.253", "10.0.1.1", "10.0.1.255"]),
)
addresses = st.one_of(
    plain_addresses,
    plain_addresses,
    # as pasted by a learner: padded with spaces or a newline
    st.builds(lambda a, pad: pad[0] + a + pad[1], plain_addresses,
              st.sampled_from([(" ", ""), ("", " "), ("", "\n"), ("  ", "  ")])),
    st.sampled_from(["256.1.1.1", "not-an-ip", "", "10.0.0.0/16", "10.0.1", "8.8.8.8.8"]),
)


def _quietly(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one operation: its result, or None when it raises a VpcLabError. Anything else escapes
    and fails the test. (Host-bit warnings are legal input; pyproject.toml turns them into errors.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VpcLabWarning)
        try:
            return call(*args, **kwargs)
        except VpcLabError:
            return None


def _ids(result: Any) -> Any:
    if result is None:
        return multiple()
    if isinstance(result, tuple):
        return multiple(*(item.id for item in result))
    return multiple(result.id)


class RandomWorld(RuleBasedStateMachine):
    """Random operations, valid and invalid, on one Cloud: only VpcLabError may come out."""

    vpcs = Bundle("vpcs")
    subnets = Bundle("subnets")
    instances = Bundle("instances")
    tables = Bundle("tables")
    groups = Bundle("groups")
    acls = Bundle("acls")
    igws = Bundle("igws")
    eips = Bundle("eips")
    nats = Bundle("nats")

    def __init__(self) -> None:
        super().__init__()
        self.cloud = Cloud(seed=11)
        self._base: dict[str, tuple[str, ...]] | None = None

    def base(self, kind: str) -> Any:
        """A small working world to start from (so that random steps reach deep states): a VPC
        with an internet gateway, a public and a private subnet, a NAT gateway, two groups and
        three instances. Each ``initialize`` rule below puts part of it in a bundle."""
        if self._base is None:
            cloud = self.cloud
            vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
            igw = cloud.create_internet_gateway(name="lab-igw")
            cloud.attach_internet_gateway(igw, vpc)
            public = cloud.create_subnet(vpc, "10.0.1.0/24", az="a", name="public", map_public_ip_on_launch=True)
            private = cloud.create_subnet(vpc, "10.0.2.0/24", az="b", name="private")
            public_rt = cloud.create_route_table(vpc, name="public-rt")
            cloud.create_route(public_rt, "0.0.0.0/0", igw)
            cloud.associate_route_table(public_rt, public)
            eip = cloud.allocate_address()
            nat = cloud.create_nat_gateway(public, eip, name="lab-nat")
            private_rt = cloud.create_route_table(vpc, name="private-rt")
            cloud.create_route(private_rt, "0.0.0.0/0", nat)
            cloud.associate_route_table(private_rt, private)
            web_sg = cloud.create_security_group(vpc, "web-sg")
            cloud.authorize_security_group_ingress(web_sg, "tcp", 443, cidr="0.0.0.0/0")
            db_sg = cloud.create_security_group(vpc, "db-sg")
            cloud.authorize_security_group_ingress(db_sg, "tcp", 5432, source_group=web_sg)
            acl = cloud.create_network_acl(vpc, name="private-acl")
            cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.0.0/16", port=5432)
            cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "0.0.0.0/0", egress=True, ports=(1024, 65535))
            cloud.replace_network_acl_association(private, acl)
            web = cloud.run_instances(public, 2, name="web", security_groups=[web_sg])
            (db,) = cloud.run_instances(private, name="db", security_groups=[db_sg])
            self._base = {
                "vpcs": (vpc.id,), "igws": (igw.id,), "subnets": (public.id, private.id),
                "tables": (public_rt.id, private_rt.id, vpc.main_route_table_id), "eips": (eip.id,),
                "nats": (nat.id,), "groups": (web_sg.id, db_sg.id, vpc.default_security_group_id),
                "acls": (acl.id, vpc.default_network_acl_id), "instances": (*(w.id for w in web), db.id),
            }
        return multiple(*self._base[kind])

    @initialize(target=vpcs)
    def base_vpcs(self) -> Any:
        return self.base("vpcs")

    @initialize(target=subnets)
    def base_subnets(self) -> Any:
        return self.base("subnets")

    @initialize(target=instances)
    def base_instances(self) -> Any:
        return self.base("instances")

    @initialize(target=tables)
    def base_tables(self) -> Any:
        return self.base("tables")

    @initialize(target=groups)
    def base_groups(self) -> Any:
        return self.base("groups")

    @initialize(target=acls)
    def base_acls(self) -> Any:
        return self.base("acls")

    @initialize(target=igws)
    def base_igws(self) -> Any:
        return self.base("igws")

    @initialize(target=eips)
    def base_eips(self) -> Any:
        return self.base("eips")

    @initialize(target=nats)
    def base_nats(self) -> Any:
        return self.base("nats")

    # --- VPCs and subnets ----------------------------------------------------------------------------
    @rule(target=vpcs, cidr=vpc_cidrs, name=names)
    def create_vpc(self, cidr: str, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_vpc, cidr, name=name))

    @rule(target=vpcs)
    def create_default_vpc(self) -> Any:
        return _ids(_quietly(self.cloud.create_default_vpc))

    @rule(vpc=vpcs, cidr=vpc_cidrs)
    def associate_vpc_cidr_block(self, vpc: str, cidr: str) -> None:
        _quietly(self.cloud.associate_vpc_cidr_block, vpc, cidr)

    @rule(target=subnets, vpc=st.one_of(vpcs, vpcs, ref_names), cidr=subnet_cidrs, az=azs, name=names,
          public=st.booleans())
    def create_subnet(self, vpc: Any, cidr: str, az: str | None, name: str | None, public: bool) -> Any:
        return _ids(_quietly(self.cloud.create_subnet, vpc, cidr, az=az, name=name, map_public_ip_on_launch=public))

    @rule(subnet=subnets)
    def delete_subnet(self, subnet: str) -> None:
        _quietly(self.cloud.delete_subnet, subnet)

    @rule(vpc=vpcs)
    def delete_vpc(self, vpc: str) -> None:
        _quietly(self.cloud.delete_vpc, vpc)

    # --- instances and addresses ----------------------------------------------------------------
    @rule(target=instances, subnet=st.one_of(subnets, subnets, ref_names), name=names,
          launch=st.one_of(st.tuples(st.integers(1, 3), st.none()), st.tuples(st.just(1), addresses),
                           st.tuples(st.integers(-1, 4), st.none() | addresses)),
          groups=st.one_of(st.none(), st.lists(st.one_of(groups, groups, ref_names), max_size=3)),
          public=st.one_of(st.none(), st.booleans()))
    def run_instances(self, subnet: Any, name: str | None, launch: tuple[int, str | None], groups: Any,
                      public: bool | None) -> Any:
        count, private_ip = launch
        return _ids(_quietly(self.cloud.run_instances, subnet, count=count, name=name, security_groups=groups,
                             private_ip=private_ip, associate_public_ip=public))

    @rule(instance=instances)
    def terminate_instances(self, instance: str) -> None:
        _quietly(self.cloud.terminate_instances, instance)

    @rule(instance=instances, check=st.booleans(), nat=st.one_of(st.none(), st.booleans()))
    def modify_network_interface_attribute(self, instance: str, check: bool, nat: bool | None) -> None:
        _quietly(self.cloud.modify_network_interface_attribute, instance, source_dest_check=check, nat_instance=nat)

    @rule(instance=instances, groups=st.lists(st.one_of(groups, ref_names), max_size=6))
    def modify_security_groups(self, instance: str, groups: list[Any]) -> None:
        _quietly(self.cloud.modify_security_groups, instance, groups)

    @rule(target=eips)
    def allocate_address(self) -> Any:
        return _ids(_quietly(self.cloud.allocate_address))

    @rule(eip=eips, instance=instances)
    def associate_address(self, eip: str, instance: str) -> None:
        _quietly(self.cloud.associate_address, eip, instance)

    @rule(eip=eips)
    def disassociate_or_release_address(self, eip: str) -> None:
        _quietly(self.cloud.disassociate_address, eip)
        _quietly(self.cloud.release_address, eip)

    # --- gateways ------------------------------------------------------------------------------------------
    @rule(target=igws, name=names)
    def create_internet_gateway(self, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_internet_gateway, name=name))

    @rule(igw=igws, vpc=vpcs)
    def attach_internet_gateway(self, igw: str, vpc: str) -> None:
        _quietly(self.cloud.attach_internet_gateway, igw, vpc)

    @rule(igw=igws, vpc=vpcs, delete=st.booleans())
    def detach_internet_gateway(self, igw: str, vpc: str, delete: bool) -> None:
        _quietly(self.cloud.detach_internet_gateway, igw, vpc)
        if delete:
            _quietly(self.cloud.delete_internet_gateway, igw)

    @rule(target=nats, subnet=subnets, eip=st.one_of(st.none(), eips),
          connectivity=st.sampled_from(["public", "private", "both"]))
    def create_nat_gateway(self, subnet: str, eip: str | None, connectivity: str) -> Any:
        return _ids(_quietly(self.cloud.create_nat_gateway, subnet, eip, connectivity=connectivity))

    @rule(nat=nats)
    def delete_nat_gateway(self, nat: str) -> None:
        _quietly(self.cloud.delete_nat_gateway, nat)

    # --- route tables ---------------------------------------------------------------------------------------
    @rule(target=tables, vpc=vpcs, name=names)
    def create_route_table(self, vpc: str, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_route_table, vpc, name=name))

    @rule(target=tables, subnet=subnets)
    def route_table_for(self, subnet: str) -> Any:
        return _ids(_quietly(self.cloud.route_table_for, subnet))

    @rule(table=tables, subnet=subnets)
    def associate_route_table(self, table: str, subnet: str) -> None:
        _quietly(self.cloud.associate_route_table, table, subnet)

    @rule(subnet=subnets)
    def disassociate_route_table(self, subnet: str) -> None:
        _quietly(self.cloud.disassociate_route_table, subnet)

    @rule(vpc=vpcs, table=tables)
    def set_main_route_table(self, vpc: str, table: str) -> None:
        _quietly(self.cloud.set_main_route_table, vpc, table)

    @rule(table=tables)
    def delete_route_table(self, table: str) -> None:
        _quietly(self.cloud.delete_route_table, table)

    @rule(table=tables, destination=peer_cidrs,
          via=st.one_of(igws, nats, instances, st.sampled_from(["local", "igw-1", "nat-1", "eni-1", "pcx-1",
                                                                 "tgw-1", "vgw-1", "i-1", "", "web"]),
                        st.integers(0, 3)),
          replace=st.booleans())
    def create_route(self, table: str, destination: str, via: Any, replace: bool) -> None:
        operation = self.cloud.replace_route if replace else self.cloud.create_route
        _quietly(operation, table, destination, via)

    @rule(table=tables, destination=peer_cidrs)
    def delete_route(self, table: str, destination: str) -> None:
        _quietly(self.cloud.delete_route, table, destination)

    # --- security groups ---------------------------------------------------------------------------------
    @rule(target=groups, vpc=vpcs, name=st.one_of(names, st.text(max_size=8)))
    def create_security_group(self, vpc: str, name: Any) -> Any:
        return _ids(_quietly(self.cloud.create_security_group, vpc, name))

    @rule(target=groups, vpc=vpcs)
    def default_group(self, vpc: str) -> Any:
        record = _quietly(self.cloud.get, vpc)
        return multiple(record.default_security_group_id) if record is not None else multiple()

    @rule(group=groups, protocol=protocols, port_spec=port_specs,
          peers=st.one_of(st.tuples(peer_cidrs, st.none()), st.tuples(st.none(), groups),
                          st.tuples(st.none(), ref_names), st.tuples(st.none() | peer_cidrs, st.none() | groups)),
          egress=st.booleans(), revoke=st.booleans())
    def authorize_or_revoke(self, group: str, protocol: Any, port_spec: tuple[Any, Any], peers: tuple[Any, Any],
                            egress: bool, revoke: bool) -> None:
        (port, port_range), (cidr, peer) = port_spec, peers
        if egress:
            call = self.cloud.revoke_security_group_egress if revoke else self.cloud.authorize_security_group_egress
            _quietly(call, group, protocol, port, ports=port_range, cidr=cidr, destination_group=peer)
        else:
            call = self.cloud.revoke_security_group_ingress if revoke else self.cloud.authorize_security_group_ingress
            _quietly(call, group, protocol, port, ports=port_range, cidr=cidr, source_group=peer)

    @rule(group=groups)
    def delete_security_group(self, group: str) -> None:
        _quietly(self.cloud.delete_security_group, group)

    # --- network ACLs -----------------------------------------------------------------------------------------
    @rule(target=acls, vpc=vpcs, name=names)
    def create_network_acl(self, vpc: str, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_network_acl, vpc, name=name))

    @rule(target=acls, subnet=subnets)
    def network_acl_for(self, subnet: str) -> Any:
        return _ids(_quietly(self.cloud.network_acl_for, subnet))

    @rule(acl=acls, number=rule_numbers, protocol=protocols, action=st.sampled_from(["allow", "deny", "ALLOW", "x"]),
          cidr=peer_cidrs, egress=st.booleans(), port_spec=port_specs, replace=st.booleans())
    def create_network_acl_entry(self, acl: str, number: int, protocol: Any, action: str, cidr: str, egress: bool,
                                 port_spec: tuple[Any, Any], replace: bool) -> None:
        port, port_range = port_spec
        call = self.cloud.replace_network_acl_entry if replace else self.cloud.create_network_acl_entry
        _quietly(call, acl, number, protocol, action, cidr, egress=egress, port=port, ports=port_range)

    @rule(acl=acls, number=st.one_of(rule_numbers, st.sampled_from([100, 32767, 32768])), egress=st.booleans())
    def delete_network_acl_entry(self, acl: str, number: int, egress: bool) -> None:
        _quietly(self.cloud.delete_network_acl_entry, acl, number, egress=egress)

    @rule(subnet=subnets, acl=acls)
    def replace_network_acl_association(self, subnet: str, acl: str) -> None:
        _quietly(self.cloud.replace_network_acl_association, subnet, acl)

    @rule(acl=acls)
    def delete_network_acl(self, acl: str) -> None:
        _quietly(self.cloud.delete_network_acl, acl)

    # --- tracing ----------------------------------------------------------------------------------------------
    @rule(source=st.one_of(instances, instances, nats, addresses, ref_names, subnets),
          destination=st.one_of(instances, instances, nats, addresses, ref_names, vpcs),
          protocol=st.one_of(protocols, st.just("tcp")), port=st.one_of(ports, st.sampled_from([22, 53, 443])),
          source_port=st.one_of(st.just(49152), st.integers(-1, 70000)), all_blockers=st.booleans())
    def trace(self, source: Any, destination: Any, protocol: Any, port: Any, source_port: int,
              all_blockers: bool) -> None:
        result = _quietly(self.cloud.trace, source, destination, protocol, port, source_port=source_port,
                          all_blockers=all_blockers)
        if result is not None:
            assert result.reachable == (result.explanations == ())
            result.to_dict()
            str(result)

    @rule(source=instances, destination=instances, port=st.sampled_from([22, 53, 443, 5432]))
    def trace_between_instances(self, source: str, destination: str, port: int) -> None:
        self.trace(source, destination, "tcp", port, 49152, False)

    @rule(address=addresses, instance=instances, outward=st.booleans(), port=st.sampled_from([22, 53, 443]))
    def trace_with_an_address(self, address: str, instance: str, outward: bool, port: int) -> None:
        source, destination = (instance, address) if outward else (address, instance)
        self.trace(source, destination, "tcp", port, 49152, False)

    # --- what must always hold ------------------------------------------------------------------------------
    @invariant()
    def every_subnet_has_one_route_table_and_one_acl(self) -> None:
        for subnet in self.cloud._all(Subnet):
            table = self.cloud.route_table_for(subnet)
            acl = self.cloud.network_acl_for(subnet)
            assert table.vpc_id == subnet.vpc_id and acl.vpc_id == subnet.vpc_id
        str(self.cloud._text_())


# Derandomized: the same worlds every run, so that a failure is reproducible without a database.
# The explain phase is left out: on a failure it costs more time than the shrinking itself.
RandomWorld.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None, database=None,
                                         derandomize=True, phases=[p for p in Phase if p is not Phase.explain],
                                         suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.filter_too_much])
test_random_worlds_raise_nothing_but_vpclab_errors = RandomWorld.TestCase


# --- e. random worlds with connections raise nothing but VpcLabError -----------------------------------------

SERVICE_NAMES = ("s3", "dynamodb", "sqs", "ec2", "execute-api", "S3", " s3 ", "DynamoDB", "s3.", "s3!", "a b", "..",
                 "-", "", " ", "ｓ3", "s3\n", "com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.dynamodb",
                 "com.amazonaws.us-east-1.sqs", "com.amazonaws.us-west-2.s3", "com.amazonaws.s3", "com.amazonaws.",
                 "com.amazonaws.us-east-1.", "com.amazonaws.us-east-1..", "COM.AMAZONAWS.US-EAST-1.S3")
services = st.one_of(st.sampled_from(SERVICE_NAMES[:4]), st.sampled_from(SERVICE_NAMES), st.text(max_size=10))
endpoint_types = st.one_of(st.sampled_from(["Gateway", "Interface"]),
                           st.sampled_from(["GatewayLoadBalancer", "gateway", "interface", ""]))
policies = st.one_of(st.none(), st.sampled_from([
    {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}, {},
    '{"Statement": []}', "not json", "", "[1, 2]", '"text"', "null", "{", {"a": "x" * 21000}, [1, 2], 5,
]))
# The base world's remote ends: on-premises behind the VPN, Direct Connect and the TGW's BGP VPN, S3, the internet.
known_remotes = st.sampled_from(["192.168.1.1", "192.168.100.1", "172.16.0.5", "10.200.0.5", "52.216.0.10",
                                 "52.94.0.10", "8.8.8.8", "10.1.1.200"])
# On-premises ranges (the base VPN and Direct Connect carry 192.168.0.0/16, the TGW 172.16.0.0/16 and 10.200.0.0/16),
# the partner VPC, AWS service ranges (s3 and dynamodb in us-east-1, the kit's stand-ins for interface services);
# and any of them as pasted by a learner, padded with whitespace.
_remotes = st.one_of(
    st.builds("192.168.{}.{}".format, st.integers(0, 255), st.integers(0, 255)),
    st.builds("172.16.{}.{}".format, st.integers(0, 3), st.integers(0, 255)),
    st.builds("10.200.{}.{}".format, st.integers(0, 3), st.integers(0, 255)),
    st.builds("10.1.1.{}".format, st.integers(0, 255)),
    st.sampled_from(["52.216.0.10", "54.231.7.7", "3.5.0.9", "52.94.0.10", "52.119.224.5", "18.180.0.1",
                     "172.31.0.5", "192.168.100.1", "10.2.0.5"]),
)
remote_addresses = st.one_of(
    _remotes,
    st.builds(lambda a, pad: pad[0] + a + pad[1], st.one_of(known_remotes, _remotes),
              st.sampled_from([(" ", ""), ("", " "), ("", "\n"), ("\t", " ")])),
)
paddings = st.sampled_from([("", ""), (" ", ""), ("", "\n")])  # an address as typed, or as pasted by a learner
hours = st.one_of(st.sampled_from([0, 1, 167, 168, 169, 1000, -200]), st.floats(-1e3, 1e6),
                  st.sampled_from([float("inf"), float("nan")]))
asns = st.one_of(st.sampled_from([65000, 64512, 1, 2_147_483_647, 4_200_000_000]), st.integers(-5, 2**33),
                 st.sampled_from([0, -1, True, 65000.0, "65000", None]))
cgw_addresses = st.one_of(st.sampled_from(["198.51.100.10", "203.0.113.50", "8.8.8.8", "10.0.1.5", "0.0.0.0"]),
                          addresses)
connected_cidrs = st.sampled_from(["0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16", "10.1.1.0/24", "192.168.0.0/16",
                                   "192.168.1.0/24", "172.16.0.0/12", "172.16.0.0/16", "172.16.1.0/24", "10.200.0.0/16",
                                   "52.216.0.0/15", "8.8.8.0/24"])
connect_ids = st.sampled_from(["vpce-0123", "pcx-0123", "tgw-0123", "tgw-rtb-0123", "tgw-attach-0123", "vgw-0123",
                               "cgw-0123", "vpn-0123", "dxvif-0123", "pl-0123", "lab", "partner", "office", ""])


class ConnectedWorld(RandomWorld):
    """RandomWorld and its rules, plus peering, transit gateways, VPN, Direct Connect and VPC
    endpoints, traces across them, and the AWS JSON round trip: only VpcLabError may come out."""

    endpoints = Bundle("endpoints")
    pcxs = Bundle("pcxs")
    tgws = Bundle("tgws")
    tgw_tables = Bundle("tgw_tables")
    attachments = Bundle("attachments")
    vgws = Bundle("vgws")
    cgws = Bundle("cgws")
    vpns = Bundle("vpns")
    enis = Bundle("enis")  # interfaces of transit gateway attachments and interface endpoints
    # RandomWorld's bundles, named here for the rules below
    vpcs, subnets, instances, tables = RandomWorld.vpcs, RandomWorld.subnets, RandomWorld.instances, RandomWorld.tables
    groups, nats = RandomWorld.groups, RandomWorld.nats

    def base(self, kind: str) -> Any:
        """RandomWorld's base, with a peered partner VPC, a transit gateway both VPCs are attached
        to (the lab in AZ a only; a default route to the lab), a VGW with a static VPN and a
        Direct Connect interface, a BGP VPN on the transit gateway (and a static TGW route to it),
        an S3 gateway endpoint and an SQS interface endpoint."""
        if self._base is None:
            super().base("vpcs")  # builds RandomWorld's part
            assert self._base is not None
            cloud, b = self.cloud, self._base
            lab, (public, private), (public_rt, private_rt, _) = b["vpcs"][0], b["subnets"], b["tables"]
            web_sg, private_acl = b["groups"][0], b["acls"][0]
            cloud.authorize_security_group_ingress(web_sg, "tcp", 22, cidr="192.168.0.0/16")
            for number, egress, ports in ((110, False, (22, 22)), (120, False, (443, 443)), (130, False, (1024, 65535)),
                                          (110, True, (22, 22)), (120, True, (443, 443))):
                cloud.create_network_acl_entry(private_acl, number, "tcp", "allow", "0.0.0.0/0", egress=egress,
                                               ports=ports)
            partner = cloud.create_vpc("10.1.0.0/16", name="partner")
            partner_app = cloud.create_subnet(partner, "10.1.1.0/24", az="a", name="partner-app")
            partner_sg = cloud.create_security_group(partner, "partner-sg")
            for source in ("10.0.0.0/16", "192.168.0.0/16", "172.16.0.0/12"):
                cloud.authorize_security_group_ingress(partner_sg, "-1", cidr=source)
            (partner_host,) = cloud.run_instances(partner_app, name="partner-host", security_groups=[partner_sg])
            partner_rt = cloud.route_table_for(partner_app)
            pcx = cloud.create_vpc_peering_connection(lab, partner, name="lab-partner")
            cloud.accept_vpc_peering_connection(pcx)
            cloud.create_route(private_rt, "10.1.0.0/16", pcx)
            cloud.create_route(partner_rt, "10.0.0.0/16", pcx)
            tgw = cloud.create_transit_gateway(name="hub")
            lab_link = cloud.create_transit_gateway_vpc_attachment(tgw, lab, [public], name="lab-link")  # AZ a only
            partner_link = cloud.create_transit_gateway_vpc_attachment(tgw, partner, [partner_app])
            cloud.create_route(public_rt, "10.1.0.0/16", pcx)
            for table in (public_rt, private_rt, partner_rt):
                cloud.create_route(table, "172.16.0.0/12", tgw)
            cloud.create_route(partner_rt, "0.0.0.0/0", tgw)
            tgw_table = cloud.get(tgw.id).default_route_table_id  # type: ignore[attr-defined]
            cloud.create_transit_gateway_route(tgw_table, "0.0.0.0/0", lab_link)
            vgw = cloud.create_vpn_gateway(name="lab-vgw")
            cloud.attach_vpn_gateway(vgw, lab)
            for table in (public_rt, private_rt):
                cloud.enable_vgw_route_propagation(table, vgw)
            cgw = cloud.create_customer_gateway("198.51.100.10", 65010, name="office")
            static_vpn = cloud.create_vpn_connection(cgw, vpn_gateway=vgw, name="office-static")
            cloud.create_vpn_connection_route(static_vpn, "192.168.0.0/16")
            bgp_vpn = cloud.create_vpn_connection(cgw, transit_gateway=tgw, static_routes_only=False, name="office-bgp")
            cloud.advertise_bgp_routes(bgp_vpn, ["172.16.0.0/16"])
            bgp_link = cloud.vpn_attachment(bgp_vpn.id)
            assert bgp_link is not None
            cloud.create_transit_gateway_route(tgw_table, "10.200.0.0/16", bgp_link)
            cloud.create_direct_connect_virtual_interface(vgw, ["192.168.100.0/24"], name="office-dx")
            s3 = cloud.create_vpc_endpoint(lab, "s3", route_tables=[public_rt, private_rt], name="lab-s3")
            sqs = cloud.create_vpc_endpoint(lab, "sqs", endpoint_type="Interface", subnets=[private],
                                            security_groups=[web_sg], name="lab-sqs")
            b["vpcs"] += (partner.id,)
            b["subnets"] += (partner_app.id,)
            b["tables"] += (partner_rt.id,)
            b["groups"] += (partner_sg.id,)
            b["instances"] += (partner_host.id,)
            b.update({
                "endpoints": (s3.id, sqs.id), "pcxs": (pcx.id,), "tgws": (tgw.id,), "tgw_tables": (tgw_table,),
                "attachments": (lab_link.id, partner_link.id, bgp_link.id),
                "vgws": (vgw.id,), "cgws": (cgw.id,), "vpns": (static_vpn.id, bgp_vpn.id),
                "enis": (*lab_link.network_interface_ids, *partner_link.network_interface_ids,
                         *sqs.network_interface_ids),
            })
        return multiple(*self._base[kind])

    @initialize(target=endpoints)
    def base_endpoints(self) -> Any:
        return self.base("endpoints")

    @initialize(target=pcxs)
    def base_pcxs(self) -> Any:
        return self.base("pcxs")

    @initialize(target=tgws)
    def base_tgws(self) -> Any:
        return self.base("tgws")

    @initialize(target=tgw_tables)
    def base_tgw_tables(self) -> Any:
        return self.base("tgw_tables")

    @initialize(target=attachments)
    def base_attachments(self) -> Any:
        return self.base("attachments")

    @initialize(target=vgws)
    def base_vgws(self) -> Any:
        return self.base("vgws")

    @initialize(target=cgws)
    def base_cgws(self) -> Any:
        return self.base("cgws")

    @initialize(target=vpns)
    def base_vpns(self) -> Any:
        return self.base("vpns")

    @initialize(target=enis)
    def base_enis(self) -> Any:
        return self.base("enis")

    # --- VPC endpoints and names -------------------------------------------------------------------------
    @rule(target=endpoints, vpc=st.one_of(vpcs, vpcs, ref_names), service=services, kind=endpoint_types,
          tables=st.lists(st.one_of(tables, tables, ref_names), max_size=3),
          subnets=st.lists(st.one_of(subnets, subnets, ref_names), max_size=3),
          groups=st.one_of(st.just(()), st.lists(st.one_of(groups, ref_names), max_size=3)),
          private_dns=st.booleans(), policy=policies, name=names)
    def create_vpc_endpoint(self, vpc: Any, service: str, kind: str, tables: list[Any], subnets: list[Any],
                            groups: Any, private_dns: bool, policy: Any, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_vpc_endpoint, vpc, service, endpoint_type=kind, route_tables=tables,
                             subnets=subnets, security_groups=groups, private_dns=private_dns, policy=policy,
                             name=name))

    @rule(target=enis, endpoint=endpoints)
    def endpoint_interfaces(self, endpoint: str) -> Any:
        record = _quietly(self.cloud.get, endpoint)
        return multiple(*getattr(record, "network_interface_ids", ()))

    @rule(endpoint=st.one_of(endpoints, endpoints, connect_ids),
          add=st.lists(st.one_of(tables, tables, ref_names), max_size=2),
          remove=st.lists(st.one_of(tables, ref_names), max_size=2))
    def modify_vpc_endpoint(self, endpoint: str, add: list[Any], remove: list[Any]) -> None:
        _quietly(self.cloud.modify_vpc_endpoint, endpoint, add_route_tables=add, remove_route_tables=remove)

    @rule(endpoint=st.one_of(endpoints, endpoints, connect_ids))
    def delete_vpc_endpoint(self, endpoint: str) -> None:
        _quietly(self.cloud.delete_vpc_endpoint, endpoint)

    @rule(service=services)
    def prefix_list_and_service_address(self, service: str) -> None:
        _quietly(self.cloud.prefix_list, service)
        _quietly(self.cloud.service_address, service)

    @rule(name=st.one_of(
        st.builds("{}.us-east-1.amazonaws.com".format, services),
        st.sampled_from(["s3.us-east-1.amazonaws.com", "sqs.us-east-1.amazonaws.com", "SQS.us-east-1.amazonaws.com.",
                         "amazonaws.com", ".amazonaws.com", "..amazonaws.com", "example.com", "", ".", "localhost",
                         "sqs.us-west-2.amazonaws.com", " sqs.us-east-1.amazonaws.com "]),
        st.text(max_size=12)),
        endpoint=st.one_of(st.none(), endpoints), source=st.one_of(instances, remote_addresses),
        all_blockers=st.booleans())
    def resolve_and_trace(self, name: str, endpoint: str | None, source: Any, all_blockers: bool) -> None:
        """Resolve a name (or an endpoint's own DNS name) and trace HTTPS to the first answer."""
        record = _quietly(self.cloud.get, endpoint) if endpoint is not None else None
        dns_names = getattr(record, "dns_names", ())
        answers = _quietly(self.cloud.resolve, dns_names[0] if dns_names else name)
        if answers:
            self.trace(source, answers[0], "tcp", 443, 49152, all_blockers)

    # --- peering -------------------------------------------------------------------------------------------
    @rule(target=pcxs, requester=st.one_of(vpcs, vpcs, ref_names), accepter=st.one_of(vpcs, vpcs, ref_names),
          name=names)
    def create_vpc_peering_connection(self, requester: Any, accepter: Any, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_vpc_peering_connection, requester, accepter, name=name))

    @rule(pcx=st.one_of(pcxs, pcxs, connect_ids), action=st.sampled_from(["accept", "reject", "delete"]))
    def change_vpc_peering_connection(self, pcx: str, action: str) -> None:
        _quietly(getattr(self.cloud, f"{action}_vpc_peering_connection"), pcx)

    @rule(hours=hours)
    def advance_clock(self, hours: float) -> None:
        _quietly(self.cloud.advance_clock, hours)

    # --- transit gateways --------------------------------------------------------------------------------
    @rule(target=tgws, name=names, association=st.booleans(), propagation=st.booleans())
    def create_transit_gateway(self, name: str | None, association: bool, propagation: bool) -> Any:
        return _ids(_quietly(self.cloud.create_transit_gateway, name, default_route_table_association=association,
                             default_route_table_propagation=propagation))

    @rule(target=tgw_tables, tgw=tgws)
    def default_tgw_table(self, tgw: str) -> Any:
        record = _quietly(self.cloud.get, tgw)
        table = getattr(record, "default_route_table_id", None)
        return multiple(table) if table else multiple()

    @rule(target=attachments, tgw=st.one_of(tgws, tgws, connect_ids), vpc=st.one_of(vpcs, vpcs, ref_names),
          subnets=st.lists(st.one_of(subnets, subnets, ref_names), max_size=3), name=names)
    def create_transit_gateway_vpc_attachment(self, tgw: Any, vpc: Any, subnets: list[Any], name: str | None) -> Any:
        link = _quietly(self.cloud.create_transit_gateway_vpc_attachment, tgw, vpc, subnets, name=name)
        return _ids(link)

    @rule(target=enis, link=attachments)
    def attachment_interfaces(self, link: str) -> Any:
        record = _quietly(self.cloud.get, link)
        return multiple(*getattr(record, "network_interface_ids", ()))

    @rule(target=tgw_tables, tgw=st.one_of(tgws, tgws, connect_ids), name=names)
    def create_transit_gateway_route_table(self, tgw: Any, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_transit_gateway_route_table, tgw, name=name))

    @rule(table=st.one_of(tgw_tables, tgw_tables, connect_ids), link=st.one_of(attachments, attachments, connect_ids),
          action=st.sampled_from(["associate_transit_gateway_route_table", "disassociate_transit_gateway_route_table",
                                  "enable_transit_gateway_route_table_propagation",
                                  "disable_transit_gateway_route_table_propagation"]))
    def tgw_table_link(self, table: Any, link: Any, action: str) -> None:
        _quietly(getattr(self.cloud, action), table, link)

    @rule(table=st.one_of(tgw_tables, tgw_tables, connect_ids), cidr=st.one_of(connected_cidrs, peer_cidrs),
          via=st.one_of(st.tuples(attachments, st.just(False)), st.tuples(st.none(), st.just(True)),
                        st.tuples(st.one_of(st.none(), attachments, connect_ids), st.booleans())),
          delete=st.booleans())
    def tgw_route(self, table: Any, cidr: str, via: tuple[Any, bool], delete: bool) -> None:
        link, blackhole = via
        if delete:
            _quietly(self.cloud.delete_transit_gateway_route, table, cidr)
        else:
            _quietly(self.cloud.create_transit_gateway_route, table, cidr, link, blackhole=blackhole)

    # --- VPN and Direct Connect -----------------------------------------------------------------------------
    @rule(target=vgws, name=names, asn=st.one_of(st.just(64512), st.integers(1, 4_294_967_295), asns))
    def create_vpn_gateway(self, name: str | None, asn: int) -> Any:
        return _ids(_quietly(self.cloud.create_vpn_gateway, name, asn))

    @rule(vgw=st.one_of(vgws, vgws, connect_ids), vpc=st.one_of(vpcs, vpcs, ref_names), detach=st.booleans())
    def attach_or_detach_vpn_gateway(self, vgw: Any, vpc: Any, detach: bool) -> None:
        if detach:
            _quietly(self.cloud.detach_vpn_gateway, vgw)
        else:
            _quietly(self.cloud.attach_vpn_gateway, vgw, vpc)

    @rule(target=cgws, address=cgw_addresses, asn=asns, name=names)
    def create_customer_gateway(self, address: str, asn: Any, name: str | None) -> Any:
        return _ids(_quietly(self.cloud.create_customer_gateway, address, asn, name=name))

    @rule(target=vpns, cgw=st.one_of(cgws, cgws, connect_ids),
          side=st.one_of(st.tuples(vgws, st.none()), st.tuples(st.none(), tgws),
                         st.tuples(st.none() | vgws | connect_ids, st.none() | tgws | connect_ids)),
          static=st.booleans(), name=names)
    def create_vpn_connection(self, cgw: Any, side: tuple[Any, Any], static: bool, name: str | None) -> Any:
        vgw, tgw = side
        return _ids(_quietly(self.cloud.create_vpn_connection, cgw, vpn_gateway=vgw, transit_gateway=tgw,
                             static_routes_only=static, name=name))

    @rule(target=attachments, vpn=vpns)
    def vpn_attachment(self, vpn: str) -> Any:
        return _ids(_quietly(self.cloud.vpn_attachment, vpn))

    @rule(vpn=st.one_of(vpns, vpns, connect_ids), cidr=st.one_of(st.just("192.168.0.0/16"), peer_cidrs))
    def create_vpn_connection_route(self, vpn: Any, cidr: str) -> None:
        _quietly(self.cloud.create_vpn_connection_route, vpn, cidr)

    @rule(vpn=st.one_of(vpns, vpns, connect_ids), cidrs=st.lists(peer_cidrs, max_size=4))
    def advertise_bgp_routes(self, vpn: Any, cidrs: list[str]) -> None:
        _quietly(self.cloud.advertise_bgp_routes, vpn, cidrs)

    @rule(vpn=st.one_of(vpns, vpns, connect_ids),
          tunnels=st.one_of(st.sampled_from([(0,), (1,), (0, 1)]), st.lists(st.integers(-1, 2), max_size=2)),
          state=st.sampled_from(["UP", "DOWN", "DOWN", "up", ""]))
    def set_vpn_tunnel_state(self, vpn: Any, tunnels: list[int], state: str) -> None:
        for tunnel in tunnels:
            _quietly(self.cloud.set_vpn_tunnel_state, vpn, tunnel, state)

    @rule(vgw=st.one_of(vgws, vgws, connect_ids), prefixes=st.lists(peer_cidrs, max_size=3), name=names)
    def create_direct_connect_virtual_interface(self, vgw: Any, prefixes: list[str], name: str | None) -> None:
        _quietly(self.cloud.create_direct_connect_virtual_interface, vgw, prefixes, name=name)

    @rule(table=st.one_of(tables, tables, ref_names), vgw=st.one_of(vgws, vgws, connect_ids), enable=st.booleans())
    def vgw_route_propagation(self, table: Any, vgw: Any, enable: bool) -> None:
        call = self.cloud.enable_vgw_route_propagation if enable else self.cloud.disable_vgw_route_propagation
        _quietly(call, table, vgw)

    # --- routes to the new targets, traces ---------------------------------------------------------------------
    @rule(table=tables, destination=st.one_of(connected_cidrs, peer_cidrs),
          via=st.one_of(pcxs, tgws, vgws, endpoints, attachments, tgw_tables, cgws, vpns, enis, connect_ids),
          replace=st.booleans())
    def create_connectivity_route(self, table: str, destination: str, via: Any, replace: bool) -> None:
        self.create_route(table, destination, via, replace)

    @rule(table=st.one_of(tables, tables, ref_names), destination=st.one_of(connected_cidrs, peer_cidrs),
          instance=instances, nat=st.booleans())
    def route_through_an_appliance(self, table: Any, destination: str, instance: str, nat: bool) -> None:
        """An instance as a router (source/destination check off, NAT or not) with a route to it."""
        _quietly(self.cloud.modify_network_interface_attribute, instance, source_dest_check=False, nat_instance=nat)
        self.create_route(table, destination, instance, True)
        self.create_route(table, destination, instance, False)

    @rule(source=st.one_of(instances, instances, known_remotes, enis, endpoints),
          destination=st.one_of(instances, instances, known_remotes, endpoints, enis),
          protocol=st.sampled_from(["tcp", "tcp", "udp", "icmp", "-1"]), port=st.sampled_from([22, 443, 53]),
          all_blockers=st.booleans())
    def trace_between_ends(self, source: Any, destination: Any, protocol: str, port: int, all_blockers: bool) -> None:
        """Well-formed traces between the places the connections join, so that deep paths are common."""
        self.trace(source, destination, protocol, port, 49152, all_blockers)

    @rule(source=instances, destination=st.one_of(instances, remote_addresses, endpoints, enis),
          public=st.tuples(st.booleans(), st.booleans()), port=st.sampled_from([22, 443]))
    def trace_by_address(self, source: str, destination: Any, public: tuple[bool, bool], port: int) -> None:
        """Instances named by their private or public address rather than by id."""
        ends = []
        for end, use_public in ((source, public[0]), (destination, public[1])):
            record = _quietly(self.cloud.get, end)
            eni = _quietly(self.cloud.get, getattr(record, "eni_id", None) or getattr(record, "id", ""))
            address = getattr(eni, "public_ip" if use_public else "private_ip", None) if eni is not None else None
            ends.append(address or end)
        self.trace(ends[0], ends[1], "tcp", port, 49152, False)

    @rule(source=st.one_of(instances, instances, remote_addresses, endpoints, enis, nats, addresses),
          destination=st.one_of(instances, instances, remote_addresses, endpoints, enis, nats, addresses,
                                pcxs, tgws, connect_ids),
          protocol=st.one_of(st.sampled_from(["tcp", "tcp", "udp", "icmp", "-1"]), protocols),
          port=st.one_of(st.sampled_from([22, 53, 443, 5432]), ports),
          source_port=st.one_of(st.just(49152), st.integers(-1, 70000)), all_blockers=st.booleans())
    def trace_across(self, source: Any, destination: Any, protocol: Any, port: Any, source_port: int,
                     all_blockers: bool) -> None:
        self.trace(source, destination, protocol, port, source_port, all_blockers)

    @rule(source=st.one_of(instances, remote_addresses, enis), service=services,
          protocol=st.sampled_from(["tcp", "udp"]))
    def trace_to_a_service(self, source: Any, service: str, protocol: str) -> None:
        address = _quietly(self.cloud.service_address, service)
        if address is not None:
            self.trace(source, address, protocol, 443, 49152, False)

    @rule(source=st.one_of(instances, instances, remote_addresses, endpoints, enis, addresses),
          destination=st.one_of(instances, instances, remote_addresses, endpoints, enis, addresses),
          protocol=st.sampled_from(["tcp", "udp", "icmp", "-1", "bogus"]), port=st.sampled_from([22, 443, 70000]),
          source_port=st.one_of(st.none(), st.just(40000), st.integers(-1, 70000)))
    def open_connection(self, source: Any, destination: Any, protocol: str, port: int, source_port: int | None) -> None:
        _quietly(self.cloud.open_connection, source, destination, protocol, port, source_port=source_port)

    @rule(address=st.one_of(known_remotes, remote_addresses, addresses), instance=instances, outward=st.booleans(),
          pad=paddings, port=st.sampled_from([22, 443]))
    def open_connection_with_an_address(self, address: str, instance: str, outward: bool, pad: tuple[str, str],
                                        port: int) -> None:
        address = pad[0] + address + pad[1]
        source, destination = (instance, address) if outward else (address, instance)
        self.open_connection(source, destination, "tcp", port, None)

    # --- the AWS JSON round trip ----------------------------------------------------------------------------
    @rule(lenient=st.booleans(), region=st.booleans(), through_text=st.booleans())
    def aws_round_trip(self, lenient: bool, region: bool, through_text: bool) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _quietly(self.cloud.to_aws)
            if data is None:
                return
            if through_text:
                data = json.loads(json.dumps(data))
            copy = _quietly(Cloud.from_aws, data, lenient=lenient, region=self.cloud.region if region else None)
            if copy is not None:
                str(copy._text_())
                _quietly(copy.to_aws)

    @invariant()
    def connectivity_views_work(self) -> None:
        cloud = self.cloud
        for table in cloud._all(RouteTable):
            cloud.route_table(table.id)
        for tgw_table in cloud._all(TransitGatewayRouteTable):
            cloud.transit_gateway_routes(tgw_table.id)
        for vgw in cloud._all(VpnGateway):
            cloud.vgw_routes(vgw.id)


# The same settings (derandomized, no database, no explain phase), with a few more steps for twice the rules.
ConnectedWorld.TestCase.settings = settings(RandomWorld.TestCase.settings, max_examples=100, stateful_step_count=50)
test_random_connected_worlds_raise_nothing_but_vpclab_errors = ConnectedWorld.TestCase
