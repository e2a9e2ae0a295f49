"""AWS's default quotas (aws-vpc-facts.md: QUOTAS), adjustable per Cloud as AWS raises
them on request.

>>> q = Quotas()
>>> q.security_group_rules_per_direction, q.security_groups_per_eni
(60, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Quotas"]


@dataclass(slots=True)
class Quotas:
    vpcs_per_region: int = 5
    cidr_blocks_per_vpc: int = 5
    subnets_per_vpc: int = 200
    route_tables_per_vpc: int = 200
    routes_per_table: int = 50
    internet_gateways_per_region: int = 5
    nat_gateways_per_az: int = 5
    elastic_ips_per_region: int = 5
    security_groups_per_region: int = 2500
    security_group_rules_per_direction: int = 60
    security_groups_per_eni: int = 5
    network_acls_per_vpc: int = 200
    network_acl_rules_per_direction: int = 20
    nat_connections_per_destination: int = 55_000
    active_peerings_per_vpc: int = 50
