"""Questions about security groups and network ACLs (lesson and exercises 06_security_groups_nacls).

``fw.cN`` are the lesson's "check your understanding" questions (not graded); ``fw.qN`` are
the graded exercise questions. Each answer is computed by the engine: the question's world
is built with the Cloud's operations and the connection traced, or the NACL's rules
evaluated with :func:`vpclab.firewall.nacl_decision`.

Rules are written as the keyword arguments of ``cloud.create_network_acl_entry``, e.g.
``{"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "port": 443}``;
the repair question takes its answer in that form.

The exercises take per-learner numbers (:mod:`vpclab.grading.variant`): the request of
question 1 (client address and port), the number of question 5's deny rule and the service
of question 7 are read with ``param`` when an answer is computed. :func:`parameters` gives
the values in force; the default variant keeps the numbers of the solution notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vpclab.cloud import Cloud
from vpclab.errors import InvalidValue
from vpclab.firewall import nacl_decision
from vpclab.grading.questions import Question
from vpclab.grading.variant import Parameters
from vpclab.i18n import message
from vpclab.ports import EPHEMERAL_RANGES, ephemeral_range, reply_ports, service_port
from vpclab.resources import Instance, NetworkAcl
from vpclab.trace import Trace

__all__ = ["ASSIGNMENT", "ASSIGNMENTS", "QUESTIONS", "parameters", "parameters_table"]

ASSIGNMENT = "06_security_groups_nacls"

CLIENT = "203.0.113.25"  # documentation addresses (RFC 5737) standing for clients on the internet
OTHER_CLIENT = "198.51.100.7"
_ENTRY_KEYS = ("rule_number", "protocol", "action", "cidr", "egress", "port", "ports")
_REQUIRED = ("rule_number", "protocol", "action", "cidr")

# The per-learner numbers: key → (default, the values a learner's variant picks from).
_PARAMETERS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    # q1: where the request comes from and its port; every pair is decided by a numbered rule
    # of _Q1_RULES (150, 200, 300 or 400), never by the * rule
    "q1_source": ("203.0.113.200", ("203.0.113.200", "203.0.113.60", "203.0.113.140", "198.51.100.7",
                                    "192.0.2.33")),
    "q1_port": (443, (443, 3389, 5432)),
    # q5: the outbound deny rule, numbered below the allow rule 100 so that it is checked first
    "q5_deny_rule": (90, (50, 60, 70, 80, 90)),
    # q7: a service that runs on the learner's own server, named as in the well-known ports table (TCP, one port)
    "q7_service": ("PostgreSQL", ("PostgreSQL", "MySQL / Aurora", "MS SQL Server", "Oracle", "RDP")),
}


NUMBERS = Parameters(ASSIGNMENT, _PARAMETERS, "fw.params")
#: The numbers of the exercises in the variant in force, as a dict and as a table to show.
parameters = NUMBERS.values
parameters_table = NUMBERS.table


def _web(*, nacl: Sequence[dict[str, Any]] | None = None, sg_out: bool = True,
         sg_ports: int | tuple[int, int] = 443) -> tuple[Cloud, NetworkAcl, Instance]:
    """A web server in a public subnet. Its security group ``web-sg`` allows ``sg_ports``
    from anywhere (and all outbound unless ``sg_out`` is False). With ``nacl``, the subnet
    uses a new custom NACL ``web-acl`` holding these entries; else the default NACL."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    subnet = cloud.add_public_subnet(vpc, "10.0.1.0/24", name="web-subnet")
    sg = cloud.create_security_group(vpc, "web-sg", "the web server")
    cloud.allow(sg, sg_ports, source="0.0.0.0/0")
    if not sg_out:
        cloud.revoke_security_group_egress(sg, "-1", cidr="0.0.0.0/0")
    web = cloud.launch(subnet, "web", sg)
    acl = cloud.network_acl_for(subnet)
    if nacl is not None:
        acl = cloud.create_network_acl(vpc, "web-acl")
        cloud.replace_network_acl_association(subnet, acl)
        for entry in nacl:
            acl = cloud.create_network_acl_entry(acl, **entry)
    return cloud, acl, web


