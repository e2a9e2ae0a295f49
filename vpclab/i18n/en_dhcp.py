"""English messages of lesson 03 (DHCP and addressing): the address map, the DHCP lab widget
and the hints of the dhcp.* questions (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # vpclab.dhcp: the address map of a subnet
    "dhcp.map.head": "subnet {subnet} {cidr}: {total} addresses, {reserved} reserved, {in_use} in use, {free} free",
    "dhcp.map.free": "free",
    "dhcp.map.free_not_listed": "… and {free} free addresses (not listed)",
    "dhcp.map.legend": "grey: reserved by AWS · blue: in use · white: free",
    "dhcp.map.nat_gateway": "NAT gateway",
    "dhcp.map.endpoint": "interface endpoint",
    # vpclab.widgets.dhcp_lab
    "dhcp.lab.size": "subnet",
    "dhcp.lab.group": "N",
    "dhcp.lab.launch_one": "Launch 1",
    "dhcp.lab.launch_group": "Launch N (auto scaling group)",
    "dhcp.lab.terminate": "Terminate one",
    "dhcp.lab.title": "subnet {cidr} in VPC {vpc}",
    "dhcp.lab.dhcp_says": "DHCP tells every instance here: default gateway (the VPC router) {router}, DNS server {dns}",
    "dhcp.lab.fit": "in use: {in_use} · free, so more instances that fit: {free}",
    "dhcp.lab.launched_one": "launched {name}: DHCP tells it its address, {address}",
    "dhcp.lab.launched_group": "launched {count} instances in one call, all or nothing ({first} … {last})",
    "dhcp.lab.terminated": "terminated {name} (the oldest): {address} is free again",
    "dhcp.lab.none_running": "no instance is running in this subnet: launch one first",
    # vpclab.grading.bank.dhcp: the learner's numbers for the exercises (parameters_table)
    "dhcp.params.empty_subnet": "question 1: a new, empty subnet",
    "dhcp.params.vpc_block": "question 2: the primary CIDR block of the VPC",
    "dhcp.params.instance_subnet": "question 2: the subnet of that VPC where the instance runs",
    "dhcp.params.group_beside_nat": "question 5: the instances of the group already beside the NAT gateway",
    "dhcp.params.group_max": "question 8: how many instances the new auto scaling group can grow to",
    # hints, one per question (hint.<question id>)
    "hint.dhcp.c1": "the Amazon DNS server answers at base + 2 of the VPC's primary block, whatever subnet the instance is in",
    "hint.dhcp.c2": "a /26 has 2 ** (32 - 26) addresses, and AWS keeps 5 of every subnet back",
    "hint.dhcp.c3": "in the AWS API, 'default' means no DHCP options at all, not the Region's default set: run cloud.dhcp_settings(vpc) and look",
    "hint.dhcp.c4": "look at the internet gateway's hop in a trace: which address does the packet carry before the 1:1 NAT?",
    "hint.dhcp.q1": "count every address of p['empty_subnet'] first (2 ** (32 - prefix)), then take away the five AWS reserves",
    "hint.dhcp.q2": "the DNS server is at base + 2 of the VPC's primary block (p['vpc_block']), not of the instance's subnet",
    "hint.dhcp.q3": "a /28 has 16 addresses: take away the five reserved ones and the 11 in use, and see what is left",
    "hint.dhcp.q4": "the code names what the subnet has run out of; section 6 of the lesson and the DHCP lab show it (answer with the code as a string)",
    "hint.dhcp.q5": "every network interface takes one address of the subnet, the NAT gateway's too: the usable addresses of the /27 minus the NAT gateway and the p['group_beside_nat'] instances",
    "hint.dhcp.q6": "associate 'default' with a VPC, then read cloud.dhcp_settings(vpc): what is left in the list of DNS servers?",
    "hint.dhcp.q7": "an Elastic IP belongs to your account, not to an instance: what does terminating an instance do to it?",
    "hint.dhcp.q8": "the group (p['group_max'] instances) and the 5 reserved addresses must fit: find the smallest block size that holds them; free_space(vpc, used) lists the gaps, and the block must fit in one of them",
}
