"""English messages of the subnet planner widget (vpclab.widgets.subnet_planner)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "planner.vpc": "VPC block",
    "planner.tiers": "tiers",
    "planner.azs": "AZs",
    "planner.prefix": "subnet /",
    "planner.existing": "existing subnets",
    "planner.existing_placeholder": "blocks already in use, like 10.0.1.0/25",
    "planner.bad_azs": "the planner knows {most} Availability Zones, so {azs} is not a number of AZs it can plan",
    "planner.bad_azs_fix": "choose from 1 to {most} AZs ({names})",
    "planner.free": "free space left: {addresses} addresses ({share} of the VPC) in {count} blocks: {blocks}",
    "planner.free_one": "free space left: {addresses} addresses ({share} of the VPC) in one block: {blocks}",
    "planner.full": "no free space left: the subnets use the whole VPC block",
    "planner.planned": "{cidr} ({tier} in {az})",
    "planner.existing_block": "existing subnet {cidr}",
    "planner.overlap": "{first} overlaps {second}: they share addresses, and AWS refuses the later one "
                       "with InvalidSubnet.Conflict. Fix: move one of them into the free space",
    "planner.bad_existing": "existing subnet: {problem}",
    "planner.tree": "Divide / join: from the top, {root} divides into two halves at each step, down to /{prefix}; "
                    "from the bottom, two neighbouring halves join into the block above them. "
                    "Green blocks are planned subnets and the blocks that hold them",
}
