"""English messages of vpclab.reach (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "reach.help.command": "which instances and network interfaces can reach a destination, and what stops the others",
    "reach.no_port": "a {protocol} connection goes to a port, and none was given",
    "reach.no_port_fix": "give the destination port, like --port 443 (port=443 in Python)",
    "reach.no_sources": "no instance or network interface could be a source for {destination} ({what})",
    "reach.summary": "{reachable} of {total} sources can reach {destination} ({what})",
    "reach.can_reach": "can reach ({count}):",
    "reach.rule": ", rule {rule}",
    "reach.blocked_by": "cannot reach ({count}): {code} at {component} ({direction}{rule})",
    "reach.grouping": "{sources} sources in {groups} groups, {traces} traces ({address_splits} extra groups where an address-specific CIDR cuts through a subnet, {route_targets} route targets on their own, {individually} traced one by one for NAT ports)",
    "reach.help.file": "an AWS describe JSON file (or a folder of them), as `vpclab collect` writes it",
    "reach.help.to": "the destination: an instance or interface id, a Name tag, or an IP address",
    "reach.help.port": "the destination port (needed for tcp and udp)",
    "reach.help.protocol": "tcp, udp, icmp or all (default tcp)",
    "reach.help.json": "print the report as JSON",
    "reach.help.lenient": "skip the parts of the file that cannot be used, with a warning, instead of stopping",
}
