"""Questions of the capstone (lesson and exercises 09_capstone): design a three-tier, multi-AZ VPC.

The design questions are graded by reachability requirements (:mod:`vpclab.requirements`), not
by matching one answer: the learner hands in ``cloud.to_aws()`` (AWS describe JSON), the grader
rebuilds the Cloud from it in its own process and checks the requirements each question names.
Any design that meets them is right. ``reference_design()`` is one such design (the solution's).

The exercises take per-learner numbers (:mod:`vpclab.grading.variant`): how many Availability
Zones every tier needs, how many instances an app subnet must hold (q3), and the ports of the app
and db tiers, read with ``param`` when requirements or answers are computed. :func:`parameters`
gives the values in force and :func:`requirements` the requirements they make; the default
variant keeps the numbers of the solution notebook (``THREE_TIER``).
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable
from typing import Any

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.errors import InvalidValue
from vpclab.grading.questions import Question
from vpclab.grading.variant import Parameters
from vpclab.i18n import message
from vpclab.requirements import THREE_TIER, Check, DesignReport, Spread, check_design, three_tier

__all__ = ["ASSIGNMENTS", "GROUPS", "QUESTIONS", "parameters", "parameters_table", "reference_design",
           "requirements"]

ASSIGNMENT = "09_capstone"
Q3_BASE = "10.20.16.0"  # where question 3's app subnet starts, in the shop's VPC 10.20.0.0/16

# The per-learner numbers: key → (default, the values a learner's variant picks from).
_PARAMETERS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    # how many Availability Zones every tier must use (us-east-1 in the engine has three)
    "zones": (2, (2, 3)),
    # question 3: how many instances an app subnet must hold; at most 1019 (a /22), so the block
    # from 10.20.16.0 stays clear of the db subnets at 10.20.20.0 and up
    "app_hosts": (400, (300, 400, 500, 600, 800, 1000)),
    # the TCP port the app tier listens on (common application-server ports; not 22 or 443)
    "app_port": (8080, (8080, 8000, 8443, 9000)),
    # the TCP port of the database tier (well-known ports: PostgreSQL, MySQL, SQL Server, Oracle)
    "db_port": (5432, (5432, 3306, 1433, 1521)),
}


NUMBERS = Parameters(ASSIGNMENT, _PARAMETERS, "capstone.params")
#: The numbers of the exercises in the variant in force, as a dict and as a table to show.
parameters = NUMBERS.values
parameters_table = NUMBERS.table


def requirements() -> tuple[Check, ...]:
    """The three-tier requirements with the numbers of the variant in force (``THREE_TIER`` in
    the default variant)."""
    return three_tier(zones=NUMBERS["zones"], app_port=NUMBERS["app_port"], db_port=NUMBERS["db_port"])

#: Which requirements each design question grades.
GROUPS = {
    "cap.q4": ("R1", "R2", "R3"),  # placement across AZs
    "cap.q5": ("R4", "R5"),  # the front door
    "cap.q6": ("R8", "R9", "R11"),  # the application's own paths
    "cap.q7": ("R6", "R7", "R10", "R12", "R8", "R9"),  # tiers isolated, and still working
    "cap.q8": ("R13",),  # resilience: a NAT gateway per zone
}


def reference_design() -> Cloud:
    """One design that meets every requirement of the variant in force (there are many)."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.20.0.0/16", name="shop")
    cloud.add_internet_gateway(vpc)
    web_sg = cloud.create_security_group(vpc, "web-sg")
    cloud.allow(web_sg, 443)
    app_sg = cloud.create_security_group(vpc, "app-sg")
    cloud.allow(app_sg, NUMBERS["app_port"], source=web_sg)
    db_sg = cloud.create_security_group(vpc, "db-sg")
    cloud.allow(db_sg, NUMBERS["db_port"], source=app_sg)
    for n, az in enumerate(cloud.azs[:NUMBERS["zones"]]):
        public = cloud.add_public_subnet(vpc, f"10.20.{n}.0/24", az, name=f"public-{n}")
        app = cloud.add_private_subnet(vpc, f"10.20.{10 + n}.0/24", az, name=f"app-{n}", nat_in=public)
        db = cloud.create_subnet(vpc, f"10.20.{20 + n}.0/24", az, name=f"db-{n}")
        cloud.launch(public, f"web-{n}", web_sg)
        cloud.launch(app, f"app-{n}", app_sg)
        cloud.launch(db, f"db-{n}", db_sg)
    return cloud


@functools.lru_cache(maxsize=4)
def _report(design_json: str, wanted: tuple[Check, ...]) -> DesignReport:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # what an import skips does not change what is reachable
        return check_design(Cloud.from_aws(json.loads(design_json)), wanted)


def _meets(question_id: str) -> Callable[[Any], bool]:
    def judge(answer: Any) -> bool:
        if not isinstance(answer, dict):
            raise InvalidValue("InvalidParameterValue", message("capstone.not_a_design"),
                               fix=message("capstone.not_a_design_fix"))
        return _report(json.dumps(answer, sort_keys=True), requirements()).met(GROUPS[question_id])

    return judge


def _smallest_prefix(base: str, hosts: int) -> str:
    """The smallest block at ``base`` whose AWS-usable addresses hold ``hosts``."""
    prefix = next(p for p in range(28, 15, -1) if parse(f"{base}/{p}").usable >= hosts)
    return str(parse(f"{base}/{prefix}"))


def _zones(role: str) -> int:
    return next(r.zones for r in requirements() if isinstance(r, Spread) and r.role == role)


def _design_question(question_id: str) -> Question:
    return Question(question_id, "data", lambda: reference_design().to_aws(), accepts=_meets(question_id))


QUESTIONS = (
    # lesson: check your understanding
    Question("cap.c1", "count", lambda: sum(isinstance(r, Spread) for r in THREE_TIER) * 3),
    Question("cap.c2", "bool",
             lambda: reference_design().trace("198.51.100.10", "app-0", port=NUMBERS["app_port"]).reachable),
    # exercises
    Question("cap.q1", "count", lambda: sum(_zones(r.role) for r in requirements() if isinstance(r, Spread))),
    Question("cap.q2", "count", lambda: _zones("app")),
    Question("cap.q3", "cidr", lambda: _smallest_prefix(Q3_BASE, NUMBERS["app_hosts"])),
    *(_design_question(q) for q in GROUPS),
)

ASSIGNMENTS = {"09_capstone": tuple(f"cap.q{n}" for n in range(1, 9))}
