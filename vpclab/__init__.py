"""vpclab: a Jupyter learning kit for AWS VPC networking.

The public names a lesson uses::

    from vpclab import parse, check
    parse("10.0.0.0/24").usable        # 251
    check("cidr.q1", 1019)             # instant feedback
"""

from __future__ import annotations

__version__ = "0.1.0"

from vpclab.cidr import Cidr, classful, network_of, parse
from vpclab.cidr_rules import (
    secondary_cidr_table,
    validate_secondary_cidr,
    validate_subnet_cidr,
    validate_vpc_cidr,
)
from vpclab.cloud import Cloud
from vpclab.errors import (
    Conflict,
    HostBitsWarning,
    InvalidValue,
    LimitExceeded,
    NotFound,
    VpcLabError,
    VpcLabWarning,
)
from vpclab.grading.check import check
from vpclab.grading.variant import start
from vpclab.kernel import register_on_import as _register_on_import
from vpclab.render import subnet_tree
from vpclab.subnet_plan import find_overlaps, free_space, plan_subnets

__all__ = [
    "Cidr",
    "Cloud",
    "Conflict",
    "HostBitsWarning",
    "InvalidValue",
    "LimitExceeded",
    "NotFound",
    "VpcLabError",
    "VpcLabWarning",
    "__version__",
    "check",
    "classful",
    "find_overlaps",
    "free_space",
    "network_of",
    "parse",
    "plan_subnets",
    "secondary_cidr_table",
    "start",
    "subnet_tree",
    "validate_secondary_cidr",
    "validate_subnet_cidr",
    "validate_vpc_cidr",
]

_register_on_import()  # in a notebook, a VpcLabError shows as a message with its fix
