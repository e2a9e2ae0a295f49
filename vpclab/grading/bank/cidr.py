"""Questions about CIDR blocks and subnets (lesson and exercises 02_cidr_subnets).

``cidr.cN`` are the lesson's "check your understanding" questions (not graded);
``cidr.qN`` are the graded exercise questions. Each answer is computed by the engine:
q1–q8 with block arithmetic, q9–q12 in the world that :func:`world` builds (the lesson's
worked example plus a batch tier; the exercise notebook shows the same world).

Each learner gets their own numbers (:mod:`vpclab.grading.variant`): the block split in q4,
the address of q7, the subnets already taken in q8 and the block AWS refuses in q10.
:func:`parameters` gives them to code, :func:`parameters_table` shows them; the default
variant keeps the numbers of the solution notebook. The world of q9–q12 is the same for all.
"""

from __future__ import annotations

from typing import Any

from vpclab.cidr import network_of, parse
from vpclab.cidr_rules import validate_subnet_cidr
from vpclab.cloud import Cloud
from vpclab.display import Table
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.grading.questions import Question
from vpclab.grading.variant import param, parameter_table
from vpclab.i18n import message
from vpclab.subnet_plan import find_overlaps, free_space

__all__ = ["ASSIGNMENT", "ASSIGNMENTS", "QUESTIONS", "parameters", "parameters_table", "world"]

ASSIGNMENT = "02_cidr_subnets"
LAB_VPC = "10.0.0.0/16"
POSTGRES = 5432
# q4: a VPC block to split into 4 equal subnets (each a valid VPC block, /16 to /20)
SPLIT_BLOCKS = ("10.0.0.0/16", "10.1.0.0/16", "172.16.0.0/16", "192.168.0.0/16", "10.20.0.0/18",
                "10.0.0.0/20", "172.31.0.0/20")
# q7: an address whose /22 network is asked (the third octet decides it)
ADDRESSES = ("10.0.7.9", "10.0.13.200", "10.0.22.5", "10.0.30.77", "10.0.41.130", "10.0.62.1",
             "10.0.3.250", "10.0.100.17")
# q8: the subnets 10.0.0.0/16 already has, in address order; the lowest free /24 differs
TAKEN = (("10.0.0.0/24", "10.0.1.0/24", "10.0.3.0/24"), ("10.0.0.0/24", "10.0.2.0/24", "10.0.3.0/24"),
         ("10.0.1.0/24", "10.0.2.0/24"), ("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.4.0/24"),
         ("10.0.0.0/23", "10.0.2.0/24", "10.0.5.0/24"), ("10.0.0.0/22", "10.0.5.0/24"))
# q10: a /22 someone asks for as the larger database subnet; each overlaps one subnet of ``lab``
REFUSED_BLOCKS = ("10.0.4.0/22", "10.0.0.0/22", "10.0.8.0/22")
REFUSED_BLOCK = REFUSED_BLOCKS[0]  # the default variant's
REPAIR_PREFIX = 24  # q11: the size of the database subnet to add instead
REACHABLE = "REACHABLE"  # the answer to "what stops it?" when nothing does


def _split_block() -> str:
    return param(ASSIGNMENT, "split", "10.0.0.0/16", SPLIT_BLOCKS)


def _address() -> str:
    return param(ASSIGNMENT, "address", "10.0.7.9", ADDRESSES)


def _taken_subnets() -> tuple[str, ...]:
    return param(ASSIGNMENT, "taken", TAKEN[0], TAKEN)


def _refused_block() -> str:
    return param(ASSIGNMENT, "refused", REFUSED_BLOCK, REFUSED_BLOCKS)


def parameters() -> dict[str, Any]:
    """Your numbers in 02_cidr_subnets (the variant in force): ``split``, ``address``, ``taken``,
    ``refused``."""
    return {"split": _split_block(), "address": _address(), "taken": _taken_subnets(),
            "refused": _refused_block()}


def parameters_table() -> Table:
    """The same numbers, each with what it is for, for display."""
    values = parameters()
    return parameter_table(ASSIGNMENT, values, {key: message(f"cidr.exercise.numbers.{key}") for key in values})


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


