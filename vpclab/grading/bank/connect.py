"""Questions about connecting networks (lesson and exercises 08_connecting_networks).

``conn.cN`` are the lesson's "check your understanding" questions (not graded);
``conn.qN`` are the graded exercise questions. Each answer is computed by the engine, in
the networks of the connectivity builder (:func:`connectivity_world`): VPCs A, B and C with
a server each, and an on-premises network behind a Site-to-Site VPN.

The exercises take per-learner numbers (:mod:`vpclab.grading.variant`): how many VPCs question 1
meshes, and the blocks of VPCs A, B and C, read with ``param`` when a network is built.
:func:`parameters` gives the values in force; the default variant keeps the numbers of the
solution notebook (and of the connectivity builder).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import Any

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.errors import InvalidValue
from vpclab.grading.questions import Question
from vpclab.grading.variant import Parameters
from vpclab.i18n import message
from vpclab.quotas import Quotas
from vpclab.resources import TransitGateway, Vpc, VpcPeeringConnection, VpnConnection
from vpclab.trace import Trace
from vpclab.widgets.connectivity_builder import BLOCKS, OFFICE_HOST, ON_PREMISES, connectivity_world

__all__ = ["ASSIGNMENTS", "QUESTIONS", "exercise_world", "parameters", "parameters_table"]

ASSIGNMENT = "08_connecting_networks"
SERVERS = ("a-server", "b-server", "c-server")

# The per-learner numbers: key → (default, the values a learner's variant picks from).
_PARAMETERS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    # question 1: how many VPCs are meshed with peering only (the lesson's own question uses 4)
    "vpcs": (6, (5, 6, 7, 8, 9, 10)),
    # the /16 blocks of VPCs A, B and C, inside 10.0.0.0/8 (what the security groups and the
    # transit gateway routes cover); the second octets end in 1, 2 and 3, so they never overlap
    "vpc_a": (BLOCKS[0], (BLOCKS[0], "10.11.0.0/16", "10.21.0.0/16", "10.41.0.0/16")),
    "vpc_b": (BLOCKS[1], (BLOCKS[1], "10.12.0.0/16", "10.32.0.0/16", "10.52.0.0/16")),
    "vpc_c": (BLOCKS[2], (BLOCKS[2], "10.23.0.0/16", "10.33.0.0/16", "10.63.0.0/16")),
}


NUMBERS = Parameters(ASSIGNMENT, _PARAMETERS, "connect.params")
#: The numbers of the exercises in the variant in force, as a dict and as a table to show.
parameters = NUMBERS.values
parameters_table = NUMBERS.table


def _world(**switches: bool) -> Cloud:
    """The connectivity builder's networks, with the blocks of the variant in force."""
    return connectivity_world(**switches, blocks=(NUMBERS["vpc_a"], NUMBERS["vpc_b"], NUMBERS["vpc_c"]))


def _trace(cloud: Cloud, source: str, destination: str) -> Trace:
    return cloud.trace(source, destination, "tcp", 22)


def full_mesh_peerings(count: int) -> int:
    """Peer ``count`` VPCs until every server reaches every other one; how many peerings it took.

    A pair gets a peering (and routes on both sides) only when a trace says its servers
    cannot reach each other yet; as peering is not transitive, no pair ever can.
    """
    cloud = Cloud(seed=0, quotas=Quotas(vpcs_per_region=max(count, Quotas().vpcs_per_region)))
    servers = []
    for number in range(1, count + 1):
        vpc = cloud.create_vpc(f"10.{number}.0.0/16", name=f"vpc-{number}")
        subnet = cloud.add_private_subnet(vpc, f"10.{number}.1.0/24", az="a", name=f"app-{number}")
        group = cloud.create_security_group(vpc, f"servers-{number}")
        cloud.allow(group, 22, source="10.0.0.0/8")
        servers.append((vpc, cloud.route_table_for(subnet), cloud.launch(subnet, f"server-{number}", group)))
    for (one, one_table, one_server), (other, other_table, other_server) in combinations(servers, 2):
        if not _trace(cloud, one_server.id, other_server.id).reachable:
            pcx = cloud.accept_vpc_peering_connection(cloud.create_vpc_peering_connection(one, other))
            cloud.create_route(one_table, other.cidr, pcx)
            cloud.create_route(other_table, one.cidr, pcx)
    assert all(_trace(cloud, a.id, b.id).reachable for (_, _, a), (_, _, b) in combinations(servers, 2))
    return len(cloud._all(VpcPeeringConnection))


def _chain() -> Cloud:
    """A-B and B-C peered; A sends C's block into A-B, C sends A's block into B-C."""
    return _world(peer_ab=True, peer_bc=True, via_b=True)


def _one_sided() -> Cloud:
    """A-B peered, but B's route back to A is missing."""
    cloud = _world(peer_ab=True)
    cloud.delete_route("b-app-rt", cloud._ref("A", Vpc).cidr)
    return cloud


def _unrouted() -> Cloud:
    """A-B and B-C peered; B-C has its routes, A-B has none yet."""
    cloud = _world(peer_ab=True, peer_bc=True)
    cloud.delete_route("a-app-rt", cloud._ref("B", Vpc).cidr)
    cloud.delete_route("b-app-rt", cloud._ref("A", Vpc).cidr)
    return cloud


def _vpn_and_dx() -> Cloud:
    """A VPN on A's virtual private gateway, and a Direct Connect private VIF on it too."""
    cloud = _world(vpn=True)
    cloud.create_direct_connect_virtual_interface("a-vgw", [ON_PREMISES], name="office-dx")
    return cloud


