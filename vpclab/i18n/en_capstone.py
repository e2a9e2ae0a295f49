"""Messages of the capstone (09_capstone): hints and answer errors."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "capstone.not_a_design": "this question wants your design as AWS describe JSON (a dict), not that",
    "capstone.not_a_design_fix": "build the design in a Cloud, then answer with design = cloud.to_aws()",
    # --- the per-learner numbers of the 09_capstone exercises (parameters_table) -------------
    "capstone.params.zones": "how many Availability Zones each tier (web, app, db) must use",
    "capstone.params.app_hosts": "question 3: how many instances one app subnet must hold",
    "capstone.params.app_port": "the TCP port the app tier listens on (web → app)",
    "capstone.params.db_port": "the TCP port of the database tier (app → db)",
    "hint.cap.c1": "one subnet per tier in each zone: tiers × zones",
    "hint.cap.c2": "a private subnet has no route to the internet gateway, and the instance has no public address",
    "hint.cap.q1": "count the tiers that must be spread, times the zones each needs",
    "hint.cap.q2": "each zone's app instances must leave through a NAT gateway in that same zone",
    "hint.cap.q3": "AWS keeps 5 addresses per subnet: find the smallest /n with 2 ** (32 - n) - 5 ≥ p['app_hosts']",
    "hint.cap.q4": "launch instances named web-…, app-… and db-… in subnets of at least p['zones'] Availability Zones",
    "hint.cap.q5": "web instances need a public address, a route to the internet gateway and an inbound rule "
                   "for 443 only",
    "hint.cap.q6": "allow p['app_port'] into the app group from the web group, p['db_port'] into the db group from "
                   "the app group, and give app subnets a route to a NAT gateway",
    "hint.cap.q7": "open nothing to 0.0.0.0/0 except 443 on the web group; db subnets need no route out",
    "hint.cap.q8": "put a NAT gateway in a public subnet of each zone, and route each zone's app subnet to its own",
}
