"""Errors and warnings that vpclab shows to a learner.

Every error carries the AWS error code of the API call it imitates (``err.code``), a
message that says what was wrong and which rule it broke, and the fix (``err.fix``)::

    VpcLabError                 base of everything vpclab raises on purpose
    ├── InvalidValue            a bad value (also a ValueError): a CIDR, a port, a rule number
    ├── NotFound                a name or id that matches nothing (also a LookupError)
    ├── LimitExceeded           an AWS quota is reached (CidrLimitExceeded, ...)
    └── Conflict                the request clashes with what exists (duplicates, dependencies)

    VpcLabWarning               legal input that is probably a mistake (a UserWarning)
    └── HostBitsWarning         a CIDR with host bits set, normalized to its network

Catch by class, or look at ``err.code`` for the exact AWS code.
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "HostBitsWarning",
    "InvalidValue",
    "LimitExceeded",
    "NotFound",
    "VpcLabError",
    "VpcLabWarning",
]


class VpcLabError(Exception):
    """Base of every error vpclab raises on purpose.

    >>> err = InvalidValue("InvalidVpc.Range", "the CIDR is too large", fix="use /16 to /28")
    >>> err.code, str(err)
    ('InvalidVpc.Range', 'InvalidVpc.Range: the CIDR is too large. Fix: use /16 to /28')
    """

    def __init__(self, code: str, message: str, *, fix: str | None = None) -> None:
        self.code = code
        self.message = message
        self.fix = fix
        super().__init__(code, message, fix)

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class InvalidValue(VpcLabError, ValueError):
    """A value broke an AWS rule (a malformed or out-of-range CIDR, a bad port, ...)."""


class NotFound(VpcLabError, LookupError):
    """A name or id matched no resource, or several."""


class LimitExceeded(VpcLabError):
    """An AWS quota was reached; AWS raises these on request."""


class Conflict(VpcLabError):
    """The request clashes with something that exists (overlap, duplicate, dependency)."""


class VpcLabWarning(UserWarning):
    """Input that AWS accepts but that is probably not what the learner meant."""


class HostBitsWarning(VpcLabWarning):
    """A CIDR had host bits set; like the AWS API, vpclab used its network instead."""
