"""Questions of the welcome lesson (00_welcome): how ``check`` gives instant feedback.

``welcome.cN`` are the lesson's "check your understanding" questions (not graded). They
are asked about the lesson's worked example, built again here by :func:`web_server`, and
each answer is computed by the engine. Lesson 00 has no exercise notebook.
"""

from __future__ import annotations

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.grading.questions import Question
from vpclab.resources import Instance
from vpclab.trace import Trace

__all__ = ["ASSIGNMENTS", "INTERNET_HOST", "QUESTIONS", "web_server"]

INTERNET_HOST = "203.0.113.10"  # a documentation address (RFC 5737): any computer on the internet


def web_server() -> tuple[Cloud, Instance]:
    """The worked example: a VPC, a public subnet with an internet gateway, and one web
    server whose security group allows HTTPS (443) from anywhere."""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    web_sg = cloud.create_security_group(vpc, "web-sg")
    cloud.allow(web_sg, 443, source="0.0.0.0/0")
    return cloud, cloud.launch(public, "web", web_sg)


def _from_the_internet(port: int) -> Trace:
    cloud, web = web_server()
    return cloud.trace(INTERNET_HOST, web, port=port)


def _blocker(port: int) -> str:
    blocker = _from_the_internet(port).blocker
    return blocker.code if blocker else "REACHABLE"


QUESTIONS = (
    Question("welcome.c1", "count", lambda: parse("10.0.1.0/24").usable),
    Question("welcome.c2", "bool", lambda: _from_the_internet(443).reachable),
    Question("welcome.c3", "choice", lambda: _blocker(22)),
)

ASSIGNMENTS: dict[str, tuple[str, ...]] = {}
