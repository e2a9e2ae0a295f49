"""Questions about NAT (lesson and exercises 05_nat).

``nat.cN`` are the lesson's "check your understanding" questions (not graded); ``nat.qN``
are the graded exercise questions. Every answer is computed with the engine, in the world
that :func:`world` builds (the exercise notebook shows the same world to the learner).

The exercises take per-learner numbers (:mod:`vpclab.grading.variant`): the internet server,
the ports of question 1, the port ``app-sg`` opens and ``web``'s source port are read with
``param`` when a world is built or an answer computed. :func:`parameters` gives the values in
force; the default variant keeps the numbers of the solution notebook.
"""

from __future__ import annotations

from typing import Any

from vpclab.cloud import Cloud
from vpclab.errors import InvalidValue
from vpclab.grading.questions import Question
from vpclab.grading.variant import Parameters
from vpclab.i18n import message
from vpclab.nat import NAT_PORTS
from vpclab.resources import ElasticIp, Instance
from vpclab.trace import Hop, Trace

__all__ = ["ASSIGNMENT", "ASSIGNMENTS", "CASES", "INTERNET", "QUESTIONS", "app_hosts", "parameters", "parameters_table",
           "world"]

ASSIGNMENT = "05_nat"
INTERNET = "93.184.216.34"  # a server on the internet (the default variant's)
CASES = ("working", "no-route", "nat-deleted", "nat-in-private-subnet", "nat-instance")

# The per-learner numbers: key → (default, the values a learner's variant picks from).
_PARAMETERS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    # a server on the internet: the default, or a documentation address (RFC 5737)
    "server": (INTERNET, (INTERNET, "198.51.100.80", "203.0.113.10", "192.0.2.44")),
    # question 1: the TCP ports the app servers connect to on the server (well-known ports; not 25,
    # which EC2 blocks outbound by default)
    "ports": ((443, 80), ((443, 80), (443, 22), (443, 80, 22), (443, 143), (80, 443, 110, 143))),
    # the TCP port app-sg allows from 0.0.0.0/0 (well-known ports)
    "open_port": (22, (22, 80, 443, 3389, 5432)),
    # question 9: web's source port, from the Linux ephemeral range 32768-60999
    "source_port": (40002, (33017, 36500, 40002, 44210, 47963, 52088, 57344, 60123)),
}


NUMBERS = Parameters(ASSIGNMENT, _PARAMETERS, "nat.params")
#: The numbers of the exercises in the variant in force, as a dict and as a table to show.
parameters = NUMBERS.values
parameters_table = NUMBERS.table


def world(case: str = "working", hosts: int = 4) -> Cloud:
    """The NAT lab: VPC ``lab`` 10.0.0.0/16; subnet ``public`` (route to the internet gateway)
    with instance ``web`` (a public IPv4 address) and NAT gateway ``lab-nat`` (an Elastic IP);
    subnet ``app`` (private) with ``hosts`` instances ``app-1``… in security group ``app-sg``
    (which allows TCP ``p['open_port']`` from anywhere: 22, SSH, in the default variant).
    ``case`` breaks it in one way:

    - ``working``: the app subnet routes 0.0.0.0/0 to ``lab-nat``;
    - ``no-route``: the app subnet's route table has only its local route;
    - ``nat-deleted``: ``lab-nat`` was deleted after the route to it was made;
    - ``nat-in-private-subnet``: ``lab-nat`` is in subnet ``spare``, whose route table has
      only the local route;
    - ``nat-instance``: no NAT gateway; instance ``nat-box`` in the public subnet is the
      target of 0.0.0.0/0, with its source/destination check still on.
    """
    if case not in CASES:
        raise InvalidValue("InvalidParameterValue", message("nat.bad_case", case=case),
                           fix=message("nat.bad_case_fix", cases=", ".join(CASES)))
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    app_sg = cloud.create_security_group(vpc, "app-sg")
    cloud.allow(app_sg, NUMBERS["open_port"], source="0.0.0.0/0")
    cloud.launch(public, "web")
    cloud.run_instances(app, hosts, "app", [app_sg])
    if case == "nat-instance":
        nat_sg = cloud.create_security_group(vpc, "nat-sg")
        cloud.allow(nat_sg, (0, 65535), source="10.0.0.0/16")
        nat_box = cloud.launch(public, "nat-box", nat_sg)
        cloud.modify_network_interface_attribute(nat_box, nat_instance=True)  # the check stays on
        cloud.create_route(cloud.route_table_for(app), "0.0.0.0/0", nat_box)
        return cloud
    home = cloud.create_subnet(vpc, "10.0.3.0/24", "a", "spare") if case == "nat-in-private-subnet" else public
    nat = cloud.create_nat_gateway(home, cloud.allocate_address(name="lab-nat-eip"), name="lab-nat")
    if case != "no-route":
        cloud.create_route(cloud.route_table_for(app), "0.0.0.0/0", nat)
    if case == "nat-deleted":
        cloud.delete_nat_gateway(nat)
    return cloud


def app_hosts(cloud: Cloud) -> list[Instance]:
    """The instances of the lab's private subnet ``app``, oldest first."""
    subnet = cloud.get("app").id
    return [i for i in cloud._all(Instance) if i.subnet_id == subnet]


