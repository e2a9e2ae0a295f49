"""Questions about VPCs, the VPC router and the default VPC (lesson and exercises 01_vpc_basics).

``vpc.cN`` are the lesson's "check your understanding" questions (not graded); ``vpc.qN`` are
the graded exercise questions. Each answer is computed by the engine from a default VPC built
the way the exercise builds it: ``Cloud(seed=0)``, ``create_default_vpc()``, then ``web``
launched into the first default subnet and ``app`` into the second, both with the default
security group.

Each learner gets their own numbers (:mod:`vpclab.grading.variant`): the Region of q1, the
subnet block of q3 and the service port of q6. :func:`parameters` gives them to code,
:func:`parameters_table` shows them; the default variant keeps the numbers of the solution
notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vpclab.cidr import parse
from vpclab.cloud import KNOWN_REGIONS, Cloud, region_azs
from vpclab.display import Table
from vpclab.errors import InvalidValue
from vpclab.grading.questions import Question
from vpclab.grading.variant import param, parameter_table
from vpclab.i18n import message
from vpclab.ports import WELL_KNOWN_PORTS
from vpclab.resources import Instance, Vpc

__all__ = ["ASSIGNMENT", "ASSIGNMENTS", "QUESTIONS", "parameters", "parameters_table"]

ASSIGNMENT = "01_vpc_basics"
INTERNET_CLIENTS = ("203.0.113.10", "198.51.100.20", "8.8.8.8", "1.1.1.1")  # "from anywhere"
ANYWHERE = "0.0.0.0/0"
# q3: blocks of the default VPC of the exercise's world (us-east-1, three AZs): the three default
# subnets, and free blocks above the /20s of every AZ a default VPC could have there
SUBNET_BLOCKS = ("172.31.200.0/24", "172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20",
                 "172.31.96.0/20", "172.31.128.0/24", "172.31.240.0/24")
WEB_PORTS = (443, 80)  # q6: HTTPS or HTTP, from the well-known ports (aws-vpc-facts.md §13)
# what must stay closed after the repair, besides the port opened: SSH, HTTP(S), RDP, the ports
# next to it, the same port over UDP, and ping
OTHER_TCP_PORTS = (22, 80, 443, 3389, 8443)
# the components a connection from the internet passes, as the exercise letters them
COMPONENT_LETTERS = {"internet-gateway": "A", "route-table": "B", "network-acl": "C", "security-group": "D"}


def _region() -> str:
    """q1: the Region whose default VPC is counted."""
    return param(ASSIGNMENT, "region", "ap-northeast-2", KNOWN_REGIONS)


def _subnet_block() -> str:
    """q3: the block of the subnet the instance is launched into."""
    return param(ASSIGNMENT, "subnet", "172.31.200.0/24", SUBNET_BLOCKS)


def _web_port() -> int:
    """q6: the TCP port web must answer from anywhere."""
    return param(ASSIGNMENT, "port", 443, WEB_PORTS)


def parameters() -> dict[str, Any]:
    """Your numbers in 01_vpc_basics (the variant in force): ``region``, ``subnet``, ``port``."""
    return {"region": _region(), "subnet": _subnet_block(), "port": _web_port()}


def parameters_table() -> Table:
    """Your numbers, with what each is for: the first cells of the exercise notebook show it."""
    values = parameters()
    service = next(s.name for s in WELL_KNOWN_PORTS if values["port"] in s.ports)
    meaning = {
        "region": message("vpc_basics.numbers.region", azs=len(region_azs(values["region"]))),
        "subnet": message("vpc_basics.numbers.subnet"),
        "port": message("vpc_basics.numbers.port", service=service),
    }
    return parameter_table(ASSIGNMENT, values, meaning)


def _still_closed() -> tuple[tuple[str, int | None], ...]:
    """What the repair of q6 must leave closed."""
    port = _web_port()
    tcp = sorted({*OTHER_TCP_PORTS, port - 1, port + 1} - {port})
    return (*(("tcp", other) for other in tcp), ("udp", port), ("icmp", None))


def _default_vpc(region: str = "us-east-1", azs: tuple[str, ...] | None = None) -> tuple[Cloud, Vpc]:
    cloud = Cloud(region, seed=0, azs=azs)
    return cloud, cloud.create_default_vpc()


def _web_and_app() -> tuple[Cloud, Vpc, Instance, Instance]:
    """The exercise's world: web in the first default subnet, app in the second."""
    cloud, vpc = _default_vpc()
    first, second = cloud.subnets(vpc)[:2]
    return cloud, vpc, cloud.launch(first, "web"), cloud.launch(second, "app")


def _usable_in_all_default_subnets() -> int:
    region = _region()
    cloud, vpc = _default_vpc(region, region_azs(region))
    return sum(cloud.free_addresses(s) for s in cloud.subnets(vpc))


