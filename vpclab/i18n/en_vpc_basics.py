"""Messages of lesson 01_vpc_basics: the default VPC explorer widget, and the hints of the
``vpc.cN`` / ``vpc.qN`` questions."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- the default VPC explorer (vpclab.widgets.default_vpc) ---------------------------------
    "vpc_basics.region": "Region",
    "vpc_basics.azs": "AZs",
    "vpc_basics.launch": "launch an instance",
    "vpc_basics.title": "Default VPC in {region}: {cidr} ({total} addresses), one /20 default subnet per Availability Zone",
    "vpc_basics.az": "Availability Zone",
    "vpc_basics.subnet": "default subnet",
    "vpc_basics.block": "block",
    "vpc_basics.addresses": "addresses",
    "vpc_basics.usable": "usable",
    "vpc_basics.public_on_launch": "public IPv4 on launch",
    "vpc_basics.yes": "yes",
    "vpc_basics.no": "no",
    "vpc_basics.igw": "internet gateway {igw}, attached to {vpc}",
    "vpc_basics.main_table": "every default subnet uses the main route table (no explicit association):",
    "vpc_basics.dhcp": "DHCP options set {options}: DNS server {dns}, domain name {domain}",
    "vpc_basics.launch_hint": "tick '{label}' to launch an instance into the first default subnet",
    "vpc_basics.instance": "instance {instance} in {subnet} ({az}): private IPv4 {private}, public IPv4 {public}",
    "vpc_basics.none": "none",
    "vpc_basics.outbound": "to the internet, TCP 443 to {address}: {verdict}",
    "vpc_basics.inbound": "from the internet, TCP 22 from {address}: {verdict}",
    "vpc_basics.allowed": "✓ the connection can be made",
    "vpc_basics.blocked": "✗ {code}: {reason}",
    "vpc_basics.bad_azs": "{azs!r} is not a number of Availability Zones the simulator knows in {region}",
    "vpc_basics.bad_azs_fix": "choose a whole number from 1 to {most} ({zones})",
    # --- answers of the repair question --------------------------------------------------------
    "vpc_basics.want_rule": "{answer} is not a security group rule, or a list of rules",
    "vpc_basics.want_rule_fix": "write each rule as a dict like {{'protocol': 'tcp', 'port': 22, 'source': '198.51.100.0/24'}}",
    # --- each learner's numbers (parameters_table) ---------------------------------------------
    "vpc_basics.numbers.region": "question 1: the Region of the default VPC ({azs} Availability Zones in the simulator)",
    "vpc_basics.numbers.subnet": "question 3: the block of the subnet the instance is launched into",
    "vpc_basics.numbers.port": "question 6: web must answer this TCP port ({service}) from anywhere",
    # --- hints, one per question ---------------------------------------------------------------
    "hint.vpc.c1": "a default subnet is a /20: count its addresses, then take away the five AWS reserves",
    "hint.vpc.c2": "look at the main route table of the default VPC: which route's target starts with igw-?",
    "hint.vpc.c3": "default subnets have the attribute 'public IPv4 on launch' switched on",
    "hint.vpc.q1": "one default subnet per Availability Zone; each /20 has 4,096 addresses, and AWS keeps 5 of every subnet",
    "hint.vpc.q2": "the VPC router picks the most specific route that matches the destination; which route covers every address of the VPC?",
    "hint.vpc.q3": "only default subnets hand out public IPv4 addresses on launch; a subnet you add yourself does not",
    "hint.vpc.q4": "run cloud.trace(...) from an internet address to web on TCP 22 and read the first explanation code",
    "hint.vpc.q5": "look at the hop marked ✗ in the trace: what type of component is it?",
    "hint.vpc.q6": "security groups only allow; add one inbound rule for exactly that protocol and port, from every IPv4 address",
    "hint.vpc.q7": "without 0.0.0.0/0 the route table has no route that matches 8.8.8.8",
    "hint.vpc.q8": "the local route is still there, and it covers every subnet of the VPC",
}
