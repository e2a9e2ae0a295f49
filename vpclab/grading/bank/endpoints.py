"""Questions about VPC endpoints (lesson and exercises 07_endpoints).

``vpce.cN`` are the lesson's "check your understanding" questions (not graded); ``vpce.qN``
are the graded exercise questions. Each answer is computed with the engine: the worlds the
questions describe are built here, with ``Cloud(seed=0)``, and traced.

The exercises take per-learner numbers (:func:`parameters`): the services and Availability
Zones of the interface endpoints (q4) and the subnets that must reach S3 privately (q5).
The default variant keeps the numbers of the solution notebook.
"""

from __future__ import annotations

from typing import Any

from vpclab.cloud import Cloud
from vpclab.endpoints import CHARGES
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.grading.questions import Question
from vpclab.grading.variant import Parameters
from vpclab.i18n import message
from vpclab.resources import Subnet, Vpc

__all__ = ["ASSIGNMENTS", "QUESTIONS", "parameters", "parameters_table"]

ASSIGNMENT = "07_endpoints"
S3_PORT = 443
INTERNET_HOST = "93.184.216.34"
PATHS = {"A": "nat", "B": "gateway", "C": "interface"}  # the three ways to S3 of vpce.q6

# The per-learner numbers: key → (default, the values a learner's variant picks from).
_PARAMETERS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    # question 4: the services reached through interface endpoints (Session Manager; container
    # images and their logs; queues and notifications; secrets and keys)
    "services": (("ssm", "ssmmessages", "ec2messages"),
                 (("ssm", "ssmmessages", "ec2messages"), ("ecr.api", "ecr.dkr", "logs"), ("sqs", "sns"),
                  ("secretsmanager", "kms", "sts", "logs"))),
    # question 4: in how many AZs (one subnet each) every interface endpoint is
    "azs": (2, (2, 3)),
    # question 5: the subnets that must reach S3 through the gateway endpoint
    "s3_subnets": (("app-a", "app-b"),
                   (("app-a", "app-b"), ("app-a", "batch"), ("app-b", "batch"), ("app-a", "app-b", "batch"))),
}


NUMBERS = Parameters(ASSIGNMENT, _PARAMETERS, "endpoints.params")
#: The numbers of the exercises in the variant in force, as a dict and as a table to show.
parameters = NUMBERS.values
parameters_table = NUMBERS.table


def _letter(options: dict[str, Any], answer: Any) -> str:
    return next(letter for letter, value in options.items() if value == answer)