def _hub() -> Cloud:
    """All three VPCs on a transit gateway, with its default route table."""
    return _world(transit=True)


def _hub_without_c() -> Cloud:
    """As the hub, but C's attachment no longer propagates into the default route table."""
    cloud = _world(transit=True)
    table = cloud._all(TransitGateway)[0].default_route_table_id
    cloud.disable_transit_gateway_route_table_propagation(table, "c-attach")
    return cloud


_WORLDS: dict[str, Callable[[], Cloud]] = {
    "chain": _chain, "one-sided": _one_sided, "unrouted": _unrouted, "vpn-and-dx": _vpn_and_dx,
    "hub": _hub, "hub-without-c": _hub_without_c,
}


def exercise_world(name: str) -> Cloud:
    """The networks of one question, by name (shown in the exercise notebook, graded here)."""
    if name not in _WORLDS:
        raise InvalidValue("InvalidParameterValue", message("connect.unknown_world", name=name),
                           fix=message("connect.unknown_world_fix", known=", ".join(_WORLDS)))
    return _WORLDS[name]()


def _code(world: str, source: str, destination: str) -> str:
    """The explanation code of what stops the connection."""
    blocker = _trace(exercise_world(world), source, destination).blocker
    assert blocker is not None, "the question's connection must fail"
    return str(blocker.code)


def _tunnels(world: str) -> int:
    return len(exercise_world(world)._ref("office-vpn", VpnConnection).tunnels)


def _blocker_name(world: str, source: str, destination: str) -> str:
    """The Name tag of what stops the connection."""
    cloud = exercise_world(world)
    blocker = _trace(cloud, source, destination).blocker
    assert blocker is not None and blocker.component is not None
    return cloud.get(blocker.component).name or blocker.component


def _carrier(world: str, source: str, destination: str) -> str:
    """Which link carries the connection to on-premises: vpn or direct-connect."""
    hops = _trace(exercise_world(world), source, destination).forward
    return next(h.type for h in hops if h.type in ("vpn-connection", "direct-connect")).removesuffix("-connection")


# --- the repair question (conn.q5): routes so that A and B talk over peering A-B, and nothing else -------

def _reachable_pairs(cloud: Cloud) -> set[tuple[str, str]]:
    return {(one, other) for one in SERVERS for other in SERVERS
            if one != other and _trace(cloud, one, other).reachable}


def _routes(answer: Any) -> list[tuple[str, str, str]]:
    """The answer as (route table, destination, target) triples, or a message saying the shape."""
    if not isinstance(answer, list) or not all(
            isinstance(item, list) and len(item) == 3 and all(isinstance(part, str) for part in item)
            for item in answer):
        raise InvalidValue("InvalidParameterValue", message("connect.routes_shape", answer=answer),
                           fix=message("connect.routes_shape_fix"))
    return [(table, destination, target) for table, destination, target in answer]


def _repairs_a_b(answer: Any) -> bool:
    """Add the routes to the "unrouted" world: A and B must reach each other, each route must
    send part of the peer VPC's block to peering A-B, and no other pair may change."""
    cloud = exercise_world("unrouted")
    before = _reachable_pairs(cloud)
    pcx = cloud._ref("A-B", VpcPeeringConnection)
    for table, destination, target in _routes(answer):
        record = cloud.create_route(table, destination, target)
        route = next(r for r in record.routes if r.destination == str(parse(destination)))
        peer = cloud._ref(pcx.peer_of(record.vpc_id), Vpc) if route.target == pcx.id else None
        if peer is None or not any(parse(block).contains(parse(route.destination)) for block in peer.cidr_blocks):
            return False
    after = _reachable_pairs(cloud)
    wanted = {("a-server", "b-server"), ("b-server", "a-server")}
    return wanted <= after and after - wanted == before - wanted


def _one_repair() -> list[list[str]]:
    cloud = exercise_world("unrouted")
    return [[f"{site.lower()}-app-rt", cloud._ref(peer, Vpc).cidr, "A-B"] for site, peer in (("A", "B"), ("B", "A"))]


QUESTIONS = (
    # lesson: check your understanding
    Question("conn.c1", "count", lambda: full_mesh_peerings(4)),
    Question("conn.c2", "bool", lambda: _trace(exercise_world("chain"), "a-server", "c-server").reachable),
    Question("conn.c3", "bool", lambda: _trace(exercise_world("hub"), "a-server", "c-server").reachable),
    # exercises
    Question("conn.q1", "count", lambda: full_mesh_peerings(NUMBERS["vpcs"])),
    Question("conn.q2", "bool", lambda: _trace(exercise_world("chain"), "a-server", "c-server").reachable),
    Question("conn.q3", "choice", lambda: _code("chain", "a-server", "c-server")),
    Question("conn.q4", "choice", lambda: _blocker_name("one-sided", "a-server", "b-server")),
    Question("conn.q5", "data", _one_repair, accepts=_repairs_a_b),
    Question("conn.q6", "choice", lambda: _carrier("vpn-and-dx", "a-server", OFFICE_HOST)),
    Question("conn.q7", "count", lambda: _tunnels("vpn-and-dx")),
    Question("conn.q8", "choice", lambda: _code("hub-without-c", "a-server", "c-server")),
)

ASSIGNMENTS = {
    "08_connecting_networks": tuple(f"conn.q{n}" for n in range(1, 9)),
}
