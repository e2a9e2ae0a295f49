"""Writing a Cloud back as AWS describe JSON (DESIGN.md §4): ``cloud.to_aws()``.

The result is the combined object that :func:`vpclab.awsjson.load_aws` reads: each describe
response under its own top-level key, in AWS's field names, plus the keyed maps of transit
gateway routing (``TransitGatewayRoutes``, ``TransitGatewayRouteTableAssociations``,
``TransitGatewayRouteTablePropagations``: a TGW route table id mapped to the list the named
call returns). ``Cloud.from_aws(cloud.to_aws())`` gives back the same resources with the same
records, and a trace gives the same answer in both worlds.

Things are written as AWS describes them, not as they were made: a route table lists the
routes a virtual private gateway propagates into it, and a route whose target is gone or not
available says ``blackhole``; a transit gateway route table lists its effective routes,
propagated ones included. The few ids AWS has and vpclab does not keep (association ids,
reservation ids) are derived from the resources' ids, so the same world always gives the same
file.

What describe output cannot carry, and so does not come back (each one also raises an
:class:`AwsExportWarning` when the world has it):

- Direct Connect private virtual interfaces: they belong to the Direct Connect API, not to
  EC2. The prefixes they bring still show as routes a VGW propagates, which the importer
  reports as unexplained and leaves out.
- Which instances work as NAT instances: AWS has no such attribute (it is the instance's own
  configuration). The interface is tagged ``vpclab:nat-instance`` so that the fact is not lost
  from the file, but loading it back gives a plain router.
- Prefixes a BGP VPN advertises that no route table shows (the VPN's attachment propagates
  nowhere, a VGW that no table propagates, or another route wins the prefix), and which of
  several BGP VPNs on one VGW advertises what.

Not part of any describe call, and not warned about: the Region when the world has no subnet
(the importer reads it from the Availability Zones; pass ``region=`` to ``from_aws``), the
Availability Zones no subnet uses, the seed (pass ``seed=`` to get the same NAT ports and
ids), quotas, the lesson clock (a pending peering's age), the connections NAT gateways have
translated, and peerings that are deleted, rejected, failed or expired (written, as AWS lists
them for a while, but skipped when loaded, as AWS would not use them either).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vpclab.errors import VpcLabWarning
from vpclab.i18n import message
from vpclab.resources import (
    ALL,
    CustomerGateway,
    DhcpOptions,
    DirectConnectVif,
    ElasticIp,
    Instance,
    InternetGateway,
    ManagedPrefixList,
    NaclEntry,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteTable,
    SecurityGroup,
    SgRule,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)

if TYPE_CHECKING:
    from vpclab.cloud import Cloud

__all__ = ["EXPORT_KEYS", "NAT_INSTANCE_TAG", "AwsExportWarning", "add_arguments", "run", "to_aws"]

EXPORT_KEYS = ("Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "SecurityGroups", "NetworkAcls",
               "NetworkInterfaces", "Reservations", "Addresses", "DhcpOptions", "VpcEndpoints", "PrefixLists",
               "VpcPeeringConnections", "TransitGateways", "TransitGatewayAttachments",
               "TransitGatewayVpcAttachments", "TransitGatewayRouteTables", "TransitGatewayRoutes",
               "TransitGatewayRouteTableAssociations", "TransitGatewayRouteTablePropagations", "VpnGateways",
               "VpnConnections", "CustomerGateways")
NAT_INSTANCE_TAG = "vpclab:nat-instance"

# Where a route's target goes in describe-route-tables, by the target's id prefix.
_TARGET_FIELDS = (("igw-", "GatewayId"), ("vgw-", "GatewayId"), ("vpce-", "GatewayId"), ("nat-", "NatGatewayId"),
                  ("eni-", "NetworkInterfaceId"), ("pcx-", "VpcPeeringConnectionId"), ("tgw-", "TransitGatewayId"),
                  ("eigw-", "EgressOnlyInternetGatewayId"))
_NACL_PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", ALL: "-1"}
_INSTANCE_STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64,
                         "stopped": 80}
_PEER_RANK = {"cidr": 0, "group": 1, "prefix-list": 2}  # the order the importer reads a permission's peers in
_ENDPOINT_DESCRIPTION = "VPC Endpoint Interface {owner}"
_NAT_DESCRIPTION = "Interface for NAT Gateway {owner}"
_TGW_DESCRIPTION = "Network Interface for Transit Gateway Attachment {owner}"


class AwsExportWarning(VpcLabWarning):
    """Something in the world that AWS describe output cannot carry, so it is not written."""


def to_aws(cloud: Cloud) -> dict[str, Any]:
    """The world as one combined AWS describe JSON object (DESIGN.md §4), ready for ``json.dumps``.

    >>> from vpclab import Cloud
    >>> lab = Cloud(seed=1)
    >>> vpc = lab.create_vpc("10.0.0.0/16", name="lab")
    >>> data = to_aws(lab)
    >>> data["Vpcs"][0]["CidrBlock"], data["Vpcs"][0]["Tags"]
    ('10.0.0.0/16', [{'Key': 'Name', 'Value': 'lab'}])
    >>> Cloud.from_aws(data).get("lab").cidr_blocks
    ('10.0.0.0/16',)
    """
    return _Exporter(cloud).export()


class _Exporter:
    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud
        self.owners: dict[str, str] = {}  # managed ENI id -> the description AWS gives it

    def export(self) -> dict[str, Any]:
        cloud = self.cloud
        self.owners = self.eni_owners()
        tgw_tables = cloud._all(TransitGatewayRouteTable)
        data: dict[str, Any] = {
            "Vpcs": [self.vpc(v) for v in cloud._all(Vpc)],
            "Subnets": [self.subnet(s) for s in cloud._all(Subnet)],
            "RouteTables": [self.route_table(t) for t in cloud._all(RouteTable)],
            "InternetGateways": [self.internet_gateway(g) for g in cloud._all(InternetGateway)],
            "NatGateways": [self.nat_gateway(n) for n in cloud._all(NatGateway)],
            "SecurityGroups": [self.security_group(g) for g in cloud._all(SecurityGroup)],
            "NetworkAcls": [self.network_acl(a) for a in cloud._all(NetworkAcl)],
            "NetworkInterfaces": [self.network_interface(e) for e in cloud._all(NetworkInterface)],
            "Reservations": [self.reservation(i) for i in cloud._all(Instance)],
            "Addresses": [self.address(a) for a in cloud._all(ElasticIp)],
            "DhcpOptions": [self.dhcp_options(d) for d in cloud._all(DhcpOptions)],
            "VpcEndpoints": [self.vpc_endpoint(e) for e in cloud._all(VpcEndpoint)],
            "PrefixLists": [self.prefix_list(p) for p in cloud._all(ManagedPrefixList)],
            "VpcPeeringConnections": [self.peering(p) for p in cloud._all(VpcPeeringConnection)],
            "TransitGateways": [self.transit_gateway(g) for g in cloud._all(TransitGateway)],
            "TransitGatewayAttachments": [self.tgw_attachment(a) for a in cloud._all(TransitGatewayAttachment)],
            "TransitGatewayVpcAttachments": [self.tgw_vpc_attachment(a) for a in cloud._all(TransitGatewayAttachment)
                                             if a.resource_type == "vpc"],
            "TransitGatewayRouteTables": [self.tgw_route_table(t) for t in tgw_tables],
            "TransitGatewayRoutes": {t.id: self.tgw_routes(t) for t in tgw_tables},
            "TransitGatewayRouteTableAssociations": {t.id: [self.tgw_ref(a, "State", "associated")
                                                            for a in t.associations if a in cloud._items]
                                                     for t in tgw_tables},
            "TransitGatewayRouteTablePropagations": {t.id: [self.tgw_ref(a, "State", "enabled")
                                                            for a in t.propagations if a in cloud._items]
                                                     for t in tgw_tables},
            "VpnGateways": [self.vpn_gateway(g) for g in cloud._all(VpnGateway)],
            "VpnConnections": [self.vpn_connection(v) for v in cloud._all(VpnConnection)],
            "CustomerGateways": [self.customer_gateway(c) for c in cloud._all(CustomerGateway)],
        }
        self.warn_what_is_lost(data)
        return {key: data[key] for key in EXPORT_KEYS}

    # --- VPCs, subnets, DHCP ------------------------------------------------------------------
    def vpc(self, vpc: Vpc) -> dict[str, Any]:
        return {"VpcId": vpc.id, "CidrBlock": vpc.cidr, "State": "available", "DhcpOptionsId": vpc.dhcp_options_id,
                "InstanceTenancy": "default", "IsDefault": vpc.is_default,
                "CidrBlockAssociationSet": [{"AssociationId": _derived("vpc-cidr-assoc", vpc.id, block),
                                             "CidrBlock": block, "CidrBlockState": {"State": "associated"}}
                                            for block in vpc.cidr_blocks],
                **_tags(vpc.name)}

    def subnet(self, subnet: Subnet) -> dict[str, Any]:
        return {"SubnetId": subnet.id, "VpcId": subnet.vpc_id, "CidrBlock": subnet.cidr,
                "AvailabilityZone": subnet.az, "AvailableIpAddressCount": self.cloud.free_addresses(subnet.id),
                "MapPublicIpOnLaunch": subnet.map_public_ip_on_launch, "DefaultForAz": subnet.default_for_az,
                "State": "available", **_tags(subnet.name)}

    def dhcp_options(self, options: DhcpOptions) -> dict[str, Any]:
        settings = [("domain-name", () if options.domain_name is None else (options.domain_name,)),
                    ("domain-name-servers", options.domain_name_servers), ("ntp-servers", options.ntp_servers),
                    ("netbios-name-servers", options.netbios_name_servers)]
        extra: dict[str, list[str]] = {}
        for key, value in options.extra:
            extra.setdefault(key, []).append(value)
        configurations = [{"Key": key, "Values": [{"Value": v} for v in values]}
                          for key, values in [*settings, *extra.items()] if values]
        return {"DhcpOptionsId": options.id, "DhcpConfigurations": configurations, **_tags(options.name)}

    # --- routing ---------------------------------------------------------------------------------
    def route_table(self, record: RouteTable) -> dict[str, Any]:
        table = self.cloud.route_table(record.id)  # as AWS describes it: states, propagated routes
        associations = []
        if self.cloud._ref(table.vpc_id, Vpc).main_route_table_id == table.id:
            associations.append({"Main": True, "RouteTableAssociationId": _derived("rtbassoc", table.id, "main"),
                                 "RouteTableId": table.id, "AssociationState": {"State": "associated"}})
        associations += [{"Main": False, "RouteTableAssociationId": _derived("rtbassoc", table.id, subnet),
                          "RouteTableId": table.id, "SubnetId": subnet, "AssociationState": {"State": "associated"}}
                         for subnet in table.associations]
        return {"RouteTableId": table.id, "VpcId": table.vpc_id, "Associations": associations,
                "PropagatingVgws": [{"GatewayId": v} for v in table.propagating_vgws],
                "Routes": [self.route(r) for r in table.routes], **_tags(table.name)}

    def route(self, route: Route) -> dict[str, Any]:
        key = "DestinationPrefixListId" if route.destination.startswith("pl-") else "DestinationCidrBlock"
        item: dict[str, Any] = {key: route.destination}
        if route.target == "local":
            item["GatewayId"] = "local"
        else:
            field = next((f for prefix, f in _TARGET_FIELDS if route.target.startswith(prefix)), None)
            if field is not None:
                item[field] = route.target
            eni = self.cloud._items.get(route.target)
            if isinstance(eni, NetworkInterface) and eni.instance_id:
                item["InstanceId"] = eni.instance_id  # AWS names both the instance and its interface
        item.update(Origin=route.origin, State=route.state)
        return item

    def internet_gateway(self, gateway: InternetGateway) -> dict[str, Any]:
        # AWS says "available" for an attached internet gateway (not "attached", as its API model has it)
        attachments = [{"VpcId": gateway.vpc_id, "State": "available"}] if gateway.vpc_id else []
        return {"InternetGatewayId": gateway.id, "Attachments": attachments, **_tags(gateway.name)}

    def nat_gateway(self, nat: NatGateway) -> dict[str, Any]:
        address = _present(AllocationId=nat.allocation_id, NetworkInterfaceId=nat.eni_id, PrivateIp=nat.private_ip,
                           PublicIp=nat.public_ip)
        if nat.state == "available":
            address.update(IsPrimary=True, Status="succeeded")
        return {"NatGatewayId": nat.id, "SubnetId": nat.subnet_id, "VpcId": nat.vpc_id, "State": nat.state,
                "ConnectivityType": nat.connectivity, "NatGatewayAddresses": [address] if address else [],
                **_present(FailureCode=nat.failure_code, FailureMessage=nat.failure_message), **_tags(nat.name)}

    # --- firewalls --------------------------------------------------------------------------------
    def security_group(self, group: SecurityGroup) -> dict[str, Any]:
        name = group.name if group.name and group.name != group.group_name else None
        return {"GroupId": group.id, "GroupName": group.group_name, "Description": group.description,
                "VpcId": group.vpc_id, "IpPermissions": self.permissions(group, group.ingress),
                "IpPermissionsEgress": self.permissions(group, group.egress), **_tags(name)}

    def permissions(self, group: SecurityGroup, rules: Iterable[SgRule]) -> list[dict[str, Any]]:
        """AWS's permissions: rules of one protocol and port range together, in the rules' order
        (a rule starts a new permission where joining the last one would reorder the rules)."""
        result: list[dict[str, Any]] = []
        last: tuple[str, int | None, int | None, int] | None = None
        for rule in rules:
            kind = "group" if rule.peer.startswith("sg-") else "prefix-list" if rule.peer.startswith("pl-") else "cidr"
            if last is None or last[:3] != (rule.protocol, rule.from_port, rule.to_port) or \
                    _PEER_RANK[kind] < last[3]:
                result.append({"IpProtocol": rule.protocol, **_present(FromPort=rule.from_port, ToPort=rule.to_port),
                               "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []})
            last = (rule.protocol, rule.from_port, rule.to_port, _PEER_RANK[kind])
            permission = result[-1]
            description = _present(Description=rule.description or None)
            if kind == "cidr":
                permission["IpRanges"].append({"CidrIp": rule.peer, **description})
            elif kind == "prefix-list":
                permission["PrefixListIds"].append({"PrefixListId": rule.peer, **description})
            else:
                pair: dict[str, Any] = {"GroupId": rule.peer, **description}
                other = self.cloud._items.get(rule.peer)
                if isinstance(other, SecurityGroup) and other.vpc_id != group.vpc_id:
                    pair["VpcId"] = other.vpc_id  # a group of a peered VPC
                permission["UserIdGroupPairs"].append(pair)
        return result

    def network_acl(self, acl: NetworkAcl) -> dict[str, Any]:
        return {"NetworkAclId": acl.id, "VpcId": acl.vpc_id, "IsDefault": acl.is_default,
                "Entries": [_nacl_entry(e) for e in sorted(acl.entries, key=lambda e: (e.egress, e.rule_number))],
                "Associations": [{"NetworkAclAssociationId": _derived("aclassoc", acl.id, subnet),
                                  "NetworkAclId": acl.id, "SubnetId": subnet} for subnet in acl.associations],
                **_tags(acl.name)}

    # --- interfaces, instances, addresses -------------------------------------------------------
    def eni_owners(self) -> dict[str, str]:
        owners = {n.eni_id: _NAT_DESCRIPTION.format(owner=n.id) for n in self.cloud._all(NatGateway) if n.eni_id}
        for endpoint in self.cloud._all(VpcEndpoint):
            owners.update({e: _ENDPOINT_DESCRIPTION.format(owner=endpoint.id) for e in endpoint.network_interface_ids})
        for link in self.cloud._all(TransitGatewayAttachment):
            owners.update({e: _TGW_DESCRIPTION.format(owner=link.id) for e in link.network_interface_ids})
        return owners

    def groups(self, ids: Iterable[str]) -> list[dict[str, str]]:
        return [{"GroupId": g, "GroupName": record.group_name} for g in ids
                if isinstance(record := self.cloud._items.get(g), SecurityGroup)]

    def network_interface(self, eni: NetworkInterface) -> dict[str, Any]:
        subnet = self.cloud._ref(eni.subnet_id, Subnet)
        item: dict[str, Any] = {
            "NetworkInterfaceId": eni.id, "SubnetId": eni.subnet_id, "VpcId": eni.vpc_id,
            "AvailabilityZone": subnet.az, "InterfaceType": eni.interface_type,
            "Description": self.owners.get(eni.id, ""), "RequesterManaged": eni.id in self.owners,
            "Status": "in-use", "PrivateIpAddress": eni.private_ip,
            "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": eni.private_ip}],
            "Groups": self.groups(eni.security_group_ids), "SourceDestCheck": eni.source_dest_check}
        if eni.public_ip:
            association = {"PublicIp": eni.public_ip, "IpOwnerId": "amazon"}
            if eni.allocation_id:
                association = {"PublicIp": eni.public_ip, "AllocationId": eni.allocation_id,
                               "AssociationId": _derived("eipassoc", eni.allocation_id, eni.id)}
            item["Association"] = association
            item["PrivateIpAddresses"][0]["Association"] = association
        if eni.instance_id:
            item["Attachment"] = {"AttachmentId": _derived("eni-attach", eni.id), "InstanceId": eni.instance_id,
                                  "DeviceIndex": 0, "Status": "attached", "DeleteOnTermination": True}
        tags = [{"Key": "Name", "Value": eni.name}] if eni.name else []
        if eni.nat_instance:
            tags.append({"Key": NAT_INSTANCE_TAG, "Value": "true"})
        item["TagSet"] = tags  # describe-network-interfaces calls its tags TagSet
        return item

    def reservation(self, instance: Instance) -> dict[str, Any]:
        eni = self.cloud._ref(instance.eni_id, NetworkInterface)
        subnet = self.cloud._ref(instance.subnet_id, Subnet)
        groups = self.groups(instance.security_group_ids)
        interface = {"NetworkInterfaceId": eni.id, "SubnetId": eni.subnet_id, "VpcId": eni.vpc_id,
                     "PrivateIpAddress": eni.private_ip, "Groups": groups, "SourceDestCheck": eni.source_dest_check,
                     "Status": "in-use", "InterfaceType": eni.interface_type,
                     "Attachment": {"AttachmentId": _derived("eni-attach", eni.id), "DeviceIndex": 0,
                                    "Status": "attached", "DeleteOnTermination": True}}
        if eni.public_ip:
            interface["Association"] = {"PublicIp": eni.public_ip, **({} if eni.allocation_id else
                                                                        {"IpOwnerId": "amazon"})}
        item = {"InstanceId": instance.id, "SubnetId": instance.subnet_id, "VpcId": instance.vpc_id,
                "PrivateIpAddress": instance.private_ip, **_present(PublicIpAddress=instance.public_ip),
                "State": {"Code": _INSTANCE_STATE_CODES.get(instance.state, 16), "Name": instance.state},
                "Placement": {"AvailabilityZone": subnet.az, "Tenancy": "default"},
                "SecurityGroups": groups, "SourceDestCheck": eni.source_dest_check,
                "NetworkInterfaces": [interface], **_tags(instance.name)}
        return {"ReservationId": _derived("r", instance.id), "Groups": [], "Instances": [item]}

    def address(self, eip: ElasticIp) -> dict[str, Any]:
        item: dict[str, Any] = {"AllocationId": eip.id, "PublicIp": eip.public_ip, "Domain": "vpc"}
        eni = self.cloud._items.get(eip.network_interface_id or "")
        if isinstance(eni, NetworkInterface):
            item.update(AssociationId=_derived("eipassoc", eip.id, eni.id), NetworkInterfaceId=eni.id,
                        PrivateIpAddress=eni.private_ip, **_present(InstanceId=eni.instance_id))
        elif eip.network_interface_id:
            item["NetworkInterfaceId"] = eip.network_interface_id
        return {**item, **_tags(eip.name)}

    # --- endpoints and prefix lists --------------------------------------------------------------
    def vpc_endpoint(self, endpoint: VpcEndpoint) -> dict[str, Any]:
        item: dict[str, Any] = {
            "VpcEndpointId": endpoint.id, "VpcEndpointType": endpoint.endpoint_type, "VpcId": endpoint.vpc_id,
            "ServiceName": endpoint.service_name, "State": endpoint.state,
            "RouteTableIds": list(endpoint.route_table_ids), "SubnetIds": list(endpoint.subnet_ids),
            "Groups": self.groups(endpoint.security_group_ids), "PrivateDnsEnabled": endpoint.private_dns_enabled,
            "RequesterManaged": False, "NetworkInterfaceIds": list(endpoint.network_interface_ids),
            "DnsEntries": [{"DnsName": name} for name in endpoint.dns_names]}
        if endpoint.endpoint_type == "Interface":
            item.update(IpAddressType="ipv4", DnsOptions={"DnsRecordIpType": "ipv4"})
        if endpoint.policy_document is not None:  # without one, AWS's default full-access policy applies
            item["PolicyDocument"] = json.dumps(json.loads(endpoint.policy_document), separators=(",", ":"))
        return {**item, **_tags(endpoint.name)}

    def prefix_list(self, prefix_list: ManagedPrefixList) -> dict[str, Any]:
        cidrs = self.cloud._prefix_lists.get(prefix_list.id, prefix_list.cidrs)
        return {"PrefixListId": prefix_list.id, "PrefixListName": prefix_list.prefix_list_name,
                "Cidrs": list(cidrs), **_tags(prefix_list.name)}

    # --- peering ---------------------------------------------------------------------------------
    def peering(self, pcx: VpcPeeringConnection) -> dict[str, Any]:
        def side(vpc_id: str) -> dict[str, Any]:
            vpc = self.cloud._items.get(vpc_id)
            blocks = list(vpc.cidr_blocks) if isinstance(vpc, Vpc) else []
            return {"VpcId": vpc_id, **_present(CidrBlock=blocks[0] if blocks else None),
                    "CidrBlockSet": [{"CidrBlock": b} for b in blocks], "Region": self.cloud.region}

        return {"VpcPeeringConnectionId": pcx.id, "RequesterVpcInfo": side(pcx.requester_vpc_id),
                "AccepterVpcInfo": side(pcx.accepter_vpc_id),
                "Status": {"Code": pcx.status, "Message": pcx.status_message}, **_tags(pcx.name)}

    # --- transit gateways ------------------------------------------------------------------------
    def transit_gateway(self, gateway: TransitGateway) -> dict[str, Any]:
        options: dict[str, Any] = {
            "AmazonSideAsn": gateway.amazon_side_asn, "AutoAcceptSharedAttachments": "disable",
            "DefaultRouteTableAssociation": _enable(gateway.default_association),
            "DefaultRouteTablePropagation": _enable(gateway.default_propagation),
            "VpnEcmpSupport": "enable", "DnsSupport": "enable"}
        if gateway.default_route_table_id:
            options.update(AssociationDefaultRouteTableId=gateway.default_route_table_id,
                           PropagationDefaultRouteTableId=gateway.default_route_table_id)
        return {"TransitGatewayId": gateway.id, "State": "available", "Options": options, **_tags(gateway.name)}

    def tgw_route_table(self, table: TransitGatewayRouteTable) -> dict[str, Any]:
        gateway = self.cloud._ref(table.transit_gateway_id, TransitGateway)
        default = table.is_default or table.id == gateway.default_route_table_id
        return {"TransitGatewayRouteTableId": table.id, "TransitGatewayId": table.transit_gateway_id,
                "State": "available", "DefaultAssociationRouteTable": default and gateway.default_association,
                "DefaultPropagationRouteTable": default and gateway.default_propagation, **_tags(table.name)}

    def tgw_ref(self, link_id: str, *state: str) -> dict[str, str]:
        """An attachment as the TGW calls name it: id, resource id and type (and a state)."""
        link = self.cloud._ref(link_id, TransitGatewayAttachment)
        item = {"TransitGatewayAttachmentId": link.id, "ResourceId": link.resource_id,
                "ResourceType": link.resource_type}
        if state:
            item[state[0]] = state[1]
        return item

    def tgw_attachment(self, link: TransitGatewayAttachment) -> dict[str, Any]:
        item: dict[str, Any] = {"TransitGatewayAttachmentId": link.id, "TransitGatewayId": link.transit_gateway_id,
                                "ResourceType": link.resource_type, "ResourceId": link.resource_id,
                                "State": link.state}
        table = self.cloud.tgw_association(link.id)
        if table is not None:
            item["Association"] = {"TransitGatewayRouteTableId": table.id, "State": "associated"}
        return {**item, **_tags(link.name)}

    def tgw_vpc_attachment(self, link: TransitGatewayAttachment) -> dict[str, Any]:
        return {"TransitGatewayAttachmentId": link.id, "TransitGatewayId": link.transit_gateway_id,
                "VpcId": link.resource_id, "State": link.state, "SubnetIds": list(link.subnet_ids),
                "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "disable"},
                **_tags(link.name)}

    def tgw_routes(self, table: TransitGatewayRouteTable) -> list[dict[str, Any]]:
        """What search-transit-gateway-routes returns: the effective routes, static and propagated."""
        routes = []
        for route in self.cloud.transit_gateway_routes(table.id):
            item: dict[str, Any] = {"DestinationCidrBlock": route.destination, "Type": route.route_type,
                                    "State": route.state}
            if route.attachment_id and route.attachment_id in self.cloud._items:
                item["TransitGatewayAttachments"] = [self.tgw_ref(route.attachment_id)]
            routes.append(item)
        return routes

    # --- VPN -------------------------------------------------------------------------------------
    def vpn_gateway(self, gateway: VpnGateway) -> dict[str, Any]:
        attachments = [{"VpcId": gateway.vpc_id, "State": "attached"}] if gateway.vpc_id else []
        return {"VpnGatewayId": gateway.id, "State": "available", "Type": "ipsec.1",
                "AmazonSideAsn": gateway.amazon_side_asn, "VpcAttachments": attachments, **_tags(gateway.name)}

    def customer_gateway(self, gateway: CustomerGateway) -> dict[str, Any]:
        return {"CustomerGatewayId": gateway.id, "BgpAsn": str(gateway.bgp_asn), "IpAddress": gateway.ip_address,
                "Type": "ipsec.1", "State": "available", **_tags(gateway.name)}

    def vpn_connection(self, vpn: VpnConnection) -> dict[str, Any]:
        accepted = 0 if vpn.static_routes_only else len(vpn.bgp_routes)
        telemetry = [{"Status": status, "StatusMessage": "",
                      "AcceptedRouteCount": accepted if status == "UP" else 0} for status in vpn.tunnels]
        return {"VpnConnectionId": vpn.id, "CustomerGatewayId": vpn.customer_gateway_id,
                **_present(VpnGatewayId=vpn.vpn_gateway_id, TransitGatewayId=vpn.transit_gateway_id),
                "Category": "VPN", "Type": "ipsec.1", "State": vpn.state,
                "Options": {"StaticRoutesOnly": vpn.static_routes_only, "EnableAcceleration": False,
                            "TunnelInsideIpVersion": "ipv4"},
                "Routes": [{"DestinationCidrBlock": p, "Source": "Static", "State": "available"} for p in vpn.routes],
                "VgwTelemetry": telemetry, **_tags(vpn.name)}

    # --- what cannot be written ------------------------------------------------------------------
    def warn_what_is_lost(self, data: dict[str, Any]) -> None:
        for vif in self.cloud._all(DirectConnectVif):
            _warn(message("export.dx_vif", vif=vif.label, vgw=vif.vpn_gateway_id, prefixes=", ".join(vif.prefixes)))
        for eni in self.cloud._all(NetworkInterface):
            if eni.nat_instance:
                _warn(message("export.nat_instance", eni=eni.label, tag=NAT_INSTANCE_TAG))
        vpns = self.cloud._all(VpnConnection)
        for vpn in vpns:
            if vpn.static_routes_only or not vpn.bgp_routes:
                continue
            shown = self.bgp_visible(vpn, vpns, data)
            hidden = [p for p in vpn.bgp_routes if p not in shown]
            if hidden:
                _warn(message("export.bgp_hidden", vpn=vpn.label, prefixes=", ".join(hidden)))
            sharing = [v.id for v in vpns if v.id != vpn.id and vpn.vpn_gateway_id and
                       v.vpn_gateway_id == vpn.vpn_gateway_id and not v.static_routes_only]
            if sharing:
                _warn(message("export.bgp_shared", vpn=vpn.label, vgw=vpn.vpn_gateway_id, others=", ".join(sharing)))

    def bgp_visible(self, vpn: VpnConnection, vpns: list[VpnConnection], data: dict[str, Any]) -> set[str]:
        """The prefixes of a BGP VPN that the importer can read back from the written routes."""
        if vpn.transit_gateway_id:
            link = self.cloud.vpn_attachment(vpn.id)
            return {r["DestinationCidrBlock"] for routes in data["TransitGatewayRoutes"].values() for r in routes
                    if r["Type"] == "propagated" and link is not None
                    and any(a["TransitGatewayAttachmentId"] == link.id for a in r.get("TransitGatewayAttachments", []))}
        static = {p for other in vpns if other.vpn_gateway_id == vpn.vpn_gateway_id for p in other.routes}
        return {r["DestinationCidrBlock"] for table in data["RouteTables"] for r in table["Routes"]
                if r.get("Origin") == "EnableVgwRoutePropagation" and r.get("GatewayId") == vpn.vpn_gateway_id
                and "DestinationCidrBlock" in r} - static


def _warn(text: str) -> None:
    warnings.warn(AwsExportWarning(text), stacklevel=5)  # the caller of to_aws


def _tags(name: str | None) -> dict[str, list[dict[str, str]]]:
    return {"Tags": [{"Key": "Name", "Value": name}] if name else []}


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value (AWS leaves absent ones out)."""
    return {key: value for key, value in fields.items() if value is not None}