def _blocker(case: str, source: str = "app-1", destination: str | None = None, port: int = 443) -> str:
    """The code of what stops ``source`` → ``destination`` (default: the server) in the world of ``case``."""
    destination = destination or NUMBERS["server"]
    first = world(case).trace(source, destination, "tcp", port).blocker
    if first is None:
        raise AssertionError(f"the {case} world must block {source} → {destination}")  # pragma: no cover
    return first.code


def _translation(trace: Trace, kind: str) -> Hop:
    return next(h for h in trace.forward if h.type == kind and h.action == "translate" and h.translated)


def _port(endpoint: str) -> int:
    return int(endpoint.rsplit(":", 1)[1])


def _nat_gateway_is_napt() -> bool:
    """Every app host opens a connection: do several private addresses share one public one?"""
    cloud = world("working")
    for host in app_hosts(cloud):
        cloud.open_connection(host, NUMBERS["server"], "tcp", 443)
    entries = cloud.nat_translations("lab-nat").entries.values()
    return len({e.private_ip for e in entries}) > len({e.public_ip for e in entries}) == 1


def _igw_translation() -> dict[str, str]:
    """What the internet gateway does to web's connection to the server from ``p['source_port']``."""
    trace = world("working").trace("web", NUMBERS["server"], "tcp", 443, source_port=NUMBERS["source_port"])
    hop = _translation(trace, "internet-gateway")
    assert hop.translated is not None
    return hop.translated


def _igw_is_one_to_one() -> bool:
    """Does the internet gateway swap web's address only, keeping the port?"""
    translated = _igw_translation()
    return _port(translated["from"]) == _port(translated["to"])


def _kinds_letter() -> str:
    """q8's options: A IGW NAPT, NAT GW 1:1; B IGW 1:1, NAT GW NAPT; C both 1:1; D both NAPT."""
    igw_one_to_one, nat_napt = _igw_is_one_to_one(), _nat_gateway_is_napt()
    return {(False, False): "A", (True, True): "B", (True, False): "C", (False, True): "D"}[
        (igw_one_to_one, nat_napt)]


def _masquerade_letter() -> str:
    """c2's options: A one-to-many (1:M), B many-to-one (M:1)."""
    return "B" if _nat_gateway_is_napt() else "A"


def _igw_port_seen() -> int:
    """q9: the source port the server sees when web connects from ``p['source_port']``."""
    return _port(_igw_translation()["to"])


def _repair_route(answer: Any) -> bool:
    """q7: add one route to the app subnet's table so app-1 reaches the internet server,
    while app-1 stays private (no public address, nothing can connect in)."""
    if not isinstance(answer, dict) or set(answer) != {"destination", "target"}:
        raise InvalidValue("InvalidParameterValue", message("nat.repair_shape"), fix=message("nat.repair_shape_fix"))
    cloud = world("no-route")
    cloud.create_route(cloud.route_table_for("app"), str(answer["destination"]), str(answer["target"]))
    out = cloud.trace("app-1", NUMBERS["server"], "tcp", 443)
    inbound = cloud.trace(NUMBERS["server"], "app-1", "tcp", NUMBERS["open_port"])
    return out.reachable and not inbound.reachable


def _repair_answer() -> dict[str, str]:
    return {"destination": "0.0.0.0/0", "target": "lab-nat"}


def _internet_opens_to_nat_gateway() -> bool:
    cloud = world("working")
    eip = cloud.get("lab-nat-eip")
    assert isinstance(eip, ElasticIp)
    return cloud.trace(NUMBERS["server"], eip.public_ip, "tcp", 443).reachable


def _per_destination_limit() -> int:
    return world("working").quotas.nat_connections_per_destination


def _destinations() -> int:
    """q1: how many destinations (address, port, protocol) the app servers connect to."""
    return len({("tcp", NUMBERS["server"], port) for port in NUMBERS["ports"]})


def _inbound_reachable() -> bool:
    """q3: can the server open a connection to app-1 on the port app-sg allows?"""
    return world("working").trace(NUMBERS["server"], "app-1", "tcp", NUMBERS["open_port"]).reachable


QUESTIONS = (
    # lesson: check your understanding
    Question("nat.c1", "count", _per_destination_limit),
    Question("nat.c2", "choice", _masquerade_letter),
    Question("nat.c3", "bool", _internet_opens_to_nat_gateway),
    # exercises
    Question("nat.q1", "count", lambda: _per_destination_limit() * _destinations()),
    Question("nat.q2", "count", lambda: NAT_PORTS[1] - NAT_PORTS[0] + 1),
    Question("nat.q3", "bool", _inbound_reachable),
    Question("nat.q4", "choice", lambda: _blocker("working", NUMBERS["server"], "app-1", NUMBERS["open_port"])),
    Question("nat.q5", "choice", lambda: _blocker("nat-in-private-subnet")),
    Question("nat.q6", "choice", lambda: _blocker("nat-deleted")),
    Question("nat.q7", "data", _repair_answer, accepts=_repair_route),
    Question("nat.q8", "choice", _kinds_letter),
    Question("nat.q9", "count", _igw_port_seen),
    Question("nat.q10", "choice", lambda: _blocker("nat-instance")),
)

ASSIGNMENTS = {
    ASSIGNMENT: tuple(f"nat.q{n}" for n in range(1, 11)),
}
