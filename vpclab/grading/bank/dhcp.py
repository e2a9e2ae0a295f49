"""Questions about DHCP, addresses, public IPs and planning for auto scaling (lesson and
exercises 03_dhcp_addressing).

``dhcp.cN`` are the lesson's "check your understanding" questions (not graded); ``dhcp.qN``
are the graded exercise questions. Each answer is computed by the engine: a small world is
built the way the question describes it, and the answer is read off it.

The graded questions take a learner's own numbers (:mod:`vpclab.grading.variant`): each is read
with ``param`` when the question's world is built, so the default variant gives the numbers
the solution notebook shows. :func:`parameters` lists them; :func:`parameters_table` shows them.
"""

from __future__ import annotations

from typing import Any

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.display import Table
from vpclab.errors import VpcLabError
from vpclab.grading.questions import Question
from vpclab.grading.variant import param, parameter_table
from vpclab.i18n import message
from vpclab.resources import Subnet, Vpc
from vpclab.subnet_plan import free_space

__all__ = ["ASSIGNMENT", "ASSIGNMENTS", "QUESTIONS", "parameters", "parameters_table"]

ASSIGNMENT = "03_dhcp_addressing"

# Question 8: the VPC and the subnets it already has (its free gaps: a /26, two /25s, a /24).
REPAIR_VPC = "10.0.0.0/22"
REPAIR_USED = ("10.0.0.0/24", "10.0.1.0/26", "10.0.2.0/25")


# --- the learner's numbers (read when a question's world is built, never at import) ----------

def _empty_subnet() -> str:
    """Question 1: a new, empty subnet of a 10.0.0.0/16 VPC, from a /28 to a /22."""
    return param(ASSIGNMENT, "empty_subnet", "10.0.8.0/27",
                 ("10.0.8.0/28", "10.0.8.16/28", "10.0.8.0/27", "10.0.8.32/27", "10.0.8.64/26",
                  "10.0.8.128/25", "10.0.9.0/24", "10.0.12.0/23", "10.0.16.0/22"))


def _dns_vpc() -> tuple[str, str]:
    """Question 2: a VPC's primary block and a subnet of it that does not start at its base."""
    return param(ASSIGNMENT, "dns_vpc", ("10.1.0.0/16", "10.1.20.0/24"),
                 (("10.1.0.0/16", "10.1.20.0/24"), ("10.2.0.0/16", "10.2.7.0/24"),
                  ("10.30.64.0/18", "10.30.96.0/24"), ("172.16.0.0/16", "172.16.40.0/24"),
                  ("172.31.128.0/20", "172.31.136.0/22"), ("192.168.0.0/20", "192.168.9.0/24")))


def _group_beside_nat() -> int:
    """Question 5: instances already in the /27 beside the NAT gateway (8 more never fit)."""
    return param(ASSIGNMENT, "group_beside_nat", 20, (19, 20, 21, 22, 23, 24))


def _group_max() -> int:
    """Question 8: how big the new auto scaling group can grow (needs a /26, /25 or /24)."""
    return param(ASSIGNMENT, "group_max", 100, (50, 59, 60, 100, 120, 123, 200, 240))


def parameters() -> dict[str, Any]:
    """The numbers of the 03_dhcp_addressing exercises in the variant in force (the default
    variant's are the solution notebook's)."""
    vpc_block, instance_subnet = _dns_vpc()
    return {"empty_subnet": _empty_subnet(), "vpc_block": vpc_block, "instance_subnet": instance_subnet,
            "group_beside_nat": _group_beside_nat(), "group_max": _group_max()}


def parameters_table() -> Table:
    """The same numbers, each with what it is for, for display."""
    values = parameters()
    return parameter_table(ASSIGNMENT, values, {key: message(f"dhcp.params.{key}") for key in values})


def _subnet(vpc_cidr: str, subnet_cidr: str) -> tuple[Cloud, Vpc, Subnet]:
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc(vpc_cidr, name="lab")
    return cloud, vpc, cloud.create_subnet(vpc, subnet_cidr, name="app")


def _free_in_new(subnet_cidr: str) -> int:
    cloud, _, subnet = _subnet("10.0.0.0/16", subnet_cidr)
    return cloud.free_addresses(subnet)


def _dns_server(vpc_cidr: str, subnet_cidr: str) -> str:
    cloud, _, subnet = _subnet(vpc_cidr, subnet_cidr)
    return cloud.dhcp_settings(subnet).domain_name_servers[0]


def _dns_servers_after_default() -> int:
    cloud, vpc, _ = _subnet("10.0.0.0/16", "10.0.1.0/24")
    cloud.associate_dhcp_options("default", vpc)
    return len(cloud.dhcp_settings(vpc).domain_name_servers)


def _packet_leaves_with_public_ip() -> bool:
    """Does the packet leave the instance with its public IP as the source? (Read from the
    internet gateway's 1:1 NAT hop: the address it translates from.)"""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16")
    web = cloud.launch(cloud.add_public_subnet(vpc, "10.0.0.0/24"), "web")
    trace = cloud.trace(web, "203.0.113.10", "tcp", 443)
    nat = next(h for h in trace.forward if h.type == "internet-gateway" and h.translated)
    return nat.translated is not None and nat.translated["from"].split(":")[0] == web.public_ip