def world(*, reports: bool = False) -> Cloud:
    """The lesson's worked example and one more tier. VPC ``lab`` 10.0.0.0/16; subnet ``app``
    10.0.2.0/24 (AZ a) with ``app-server`` in ``app-sg``; subnet ``db`` 10.0.5.0/24 (AZ b)
    with ``db-server`` in ``db-sg``, which allows TCP 5432 only from members of ``app-sg``;
    subnet ``batch`` 10.0.8.0/24 (AZ c) with ``batch-server`` in a new group ``batch-sg``.

    With ``reports``, the VPC also has the secondary block 10.1.0.0/16 with subnet
    ``reports`` 10.1.0.0/24 (AZ a) and ``reports-server`` in ``reports-sg``, and ``db-sg``
    also allows TCP 5432 from members of ``reports-sg``. No route is added by hand.
    """
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc(LAB_VPC, name="lab")
    app = cloud.create_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    db = cloud.create_subnet(vpc, "10.0.5.0/24", az="b", name="db")
    app_sg = cloud.create_security_group(vpc, "app-sg")
    db_sg = cloud.create_security_group(vpc, "db-sg")
    cloud.allow(db_sg, POSTGRES, source=app_sg)
    cloud.launch(app, "app-server", app_sg)
    cloud.launch(db, "db-server", db_sg)
    batch = cloud.create_subnet(vpc, "10.0.8.0/24", az="c", name="batch")
    cloud.launch(batch, "batch-server", cloud.create_security_group(vpc, "batch-sg"))
    if reports:
        cloud.associate_vpc_cidr_block(vpc, "10.1.0.0/16")
        subnet = cloud.create_subnet(vpc, "10.1.0.0/24", az="a", name="reports")
        reports_sg = cloud.create_security_group(vpc, "reports-sg")
        cloud.allow(db_sg, POSTGRES, source=reports_sg)
        cloud.launch(subnet, "reports-server", reports_sg)
    return cloud


def _to_database(source: str, *, reports: bool = False) -> str:
    """q9, q12: the code of what stops ``source`` opening TCP 5432 to ``db-server``, or REACHABLE."""
    blocker = world(reports=reports).trace(source, "db-server", "tcp", POSTGRES).blocker
    return REACHABLE if blocker is None else blocker.code


def _taken(cloud: Cloud) -> list[str]:
    """The blocks of the subnets of ``lab``, in address order."""
    return [s.cidr for s in cloud.subnets("lab")]


def _overlapped() -> str:
    """q10: the existing subnet that the refused block shares addresses with."""
    refused = _refused_block()
    (pair,) = find_overlaps([*_taken(world()), refused])
    (other,) = [c for c in pair if str(c) != refused]
    return str(other)


def _subnet_accepted(answer: Any) -> bool:
    """q11: a /24 that AWS creates as a new database subnet in AZ c of ``lab`` (rebuilt here)."""
    if not isinstance(answer, str):
        raise InvalidValue("InvalidParameterValue",
                           message("cidr.exercise.not_text", value=repr(answer), type=type(answer).__name__),
                           fix=message("cidr.exercise.not_text_fix"))
    block = parse(answer)
    if block.prefix != REPAIR_PREFIX:
        raise InvalidValue("InvalidParameterValue",
                           message("cidr.exercise.wrong_size", cidr=block, prefix=block.prefix,
                                   wanted=REPAIR_PREFIX),
                           fix=message("cidr.exercise.wrong_size_fix", wanted=REPAIR_PREFIX))
    cloud = world()
    try:
        cloud.create_subnet("lab", str(block), az="c", name="db-c")
    except VpcLabError as err:  # AWS's reason, without vpclab's suggestion of a free block
        raise type(err)(err.code, message("cidr.exercise.refused", cidr=block, problem=err.message),
                        fix=message("cidr.exercise.refused_fix", vpc=LAB_VPC,
                                    subnets=", ".join(_taken(cloud)))) from None
    return True


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
    Question("cidr.q4", "cidr_list", lambda: [str(c) for c in parse(_split_block()).split(4)]),
    Question("cidr.q5", "bool", lambda: _can_be_subnet("10.0.0.0/29", "10.0.0.0/16")),
    Question("cidr.q6", "count", lambda: len(parse("10.0.0.0/20").subnets(24))),
    Question("cidr.q7", "cidr", lambda: str(network_of(_address(), 22))),
    Question("cidr.q8", "cidr", lambda: _first_free("10.0.0.0/16", list(_taken_subnets()), 24)),
    Question("cidr.q9", "choice", lambda: _to_database("batch-server")),
    Question("cidr.q10", "cidr", _overlapped),
    Question("cidr.q11", "data", lambda: _first_free(LAB_VPC, _taken(world()), REPAIR_PREFIX),
             accepts=_subnet_accepted),
    Question("cidr.q12", "choice", lambda: _to_database("reports-server", reports=True)),
)

ASSIGNMENTS = {
    ASSIGNMENT: tuple(f"cidr.q{n}" for n in range(1, 13)),
}
