"""Questions about CIDR blocks and subnets (lesson and exercises 02_cidr_subnets).

``cidr.cN`` are the lesson's "check your understanding" questions (not graded);
``cidr.qN`` are the graded exercise questions. Each answer is computed by the engine.
"""

from __future__ import annotations

from vpclab.cidr import network_of, parse
from vpclab.cidr_rules import validate_subnet_cidr
from vpclab.errors import VpcLabError
from vpclab.grading.questions import Question
from vpclab.subnet_plan import free_space

__all__ = ["ASSIGNMENTS", "QUESTIONS"]


def _can_be_subnet(block: str, vpc: str) -> bool:
    try:
        validate_subnet_cidr(block, [vpc])
    except VpcLabError:
        return False
    return True


def _first_free(vpc: str, used: list[str], prefix: int) -> str:
    for gap in free_space(vpc, used):
        if gap.prefix <= prefix:
            return str(gap.subnets(prefix)[0] if gap.prefix < prefix else gap)
    raise AssertionError("the question's VPC must have room")  # pragma: no cover


QUESTIONS = (
    # lesson: check your understanding
    Question("cidr.c1", "count", lambda: parse("10.0.0.0/20").total),
    Question("cidr.c2", "count", lambda: parse("10.0.0.0/28").usable),
    Question("cidr.c3", "netmask", lambda: parse("10.0.0.0/20").netmask),
    Question("cidr.c4", "bool", lambda: parse("10.0.0.0/16").contains(parse("10.0.1.0/24"))),
    # exercises
    Question("cidr.q1", "count", lambda: parse("10.0.4.0/22").usable),
    Question("cidr.q2", "address", lambda: parse("10.0.16.0/20").router),
    Question("cidr.q3", "address", lambda: parse("172.31.0.0/16").last),
    Question("cidr.q4", "cidr_list", lambda: [str(c) for c in parse("10.0.0.0/16").split(4)]),
    Question("cidr.q5", "bool", lambda: _can_be_subnet("10.0.0.0/29", "10.0.0.0/16")),
    Question("cidr.q6", "count", lambda: len(parse("10.0.0.0/20").subnets(24))),
    Question("cidr.q7", "cidr", lambda: str(network_of("10.0.7.9", 22))),
    Question(
        "cidr.q8",
        "cidr",
        lambda: _first_free("10.0.0.0/16", ["10.0.0.0/24", "10.0.1.0/24", "10.0.3.0/24"], 24),
    ),
)

ASSIGNMENTS = {
    "02_cidr_subnets": tuple(f"cidr.q{n}" for n in range(1, 9)),
}