def _shop(*, nat: bool = True) -> tuple[Cloud, Vpc, Subnet]:
    """VPC shop: a public subnet, a private app subnet (with a NAT gateway route when ``nat``)
    and app-host in it."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="shop")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app", nat_in=public if nat else None)
    cloud.launch(app, "app-host")
    return cloud, vpc, app


# --- lesson -------------------------------------------------------------------------------------

def _c1_target() -> str:
    """NAT default route and S3 gateway endpoint in one table: which target does S3 traffic take?"""
    cloud, vpc, app = _shop()
    cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(app)])
    decision = cloud.route_for(app, cloud.service_address("s3"))
    assert decision.route is not None
    return _letter({"A": "nat", "B": "vpce"}, decision.route.target.split("-", 1)[0])


def _c2_gateway_endpoint_has_a_security_group() -> bool:
    cloud, vpc, app = _shop()
    endpoint = cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(app)])
    return bool(endpoint.security_group_ids)


def _c3_interface_endpoint_enis() -> int:
    """An SQS interface endpoint with one subnet in each of three AZs."""
    cloud, vpc, _ = _shop(nat=False)
    subnets = [cloud.create_subnet(vpc, f"10.0.{10 + n}.0/24", az=zone, name=f"endpoints-{zone}")
               for n, zone in enumerate("abc")]
    endpoint = cloud.create_vpc_endpoint(vpc, "sqs", endpoint_type="Interface", subnets=subnets)
    return len(endpoint.network_interface_ids)


# --- exercises ----------------------------------------------------------------------------------

Q1_OPTIONS: dict[str, frozenset[str] | None] = {
    "A": None,  # every service of the Region
    "B": frozenset({"s3", "dynamodb"}),
    "C": frozenset({"s3"}),
    "D": frozenset({"s3", "dynamodb", "sqs"}),
}
Q1_CANDIDATES = ("s3", "dynamodb", "sqs", "sns", "kms", "ec2", "ecr.api", "lambda")


def _q1_gateway_services() -> str:
    """Try a gateway endpoint for each candidate service: which ones does AWS accept?"""
    cloud, vpc, _ = _shop(nat=False)
    accepted = set()
    for service in Q1_CANDIDATES:
        table = cloud.create_route_table(vpc, f"{service}-rt")
        try:
            cloud.create_vpc_endpoint(vpc, service, route_tables=[table])
        except VpcLabError:
            continue
        accepted.add(service)
    return _letter(Q1_OPTIONS, None if accepted == set(Q1_CANDIDATES) else frozenset(accepted))


def _peered_shop() -> Cloud:
    """Shop with an S3 gateway endpoint on app-rt, and VPC partner peered with it; partner's
    route table sends 10.0.0.0/16 and 0.0.0.0/0 to the peering connection."""
    cloud, vpc, app = _shop()
    cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(app)])
    partner = cloud.create_vpc("10.1.0.0/16", name="partner")
    partner_app = cloud.add_private_subnet(partner, "10.1.1.0/24", az="a", name="partner-app")
    pcx = cloud.create_vpc_peering_connection(vpc, partner, name="shop-partner")
    cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route(cloud.route_table_for(app), "10.1.0.0/16", pcx)
    for destination in ("10.0.0.0/16", "0.0.0.0/0"):
        cloud.create_route(cloud.route_table_for(partner_app), destination, pcx)
    cloud.launch(partner_app, "partner-host")
    return cloud


def _q2_peer_uses_gateway_endpoint() -> bool:
    cloud = _peered_shop()
    return cloud.trace("partner-host", cloud.service_address("s3"), "tcp", S3_PORT).reachable


def _q3_reports_code() -> str:
    """A reports subnet with its own route table (local route only); the S3 gateway endpoint
    is associated with app-rt only."""
    cloud, vpc, app = _shop()
    cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(app)])
    reports = cloud.add_private_subnet(vpc, "10.0.3.0/24", az="a", name="reports")
    cloud.launch(reports, "reports-host")
    trace = cloud.trace("reports-host", cloud.service_address("s3"), "tcp", S3_PORT)
    assert trace.blocker is not None
    return trace.blocker.code


def _q4_enis() -> int:
    """An interface endpoint for each of the learner's services, each in the same subnets, one
    subnet per AZ (endpoints-a, endpoints-b, …)."""
    cloud, vpc, _ = _shop(nat=False)
    subnets = [cloud.create_subnet(vpc, f"10.0.{10 + n}.0/24", az=zone, name=f"endpoints-{zone}")
               for n, zone in enumerate("abc"[:NUMBERS["azs"]])]
    endpoints = [cloud.create_vpc_endpoint(vpc, service, endpoint_type="Interface", subnets=subnets)
                 for service in NUMBERS["services"]]
    return sum(len(e.network_interface_ids) for e in endpoints)


def _q5_world() -> tuple[Cloud, Vpc]:
    """public (public-rt → IGW, web), app-a and app-b (app-a-rt, app-b-rt → NAT), batch
    (batch-rt → NAT), db (the main route table, local only); one host in each private subnet."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="shop")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    cloud.launch(public, "web")
    for cidr, az, name in (("10.0.2.0/24", "a", "app-a"), ("10.0.3.0/24", "b", "app-b"),
                           ("10.0.4.0/24", "a", "batch")):
        subnet = cloud.add_private_subnet(vpc, cidr, az=az, name=name, nat_in=public)
        cloud.launch(subnet, f"{name}-host")
    db = cloud.create_subnet(vpc, "10.0.5.0/24", az="b", name="db")
    cloud.launch(db, "db-host")
    return cloud, vpc


Q5_HOSTS = ("web", "app-a-host", "app-b-host", "batch-host", "db-host")


