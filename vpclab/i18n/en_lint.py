"""English messages of vpclab.lint (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "lint.help": "find configurations that AWS accepts but that are probably mistakes, and explain them",
    "lint.admin_port_open": "security group {group} lets anyone on the internet reach {ports} (inbound rule: {rule}). Bots scan every public address for open remote-login ports and try passwords on them all day; allow the port only from your own address range (your address as a /32), or reach the instances through Session Manager or a bastion host",
    "lint.database_port_open": "security group {group} lets anyone on the internet reach {ports} (inbound rule: {rule}). A database should answer only your application servers; allow the port from the application tier's security group (a group reference) instead of 0.0.0.0/0, and keep the database in a private subnet",
    "lint.unused_security_group": "security group {group} is not used: no network interface, instance or endpoint has it, and no other group names it in a rule. Unused groups make it harder to see which rules really apply; delete it, or attach it where it was meant to go",
    "lint.nacl_rule_shadowed": "network ACL {acl}: {direction} {rule} never matches, because the lower-numbered {earlier} already matches all of its traffic, and the first matching rule decides. Its {action} is never applied; give it a number lower than the other rule's if it should win",
    "lint.nacl_rule_redundant": "network ACL {acl}: {direction} {rule} never matches, because the lower-numbered {earlier} already matches all of its traffic, and the first matching rule decides. It does nothing; delete it to keep the list short (each direction holds only 20 rules)",
    "lint.outbound_rule": "outbound {rule}",
    "lint.no_outbound_rule": "the * rule, as no numbered outbound rule allows them",
    "lint.nacl_replies_blocked": "network ACL {acl}: inbound {rule} lets requests in, but the replies to {cidr} are dropped by {blocker}. NACLs are stateless: a reply goes out to the client's ephemeral port, which can be anything from 1024 to 65535; add an outbound rule that allows {protocol} 1024-65535 to {cidr}, numbered before any rule that denies it",
    "lint.nat_without_igw_route": "NAT gateway {nat} is public, but its subnet {subnet} uses route table {table}, which has no 0.0.0.0/0 route to an internet gateway. The NAT gateway sends traffic on through its own subnet's route table, so it cannot reach the internet and the private subnets behind it are cut off; put the NAT gateway in a public subnet, or add 0.0.0.0/0 → the internet gateway to that table",
    "lint.blackhole_route": "route table {table}: the route to {destination} goes to {target}, which is deleted, not available or not active, so the route is a blackhole and drops every packet it matches. Point the route at a working target (aws ec2 replace-route) or delete it",
    "lint.unused_route_table": "route table {table} is not the main table and no subnet is associated with it, so it routes nothing. Associate it with the subnets it was made for, or delete it",
    "lint.subnet_almost_full": "subnet {subnet} has only {free} of the {usable} usable addresses of {cidr} free. A subnet's block cannot be changed after it is created, and a full subnet refuses new instances, interfaces and NAT gateways; plan a larger subnet (or another one) for growth",
    "lint.peered_vpcs_overlap": "VPC {vpc} is peered with both {one} and {other}, whose blocks overlap ({a} and {b}). AWS does no reverse-path check on peering, so traffic to an address in both ranges goes to whichever peer the most specific route names, and the same addresses in the other VPC cannot be reached from this one; give the VPCs ranges that do not overlap, or route only the parts of each range you need, with routes narrower than the VPC blocks",
    "lint.summary": "{errors} error(s), {warnings} warning(s)",
    "lint.clean": "no problems found",
}
