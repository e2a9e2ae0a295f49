"""Real-shaped AWS describe JSON, built with boto3 against moto (the AWS mock).

moto differs from AWS in places (shared/notes/jupyter-testing.md); ``patch_like_aws``
changes its output to what AWS itself would return, each change named below.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from moto import mock_aws

DESCRIBE = {
    "Vpcs": "describe_vpcs", "Subnets": "describe_subnets", "RouteTables": "describe_route_tables",
    "InternetGateways": "describe_internet_gateways", "NatGateways": "describe_nat_gateways",
    "SecurityGroups": "describe_security_groups", "NetworkAcls": "describe_network_acls",
    "NetworkInterfaces": "describe_network_interfaces", "Reservations": "describe_instances",
    "Addresses": "describe_addresses", "DhcpOptions": "describe_dhcp_options",
}


def describe_all(ec2: Any) -> dict[str, Any]:
    data = {key: getattr(ec2, call)()[key] for key, call in DESCRIBE.items()}
    return json.loads(json.dumps(data, default=str))  # datetimes to text, as the CLI writes them


def tag(name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": "", "Tags": [{"Key": "Name", "Value": name}]}]


def _tags(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def build_two_tier(ec2: Any) -> dict[str, str]:
    """The classic two-tier VPC of the lessons, made through the EC2 API. Returns ids by name."""
    ids: dict[str, str] = {}
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=_tags("vpc", "lab"))["Vpc"]["VpcId"]
    ids["vpc"] = vpc
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ids["igw"] = igw
    for name, cidr in (("public", "10.0.1.0/24"), ("app", "10.0.2.0/24"), ("db", "10.0.3.0/24")):
        ids[f"{name}_subnet"] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone="us-east-1a",
                                      TagSpecifications=_tags("subnet", name))["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=ids["public_subnet"], MapPublicIpOnLaunch={"Value": True})
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=ids["public_subnet"])
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=ids["public_subnet"], AllocationId=eip)["NatGateway"]["NatGatewayId"]
    ids["nat"] = nat
    app_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=app_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    ec2.associate_route_table(RouteTableId=app_rt, SubnetId=ids["app_subnet"])
    ids["app_rt"] = app_rt
    db_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=db_rt, SubnetId=ids["db_subnet"])
    ids["db_rt"] = db_rt

    def group(name: str) -> str:
        return str(ec2.create_security_group(VpcId=vpc, GroupName=name, Description=name)["GroupId"])

    web_sg, app_sg, db_sg = group("web-sg"), group("app-sg"), group("db-sg")
    ids.update(web_sg=web_sg, app_sg=app_sg, db_sg=db_sg)
    ec2.authorize_security_group_ingress(GroupId=web_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_ingress(GroupId=app_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web_sg}]}])
    ec2.authorize_security_group_ingress(GroupId=db_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app_sg}]}])
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ids["db_acl"] = acl
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow",
                                 Egress=False, CidrBlock="10.0.2.0/24", PortRange={"From": 5432, "To": 5432})
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow",
                                 Egress=True, CidrBlock="10.0.2.0/24", PortRange={"From": 1024, "To": 65535})
    acls = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [ids["db_subnet"]]}])
    association = next(a["NetworkAclAssociationId"] for a in acls["NetworkAcls"][0]["Associations"]
                       if a["SubnetId"] == ids["db_subnet"])
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
    for name, subnet, sg in (("web", "public", web_sg), ("app", "app", app_sg), ("db", "db", db_sg)):
        ids[name] = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=ids[f"{subnet}_subnet"],
                                      SecurityGroupIds=[sg], TagSpecifications=_tags("instance", name)
                                      )["Instances"][0]["InstanceId"]
    return ids


def patch_like_aws(data: dict[str, Any]) -> dict[str, Any]:
    """Where moto's answers differ from AWS's, make them AWS's."""
    for vpc in data["Vpcs"]:
        if vpc.get("IsDefault") and not any(a.get("VpcId") == vpc["VpcId"] for g in data["InternetGateways"]
                                             for a in g.get("Attachments", [])):
            # AWS: the default VPC has an internet gateway and a 0.0.0.0/0 route to it; moto has neither
            igw = f"igw-default{vpc['VpcId'][4:]}"[:21]
            data["InternetGateways"].append({"InternetGatewayId": igw, "Attachments": [
                {"VpcId": vpc["VpcId"], "State": "available"}], "Tags": []})
            main = next(t for t in data["RouteTables"] if t["VpcId"] == vpc["VpcId"]
                        and any(a.get("Main") for a in t.get("Associations", [])))
            main["Routes"].append({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw, "State": "active",
                                   "Origin": "CreateRoute"})
    known_options = {d["DhcpOptionsId"] for d in data["DhcpOptions"]}
    for option_id in sorted({v["DhcpOptionsId"] for v in data["Vpcs"]} - known_options - {"default"}):
        # AWS lists the default options set the VPCs use; moto's describe_dhcp_options leaves it out
        data["DhcpOptions"].append({"DhcpOptionsId": option_id, "DhcpConfigurations": [
            {"Key": "domain-name", "Values": [{"Value": "ec2.internal"}]},
            {"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]}], "Tags": []})
    for nat in data["NatGateways"]:
        subnet = next(s for s in data["Subnets"] if s["SubnetId"] == nat["SubnetId"])
        for number, address in enumerate(nat["NatGatewayAddresses"]):
            base = subnet["CidrBlock"].rsplit(".", 1)[0]
            private_ip, public_ip = f"{base}.{200 + number}", f"3.34.200.{10 + number}"
            # AWS: the NAT gateway's private IP is inside its subnet and its EIP is a public address;
            # moto picks an address outside the subnet and an EIP in 127.0.0.0/8
            old_private, old_public = address["PrivateIp"], address["PublicIp"]
            address.update(PrivateIp=private_ip, PublicIp=public_ip)
            for eip in data["Addresses"]:
                if eip.get("PublicIp") == old_public:
                    eip.update(PublicIp=public_ip, PrivateIpAddress=private_ip)
            for interface in data["NetworkInterfaces"]:
                if interface["NetworkInterfaceId"] == address.get("NetworkInterfaceId"):
                    # AWS: a NAT gateway's interface is of type nat_gateway, with no security group
                    interface.update(PrivateIpAddress=private_ip, InterfaceType="nat_gateway", Groups=[],
                                     SubnetId=nat["SubnetId"])
                    interface["Association"]["PublicIp"] = public_ip
            assert old_private
    for group in data["SecurityGroups"]:
        if group["GroupName"] == "default" and not group["IpPermissions"]:
            # AWS: the default group allows inbound from its own members; moto leaves it empty
            group["IpPermissions"] = [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group["GroupId"]}],
                                       "IpRanges": [], "PrefixListIds": []}]
    for reservation in data["Reservations"]:
        for instance in reservation["Instances"]:
            subnet = next(s for s in data["Subnets"] if s["SubnetId"] == instance["SubnetId"])
            if not subnet.get("MapPublicIpOnLaunch"):
                # moto gives every instance a public IP; AWS only where the subnet maps them
                instance.pop("PublicIpAddress", None)
                for interface in instance.get("NetworkInterfaces", []):
                    interface.pop("Association", None)
    for interface in data["NetworkInterfaces"]:
        subnet = next((s for s in data["Subnets"] if s["SubnetId"] == interface["SubnetId"]), None)
        if subnet is not None and not subnet.get("MapPublicIpOnLaunch") and \
                interface.get("InterfaceType", "interface") == "interface":
            interface.pop("Association", None)
    return data


def two_tier_export() -> tuple[dict[str, Any], dict[str, str]]:
    """The two-tier VPC as AWS would describe it, and its ids by name."""
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        ids = build_two_tier(ec2)
        return patch_like_aws(describe_all(ec2)), ids
