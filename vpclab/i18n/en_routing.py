"""English messages of the routing topic: route choice explained route by route, the route
explorer widget, and the hints of lesson and exercises 04_routing_gateways (merged into the
catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- vpclab.routing: why a route wins or loses ---------------------------------------------
    "routing.kind.local": "local",
    "routing.kind.static": "static",
    "routing.kind.prefix-list": "prefix list",
    "routing.kind.propagated": "propagated",
    "routing.choice": "the routes of {table} for {address}",
    "routing.choice_none": "no route matches {address}: the packet is dropped (NO_ROUTE_TO_DESTINATION)",
    "routing.column.mark": "✓",
    "routing.column.destination": "destination",
    "routing.column.target": "target",
    "routing.column.kind": "kind",
    "routing.column.state": "state",
    "routing.column.match": "match",
    "routing.column.why": "why",
    "routing.verdict.chosen.only": "chosen: the only route that matches {address}",
    "routing.verdict.chosen.longest": "chosen: /{prefix} is the longest prefix that matches {address}, and the most specific route wins",
    "routing.verdict.chosen.priority": "chosen: another route matches with the same /{prefix}; on equal prefixes a static route beats a prefix-list route, which beats a propagated one",
    "routing.verdict.no-match": "no match: {address} is not inside {destination}",
    "routing.verdict.less-specific": "matches, but /{prefix} is less specific than the chosen route {best}",
    "routing.verdict.lower-priority": "matches with the same /{prefix} as the chosen route {best}, but on equal prefixes a {kind} route loses to a {best_kind} route",
    "routing.verdict.same-rank": "ties with the chosen route {best} (same prefix, same kind): AWS picks one of such routes and keeps that choice",
    "routing.verdict.under-local": "not used: {address} is inside the VPC, and a propagated route never overrides the local route, however specific it is",
    "routing.subnet_kind.public": "A public subnet: its route table has a route to an internet gateway",
    "routing.subnet_kind.private": "A private subnet: its route table has no active route to an internet gateway",
    "routing.subnet_kind.vpn-only": "A VPN-only subnet: its only routes out of the VPC go to a virtual private gateway",
    # --- vpclab.widgets.route_explorer ---------------------------------------------------------
    "routing.widget.subnet": "subnet",
    "routing.widget.destination": "destination",
    "routing.widget.heading": "from subnet {subnet} ({cidr}) to {address}",
    "routing.widget.table_explicit": "The subnet uses route table {table}: it is associated with it explicitly",
    "routing.widget.table_main": "The subnet uses route table {table}, the VPC's main table, because it has no explicit association",
    "routing.widget.router": "Its VPC router answers at {router} (base + 1 of {cidr})",
    "routing.widget.winner": "Chosen route: {destination} → {target}",
    "routing.widget.blackhole": "This route is a blackhole: its target is deleted or not active, so the packet is dropped here",
    "routing.widget.path": "The path of a TCP connection to port 443 from {source} in this subnet:",
    "routing.widget.no_instance": "There is no instance in {subnet} to trace a connection from",
    "routing.widget.no_subnet": "'{subnet}' is not one of the subnets shown",
    "routing.widget.no_subnet_fix": "choose one of: {known}",
    # --- vpclab.grading.bank.routing: the learner's numbers for the exercises (parameters_table)
    "routing.params.app_destination": "question 1: the address that app-server sends a packet to",
    "routing.params.warehouse_host": "question 2: a host in the VPC warehouse (192.168.4.0/22)",
    "routing.params.reports_subnet": "the CIDR block of the subnet reports (question 7)",
    "routing.params.reports_server": "the private address of reports-server in the subnet reports (question 7)",
    # --- hints: lesson 04 (route.cN) and exercises 04_routing_gateways (route.qN) ---------------
    "hint.route.c1": "the VPC router takes the second address of every subnet: base + 1",
    "hint.route.c2": "both routes match; the one with the longer prefix (the bigger number after the slash) wins",
    "hint.route.c3": "a public IP is not enough: look for a route to an internet gateway in the subnet's route table",
    "hint.route.q1": "list every route of app-rt whose block holds p['app_destination'] (a /21 spans 8 values of the third octet, a /22 spans 4), then pick the longest prefix, whatever the route's kind",
    "hint.route.q2": "the two routes that match best have the same prefix; on equal prefixes the route's kind decides (static, prefix list or propagated)",
    "hint.route.q3": "a connection needs the reply to get back as well: which route table does batch use, and does it have a route for the client's address?",
    "hint.route.q4": "trace the connection from batch-server and read the first explanation code: is the route missing, or there but broken?",
    "hint.route.q5": "look at the state column of the route table of the subnet reports: which route is not active?",
    "hint.route.q6": "batch needs a table whose 0.0.0.0/0 route goes to the NAT gateway, not to the internet gateway; a new custom table keeps the main table private",
    "hint.route.q7": "the VPC router takes base + 1 of the subnet's block: find the network address of the block that holds p['reports_server'], with the prefix length of p['reports_subnet']",
    "hint.route.q8": "try to attach a second internet gateway to the VPC and read the error",
}
MESSAGES.update({
    "routing.repair_shape": "this answer should be the routes to add, as a list of [destination, target] pairs, or a dict with 'associate' (an existing table) or 'new_table' (a name for a new table), and optionally 'routes'",
    "routing.repair_shape_fix": "write it like [['0.0.0.0/0', 'some-target']], {{'associate': 'some-table'}} or {{'new_table': 'my-rt', 'routes': [['0.0.0.0/0', 'some-target']]}}; names or ids both work",
})
