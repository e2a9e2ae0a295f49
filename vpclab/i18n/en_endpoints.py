"""English messages of the endpoints topic: the endpoint lab widget and the hints of the
vpce.* questions (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- vpclab.widgets.endpoint_lab ----------------------------------------------------
    "endpoint_lab.nat-gateway": "NAT gateway",
    "endpoint_lab.internet-gateway": "internet gateway",
    "endpoint_lab.gateway-endpoint": "gateway endpoint",
    "endpoint_lab.interface-endpoint": "interface endpoint",
    "endpoint_lab.service": "service",
    "endpoint_lab.source": "request from",
    "endpoint_lab.source.vpc": "app-host (this VPC)",
    "endpoint_lab.source.peered": "partner-host (peered VPC)",
    "endpoint_lab.bad_source": "'{source}' is not a place the lab can send the request from",
    "endpoint_lab.bad_source_fix": "use one of: {sources}",
    "endpoint_lab.path": "The path",
    "endpoint_lab.request": "{source} connects to {name} on TCP 443; DNS answers {address}",
    "endpoint_lab.route_table": "The app subnet's route table:",
    "endpoint_lab.billing": "What is charged (kinds of charge, not prices)",
    "endpoint_lab.charge.free": "no charge",
    "endpoint_lab.charge.hourly": "charged per hour while it exists, used or not",
    "endpoint_lab.charge.hourly_per_az": "charged per hour for each Availability Zone it is in ({zones} here), used or not",
    "endpoint_lab.charge.per_gb": "charged per GB of data it processes",
    "endpoint_lab.carries": "this request goes through it",
    "endpoint_lab.not_used": "not on this request's path",
    "endpoint_lab.billing_note": "Hourly charges run while a piece exists, even when no request uses it",
    # --- vpclab.grading.bank.endpoints -------------------------------------------------------
    "endpoints.want_route_tables": "this question wants a list of route table names (or ids) as text",
    "endpoints.want_route_tables_fix": "answer like ['some-rt', 'other-rt']: the route tables to associate with the S3 gateway endpoint",
    # --- the per-learner numbers of the 07_endpoints exercises (parameters_table) ------------
    "endpoints.params.services": "question 4: the AWS services the private instances must reach, one interface endpoint each",
    "endpoints.params.azs": "question 4: in how many Availability Zones (one subnet each) every interface endpoint is",
    "endpoints.params.s3_subnets": "question 5: the subnets that must reach S3 through the gateway endpoint",
    # --- hints: lesson 07_endpoints (vpce.cN) and its exercises (vpce.qN) ---------------
    "hint.vpce.c1": "the router takes the most specific matching route; compare the prefix list's ranges with 0.0.0.0/0",
    "hint.vpce.c2": "a gateway endpoint is only a route target: look at what create_vpc_endpoint gave it besides routes",
    "hint.vpce.c3": "an interface endpoint puts one network interface in each subnet you choose",
    "hint.vpce.q1": "gateway endpoints exist for only two services; every other service needs an interface endpoint",
    "hint.vpce.q2": "a peering connection carries only packets for addresses inside the peer VPC's CIDR (no edge-to-edge routing)",
    "hint.vpce.q3": "look at the reports subnet's route table: which route could match an S3 address?",
    "hint.vpce.q4": "each interface endpoint serves one service and has one network interface per chosen subnet (one subnet per AZ)",
    "hint.vpce.q5": "associate the route tables that your subnets (p['s3_subnets']) use, and no table that another subnet uses",
    "hint.vpce.q6": "one of the three is only a route in your route tables; compare it with the two that process your data",
    "hint.vpce.q7": "security groups apply to an interface endpoint's network interfaces; what does a new group allow inbound?",
}