def _https(cloud: Cloud, web: Instance, *, source_port: int, client: str = CLIENT) -> Trace:
    return cloud.trace(client, web, "tcp", service_port("HTTPS"), source_port=source_port)


def _deciding_rule(entries: Sequence[dict[str, Any]], *, port: int, remote: str) -> int:
    """The number of the inbound NACL rule that decides about TCP ``port`` from ``remote``."""
    _, acl, _ = _web(nacl=entries)
    return nacl_decision(acl.entries, egress=False, protocol="tcp", port=port, remote=remote).rule_number


# --- the worked example: a NACL that lets HTTPS in but no reply out -----------------------------------
_HTTPS_IN = {"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "port": 443}


def _worked_example() -> Trace:
    cloud, _, web = _web(nacl=[_HTTPS_IN])
    return _https(cloud, web, source_port=ephemeral_range("linux")[0])


# --- q1: which rule decides (rules given out of order) ------------------------------------------------
_Q1_RULES = (
    {"rule_number": 300, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "ports": (1024, 65535)},
    {"rule_number": 200, "protocol": "tcp", "action": "deny", "cidr": "203.0.113.0/24", "ports": (0, 65535)},
    {"rule_number": 400, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "port": 443},
    {"rule_number": 150, "protocol": "tcp", "action": "allow", "cidr": "203.0.113.0/25", "port": 443},
    {"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "10.0.0.0/8", "port": 22},
)

# --- q3, q4: outbound allows only 443, "because HTTPS is 443" -----------------------------------------
_Q3_RULES = (_HTTPS_IN, {**_HTTPS_IN, "egress": True})


def _q3_trace() -> Trace:
    cloud, _, web = _web(nacl=_Q3_RULES)
    return _https(cloud, web, source_port=50000)


# --- q5: a deny rule numbered before the ephemeral allow rule -----------------------------------------
def _q5_rules() -> tuple[dict[str, Any], ...]:
    return (
        _HTTPS_IN,
        {"rule_number": NUMBERS["q5_deny_rule"], "protocol": "tcp", "action": "deny", "cidr": "0.0.0.0/0",
         "egress": True, "ports": (1024, 32767)},
        {"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "egress": True,
         "ports": (1024, 65535)},
    )


def _q5_rule() -> int | None:
    cloud, _, web = _web(nacl=_q5_rules())
    blocker = _https(cloud, web, source_port=20480).blocker
    return None if blocker is None else blocker.rule


# --- q6: repair a new custom NACL so that HTTPS works and nothing else gets in ------------------------
_MUST_STAY_CLOSED = ("SSH", "HTTP", "MySQL", "RDP")


def _entries(answer: Any) -> list[dict[str, Any]]:
    """The learner's NACL entries, checked for shape (the engine checks the values)."""
    if not isinstance(answer, list) or not answer or not all(isinstance(e, dict) for e in answer):
        raise InvalidValue("InvalidParameterValue", message("fw.repair.not_rules"),
                           fix=message("fw.repair.not_rules_fix"))
    entries = []
    for entry in answer:
        unknown = sorted(set(entry) - set(_ENTRY_KEYS))
        missing = [k for k in _REQUIRED if k not in entry]
        if unknown or missing:
            raise InvalidValue("InvalidParameterValue",
                               message("fw.repair.bad_keys", entry=entry, unknown=", ".join(unknown) or "-",
                                       missing=", ".join(missing) or "-"),
                               fix=message("fw.repair.bad_keys_fix", keys=", ".join(_ENTRY_KEYS)))
        ports = entry.get("ports")
        if ports is not None and (not isinstance(ports, list) or len(ports) != 2):
            raise InvalidValue("InvalidParameterValue", message("fw.repair.bad_ports", ports=ports),
                               fix=message("fw.repair.bad_ports_fix"))
        if not isinstance(entry.get("egress", False), bool):
            raise InvalidValue("InvalidParameterValue", message("fw.repair.bad_egress", egress=entry["egress"]),
                               fix=message("fw.repair.bad_egress_fix"))
        entries.append({**entry, **({"ports": tuple(ports)} if ports is not None else {})})
    return entries


def _repaired(answer: Any) -> tuple[Cloud, Instance]:
    """The lab with a new custom NACL holding the learner's entries (its security group lets
    every TCP port in, so only the NACL decides)."""
    cloud, _, web = _web(nacl=[], sg_ports=(0, 65535))
    acl = cloud.network_acl_for(web.subnet_id)
    for entry in _entries(answer):
        cloud.create_network_acl_entry(acl, **entry)
    return cloud, web


def _repair_serves(answer: Any) -> bool:
    """Public check: HTTPS works for every kind of client's ephemeral port."""
    cloud, web = _repaired(answer)
    client_ports = sorted({port for bounds in EPHEMERAL_RANGES.values() for port in bounds})
    return all(_https(cloud, web, source_port=port, client=client).reachable
               for client in (CLIENT, OTHER_CLIENT) for port in client_ports)


def _repair_stays_closed(answer: Any) -> bool:
    """Hidden check: the NACL still stops SSH, HTTP, MySQL and RDP on the way in."""
    cloud, web = _repaired(answer)
    closed = [cloud.trace(CLIENT, web, "tcp", service_port(name)).blocker for name in _MUST_STAY_CLOSED]
    return all(b is not None and b.code == "SUBNET_ACL_RESTRICTION" and b.direction == "forward" for b in closed)


def _repair_answer() -> list[dict[str, Any]]:
    low, high = reply_ports()
    return [
        {"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "egress": False,
         "port": service_port("HTTPS")},
        {"rule_number": 100, "protocol": "tcp", "action": "allow", "cidr": "0.0.0.0/0", "egress": True,
         "ports": [low, high]},
    ]


# --- q8: the Amazon DNS resolver is not filtered ------------------------------------------------------
def _resolver_reachable() -> bool:
    cloud, _, web = _web(nacl=[], sg_out=False)
    return cloud.trace(web, "10.0.0.2", "udp", service_port("DNS")).reachable


def _https_works(**world: Any) -> bool:
    """Can a Linux client on the internet open HTTPS to the web server of this world?"""
    cloud, _, web = _web(**world)
    return _https(cloud, web, source_port=ephemeral_range("linux")[0]).reachable


def _code(trace: Trace) -> str | None:
    return None if trace.blocker is None else trace.blocker.code


def _direction(trace: Trace) -> str | None:
    return None if trace.blocker is None else trace.blocker.direction


QUESTIONS = (
    # lesson: check your understanding
    Question("fw.c1", "count", lambda: service_port("SSH")),
    Question("fw.c2", "bool", lambda: _https_works(nacl=[])),
    Question("fw.c3", "choice", lambda: _code(_worked_example())),
    Question("fw.c4", "count", lambda: _deciding_rule(
        [_HTTPS_IN, {"rule_number": 90, "protocol": "-1", "action": "deny", "cidr": "198.51.100.0/24"}],
        port=443, remote=OTHER_CLIENT)),
    # exercises
    Question("fw.q1", "count", lambda: _deciding_rule(_Q1_RULES, port=NUMBERS["q1_port"], remote=NUMBERS["q1_source"])),
    Question("fw.q2", "bool", lambda: _https_works(sg_out=False)),
    Question("fw.q3", "choice", lambda: _code(_q3_trace())),
    Question("fw.q4", "choice", lambda: _direction(_q3_trace())),
    Question("fw.q5", "count", _q5_rule),
    Question("fw.q6", "data", _repair_answer, points=2, accepts=_repair_serves,
             hidden=(("fw.repair.hidden_closed", _repair_stays_closed),)),
    Question("fw.q7", "count", lambda: service_port(NUMBERS["q7_service"])),
    Question("fw.q8", "bool", _resolver_reachable),
)

ASSIGNMENTS = {
    ASSIGNMENT: tuple(f"fw.q{n}" for n in range(1, 9)),
}
