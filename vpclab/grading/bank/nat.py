"""Questions about NAT (lesson and exercises 05_nat).

``nat.cN`` are the lesson's "check your understanding" questions (not graded); ``nat.qN``
are the graded exercise questions. Every answer is computed with the engine, in the world
that :func:`world` builds (the exercise notebook shows the same world to the learner).
"""

from __future__ import annotations

from typing import Any

from vpclab.cloud import Cloud
from vpclab.errors import InvalidValue
from vpclab.grading.questions import Question
from vpclab.i18n import message
from vpclab.nat import NAT_PORTS
from vpclab.resources import ElasticIp, Instance
from vpclab.trace import Hop, Trace

__all__ = ["ASSIGNMENTS", "CASES", "INTERNET", "QUESTIONS", "app_hosts", "world"]

INTERNET = "93.184.216.34"  # a server on the internet
CASES = ("working", "no-route", "nat-deleted", "nat-in-private-subnet", "nat-instance")


def world(case: str = "working", hosts: int = 4) -> Cloud:
    """The NAT lab: VPC ``lab`` 10.0.0.0/16; subnet ``public`` (route to the internet gateway)
    with instance ``web`` (a public IPv4 address) and NAT gateway ``lab-nat`` (an Elastic IP);
    subnet ``app`` (private) with ``hosts`` instances ``app-1``… in security group ``app-sg``
    (SSH allowed from anywhere). ``case`` breaks it in one way:

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
    cloud.allow(app_sg, 22, source="0.0.0.0/0")
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


def _blocker(case: str, source: str = "app-1", destination: str = INTERNET, port: int = 443) -> str:
    """The code of what stops ``source`` → ``destination`` in the world of ``case``."""
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
        cloud.open_connection(host, INTERNET, "tcp", 443)
    entries = cloud.nat_translations("lab-nat").entries.values()
    return len({e.private_ip for e in entries}) > len({e.public_ip for e in entries}) == 1


def _igw_is_one_to_one() -> bool:
    """Does the internet gateway swap web's address only, keeping the port?"""
    cloud = world("working")
    hop = _translation(cloud.trace("web", INTERNET, "tcp", 443, source_port=40002), "internet-gateway")
    assert hop.translated is not None
    return _port(hop.translated["from"]) == _port(hop.translated["to"])


def _kinds_letter() -> str:
    """q8's options: A IGW NAPT, NAT GW 1:1; B IGW 1:1, NAT GW NAPT; C both 1:1; D both NAPT."""
    igw_one_to_one, nat_napt = _igw_is_one_to_one(), _nat_gateway_is_napt()
    return {(False, False): "A", (True, True): "B", (True, False): "C", (False, True): "D"}[
        (igw_one_to_one, nat_napt)]


def _masquerade_letter() -> str:
    """c2's options: A one-to-many (1:M), B many-to-one (M:1)."""
    return "B" if _nat_gateway_is_napt() else "A"


def _igw_port_seen(source_port: int) -> int:
    hop = _translation(world("working").trace("web", INTERNET, "tcp", 443, source_port=source_port),
                       "internet-gateway")
    assert hop.translated is not None
    return _port(hop.translated["to"])


def _repair_route(answer: Any) -> bool:
    """q7: add one route to the app subnet's table so app-1 reaches the internet server,
    while app-1 stays private (no public address, nothing can connect in)."""
    if not isinstance(answer, dict) or set(answer) != {"destination", "target"}:
        raise InvalidValue("InvalidParameterValue", message("nat.repair_shape"), fix=message("nat.repair_shape_fix"))
    cloud = world("no-route")
    cloud.create_route(cloud.route_table_for("app"), str(answer["destination"]), str(answer["target"]))
    out = cloud.trace("app-1", INTERNET, "tcp", 443)
    inbound = cloud.trace(INTERNET, "app-1", "tcp", 22)
    return out.reachable and not inbound.reachable


def _repair_answer() -> dict[str, str]:
    return {"destination": "0.0.0.0/0", "target": "lab-nat"}


def _internet_opens_to_nat_gateway() -> bool:
    cloud = world("working")
    eip = cloud.get("lab-nat-eip")
    assert isinstance(eip, ElasticIp)
    return cloud.trace(INTERNET, eip.public_ip, "tcp", 443).reachable


def _per_destination_limit() -> int:
    return world("working").quotas.nat_connections_per_destination


QUESTIONS = (
    # lesson: check your understanding
    Question("nat.c1", "count", _per_destination_limit),
    Question("nat.c2", "choice", _masquerade_letter),
    Question("nat.c3", "bool", _internet_opens_to_nat_gateway),
    # exercises
    Question("nat.q1", "count", lambda: _per_destination_limit() * len({("tcp", INTERNET, 443),
                                                                         ("tcp", INTERNET, 80)})),
    Question("nat.q2", "count", lambda: NAT_PORTS[1] - NAT_PORTS[0] + 1),
    Question("nat.q3", "bool", lambda: world("working").trace(INTERNET, "app-1", "tcp", 22).reachable),
    Question("nat.q4", "choice", lambda: _blocker("working", INTERNET, "app-1", 22)),
    Question("nat.q5", "choice", lambda: _blocker("nat-in-private-subnet")),
    Question("nat.q6", "choice", lambda: _blocker("nat-deleted")),
    Question("nat.q7", "data", _repair_answer, accepts=_repair_route),
    Question("nat.q8", "choice", _kinds_letter),
    Question("nat.q9", "count", lambda: _igw_port_seen(40002)),
    Question("nat.q10", "choice", lambda: _blocker("nat-instance")),
)

ASSIGNMENTS = {
    "05_nat": tuple(f"nat.q{n}" for n in range(1, 11)),
}
