"""Messages of the capstone (09_capstone): hints and answer errors."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "capstone.not_a_design": "this question wants your design as AWS describe JSON (a dict), not that",
    "capstone.not_a_design_fix": "build the design in a Cloud, then answer with design = cloud.to_aws()",
    "hint.cap.c1": "one subnet per tier in each zone: tiers × zones",
    "hint.cap.c2": "a private subnet has no route to the internet gateway, and the instance has no public address",
    "hint.cap.q1": "count the tiers that must be spread, times the zones each needs",
    "hint.cap.q2": "each zone's app instances must leave through a NAT gateway in that same zone",
    "hint.cap.q3": "AWS keeps 5 addresses per subnet: find the smallest /n with 2 ** (32 - n) - 5 ≥ 400",
    "hint.cap.q4": "launch instances named web-…, app-… and db-… in subnets of at least two Availability Zones",
    "hint.cap.q5": "web instances need a public address, a route to the internet gateway and an inbound rule "
                   "for 443 only",
    "hint.cap.q6": "allow 8080 into the app group from the web group, 5432 into the db group from the app group, "
                   "and give app subnets a route to a NAT gateway",
    "hint.cap.q7": "open nothing to 0.0.0.0/0 except 443 on the web group; db subnets need no route out",
    "hint.cap.q8": "put a NAT gateway in a public subnet of each zone, and route each zone's app subnet to its own",
}