def _internet_route() -> str:
    cloud, vpc = _default_vpc()
    return next(r.destination for r in cloud.route_table(vpc.main_route_table_id).routes
                if r.target.startswith("igw-"))


def _launches_with_public_ip(cidr: str | None) -> bool:
    """Whether an instance gets a public IPv4: in the first default subnet (``cidr`` None), or
    in the subnet ``cidr`` of the default VPC (added first when no default subnet has it)."""
    cloud, vpc = _default_vpc()
    subnets = cloud.subnets(vpc)
    if cidr is None:
        subnet = subnets[0]
    else:
        subnet = next((s for s in subnets if s.cidr == cidr), None) or cloud.create_subnet(vpc, cidr)
    return cloud.launch(subnet).public_ip is not None


def _route_between_default_subnets() -> str:
    cloud, _, web, app = _web_and_app()
    decision = cloud.route_for(web.subnet_id, app.private_ip)
    if decision.route is None:  # pragma: no cover - every table has its local route
        raise AssertionError("the local route is missing")
    return decision.route.destination


def _ssh_from_the_internet() -> tuple[str, str]:
    """The explanation code, and the letter of the component that stops SSH from the internet."""
    cloud, _, web, _ = _web_and_app()
    trace = cloud.trace(INTERNET_CLIENTS[0], web, "tcp", 22)
    stopped = next(h for h in trace.forward if h.action in ("deny", "drop"))
    return trace.explanations[0].code, COMPONENT_LETTERS[stopped.type]


def _without_internet_route() -> tuple[Cloud, Instance, Instance]:
    """The exercise's world after someone deleted 0.0.0.0/0 → igw from the main route table."""
    cloud, vpc, web, app = _web_and_app()
    cloud.delete_route(vpc.main_route_table_id, ANYWHERE)
    return cloud, web, app


def _web_to_internet_without_the_route() -> str:
    cloud, web, _ = _without_internet_route()
    return cloud.trace(web, "8.8.8.8", "tcp", 443).explanations[0].code


def _web_to_app_without_the_route() -> bool:
    cloud, web, app = _without_internet_route()
    return cloud.trace(web, app, "tcp", 22).reachable


def _rules(answer: Any) -> list[Mapping[str, Any]]:
    """The security group rules of an answer: one dict, or a list of dicts."""
    rules = [answer] if isinstance(answer, Mapping) else answer
    if not isinstance(rules, list) or not rules or not all(
            isinstance(r, Mapping) and {"protocol", "port", "source"} <= set(r)
            and (not isinstance(r["port"], list) or len(r["port"]) == 2) for r in rules):
        raise InvalidValue("InvalidParameterValue", message("vpc_basics.want_rule", answer=repr(answer)),
                           fix=message("vpc_basics.want_rule_fix"))
    return rules


def _serves_the_port_and_nothing_else(answer: Any) -> bool:
    """Add the answer's inbound rules to web's security group (the default group): web must
    answer TCP on the learner's port from every internet client, and nothing else from any of them."""
    cloud, vpc, web, _ = _web_and_app()
    for rule in _rules(answer):
        port = rule["port"]
        cloud.allow(vpc.default_security_group_id, tuple(port) if isinstance(port, list) else port,
                    source=rule["source"], protocol=rule["protocol"])

    def reaches(client: str, protocol: str, port: int | None) -> bool:
        return cloud.trace(client, web, protocol, port).reachable

    port = _web_port()
    return (all(reaches(c, "tcp", port) for c in INTERNET_CLIENTS)
            and not any(reaches(c, *closed) for c in INTERNET_CLIENTS for closed in _still_closed()))


def _one_rule() -> dict[str, Any]:
    return {"protocol": "tcp", "port": _web_port(), "source": ANYWHERE}


QUESTIONS = (
    # lesson: check your understanding
    Question("vpc.c1", "count", lambda: parse("172.31.0.0/20").usable),
    Question("vpc.c2", "cidr", _internet_route),
    Question("vpc.c3", "bool", lambda: _launches_with_public_ip(None)),
    # exercises
    Question("vpc.q1", "count", _usable_in_all_default_subnets),
    Question("vpc.q2", "cidr", _route_between_default_subnets),
    Question("vpc.q3", "bool", lambda: _launches_with_public_ip(_subnet_block())),
    Question("vpc.q4", "choice", lambda: _ssh_from_the_internet()[0]),
    Question("vpc.q5", "choice", lambda: _ssh_from_the_internet()[1]),
    Question("vpc.q6", "data", _one_rule, accepts=_serves_the_port_and_nothing_else),
    Question("vpc.q7", "choice", _web_to_internet_without_the_route),
    Question("vpc.q8", "bool", _web_to_app_without_the_route),
)

ASSIGNMENTS = {
    ASSIGNMENT: tuple(f"vpc.q{n}" for n in range(1, 9)),
}