def _full_28() -> tuple[Cloud, Subnet]:
    """A /28 subnet with 11 instances in it (an auto scaling group at its maximum)."""
    cloud, _, subnet = _subnet("10.0.0.0/16", "10.0.1.0/28")
    cloud.run_instances(subnet, 11, name="web")
    return cloud, subnet


def _twelfth_launch() -> VpcLabError | None:
    cloud, subnet = _full_28()
    try:
        cloud.run_instances(subnet, 1, name="web-12")
    except VpcLabError as err:
        return err
    return None


def _room_beside_nat_gateway() -> int:
    """A /27 public subnet holding a NAT gateway and the learner's group of instances."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16")
    public = cloud.add_public_subnet(vpc, "10.0.0.0/27", name="public")
    cloud.create_nat_gateway(public, cloud.allocate_address())
    cloud.run_instances(public, _group_beside_nat(), name="web")
    try:
        cloud.run_instances(public, 8, name="web-more")
    except VpcLabError:
        return cloud.free_addresses(public)
    raise AssertionError("the question says the 8 more instances do not fit")  # pragma: no cover


def _why_no_names() -> str:
    """Which explanation fits a VPC whose options were set to ``"default"``: each choice is
    checked against the engine, and the one that holds is the answer."""
    cloud, vpc, subnet = _subnet("10.0.0.0/16", "10.0.1.0/24")
    cloud.associate_dhcp_options("default", vpc)
    locked = cloud.create_security_group(vpc, "no-outbound")
    cloud.revoke_security_group_egress(locked, "-1", cidr="0.0.0.0/0")
    instance = cloud.launch(subnet, "app", locked)
    settings = cloud.dhcp_settings(vpc)
    block = parse(subnet.cidr)
    choices = {
        "A": not cloud.trace(instance, "169.254.169.253", "udp", 53).reachable,
        "B": settings.domain_name_servers == (),
        "C": settings.routers[subnet.id] != block.router,
        "D": settings.domain_name_servers == (block.reserved[2].address,),
    }
    (answer,) = [letter for letter, holds in choices.items() if holds]
    return answer


def _eip_kept_after_terminate() -> bool:
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16")
    web = cloud.launch(cloud.add_public_subnet(vpc, "10.0.0.0/24"), "web")
    eip = cloud.allocate_address("web-eip")
    cloud.associate_address(eip, web)
    cloud.terminate_instances(web)
    try:
        cloud.get(eip.id)
    except VpcLabError:
        return False
    return True


def _fits_group(answer: Any) -> bool:
    """Would AWS create this subnet in the VPC, and could one launch put the whole group in it?"""
    if not isinstance(answer, str):
        return False
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc(REPAIR_VPC, name="lab")
    for block in REPAIR_USED:
        cloud.create_subnet(vpc, block)
    try:
        subnet = cloud.create_subnet(vpc, answer, name="asg")
        cloud.run_instances(subnet, _group_max())
    except VpcLabError:
        return False
    return True


def _a_block_for_the_group() -> str:
    """The first free block that holds the group: the smallest prefix whose usable count is enough."""
    group = _group_max()
    prefix = next(p for p in range(28, 15, -1) if 2 ** (32 - p) - 5 >= group)
    for gap in free_space(REPAIR_VPC, list(REPAIR_USED)):
        if gap.prefix <= prefix:
            return str(gap if gap.prefix == prefix else gap.subnets(prefix)[0])
    raise AssertionError("the question's VPC must have room")  # pragma: no cover


def _error_code() -> str:
    err = _twelfth_launch()
    assert err is not None, "the 12th launch into a full /28 must fail"
    return err.code


QUESTIONS = (
    # lesson: check your understanding
    Question("dhcp.c1", "address", lambda: _dns_server("10.20.0.0/16", "10.20.5.0/24")),
    Question("dhcp.c2", "count", lambda: _free_in_new("10.0.4.0/26")),
    Question("dhcp.c3", "count", _dns_servers_after_default),
    Question("dhcp.c4", "bool", _packet_leaves_with_public_ip),
    # exercises
    Question("dhcp.q1", "count", lambda: _free_in_new(_empty_subnet())),
    Question("dhcp.q2", "address", lambda: _dns_server(*_dns_vpc())),
    Question("dhcp.q3", "bool", lambda: _twelfth_launch() is None),
    Question("dhcp.q4", "choice", _error_code),
    Question("dhcp.q5", "count", _room_beside_nat_gateway),
    Question("dhcp.q6", "choice", _why_no_names),
    Question("dhcp.q7", "bool", _eip_kept_after_terminate),
    Question("dhcp.q8", "data", _a_block_for_the_group, accepts=_fits_group),
)

ASSIGNMENTS = {
    ASSIGNMENT: tuple(f"dhcp.q{n}" for n in range(1, 9)),
}
