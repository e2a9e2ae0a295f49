"""English messages of lesson 05_nat: the NAT lab widget, the hints of the nat.* questions,
and the tracer's note on a NAT gateway that its own subnet routes back to (merged into the
catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- vpclab.trace: a NAT gateway in a subnet without a route to the internet gateway ---
    "nat.routed_back": "the packet comes back to {nat}, which has already translated it",
    "nat.routed_back_explained": "NAT gateway {nat} is in subnet {subnet}, whose route table {table} sends {address} back to the NAT gateway itself. The NAT gateway's subnet must send this traffic on: to the internet gateway for a public NAT gateway (so it belongs in a public subnet), to a transit gateway or virtual private gateway for a private one",
    # --- vpclab.widgets.nat_lab -------------------------------------------------------------
    "nat.lab.host": "private host",
    "nat.lab.bad_limit": "{limit!r} is not a number of connections per destination",
    "nat.lab.bad_limit_fix": "give a whole number of 1 or more, like limit=3 (AWS's limit is 55,000)",
    "nat.lab.destination": "destination",
    "nat.lab.open": "Open a connection",
    "nat.lab.bad_destination": "'{text}' is not a destination like 93.184.216.34:443 (an IPv4 address, then a port from 1 to 65535)",
    "nat.lab.bad_destination_fix": "write an address and a port separated by a colon, like 93.184.216.34:443",
    "nat.lab.napt_title": "NAT gateway {nat}: NAPT, many private addresses → one Elastic IP",
    "nat.lab.napt_intro": "Elastic IP {eip}; the NAT gateway picks each connection's public port from {low}–{high}",
    "nat.lab.none_yet": "no connection yet: pick a host and click “Open a connection”",
    "nat.lab.number": "#",
    "nat.lab.inside": "private host ip:port",
    "nat.lab.outside": "Elastic IP:port",
    "nat.lab.destination_column": "destination",
    "nat.lab.ports_used": "ports in use on {eip}: {ports}",
    "nat.lab.hosts_sharing": "{hosts} private host(s) share the one address {eip}",
    "nat.lab.limit_caption": "connections per destination (address, port, protocol), at most {limit} per Elastic IP",
    "nat.lab.connections": "connections",
    "nat.lab.of_limit": "{count} of {limit}",
    "nat.lab.igw_title": "Internet gateway {igw}: 1:1 NAT for {host}",
    "nat.lab.igw_pair": "one private address ↔ one public address: {private} ↔ {public}",
    "nat.lab.igw_connection": "a connection from {host} to {destination}: {before} → {after}",
    "nat.lab.igw_ports_same": "the port is not changed",
    "nat.lab.igw_ports_changed": "the port changed",
    "nat.lab.igw_not_used": "a connection from {host} to {destination} stays inside the VPC: no gateway, no NAT",
    "nat.lab.igw_blocked": "{host} cannot connect to {destination}: {code}",
    "nat.lab.last": "last connection: {path}",
    "nat.lab.last_no_nat": "last connection: {source} → {destination} did not pass the NAT gateway",
    # --- hints of the questions in vpclab.grading.bank.nat ----------------------------------
    "hint.nat.c1": "the limit is counted per NAT gateway address and per destination; one address, one destination",
    "hint.nat.c2": "count the private addresses in the NAT gateway's table, then the public addresses they were mapped to",
    "hint.nat.c3": "a NAT gateway only carries replies to connections that were opened from inside the VPC",
    "hint.nat.q1": "a destination is an address, a port and a protocol together: the same server on two ports is two destinations",
    "hint.nat.q2": "count the ports from the first to the last one, both included",
    "hint.nat.q3": "look at the address the internet would have to send to: does app-1 have a public one? The security group is not the first thing the packet meets",
    "hint.nat.q4": "the internet gateway only accepts packets sent to a public address that belongs to a network interface in the VPC",
    "hint.nat.q5": "follow the packet after the NAT gateway translates it: which route table is used next, and what is in it?",
    "hint.nat.q6": "a route whose target no longer exists stays in the table, in a special state",
    "hint.nat.q7": "the app subnet's route table needs a route for internet addresses that points at a working NAT gateway (by id or Name), not at the internet gateway",
    "hint.nat.q8": "does each translator keep ports as they are, and how many private addresses share one public address?",
    "hint.nat.q9": "the internet gateway changes the address only, one for one",
    "hint.nat.q10": "an instance that forwards packets for others sends and receives packets that are not addressed to it; which check forbids that by default?",
}
MESSAGES.update({
    # --- vpclab.grading.bank.nat ------------------------------------------------------------
    "nat.bad_case": "the NAT lab has no case {case!r}",
    "nat.bad_case_fix": "choose one of: {cases}",
    "nat.repair_shape": "answer with the route as a dict with two keys, destination and target",
    "nat.repair_shape_fix": "write it like {{'destination': '…', 'target': '…'}}: a CIDR block, and a gateway's id or Name",
    # --- the per-learner numbers of the 05_nat exercises (parameters_table) -----------------
    "nat.params.server": "the server on the internet that the lab's hosts connect to",
    "nat.params.ports": "question 1: the TCP ports the app servers connect to on the server",
    "nat.params.open_port": "the TCP port that app-sg allows from 0.0.0.0/0 (questions 3, 4 and 7)",
    "nat.params.source_port": "question 9: the source port that web connects from",
})