def _paths(cloud: Cloud, destination: str) -> dict[str, tuple[bool, tuple[str, ...]]]:
    """Per host: can it reach ``destination``, and through which kinds of hop."""
    return {host: (trace.reachable, tuple(h.type for h in trace.forward))
            for host in Q5_HOSTS for trace in [cloud.trace(host, destination, "tcp", S3_PORT)]}


def _q5_accepts(answer: Any) -> bool:
    """Associate ``answer`` (route table names or ids) with a new S3 gateway endpoint: the hosts
    of the learner's subnets must reach S3 through it, and every other path must stay as it was."""
    if not isinstance(answer, list) or not all(isinstance(item, str) for item in answer):
        raise InvalidValue("InvalidParameterValue", message("endpoints.want_route_tables"),
                           fix=message("endpoints.want_route_tables_fix"))
    chosen = {f"{name}-host" for name in NUMBERS["s3_subnets"]}
    cloud, vpc = _q5_world()
    s3 = cloud.service_address("s3")
    before_s3, before_internet = _paths(cloud, s3), _paths(cloud, INTERNET_HOST)
    cloud.create_vpc_endpoint(vpc, "s3", route_tables=answer)
    after_s3 = _paths(cloud, s3)
    private = all(after_s3[h][0] and "vpc-endpoint" in after_s3[h][1] for h in chosen)
    unchanged = all(after_s3[h] == before_s3[h] for h in Q5_HOSTS if h not in chosen)
    return private and unchanged and _paths(cloud, INTERNET_HOST) == before_internet


def _q5_solve() -> list[str]:
    chosen = NUMBERS["s3_subnets"]
    cloud, vpc = _q5_world()
    return [cloud.route_table_for(s).name or "" for s in cloud.subnets(vpc) if s.name in chosen]


def _q6_no_hourly_charge() -> str:
    """Build each of the three paths to S3, trace it, and look up what its pieces are billed for."""
    free = []
    for letter, path in PATHS.items():
        cloud, vpc, app = _shop(nat=path == "nat")
        if path == "gateway":
            cloud.create_vpc_endpoint(vpc, "s3", route_tables=[cloud.route_table_for(app)])
        if path == "interface":
            cloud.create_vpc_endpoint(vpc, "s3", endpoint_type="Interface", subnets=[app])
        address = cloud.resolve(f"s3.{cloud.region}.amazonaws.com")[0]
        pieces = cloud.billed_on(cloud.trace("app-host", address, "tcp", S3_PORT))
        if pieces and not any(CHARGES[kind].hourly for kind, _ in pieces):
            free.append(letter)
    (letter,) = free
    return letter


def _q7_code() -> str:
    """An SQS interface endpoint whose new security group has no inbound rule."""
    cloud, vpc, app = _shop()
    group = cloud.create_security_group(vpc, "sqs-endpoint-sg")
    endpoint = cloud.create_vpc_endpoint(vpc, "sqs", endpoint_type="Interface", subnets=[app],
                                         security_groups=[group])
    trace = cloud.trace("app-host", endpoint.id, "tcp", S3_PORT)
    assert trace.blocker is not None
    return trace.blocker.code


QUESTIONS = (
    # lesson: check your understanding
    Question("vpce.c1", "choice", _c1_target),
    Question("vpce.c2", "bool", _c2_gateway_endpoint_has_a_security_group),
    Question("vpce.c3", "count", _c3_interface_endpoint_enis),
    # exercises
    Question("vpce.q1", "choice", _q1_gateway_services),
    Question("vpce.q2", "bool", _q2_peer_uses_gateway_endpoint),
    Question("vpce.q3", "choice", _q3_reports_code),
    Question("vpce.q4", "count", _q4_enis),
    Question("vpce.q5", "data", _q5_solve, accepts=_q5_accepts),
    Question("vpce.q6", "choice", _q6_no_hourly_charge),
    Question("vpce.q7", "choice", _q7_code),
)

ASSIGNMENTS = {
    "07_endpoints": tuple(f"vpce.q{n}" for n in range(1, 8)),
}
