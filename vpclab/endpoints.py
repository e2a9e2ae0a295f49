"""VPC endpoints (aws-vpc-facts.md §9): reaching AWS services without the internet.

- A *gateway* endpoint (S3 and DynamoDB only) is a route target: each associated route
  table gets ``pl-… → vpce-…``, the service's AWS-managed prefix list. One per service per
  route table, same Region only; unusable from across peering, VPN, TGW or Direct Connect.
- An *interface* endpoint (PrivateLink) is a network interface with a private address in
  each chosen subnet (one per AZ), with security groups; private DNS makes the service's
  usual name resolve to those addresses.

The kit ships a table of *representative* service ranges per Region (a few of the real
ranges, not the full list), used when a configuration carries none.

What each way to a service is billed for (never how much) is :data:`CHARGES` (§5, §6, §9);
``cloud.billed_on(trace)`` names the pieces a connection passes through.
"""

from __future__ import annotations

import ipaddress
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vpclab.cidr import cidr_list
from vpclab.errors import Conflict, InvalidValue
from vpclab.firewall import FirewallOperations
from vpclab.i18n import message
from vpclab.resources import ManagedPrefixList, Route, RouteTable, Subnet, Vpc, VpcEndpoint, evolve

if TYPE_CHECKING:
    from vpclab.trace import Trace

__all__ = ["CHARGES", "GATEWAY_SERVICES", "SERVICE_RANGES", "Charges", "EndpointOperations"]

GATEWAY_SERVICES = ("s3", "dynamodb")
SERVICE_RANGES: dict[str, dict[str, tuple[str, ...]]] = {  # representative, not complete
    "us-east-1": {"s3": ("52.216.0.0/15", "54.231.0.0/16", "3.5.0.0/19", "16.182.0.0/16"),
                  "dynamodb": ("52.94.0.0/22", "52.119.224.0/20", "3.218.180.0/22")},
    "ap-northeast-2": {"s3": ("52.219.56.0/22", "52.219.60.0/23", "3.5.140.0/22", "16.12.50.0/23"),
                       "dynamodb": ("52.94.13.0/24", "52.119.160.0/20")},
}
_FALLBACK = {"s3": ("52.218.0.0/17",), "dynamodb": ("52.94.24.0/23",)}
_INTERFACE_POOL = ipaddress.IPv4Network("18.180.0.0/16")  # stand-in public addresses of other services


@dataclass(frozen=True, slots=True)
class Charges:
    """What AWS bills one piece on the way to a service for: the kinds of charge, never a price."""

    hourly: bool  # for every hour the piece exists, whether traffic flows or not
    per_gb: bool  # for every GB of data it processes
    hourly_per_az: bool = False  # the hourly charge counts each Availability Zone the piece is in


CHARGES: dict[str, Charges] = {
    "internet-gateway": Charges(hourly=False, per_gb=False),  # §5: an internet gateway is free
    "nat-gateway": Charges(hourly=True, per_gb=True),  # §6: per hour plus per GB processed
    "gateway-endpoint": Charges(hourly=False, per_gb=False),  # §9: free
    "interface-endpoint": Charges(hourly=True, per_gb=True, hourly_per_az=True),  # §9: endpoint-hours per AZ, GB
}


