"""Loading AWS describe JSON with endpoints, peering, transit gateways and VPN (DESIGN.md §4).

The world is written by hand in AWS's own field names, as ``vpclab collect`` combines the
describe calls (with the keyed maps for TGW routing and prefix-list entries):

- app VPC A (10.0.0.0/16): an S3 gateway endpoint, an SSM interface endpoint, a virtual
  private gateway with a static VPN to the head office (192.168.0.0/16; tunnel 1 DOWN,
  tunnel 2 UP), an active peering to B and a pending one to C, and a TGW attachment in
  us-east-1a only;
- peer VPC B (10.1.0.0/16), pending peer C (10.2.0.0/16), spoke D (10.3.0.0/16) on the TGW;
- the TGW has two route tables: ``prod`` (A and D associated and propagating; a static
  blackhole for 10.3.5.0/24; a static route to the data centre 172.16.0.0/16 over a TGW VPN)
  and ``vpn`` (the VPN associated; A propagating).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from vpclab import Cloud
from vpclab.awsjson import AwsImportWarning
from vpclab.errors import InvalidValue
from vpclab.resources import TransitGatewayRouteTable, VpcEndpoint, VpnConnection

REGION = "us-east-1"
OWNER = "111122223333"

VPC_A, VPC_B, VPC_C, VPC_D = (f"vpc-0{c}1b2c3d4e5f6a7b8" for c in "abcd")
SUBNET_A1, SUBNET_A2 = "subnet-0a1000000000000a1", "subnet-0a2000000000000a2"
SUBNET_B1, SUBNET_C1 = "subnet-0b1000000000000b1", "subnet-0c1000000000000c1"
SUBNET_D1, SUBNET_D2 = "subnet-0d1000000000000d1", "subnet-0d2000000000000d2"
RTB_A, RTB_B, RTB_C, RTB_D = (f"rtb-0{c}00000000000000{c}" for c in "abcd")
SG_A, SG_B, SG_C, SG_D = (f"sg-0{c}00000000000000{c}" for c in "abcd")
SG_ENDPOINT = "sg-0e0000000000000e1"
I_A1, I_A2, I_B1, I_C1, I_D1, I_D2 = ("i-0a100000000000001", "i-0a200000000000002", "i-0b100000000000001",
                                      "i-0c100000000000001", "i-0d100000000000001", "i-0d200000000000002")
PCX_AB, PCX_AC = "pcx-0ab00000000000001", "pcx-0ac00000000000002"
VPCE_S3, VPCE_SSM = "vpce-0s3a0000000000001", "vpce-0551000000000002"
ENI_SSM, ENI_TGW_A, ENI_TGW_D = "eni-0551000000000000e", "eni-0f9a00000000000a1", "eni-0f9d00000000000d1"
PL_S3, PL_CORP = "pl-63a5400a", "pl-0c0ffee0000000001"
TGW = "tgw-0123456789abcdef0"
RTB_PROD, RTB_VPN = "tgw-rtb-0aaaa00000000prod", "tgw-rtb-0bbbb000000000vpn"
ATT_A, ATT_D, ATT_VPN = "tgw-attach-0a00000000000a", "tgw-attach-0d00000000000d", "tgw-attach-0e000000000vpn"
VGW, CGW_HQ, CGW_DC = "vgw-0a000000000000001", "cgw-0a000000000000001", "cgw-0d000000000000002"
VPN_HQ, VPN_DC = "vpn-0a000000000000001", "vpn-0d000000000000002"

HQ_HOST, DC_HOST, S3_ADDRESS = "192.168.1.5", "172.16.5.5", "52.216.10.10"


def _tags(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def _vpc(vpc_id: str, cidr: str, name: str) -> dict[str, Any]:
    return {"VpcId": vpc_id, "CidrBlock": cidr, "State": "available", "OwnerId": OWNER, "IsDefault": False,
            "InstanceTenancy": "default", "DhcpOptionsId": "default",
            "CidrBlockAssociationSet": [{"AssociationId": f"vpc-cidr-assoc-{vpc_id[4:]}", "CidrBlock": cidr,
                                         "CidrBlockState": {"State": "associated"}}], "Tags": _tags(name)}


def _subnet(subnet_id: str, vpc_id: str, cidr: str, az: str, name: str) -> dict[str, Any]:
    return {"SubnetId": subnet_id, "VpcId": vpc_id, "CidrBlock": cidr, "AvailabilityZone": az,
            "AvailableIpAddressCount": 250, "MapPublicIpOnLaunch": False, "DefaultForAz": False,
            "State": "available", "OwnerId": OWNER, "Tags": _tags(name)}


def _all_from(*cidrs: str) -> list[dict[str, Any]]:
    return [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": c} for c in cidrs], "Ipv6Ranges": [],
             "PrefixListIds": [], "UserIdGroupPairs": []}]


def _group(group_id: str, vpc_id: str, name: str, ingress: list[dict[str, Any]]) -> dict[str, Any]:
    return {"GroupId": group_id, "GroupName": name, "Description": f"{name} group", "VpcId": vpc_id,
            "OwnerId": OWNER, "IpPermissions": ingress, "IpPermissionsEgress": _all_from("0.0.0.0/0")}


def _default_acl(vpc_id: str, subnets: list[str]) -> dict[str, Any]:
    entries = [{"RuleNumber": number, "Protocol": "-1", "RuleAction": action, "Egress": egress,
                "CidrBlock": "0.0.0.0/0"}
               for egress in (False, True) for number, action in ((100, "allow"), (32767, "deny"))]
    return {"NetworkAclId": f"acl-0{vpc_id[5]}000000000000001", "VpcId": vpc_id, "IsDefault": True,
            "OwnerId": OWNER, "Entries": entries,
            "Associations": [{"NetworkAclAssociationId": f"aclassoc-{s[7:]}", "NetworkAclId": "",
                              "SubnetId": s} for s in subnets]}


def _table(table_id: str, vpc_id: str, cidr: str, routes: list[dict[str, Any]],
           propagating: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    local = {"DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}
    return {"RouteTableId": table_id, "VpcId": vpc_id, "OwnerId": OWNER, "Routes": [local, *routes],
            "Associations": [{"Main": True, "RouteTableAssociationId": f"rtbassoc-{table_id[4:]}",
                              "RouteTableId": table_id, "AssociationState": {"State": "associated"}}],
            "PropagatingVgws": [{"GatewayId": v} for v in propagating]}


def _instance(instance_id: str, subnet_id: str, vpc_id: str, address: str, group: str) -> dict[str, Any]:
    return {"InstanceId": instance_id, "InstanceType": "t3.micro", "SubnetId": subnet_id, "VpcId": vpc_id,
            "PrivateIpAddress": address, "State": {"Code": 16, "Name": "running"},
            "SecurityGroups": [{"GroupId": group, "GroupName": "default"}], "SourceDestCheck": True}


def _eni(eni_id: str, subnet_id: str, vpc_id: str, address: str, kind: str, description: str,
         groups: list[str]) -> dict[str, Any]:
    return {"NetworkInterfaceId": eni_id, "SubnetId": subnet_id, "VpcId": vpc_id, "PrivateIpAddress": address,
            "InterfaceType": kind, "Description": description, "RequesterManaged": True,
            "Groups": [{"GroupId": g, "GroupName": "endpoints"} for g in groups], "SourceDestCheck": True,
            "Status": "in-use", "OwnerId": OWNER,
            "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": address}]}


def _peering(pcx_id: str, requester: tuple[str, str], accepter: tuple[str, str], code: str,
             text: str) -> dict[str, Any]:
    def info(vpc_id: str, cidr: str) -> dict[str, Any]:
        return {"VpcId": vpc_id, "CidrBlock": cidr, "CidrBlockSet": [{"CidrBlock": cidr}], "OwnerId": OWNER,
                "Region": REGION}
    return {"VpcPeeringConnectionId": pcx_id, "RequesterVpcInfo": info(*requester),
            "AccepterVpcInfo": info(*accepter), "Status": {"Code": code, "Message": text}, "Tags": []}


def _tgw_ref(attachment: str, resource: str, kind: str) -> dict[str, str]:
    return {"TransitGatewayAttachmentId": attachment, "ResourceId": resource, "ResourceType": kind}


def _tgw_route(cidr: str, kind: str, state: str = "active", *target: dict[str, str]) -> dict[str, Any]:
    route: dict[str, Any] = {"DestinationCidrBlock": cidr, "Type": kind, "State": state}
    if target:
        route["TransitGatewayAttachments"] = list(target)
    return route


def _telemetry(*statuses: str) -> list[dict[str, Any]]:
    return [{"OutsideIpAddress": f"52.0.0.{n}", "Status": status, "StatusMessage": "",
             "AcceptedRouteCount": 1 if status == "UP" else 0, "LastStatusChange": "2024-05-01T10:00:00+00:00"}
            for n, status in enumerate(statuses, start=1)]


def world() -> dict[str, Any]:
    """The combined describe JSON of the world in the module docstring."""
    a, d = _tgw_ref(ATT_A, VPC_A, "vpc"), _tgw_ref(ATT_D, VPC_D, "vpc")
    vpn = _tgw_ref(ATT_VPN, VPN_DC, "vpn")
    app_ingress = [*_all_from("10.0.0.0/8", "172.16.0.0/12"),
                   {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [], "Ipv6Ranges": [],
                    "PrefixListIds": [{"PrefixListId": PL_CORP, "Description": "ssh from the head office"}],
                    "UserIdGroupPairs": []}]
    return {
        "Vpcs": [_vpc(VPC_A, "10.0.0.0/16", "app"), _vpc(VPC_B, "10.1.0.0/16", "peer"),
                 _vpc(VPC_C, "10.2.0.0/16", "pending-peer"), _vpc(VPC_D, "10.3.0.0/16", "spoke")],
        "Subnets": [_subnet(SUBNET_A1, VPC_A, "10.0.1.0/24", "us-east-1a", "app-a"),
                    _subnet(SUBNET_A2, VPC_A, "10.0.2.0/24", "us-east-1b", "app-b"),
                    _subnet(SUBNET_B1, VPC_B, "10.1.1.0/24", "us-east-1a", "peer-a"),
                    _subnet(SUBNET_C1, VPC_C, "10.2.1.0/24", "us-east-1a", "pending-a"),
                    _subnet(SUBNET_D1, VPC_D, "10.3.1.0/24", "us-east-1a", "spoke-a"),
                    _subnet(SUBNET_D2, VPC_D, "10.3.5.0/24", "us-east-1a", "spoke-quarantine")],
        "SecurityGroups": [_group(SG_A, VPC_A, "default", app_ingress),
                           _group(SG_ENDPOINT, VPC_A, "endpoints",
                                  [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                    "IpRanges": [{"CidrIp": "10.0.0.0/16"}], "Ipv6Ranges": [], "PrefixListIds": [],
                                    "UserIdGroupPairs": []}]),
                           _group(SG_B, VPC_B, "default", _all_from("10.0.0.0/8")),
                           _group(SG_C, VPC_C, "default", _all_from("10.0.0.0/8")),
                           _group(SG_D, VPC_D, "default", _all_from("10.0.0.0/8", "172.16.0.0/12"))],
        "NetworkAcls": [_default_acl(VPC_A, [SUBNET_A1, SUBNET_A2]), _default_acl(VPC_B, [SUBNET_B1]),
                        _default_acl(VPC_C, [SUBNET_C1]), _default_acl(VPC_D, [SUBNET_D1, SUBNET_D2])],
        "NetworkInterfaces": [
            _eni(ENI_SSM, SUBNET_A1, VPC_A, "10.0.1.50", "vpc_endpoint", f"VPC Endpoint Interface {VPCE_SSM}",
                 [SG_ENDPOINT]),
            _eni(ENI_TGW_A, SUBNET_A1, VPC_A, "10.0.1.200", "transit_gateway",
                 f"Network Interface for Transit Gateway Attachment {ATT_A}", []),
            _eni(ENI_TGW_D, SUBNET_D1, VPC_D, "10.3.1.200", "transit_gateway",
                 f"Network Interface for Transit Gateway Attachment {ATT_D}", []),
        ],
        "Reservations": [{"ReservationId": "r-0123456789abcdef0", "OwnerId": OWNER, "Instances": [
            _instance(I_A1, SUBNET_A1, VPC_A, "10.0.1.10", SG_A), _instance(I_A2, SUBNET_A2, VPC_A, "10.0.2.10", SG_A),
            _instance(I_B1, SUBNET_B1, VPC_B, "10.1.1.10", SG_B), _instance(I_C1, SUBNET_C1, VPC_C, "10.2.1.10", SG_C),
            _instance(I_D1, SUBNET_D1, VPC_D, "10.3.1.10", SG_D), _instance(I_D2, SUBNET_D2, VPC_D, "10.3.5.10", SG_D),
        ]}],
        "RouteTables": [
            _table(RTB_A, VPC_A, "10.0.0.0/16", [
                {"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": PCX_AB, "Origin": "CreateRoute",
                 "State": "active"},
                {"DestinationCidrBlock": "10.2.0.0/16", "VpcPeeringConnectionId": PCX_AC, "Origin": "CreateRoute"},
                {"DestinationCidrBlock": "10.3.0.0/16", "TransitGatewayId": TGW, "Origin": "CreateRoute",
                 "State": "active"},
                {"DestinationCidrBlock": "172.16.0.0/16", "TransitGatewayId": TGW, "Origin": "CreateRoute",
                 "State": "active"},
                {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": VGW, "Origin": "EnableVgwRoutePropagation",
                 "State": "active"},
                {"DestinationPrefixListId": PL_S3, "GatewayId": VPCE_S3, "Origin": "CreateRoute", "State": "active"},
            ], propagating=[VGW]),
            _table(RTB_B, VPC_B, "10.1.0.0/16", [{"DestinationCidrBlock": "10.0.0.0/16",
                                                  "VpcPeeringConnectionId": PCX_AB, "Origin": "CreateRoute",
                                                  "State": "active"}]),
            _table(RTB_C, VPC_C, "10.2.0.0/16", [{"DestinationCidrBlock": "10.0.0.0/16",
                                                  "VpcPeeringConnectionId": PCX_AC, "Origin": "CreateRoute"}]),
            _table(RTB_D, VPC_D, "10.3.0.0/16", [{"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayId": TGW,
                                                  "Origin": "CreateRoute", "State": "active"}]),
        ],
        "VpcPeeringConnections": [
            _peering(PCX_AB, (VPC_A, "10.0.0.0/16"), (VPC_B, "10.1.0.0/16"), "active", "Active"),
            _peering(PCX_AC, (VPC_A, "10.0.0.0/16"), (VPC_C, "10.2.0.0/16"), "pending-acceptance",
                     f"Pending Acceptance by {OWNER}"),
        ],
        "PrefixLists": [
            {"PrefixListId": PL_S3, "PrefixListName": f"com.amazonaws.{REGION}.s3",
             "Cidrs": ["54.231.0.0/16", "52.216.0.0/15", "3.5.0.0/19", "16.182.0.0/16"]},
            {"PrefixListId": PL_CORP, "PrefixListName": "corp-ranges", "AddressFamily": "IPv4",
             "State": "create-complete", "MaxEntries": 10, "Version": 1, "OwnerId": OWNER,
             "PrefixListArn": f"arn:aws:ec2:{REGION}:{OWNER}:prefix-list/{PL_CORP}", "Tags": _tags("corp")},
        ],
        "PrefixListEntries": {PL_CORP: [{"Cidr": "192.168.0.0/16", "Description": "head office"}]},
        "VpcEndpoints": [
            {"VpcEndpointId": VPCE_S3, "VpcEndpointType": "Gateway", "VpcId": VPC_A,
             "ServiceName": f"com.amazonaws.{REGION}.s3", "State": "available",
             "PolicyDocument": '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*",'
                               '"Action":"*","Resource":"*"}]}',
             "RouteTableIds": [RTB_A], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False,
             "RequesterManaged": False, "NetworkInterfaceIds": [], "DnsEntries": [], "OwnerId": OWNER},
            {"VpcEndpointId": VPCE_SSM, "VpcEndpointType": "Interface", "VpcId": VPC_A,
             "ServiceName": f"com.amazonaws.{REGION}.ssm", "State": "available", "RouteTableIds": [],
             "SubnetIds": [SUBNET_A1], "Groups": [{"GroupId": SG_ENDPOINT, "GroupName": "endpoints"}],
             "IpAddressType": "ipv4", "DnsOptions": {"DnsRecordIpType": "ipv4"}, "PrivateDnsEnabled": True,
             "RequesterManaged": False, "NetworkInterfaceIds": [ENI_SSM],
             "DnsEntries": [{"DnsName": f"{VPCE_SSM}-abcd1234.ssm.{REGION}.vpce.amazonaws.com",
                             "HostedZoneId": "Z7HUB22UULQXV"},
                            {"DnsName": f"ssm.{REGION}.amazonaws.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"}],
             "OwnerId": OWNER},
        ],
        "TransitGateways": [{
            "TransitGatewayId": TGW, "TransitGatewayArn": f"arn:aws:ec2:{REGION}:{OWNER}:transit-gateway/{TGW}",
            "State": "available", "OwnerId": OWNER, "Description": "lab hub",
            "Options": {"AmazonSideAsn": 64512, "AutoAcceptSharedAttachments": "disable",
                        "DefaultRouteTableAssociation": "enable", "AssociationDefaultRouteTableId": RTB_PROD,
                        "DefaultRouteTablePropagation": "enable", "PropagationDefaultRouteTableId": RTB_PROD,
                        "VpnEcmpSupport": "enable", "DnsSupport": "enable"},
            "Tags": _tags("hub")}],
        "TransitGatewayRouteTables": [
            {"TransitGatewayRouteTableId": RTB_PROD, "TransitGatewayId": TGW, "State": "available",
             "DefaultAssociationRouteTable": True, "DefaultPropagationRouteTable": True, "Tags": _tags("prod")},
            {"TransitGatewayRouteTableId": RTB_VPN, "TransitGatewayId": TGW, "State": "available",
             "DefaultAssociationRouteTable": False, "DefaultPropagationRouteTable": False, "Tags": _tags("vpn")},
        ],
        "TransitGatewayAttachments": [
            {"TransitGatewayAttachmentId": ATT_A, "TransitGatewayId": TGW, "TransitGatewayOwnerId": OWNER,
             "ResourceOwnerId": OWNER, "ResourceType": "vpc", "ResourceId": VPC_A, "State": "available",
             "Association": {"TransitGatewayRouteTableId": RTB_PROD, "State": "associated"}},
            {"TransitGatewayAttachmentId": ATT_D, "TransitGatewayId": TGW, "TransitGatewayOwnerId": OWNER,
             "ResourceOwnerId": OWNER, "ResourceType": "vpc", "ResourceId": VPC_D, "State": "available",
             "Association": {"TransitGatewayRouteTableId": RTB_PROD, "State": "associated"}},
            {"TransitGatewayAttachmentId": ATT_VPN, "TransitGatewayId": TGW, "TransitGatewayOwnerId": OWNER,
             "ResourceOwnerId": OWNER, "ResourceType": "vpn", "ResourceId": VPN_DC, "State": "available",
             "Association": {"TransitGatewayRouteTableId": RTB_VPN, "State": "associated"}},
        ],
        "TransitGatewayVpcAttachments": [
            {"TransitGatewayAttachmentId": ATT_A, "TransitGatewayId": TGW, "VpcId": VPC_A, "VpcOwnerId": OWNER,
             "State": "available", "SubnetIds": [SUBNET_A1],
             "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "disable"}},
            {"TransitGatewayAttachmentId": ATT_D, "TransitGatewayId": TGW, "VpcId": VPC_D, "VpcOwnerId": OWNER,
             "State": "available", "SubnetIds": [SUBNET_D1],
             "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "disable"}},
        ],
        "TransitGatewayRoutes": {
            RTB_PROD: [_tgw_route("10.0.0.0/16", "propagated", "active", a),
                       _tgw_route("10.3.0.0/16", "propagated", "active", d),
                       _tgw_route("10.3.5.0/24", "static", "blackhole"),
                       _tgw_route("172.16.0.0/16", "static", "active", vpn)],
            RTB_VPN: [_tgw_route("10.0.0.0/16", "propagated", "active", a)],
        },
        "TransitGatewayRouteTableAssociations": {
            RTB_PROD: [{**a, "State": "associated"}, {**d, "State": "associated"}],
            RTB_VPN: [{**vpn, "State": "associated"}],
        },
        "TransitGatewayRouteTablePropagations": {
            RTB_PROD: [{**a, "State": "enabled"}, {**d, "State": "enabled"}],
            RTB_VPN: [{**a, "State": "enabled"}],
        },
        "VpnGateways": [{"VpnGatewayId": VGW, "State": "available", "Type": "ipsec.1", "AmazonSideAsn": 64512,
                         "VpcAttachments": [{"VpcId": VPC_A, "State": "attached"}], "Tags": _tags("app-vgw")}],
        "CustomerGateways": [
            {"CustomerGatewayId": CGW_HQ, "BgpAsn": "65000", "IpAddress": "203.0.113.12", "State": "available",
             "Type": "ipsec.1", "Tags": _tags("head-office")},
            {"CustomerGatewayId": CGW_DC, "BgpAsn": "65010", "IpAddress": "198.51.100.7", "State": "available",
             "Type": "ipsec.1", "Tags": _tags("data-centre")},
        ],
        "VpnConnections": [
            {"VpnConnectionId": VPN_HQ, "CustomerGatewayId": CGW_HQ, "VpnGatewayId": VGW, "Category": "VPN",
             "State": "available", "Type": "ipsec.1",
             "Options": {"StaticRoutesOnly": True, "EnableAcceleration": False, "TunnelInsideIpVersion": "ipv4"},
             "Routes": [{"DestinationCidrBlock": "192.168.0.0/16", "Source": "Static", "State": "available"}],
             "VgwTelemetry": _telemetry("DOWN", "UP")},
            {"VpnConnectionId": VPN_DC, "CustomerGatewayId": CGW_DC, "TransitGatewayId": TGW, "Category": "VPN",
             "State": "available", "Type": "ipsec.1",
             "Options": {"StaticRoutesOnly": True, "EnableAcceleration": False, "TunnelInsideIpVersion": "ipv4"},
             "Routes": [], "VgwTelemetry": _telemetry("UP", "UP")},
        ],
    }


KEYED = ("TransitGatewayRoutes", "TransitGatewayRouteTableAssociations", "TransitGatewayRouteTablePropagations",
         "PrefixListEntries")


@pytest.fixture
def data() -> dict[str, Any]:
    return world()


@pytest.fixture(scope="module")
def cloud() -> Cloud:
    return Cloud.from_aws(world())


def verdict(cloud: Cloud, source: str, destination: str, port: int = 443,
            protocol: str = "tcp") -> tuple[bool, list[tuple[str, str | None]]]:
    trace = cloud.trace(source, destination, protocol, port)
    return trace.reachable, [(e.code, e.component) for e in trace.explanations]


def hops(cloud: Cloud, source: str, destination: str, port: int = 443) -> list[tuple[str, str, str]]:
    trace = cloud.trace(source, destination, "tcp", port)
    return [(h.type, h.component, h.action) for h in (*trace.forward, *trace.return_)]


def texts(caught: Any) -> list[str]:
    return [str(w.message) for w in caught]


# --- the whole file ----------------------------------------------------------------------------

def test_the_combined_file_loads_everything_without_a_warning(cloud: Cloud) -> None:
    report = cloud.import_report
    assert report is not None and report.skipped == [] and report.notes == []
    assert {key: report.imported[key] for key in (
        "VpcEndpoints", "VpcPeeringConnections", "TransitGateways", "TransitGatewayRouteTables",
        "TransitGatewayAttachments", "VpnGateways", "CustomerGateways", "VpnConnections", "PrefixLists",
        "PrefixListEntries")} == {
        "VpcEndpoints": 2, "VpcPeeringConnections": 2, "TransitGateways": 1, "TransitGatewayRouteTables": 2,
        "TransitGatewayAttachments": 3, "VpnGateways": 1, "CustomerGateways": 2, "VpnConnections": 2,
        "PrefixLists": 2, "PrefixListEntries": 1}


def test_the_egress_only_gateway_is_still_later_and_unknown_keys_still_warn(data: dict[str, Any]) -> None:
    data["EgressOnlyInternetGateways"] = [{"EgressOnlyInternetGatewayId": "eigw-0123456789abcdef0"}]
    data["Gizmos"] = {}
    with pytest.warns(AwsImportWarning) as caught:
        Cloud.from_aws(data)
    assert texts(caught) == ["EgressOnlyInternetGateways in <dict> is not modelled yet and was skipped",
                             "unknown key Gizmos in <dict> was skipped"]


# --- peering -----------------------------------------------------------------------------------

def test_a_trace_goes_through_the_active_peering_both_ways(cloud: Cloud) -> None:
    assert verdict(cloud, I_A1, I_B1, 5432) == (True, [])
    assert verdict(cloud, I_B1, I_A1, 22) == (True, [])
    assert ("peering-connection", PCX_AB, "forward") in hops(cloud, I_A1, I_B1, 5432)


def test_a_pending_peering_is_a_blackhole(cloud: Cloud) -> None:
    assert cloud.get(PCX_AC).status == "pending-acceptance"  # type: ignore[attr-defined]
    assert verdict(cloud, I_A1, I_C1) == (False, [("BAD_STATE_ROUTE", RTB_A)])
    assert next(r.state for r in cloud.route_table(RTB_A).routes if r.target == PCX_AC) == "blackhole"


def test_peering_is_not_transitive_after_import(cloud: Cloud) -> None:
    assert verdict(cloud, I_B1, I_D1) == (False, [("NO_ROUTE_TO_DESTINATION", RTB_B)])


def test_deleted_peerings_are_skipped_and_routes_to_them_are_blackholes(data: dict[str, Any]) -> None:
    data["VpcPeeringConnections"][0]["Status"] = {"Code": "deleted", "Message": "Deleted by 111122223333"}
    with pytest.warns(AwsImportWarning) as caught:
        cloud = Cloud.from_aws(data)
    assert f"VpcPeeringConnections {PCX_AB} is deleted and was skipped" in texts(caught)
    assert any(f"goes to {PCX_AB}, which was skipped; it is a blackhole" in t for t in texts(caught))
    assert verdict(cloud, I_A1, I_B1) == (False, [("BAD_STATE_ROUTE", RTB_A)])
    assert cloud.import_report is not None and cloud.import_report.imported["VpcPeeringConnections"] == 1


def test_a_peering_to_a_vpc_of_another_account_is_skipped_with_a_note(data: dict[str, Any]) -> None:
    data["VpcPeeringConnections"][0]["AccepterVpcInfo"]["VpcId"] = "vpc-0999999999999999f"
    with pytest.warns(AwsImportWarning) as caught:
        cloud = Cloud.from_aws(data)
    assert texts(caught) == [
        f"peering connection {PCX_AB}: VPC vpc-0999999999999999f is not in the file (another account or Region?); "
        "the connection was skipped",
        f"route table {RTB_A}: the route to 10.1.0.0/16 goes to {PCX_AB}, which was skipped; it is a blackhole",
        f"route table {RTB_B}: the route to 10.0.0.0/16 goes to {PCX_AB}, which was skipped; it is a blackhole"]
    assert verdict(cloud, I_A1, I_B1) == (False, [("BAD_STATE_ROUTE", RTB_A)])


# --- endpoints and prefix lists ---------------------------------------------------------------

def test_the_s3_gateway_endpoint_carries_traffic_to_the_prefix_list(cloud: Cloud) -> None:
    assert verdict(cloud, I_A1, S3_ADDRESS) == (True, [])
    assert ("vpc-endpoint", VPCE_S3, "deliver") in hops(cloud, I_A1, S3_ADDRESS)
    assert cloud.prefix_list("s3").id == PL_S3
    endpoint = cloud.get(VPCE_S3)
    assert isinstance(endpoint, VpcEndpoint) and endpoint.route_table_ids == (RTB_A,)
    assert endpoint.policy is not None and endpoint.policy["Statement"][0]["Effect"] == "Allow"
    assert [r.destination for r in cloud.route_table(RTB_A).routes if r.target == VPCE_S3] == [PL_S3]


def test_without_cidrs_the_kits_table_is_used_and_said(data: dict[str, Any]) -> None:
    del data["PrefixLists"][0]["Cidrs"]
    with pytest.warns(AwsImportWarning, match=f"prefix list {PL_S3} .* the kit's own table"):
        cloud = Cloud.from_aws(data)
    assert verdict(cloud, I_A1, S3_ADDRESS) == (True, [])


def test_without_the_prefix_list_the_endpoint_route_still_gets_the_kits_ranges(data: dict[str, Any]) -> None:
    data["PrefixLists"] = data["PrefixLists"][1:]
    with pytest.warns(AwsImportWarning, match=f"prefix list {PL_S3} .* the kit's own table"):
        cloud = Cloud.from_aws(data)
    assert verdict(cloud, I_A1, S3_ADDRESS) == (True, [])
    assert cloud.prefix_list("s3").id == PL_S3


def test_a_listed_table_without_the_endpoint_route_gets_it_as_aws_has_it(data: dict[str, Any]) -> None:
    table = data["RouteTables"][0]
    table["Routes"] = [r for r in table["Routes"] if r.get("GatewayId") != VPCE_S3]
    with pytest.warns(AwsImportWarning, match=f"{PL_S3} → {VPCE_S3} was added"):
        cloud = Cloud.from_aws(data)
    assert verdict(cloud, I_A1, S3_ADDRESS) == (True, [])


def test_customer_managed_prefix_list_entries_feed_security_group_rules(cloud: Cloud) -> None:
    assert cloud._prefix_lists[PL_CORP] == ("192.168.0.0/16",)
    assert cloud.get(PL_CORP).name == "corp"
    assert verdict(cloud, HQ_HOST, I_A1, 22) == (True, [])  # allowed by the pl- rule, over the VPN
    assert verdict(cloud, HQ_HOST, I_A1, 3389) == (False, [("ENI_SG_RULES_MISMATCH", SG_A)])


def test_a_customer_managed_list_without_entries_is_skipped(data: dict[str, Any]) -> None:
    del data["PrefixListEntries"]
    with pytest.warns(AwsImportWarning, match=f"prefix list {PL_CORP} \\(corp-ranges\\) has no CIDRs"):
        cloud = Cloud.from_aws(data)
    assert verdict(cloud, HQ_HOST, I_A1, 22) == (False, [("ENI_SG_RULES_MISMATCH", SG_A)])


def test_the_interface_endpoint_answers_its_name_and_filters_with_its_group(cloud: Cloud) -> None:
    endpoint = cloud.get(VPCE_SSM)
    assert isinstance(endpoint, VpcEndpoint)
    assert (endpoint.endpoint_type, endpoint.subnet_ids, endpoint.network_interface_ids,
            endpoint.security_group_ids, endpoint.private_dns_enabled) == (
        "Interface", (SUBNET_A1,), (ENI_SSM,), (SG_ENDPOINT,), True)
    assert cloud.resolve(f"ssm.{REGION}.amazonaws.com") == ("10.0.1.50",)
    assert cloud.resolve(endpoint.dns_names[0]) == ("10.0.1.50",)
    assert verdict(cloud, I_A1, "10.0.1.50", 443) == (True, [])
    assert ("vpc-endpoint", ENI_SSM, "deliver") in hops(cloud, I_A1, "10.0.1.50")
    assert verdict(cloud, I_A1, "10.0.1.50", 22) == (False, [("ENI_SG_RULES_MISMATCH", SG_ENDPOINT)])


def test_an_interface_endpoint_whose_interface_is_missing_keeps_the_rest(data: dict[str, Any]) -> None:
    data["NetworkInterfaces"] = data["NetworkInterfaces"][1:]
    with pytest.warns(AwsImportWarning, match=f"network interface {ENI_SSM} is not in NetworkInterfaces"):
        cloud = Cloud.from_aws(data)
    endpoint = cloud.get(VPCE_SSM)
    assert isinstance(endpoint, VpcEndpoint) and endpoint.network_interface_ids == ()


def test_endpoint_types_the_engine_does_not_model_are_skipped(data: dict[str, Any]) -> None:
    data["VpcEndpoints"].append({"VpcEndpointId": "vpce-0gwlb00000000001", "VpcEndpointType": "GatewayLoadBalancer",
                                 "VpcId": VPC_A, "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
                                 "State": "available", "SubnetIds": [SUBNET_A2]})
    with pytest.warns(AwsImportWarning, match="of type GatewayLoadBalancer, which is not modelled"):
        Cloud.from_aws(data)


# --- transit gateway ---------------------------------------------------------------------------

def test_the_tgw_tables_hold_the_files_associations_propagations_and_static_routes(cloud: Cloud) -> None:
    prod, vpn = cloud.get(RTB_PROD), cloud.get(RTB_VPN)
    assert isinstance(prod, TransitGatewayRouteTable) and isinstance(vpn, TransitGatewayRouteTable)
    assert (prod.associations, prod.propagations, prod.is_default) == ((ATT_A, ATT_D), (ATT_A, ATT_D), True)
    assert (vpn.associations, vpn.propagations, vpn.is_default) == ((ATT_VPN,), (ATT_A,), False)
    assert [(r.destination, r.attachment_id, r.route_type, r.state) for r in prod.static_routes] == [
        ("10.3.5.0/24", None, "static", "blackhole"), ("172.16.0.0/16", ATT_VPN, "static", "active")]
    routes = {(r.destination, r.route_type) for r in cloud.transit_gateway_routes(RTB_PROD)}
    assert {("10.0.0.0/16", "propagated"), ("10.3.0.0/16", "propagated")} <= routes and len(routes) == 4


def test_the_tgw_interfaces_come_from_the_file(cloud: Cloud) -> None:
    assert cloud.vpc_attachment(TGW, VPC_A).network_interface_ids == (ENI_TGW_A,)  # type: ignore[union-attr]
    assert cloud.vpc_attachment(TGW, VPC_D).network_interface_ids == (ENI_TGW_D,)  # type: ignore[union-attr]


def test_a_trace_crosses_the_transit_gateway(cloud: Cloud) -> None:
    assert verdict(cloud, I_A1, I_D1, 8080) == (True, [])
    path = hops(cloud, I_A1, I_D1, 8080)
    assert ("transit-gateway-attachment", ATT_A, "forward") in path
    assert ("transit-gateway", RTB_PROD, "forward") in path


def test_tgw_verdicts(cloud: Cloud) -> None:
    assert verdict(cloud, I_A1, I_D2) == (False, [("TGW_RTB_BAD_STATE_ROUTE", RTB_PROD)])
    assert verdict(cloud, I_D1, I_B1) == (False, [("TGW_RTB_CANNOT_ROUTE", RTB_PROD)])
    assert verdict(cloud, I_A2, I_D1) == (False, [("TGW_ATTACH_VPC_AZ_RESTRICTION", ATT_A)])


def test_an_attachment_without_an_association_cannot_route(data: dict[str, Any]) -> None:
    del data["TransitGatewayAttachments"][1]["Association"]
    data["TransitGatewayRouteTableAssociations"][RTB_PROD] = data["TransitGatewayRouteTableAssociations"][RTB_PROD][:1]
    cloud = Cloud.from_aws(data)
    assert cloud.tgw_association(ATT_D) is None
    assert verdict(cloud, I_D1, I_A1) == (False, [("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", ATT_D)])
    trace = cloud.trace(I_A1, I_D1, "tcp", 8080)  # there, but the reply has no table to route by
    assert not trace.reachable and [(e.code, e.direction) for e in trace.explanations] == [
        ("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "return")]


def test_a_missing_tgw_interface_is_made_in_its_subnet(data: dict[str, Any]) -> None:
    data["NetworkInterfaces"] = [e for e in data["NetworkInterfaces"] if e["NetworkInterfaceId"] != ENI_TGW_D]
    with pytest.warns(AwsImportWarning, match=f"no interface of it in subnet {SUBNET_D1}") as caught:
        cloud = Cloud.from_aws(data)
    assert len(caught) == 1
    link = cloud.vpc_attachment(TGW, VPC_D)
    assert link is not None and len(link.network_interface_ids) == 1 and link.network_interface_ids[0] != ENI_TGW_D
    eni = cloud.get(link.network_interface_ids[0])
    assert eni.interface_type == "transit_gateway" and eni.subnet_id == SUBNET_D1  # type: ignore[attr-defined]
    assert eni.private_ip not in ("10.3.1.10",)  # type: ignore[attr-defined]
    assert verdict(cloud, I_A1, I_D1, 8080) == (True, [])


def test_only_describe_transit_gateway_attachments_finds_subnets_from_the_interfaces(data: dict[str, Any]) -> None:
    del data["TransitGatewayVpcAttachments"]
    cloud = Cloud.from_aws(data)
    link = cloud.vpc_attachment(TGW, VPC_A)
    assert link is not None and link.subnet_ids == (SUBNET_A1,) and link.network_interface_ids == (ENI_TGW_A,)
    assert verdict(cloud, I_A1, I_D1, 8080) == (True, [])


def test_a_deleted_attachment_is_skipped_and_static_routes_to_it_drop(data: dict[str, Any]) -> None:
    data["TransitGatewayAttachments"][1]["State"] = "deleted"
    data["TransitGatewayVpcAttachments"][1]["State"] = "deleted"
    data["TransitGatewayRoutes"][RTB_PROD].append(_tgw_route("10.3.1.0/24", "static", "blackhole",
                                                             _tgw_ref(ATT_D, VPC_D, "vpc")))
    for key in ("TransitGatewayRouteTableAssociations", "TransitGatewayRouteTablePropagations"):
        data[key][RTB_PROD] = data[key][RTB_PROD][:1]
    with pytest.warns(AwsImportWarning) as caught:
        cloud = Cloud.from_aws(data)
    assert f"TransitGatewayAttachments {ATT_D} is deleted and was skipped" in texts(caught)
    assert any(f"goes to attachment {ATT_D}, which was skipped" in t for t in texts(caught))
    assert verdict(cloud, I_A1, I_D1) == (False, [("TGW_RTB_BAD_STATE_ROUTE", RTB_PROD)])


def test_a_keyed_map_naming_an_unknown_table_is_an_error_unless_lenient(data: dict[str, Any]) -> None:
    data["TransitGatewayRoutes"]["tgw-rtb-0ffffffffffffffff"] = []
    with pytest.raises(InvalidValue, match="TransitGatewayRoutes in <dict> names tgw-rtb-0ffffffffffffffff"):
        Cloud.from_aws(data)
    with pytest.warns(AwsImportWarning):
        cloud = Cloud.from_aws(data, lenient=True)
    assert verdict(cloud, I_A1, I_D1) == (True, [])


# --- VPN ---------------------------------------------------------------------------------------

def test_a_vpn_with_one_tunnel_up_works(cloud: Cloud) -> None:
    vpn = cloud.get(VPN_HQ)
    assert isinstance(vpn, VpnConnection) and vpn.tunnels == ("DOWN", "UP") and vpn.routes == ("192.168.0.0/16",)
    assert verdict(cloud, I_A1, HQ_HOST) == (True, [])
    path = hops(cloud, I_A1, HQ_HOST)
    assert ("vpn-gateway", VGW, "forward") in path and ("vpn-connection", VPN_HQ, "forward") in path
    assert ("customer-gateway", CGW_HQ, "forward") in path


def test_the_vgw_propagated_route_is_recomputed_not_copied(cloud: Cloud) -> None:
    routes = [r for r in cloud.route_table(RTB_A).routes if r.destination == "192.168.0.0/16"]
    assert [(r.target, r.origin, r.state) for r in routes] == [(VGW, "EnableVgwRoutePropagation", "active")]


def test_a_vpn_with_both_tunnels_down_carries_nothing(data: dict[str, Any]) -> None:
    data["VpnConnections"][0]["VgwTelemetry"] = _telemetry("DOWN", "DOWN")
    data["VpnConnections"][1]["VgwTelemetry"] = _telemetry("DOWN", "DOWN")
    cloud = Cloud.from_aws(data)
    assert verdict(cloud, I_A1, HQ_HOST) == (False, [("BAD_STATE_VPN", VPN_HQ)])
    assert verdict(cloud, I_A1, DC_HOST) == (False, [("TGW_BAD_STATE_VPN", VPN_DC)])  # the TGW's own code


def test_a_vpn_on_the_transit_gateway_works_both_ways(cloud: Cloud) -> None:
    assert cloud.vpn_attachment(VPN_DC) is not None and cloud.vpn_attachment(VPN_DC).id == ATT_VPN  # type: ignore[union-attr]
    assert verdict(cloud, I_A1, DC_HOST) == (True, [])
    assert verdict(cloud, DC_HOST, I_A1, 22) == (True, [])  # back through the vpn table, where A propagates
    assert ("transit-gateway", RTB_VPN, "forward") in hops(cloud, DC_HOST, I_A1, 22)


def test_a_bgp_vpn_on_the_tgw_learns_its_prefixes_from_the_propagated_routes(data: dict[str, Any]) -> None:
    data["VpnConnections"][1]["Options"]["StaticRoutesOnly"] = False
    vpn_ref = _tgw_ref(ATT_VPN, VPN_DC, "vpn")
    data["TransitGatewayRoutes"][RTB_PROD][3] = _tgw_route("172.16.0.0/16", "propagated", "active", vpn_ref)
    data["TransitGatewayRouteTablePropagations"][RTB_PROD].append({**vpn_ref, "State": "enabled"})
    with pytest.warns(AwsImportWarning, match=f"VPN connection {VPN_DC} uses BGP.*172.16.0.0/16"):
        cloud = Cloud.from_aws(data)
    vpn = cloud.get(VPN_DC)
    assert isinstance(vpn, VpnConnection) and vpn.bgp_routes == ("172.16.0.0/16",) and vpn.routes == ()
    assert verdict(cloud, I_A1, DC_HOST) == (True, [])


def test_a_tgw_vpn_without_its_attachment_gets_one_with_the_defaults(data: dict[str, Any]) -> None:
    data["TransitGatewayAttachments"] = data["TransitGatewayAttachments"][:2]
    for key in ("TransitGatewayRouteTableAssociations", "TransitGatewayRouteTablePropagations"):
        del data[key][RTB_VPN]
    data["TransitGatewayRoutes"][RTB_PROD] = data["TransitGatewayRoutes"][RTB_PROD][:3]
    with pytest.warns(AwsImportWarning, match=f"VPN connection {VPN_DC} ends on transit gateway {TGW}"):
        cloud = Cloud.from_aws(data)
    link = cloud.vpn_attachment(VPN_DC)
    assert link is not None and cloud.tgw_association(link).id == RTB_PROD  # type: ignore[union-attr]


def test_a_vpn_naming_a_missing_customer_gateway_is_an_error_or_skipped_when_lenient(data: dict[str, Any]) -> None:
    data["CustomerGateways"] = data["CustomerGateways"][1:]
    with pytest.raises(InvalidValue, match=f"VpnConnections {VPN_HQ} in <dict>: its CustomerGatewayId {CGW_HQ}"):
        Cloud.from_aws(data)
    with pytest.warns(AwsImportWarning):
        cloud = Cloud.from_aws(data, lenient=True)
    assert verdict(cloud, I_A1, I_D1) == (True, [])
    assert verdict(cloud, I_A1, HQ_HOST)[1] == [("NO_ROUTE_TO_DESTINATION", RTB_A)]


# --- a folder of describe outputs ----------------------------------------------------------------

def test_a_folder_of_cli_outputs_loads_what_it_can_and_says_what_it_assumed(tmp_path: Path,
                                                                            data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key not in KEYED:
            (tmp_path / f"describe-{key.lower()}.json").write_text(json.dumps({key: value}, indent=2))
    with pytest.warns(AwsImportWarning) as caught:
        cloud = Cloud.from_aws(tmp_path)
    said = texts(caught)
    assert any(t.startswith(f"prefix list {PL_CORP} (corp-ranges) has no CIDRs") for t in said)
    assert any(t.startswith("TransitGatewayRouteTablePropagations is not in the file; attachments") for t in said)
    assert len(said) == 2
    assert verdict(cloud, I_A1, I_B1) == (True, [])  # peering
    assert verdict(cloud, I_A1, S3_ADDRESS) == (True, [])  # gateway endpoint
    assert verdict(cloud, I_A1, "10.0.1.50") == (True, [])  # interface endpoint
    assert verdict(cloud, I_A1, I_D1, 8080) == (True, [])  # TGW: associations from the attachments
    assert verdict(cloud, I_A1, HQ_HOST) == (True, [])  # VPN on the VGW
    assert verdict(cloud, I_A1, I_D2)[0] is True  # the blackhole lives only in the keyed map
    table = cloud.get(RTB_VPN)
    assert isinstance(table, TransitGatewayRouteTable) and table.associations == (ATT_VPN,)


def test_keyed_maps_split_over_files_are_merged(tmp_path: Path, data: dict[str, Any]) -> None:
    routes = data.pop("TransitGatewayRoutes")
    (tmp_path / "everything.json").write_text(json.dumps(data))
    for number, (table, entries) in enumerate(routes.items()):
        (tmp_path / f"routes-{number}.json").write_text(json.dumps({"TransitGatewayRoutes": {table: entries}}))
    cloud = Cloud.from_aws(tmp_path)
    assert verdict(cloud, I_A1, I_D2) == (False, [("TGW_RTB_BAD_STATE_ROUTE", RTB_PROD)])
    assert verdict(cloud, I_A1, DC_HOST) == (True, [])


def test_the_fixture_is_not_changed_by_loading(data: dict[str, Any]) -> None:
    before = copy.deepcopy(data)
    Cloud.from_aws(data)
    assert data == before
