"""Messages of vpclab.requirements (design checks) and the capstone."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "requirements.must_reach": "{source} can open {protocol} {port} to {destination}",
    "requirements.must_not_reach": "{source} can NOT open {protocol} {port} to {destination}",
    "requirements.spread": "{role} instances run in at least {zones} Availability Zones",
    "requirements.nat_per_zone": "each {role} instance reaches the internet (TCP {port}) through a NAT gateway "
                                 "in its own Availability Zone",
    "requirements.summary": "{met} of {total} requirements met",
    "requirements.zones_found": "{role} instances found in: {zones}",
    "requirements.no_members": "no running instance is named {role}… (name instances web-…, app-…, db-…)",
    "requirements.unexpectedly_open": "{pair} is open, but must not be",
    "requirements.blocked": "{pair} is blocked: {code} at {component} ({direction})",
    "requirements.pairs_ok": "all {pairs} pair(s) behave as required",
    "requirements.nat_elsewhere": "{instance} in {zone}: reaches the internet: {reachable}; "
                                  "through NAT gateways in: {nat_zones}",
    "requirements.nat_ok": "all {count} instance(s) use the NAT gateway of their own zone",
    "board.requirement": "requirement",
    "board.unknown": "there is no requirement {id}",
    "board.unknown_fix": "pick one of {known}",
}