class EndpointOperations(FirewallOperations):
    """Prefix lists, gateway and interface endpoints, and name resolution."""

    def _service(self, service: str) -> tuple[str, str]:
        """(short name, full name) of a service in this Region; other Regions are refused."""
        text = str(service).strip().lower()
        if text.startswith("com.amazonaws."):
            parts = text.split(".", 3)
            if len(parts) < 4 or parts[2] != self.region:
                raise InvalidValue("InvalidServiceName", message("vpce.other_region", service=service,
                                                                 region=self.region),
                                   fix=message("vpce.other_region_fix", region=self.region))
            text = parts[3]
        if not text or not all(c.isalnum() or c in "-." for c in text):
            raise InvalidValue("InvalidServiceName", message("vpce.bad_service", service=service),
                               fix=message("vpce.bad_service_fix", region=self.region))
        return text, f"com.amazonaws.{self.region}.{text}"

    def prefix_list(self, service: str) -> ManagedPrefixList:
        """The AWS-managed prefix list of s3 or dynamodb in this Region."""
        short, full = self._service(service)
        if short not in GATEWAY_SERVICES:
            raise InvalidValue("InvalidParameter", message("vpce.no_prefix_list", service=short),
                               fix=message("vpce.gateway_only_fix"))
        existing = [p for p in self._all(ManagedPrefixList) if p.prefix_list_name == full]
        if existing:
            return existing[0]
        cidrs = SERVICE_RANGES.get(self.region, {}).get(short, _FALLBACK[short])
        pl_id = f"pl-{zlib.crc32(full.encode()):08x}"
        self._prefix_lists[pl_id] = cidrs
        return self._put(ManagedPrefixList(pl_id, full, full, cidrs))

    def service_address(self, service: str) -> str:
        """A representative public address of the service in this Region."""
        short, full = self._service(service)
        if short in GATEWAY_SERVICES:
            first = ipaddress.IPv4Network(self.prefix_list(short).cidrs[0])
            return str(first.network_address + 10)
        offset = zlib.crc32(full.encode()) % (_INTERFACE_POOL.num_addresses - 2) + 1
        return str(_INTERFACE_POOL.network_address + offset)

    def create_vpc_endpoint(self, vpc: object, service: str, *, endpoint_type: str = "Gateway",
                            route_tables: Sequence[object] = (), subnets: Sequence[object] = (),
                            security_groups: Sequence[object] = (), private_dns: bool = True,
                            policy: Mapping[str, Any] | str | None = None, name: str | None = None) -> VpcEndpoint:
        """A gateway endpoint (with ``route_tables``) or an interface endpoint (with ``subnets``)."""
        record = self._ref(vpc, Vpc)
        short, full = self._service(service)
        policy_text = _policy(policy)
        endpoint_id = self._new_id("vpce")
        if endpoint_type == "Gateway":
            if short not in GATEWAY_SERVICES:
                raise InvalidValue("InvalidParameter", message("vpce.gateway_only", service=short),
                                   fix=message("vpce.gateway_only_fix"))
            endpoint = VpcEndpoint(endpoint_id, name, record.id, full, "Gateway", policy_document=policy_text)
            self._put(endpoint)
            return self.modify_vpc_endpoint(endpoint, add_route_tables=route_tables)
        if endpoint_type != "Interface":
            raise InvalidValue("InvalidParameterValue", message("vpce.bad_type", value=endpoint_type),
                               fix=message("vpce.bad_type_fix"))
        chosen = [self._ref(s, Subnet) for s in cidr_list(subnets, "subnets")]
        if not chosen:
            raise InvalidValue("MissingParameter", message("vpce.needs_subnets"), fix=message("vpce.needs_subnets_fix"))
        zones = [s.az for s in chosen]
        if len(set(zones)) != len(zones):
            raise InvalidValue("DuplicateSubnetsInSameZone", message("vpce.same_zone"),
                               fix=message("vpce.same_zone_fix"))
        for subnet in chosen:
            self._require_same_vpc(subnet, record.id, record)
            if self._pool(subnet).free < 1:
                raise self._full(subnet, 1)
        groups = self._groups(chosen[0], list(security_groups) or None)
        enis = [self._new_eni(s, groups, None, interface_type="vpc_endpoint", name=f"{full} endpoint")
                for s in chosen]
        dns = (f"{endpoint_id}.{short}.{self.region}.vpce.amazonaws.com",)
        return self._put(VpcEndpoint(endpoint_id, name, record.id, full, "Interface", (), tuple(s.id for s in chosen),
                                     tuple(e.id for e in enis), groups, private_dns, dns, policy_text))

    def modify_vpc_endpoint(self, endpoint: object, *, add_route_tables: Sequence[object] = (),
                            remove_route_tables: Sequence[object] = ()) -> VpcEndpoint:
        """Associate route tables with a gateway endpoint (adding ``pl-… → vpce-…``) or not."""
        record = self._ref(endpoint, VpcEndpoint)
        pl = self.prefix_list(record.service_name)
        tables = list(record.route_table_ids)
        for ref in add_route_tables:
            table = self._ref(ref, RouteTable)
            self._require_same_vpc(table, record.vpc_id, self._ref(record.vpc_id, Vpc))
            if any(r.destination == pl.id for r in table.routes):
                raise Conflict("RouteAlreadyExists", message("vpce.one_per_table", table=table.label, service=pl.name),
                               fix=message("vpce.one_per_table_fix"))
            self._put(evolve(table, routes=(*table.routes, Route(pl.id, record.id, "CreateRoute"))))
            tables.append(table.id)
        for ref in remove_route_tables:
            table = self._ref(ref, RouteTable)
            self._put(evolve(table, routes=tuple(r for r in table.routes if r.target != record.id)))
            tables = [t for t in tables if t != table.id]
        return self._put(evolve(record, route_table_ids=tuple(tables)))

    def delete_vpc_endpoint(self, endpoint: object) -> None:
        record = self._ref(endpoint, VpcEndpoint)
        if record.endpoint_type == "Gateway":
            self.modify_vpc_endpoint(record, remove_route_tables=record.route_table_ids)
        for eni_id in record.network_interface_ids:
            eni = self._items.get(eni_id)
            if eni is not None:
                self._release(eni)  # type: ignore[arg-type]
                self._drop(eni)
        self._drop(record)

    def billed_on(self, trace: Trace) -> tuple[tuple[str, str], ...]:
        """The pieces the request of ``trace`` passes through that :data:`CHARGES` describes,
        in order, as (kind, id): an internet gateway, a NAT gateway, a gateway or interface endpoint."""
        pieces: list[tuple[str, str]] = []
        for hop in trace.forward:
            if hop.type == "internet-gateway" and hop.action != "drop":
                pieces.append(("internet-gateway", hop.component))
            elif hop.type == "nat-gateway" and hop.action == "translate":
                pieces.append(("nat-gateway", hop.component))
            elif hop.type == "vpc-endpoint" and hop.action == "deliver":
                endpoint = next(e for e in self._all(VpcEndpoint)
                                if hop.component == e.id or hop.component in e.network_interface_ids)
                kind = "gateway-endpoint" if endpoint.endpoint_type == "Gateway" else "interface-endpoint"
                pieces.append((kind, endpoint.id))
        return tuple(pieces)

    def resolve(self, name: str) -> tuple[str, ...]:
        """What the VPC's DNS answers for ``name``: interface endpoints with private DNS
        answer the service's usual name with their own private addresses."""
        host = str(name).strip().lower().rstrip(".")
        for endpoint in self._all(VpcEndpoint):
            if endpoint.endpoint_type != "Interface":
                continue
            short = endpoint.service_name.rsplit(".", 1)[-1]
            usual = f"{short}.{self.region}.amazonaws.com"
            if host in endpoint.dns_names or (endpoint.private_dns_enabled and host == usual):
                return tuple(self._items[e].private_ip for e in endpoint.network_interface_ids  # type: ignore[attr-defined]
                             if e in self._items)
        parts = host.split(".")
        if len(parts) >= 3 and parts[-2:] == ["amazonaws", "com"]:
            return (self.service_address(parts[0]),)
        raise InvalidValue("NXDOMAIN", message("vpce.unknown_name", name=name), fix=message("vpce.unknown_name_fix"))


def _policy(policy: Mapping[str, Any] | str | None) -> str | None:
    if policy is None:
        return None
    try:
        data = json.loads(policy) if isinstance(policy, str) else dict(policy)
        text = json.dumps(data, indent=2, sort_keys=True)
    except (ValueError, TypeError):
        raise InvalidValue("MalformedPolicyDocument", message("vpce.bad_policy"), fix=message("vpce.bad_policy_fix")) \
            from None
    if len(text) > 20480:
        raise InvalidValue("MalformedPolicyDocument", message("vpce.policy_too_long"),
                           fix=message("vpce.bad_policy_fix"))
    return text
