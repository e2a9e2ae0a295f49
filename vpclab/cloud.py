"""The Cloud: one AWS Region's worth of VPCs, and everything in them.

``Cloud`` is the one mutable object of vpclab. It changes only through validated
operations named like the AWS API (``create_vpc``, ``create_subnet``, ``create_route``,
``authorize_security_group_ingress``, …), each of which raises a
:class:`~vpclab.errors.VpcLabError` carrying AWS's error code when AWS would refuse it, and
returns an immutable record of the resource as it now is.

>>> cloud = Cloud(seed=1)
>>> vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
>>> subnet = cloud.create_subnet("lab", "10.0.1.0/24", az="a", name="web")
>>> [r.destination for r in cloud.route_table_for("web").routes]
['10.0.0.0/16']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpclab.display import Displayable
from vpclab.errors import InvalidValue
from vpclab.i18n import message
from vpclab.quotas import Quotas
from vpclab.resources import Instance, NatGateway, Subnet, Vpc
from vpclab.shorthands import ShorthandOperations

if TYPE_CHECKING:
    from vpclab.awsjson import ImportReport

__all__ = ["KNOWN_REGIONS", "Cloud", "region_azs"]

_REGION_AZS = {"us-east-1": "abcdef", "ap-northeast-2": "abcd"}
KNOWN_REGIONS = tuple(_REGION_AZS)  # the Regions whose Availability Zones the simulator knows


def region_azs(region: str) -> tuple[str, ...]:
    """Every Availability Zone of ``region`` the simulator knows (a, b and c for any other Region).

    >>> region_azs("ap-northeast-2")
    ('ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c', 'ap-northeast-2d')
    """
    return tuple(f"{region}{letter}" for letter in _REGION_AZS.get(region, "abc"))


class Cloud(ShorthandOperations, Displayable):
    """A simulated AWS Region. ``seed`` makes addresses, ids and NAT ports reproducible;
    ``address_mode="lowest"`` hands out the lowest free address (a simplification)."""

    def __init__(self, region: str = "us-east-1", *, seed: int | None = 0, azs: tuple[str, ...] | None = None,
                 quotas: Quotas | None = None, address_mode: str = "random") -> None:
        from vpclab.dhcp import ADDRESS_MODES

        if address_mode not in ADDRESS_MODES:
            raise InvalidValue("InvalidParameterValue", message("cloud.bad_mode", mode=address_mode),
                               fix=message("cloud.bad_mode_fix"))
        zones = azs or region_azs(region)[:3]
        super().__init__(region=region, azs=zones, seed=seed, quotas=quotas, address_mode=address_mode)
        self.import_report: ImportReport | None = None

    @classmethod
    def from_aws(cls, source: str | Path | Mapping[str, Any], *, lenient: bool = False,
                 region: str | None = None, seed: int | None = 0) -> Cloud:
        """A Cloud holding a real configuration: AWS describe JSON, as one combined object
        (a dict or a file) or a folder of ``aws ec2 describe-*`` files (DESIGN.md §4).
        ``cloud.import_report`` says what was imported and what was skipped."""
        from vpclab.awsjson import load_aws

        cloud, report = load_aws(source, lenient=lenient, region=region, seed=seed)
        cloud.import_report = report
        return cloud

    def to_aws(self) -> dict[str, Any]:
        """The world as AWS describe JSON (DESIGN.md §4): ``Cloud.from_aws(cloud.to_aws())``
        gives it back (see vpclab.awsexport for the little that describe output cannot carry)."""
        from vpclab.awsexport import to_aws

        return to_aws(self)

    def _text_(self) -> str:
        lines = [message("cloud.summary", region=self.region, vpcs=len(self._all(Vpc)))]
        for vpc in self._all(Vpc):
            lines.append(f"  {vpc._text_()}")
            for subnet in (s for s in self._all(Subnet) if s.vpc_id == vpc.id):
                lines.append(f"    {subnet._text_()}")
                lines += [f"      {i._text_()}" for i in self._all(Instance) if i.subnet_id == subnet.id]
                lines += [f"      NAT gateway {n.label} {n.state}" for n in self._all(NatGateway)
                          if n.subnet_id == subnet.id]
        return "\n".join(lines)

    def _svg_(self) -> str | None:
        """The topology picture (None without VPCs, or when graphviz's dot is missing)."""
        from vpclab.topology import topology

        return topology(self)._svg_() if self._all(Vpc) else None

    def _no_picture_(self) -> str | None:
        from vpclab.render import dot_available

        return message("render.no_dot") if self._all(Vpc) and not dot_available() else None