def _enable(flag: bool) -> str:
    return "enable" if flag else "disable"


def _derived(prefix: str, *parts: str) -> str:
    """An id AWS has and vpclab does not keep, derived from the ids it belongs to (stable)."""
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:17]
    return f"{prefix}-{digest}"


def _nacl_entry(entry: NaclEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"RuleNumber": entry.rule_number, "Protocol": _NACL_PROTOCOLS.get(entry.protocol,
                                                                                            entry.protocol),
                            "RuleAction": entry.action, "Egress": entry.egress, "CidrBlock": entry.cidr}
    if entry.protocol == "icmp":
        item["IcmpTypeCode"] = {"Type": -1 if entry.from_port is None else entry.from_port, "Code": -1}
    elif entry.protocol != ALL and entry.from_port is not None:
        item["PortRange"] = {"From": entry.from_port,
                             "To": entry.from_port if entry.to_port is None else entry.to_port}
    return item


# --- the command line ----------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``vpclab export FILE [-o OUT.json] [--lenient]``."""
    parser.add_argument("file", help=message("export.help.file"))
    parser.add_argument("-o", "--output", default="-", metavar="OUT.json", help=message("export.help.output"))
    parser.add_argument("--lenient", action="store_true", help=message("cli.help.lenient"))


def run(args: argparse.Namespace) -> int:
    """Load a file or folder of describe JSON and write it back as one combined file.

    A folder of ``aws ec2 describe-*`` outputs becomes the combined form, completed the way
    the importer completes it (each NACL's ``*`` rules, the transit gateway keyed maps, …).
    Exit status: 0 written; 2 bad input (a file that cannot be read or used, or an output
    that cannot be written). With ``--lenient`` the unusable parts are skipped and counted.
    """
    from vpclab.cloud import Cloud

    cloud = Cloud.from_aws(args.file, lenient=args.lenient)
    data = to_aws(cloud)
    text = json.dumps(data, indent=2) + "\n"
    report = cloud.import_report
    skipped = len(report.skipped) if report is not None else 0
    count = sum(len(v) for v in data.values() if isinstance(v, list))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        _write_atomically(Path(args.output), text)
        print(message("export.written", path=args.output, count=count), file=sys.stderr)
    if skipped:
        print(message("export.skipped", count=skipped), file=sys.stderr)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a reader never sees half of it."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
