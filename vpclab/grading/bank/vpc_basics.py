"""Questions about VPCs, the VPC router and the default VPC (lesson and exercises 01_vpc_basics).

``vpc.cN`` are the lesson's "check your understanding" questions (not graded); ``vpc.qN`` are
the graded exercise questions. Each answer is computed by the engine from a default VPC built
the way the exercise builds it: ``Cloud(seed=0)``, ``create_default_vpc()``, then ``web``
launched into the first default subnet and ``app`` into the second, both with the default
security group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vpclab.cidr import parse
from vpclab.cloud import Cloud, region_azs
from vpclab.errors import InvalidValue
from vpclab.grading.questions import Question
from vpclab.i18n import message
from vpclab.resources import Instance, Vpc

__all__ = ["ASSIGNMENTS", "QUESTIONS"]

INTERNET_CLIENTS = ("203.0.113.10", "198.51.100.20", "8.8.8.8", "1.1.1.1")  # "from anywhere"
HTTPS = ("tcp", 443)
ANYWHERE = "0.0.0.0/0"
# what must stay closed after the repair: SSH, HTTP, RDP, ports next to 443, UDP 443, ping
STILL_CLOSED = (("tcp", 22), ("tcp", 80), ("tcp", 3389), ("tcp", 442), ("tcp", 444), ("tcp", 8443),
                ("udp", 443), ("icmp", None))
# the components a connection from the internet passes, as the exercise letters them
COMPONENT_LETTERS = {"internet-gateway": "A", "route-table": "B", "network-acl": "C", "security-group": "D"}


def _default_vpc(region: str = "us-east-1", azs: tuple[str, ...] | None = None) -> tuple[Cloud, Vpc]:
    cloud = Cloud(region, seed=0, azs=azs)
    return cloud, cloud.create_default_vpc()


def _web_and_app() -> tuple[Cloud, Vpc, Instance, Instance]:
    """The exercise's world: web in the first default subnet, app in the second."""
    cloud, vpc = _default_vpc()
    first, second = cloud.subnets(vpc)[:2]
    return cloud, vpc, cloud.launch(first, "web"), cloud.launch(second, "app")


def _usable_in_all_default_subnets(region: str) -> int:
    cloud, vpc = _default_vpc(region, region_azs(region))
    return sum(cloud.free_addresses(s) for s in cloud.subnets(vpc))


def _internet_route() -> str:
    cloud, vpc = _default_vpc()
    return next(r.destination for r in cloud.route_table(vpc.main_route_table_id).routes
                if r.target.startswith("igw-"))


def _launches_with_public_ip(cidr: str | None) -> bool:
    """Whether an instance gets a public IPv4: in the first default subnet (``cidr`` None), or
    in a subnet ``cidr`` added to the default VPC."""
    cloud, vpc = _default_vpc()
    subnet = cloud.subnets(vpc)[0] if cidr is None else cloud.create_subnet(vpc, cidr)
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


def _serves_https_and_nothing_else(answer: Any) -> bool:
    """Add the answer's inbound rules to web's security group (the default group): web must
    answer HTTPS from every internet client, and nothing else from any of them."""
    cloud, vpc, web, _ = _web_and_app()
    for rule in _rules(answer):
        port = rule["port"]
        cloud.allow(vpc.default_security_group_id, tuple(port) if isinstance(port, list) else port,
                    source=rule["source"], protocol=rule["protocol"])

    def reaches(client: str, protocol: str, port: int | None) -> bool:
        return cloud.trace(client, web, protocol, port).reachable

    return (all(reaches(c, *HTTPS) for c in INTERNET_CLIENTS)
            and not any(reaches(c, *closed) for c in INTERNET_CLIENTS for closed in STILL_CLOSED))


def _one_https_rule() -> dict[str, Any]:
    protocol, port = HTTPS
    return {"protocol": protocol, "port": port, "source": ANYWHERE}


QUESTIONS = (
    # lesson: check your understanding
    Question("vpc.c1", "count", lambda: parse("172.31.0.0/20").usable),
    Question("vpc.c2", "cidr", _internet_route),
    Question("vpc.c3", "bool", lambda: _launches_with_public_ip(None)),
    # exercises
    Question("vpc.q1", "count", lambda: _usable_in_all_default_subnets("ap-northeast-2")),
    Question("vpc.q2", "cidr", _route_between_default_subnets),
    Question("vpc.q3", "bool", lambda: _launches_with_public_ip("172.31.200.0/24")),
    Question("vpc.q4", "choice", lambda: _ssh_from_the_internet()[0]),
    Question("vpc.q5", "choice", lambda: _ssh_from_the_internet()[1]),
    Question("vpc.q6", "data", _one_https_rule, accepts=_serves_https_and_nothing_else),
    Question("vpc.q7", "choice", _web_to_internet_without_the_route),
    Question("vpc.q8", "bool", _web_to_app_without_the_route),
)

ASSIGNMENTS = {
    "01_vpc_basics": tuple(f"vpc.q{n}" for n in range(1, 9)),
}
