"""moto as an oracle for the operations it refuses: the same invalid call, made through boto3
against moto and through a vpclab Cloud, must be refused by both, with the same error code.

shared/notes/jupyter-testing.md (moto section): "When moto rejects a call, AWS rejects it too,
with the same error code. moto accepts many things AWS rejects [...]: the engine must be stricter
than moto." So there are three kinds of test here:

- oracle tests: moto refuses; vpclab must refuse with moto's code;
- stricter tests: moto accepts something AWS refuses; vpclab must refuse it (each one cites the
  rule in aws-vpc-facts.md, or the AWS API reference where the sheet says nothing);
- one test where moto refuses with a code real AWS does not use; vpclab must use AWS's.

Both worlds start alike: a VPC 10.0.0.0/16 with a subnet 10.0.1.0/24 in us-east-1a, a custom
route table, an attached internet gateway, a security group "web" and a custom network ACL.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from vpclab import Cloud, VpcLabError
from vpclab.errors import Conflict, HostBitsWarning, LimitExceeded, NotFound

AMI = "ami-12c6146b"  # one of moto's built-in images
MISSING = {
    "vpc": "vpc-0123456789abcdef0", "subnet": "subnet-0123456789abcdef0", "sg": "sg-0123456789abcdef0",
    "rtb": "rtb-0123456789abcdef0", "acl": "acl-0123456789abcdef0", "igw": "igw-0123456789abcdef0",
    "i": "i-0123456789abcdef0", "eni": "eni-0123456789abcdef0", "nat": "nat-0123456789abcdef0",
    "eipalloc": "eipalloc-0123456789abcdef0", "dopt": "dopt-0123456789abcdef0",
}


@dataclass
class Worlds:
    ec2: Any  # boto3 EC2 client on moto
    cloud: Cloud
    m: SimpleNamespace  # moto ids
    v: SimpleNamespace  # vpclab records

    def moto_run(self, **kwargs: Any) -> Any:
        return self.ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, **kwargs)

    def moto_vpc(self, cidr: str) -> str:
        return str(self.ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"])


@pytest.fixture(scope="module")
def moto_session() -> Iterator[tuple[Any, Any]]:
    """One moto mock and one client for the module (a new client costs about half a second);
    each test resets the mock, which starts it again from moto's initial state."""
    mock = mock_aws()
    mock.start()
    try:
        yield mock, boto3.client("ec2", region_name="us-east-1")
    finally:
        mock.stop()


@pytest.fixture
def both(moto_session: tuple[Any, Any]) -> Worlds:
    mock, ec2 = moto_session
    mock.reset()
    m = SimpleNamespace()
    m.vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    m.subnet = ec2.create_subnet(VpcId=m.vpc, CidrBlock="10.0.1.0/24",
                                 AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    m.rtb = ec2.create_route_table(VpcId=m.vpc)["RouteTable"]["RouteTableId"]
    m.igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=m.igw, VpcId=m.vpc)
    m.sg = ec2.create_security_group(VpcId=m.vpc, GroupName="web", Description="web tier")["GroupId"]
    m.acl = ec2.create_network_acl(VpcId=m.vpc)["NetworkAcl"]["NetworkAclId"]

    cloud = Cloud(seed=1)
    v = SimpleNamespace()
    v.vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    v.subnet = cloud.create_subnet(v.vpc, "10.0.1.0/24", az="us-east-1a", name="web-subnet")
    v.rtb = cloud.create_route_table(v.vpc, name="web-rt")
    v.igw = cloud.create_internet_gateway(name="lab-igw")
    cloud.attach_internet_gateway(v.igw, v.vpc)
    v.sg = cloud.create_security_group(v.vpc, "web", "web tier")
    v.acl = cloud.create_network_acl(v.vpc, name="lab-acl")
    return Worlds(ec2, cloud, m, v)


def moto_code(call: Callable[..., Any], **kwargs: Any) -> str | None:
    """moto's error code for the call, or None when moto accepts it."""
    try:
        call(**kwargs)
    except ClientError as err:
        return str(err.response["Error"]["Code"])
    return None


def lab_code(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str | None:
    """vpclab's error code for the call, or None when vpclab accepts it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HostBitsWarning)
        try:
            call(*args, **kwargs)
        except VpcLabError as err:
            return err.code
    return None


def same_rejection(moto: str | None, lab: str | None) -> None:
    assert moto is not None, "moto accepted the call, so it is no oracle here"
    assert lab == moto, f"moto refuses with {moto}, vpclab with {lab}"


def tcp(port: int, *, cidr: str | None = None, group: str | None = None,
        ports: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    """One boto3 IpPermissions entry for TCP."""
    low, high = ports or (port, port)
    permission: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": low, "ToPort": high}
    if cidr is not None:
        permission["IpRanges"] = [{"CidrIp": cidr}]
    if group is not None:
        permission["UserIdGroupPairs"] = [{"GroupId": group}]
    return [permission]


def moto_nacl_entry(w: Worlds, number: int, *, egress: bool = False, acl: str | None = None,
                    action: str = "allow", cidr: str = "0.0.0.0/0") -> str | None:
    return moto_code(w.ec2.create_network_acl_entry, NetworkAclId=acl or w.m.acl, RuleNumber=number, Protocol="6",
                     RuleAction=action, Egress=egress, CidrBlock=cidr, PortRange={"From": 80, "To": 80})


def moto_default_nacl_association(w: Worlds, subnet: str) -> str:
    acls = w.ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])
    (acl,) = acls["NetworkAcls"]
    return next(a["NetworkAclAssociationId"] for a in acl["Associations"] if a["SubnetId"] == subnet)


# ====================================================================================================
# Oracle tests: moto refuses, so vpclab refuses with the same code.
# ====================================================================================================

# --- subnets -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("cidr", ["10.0.1.128/25", "10.0.1.0/24", "10.0.0.0/23", "10.0.0.0/16"])
def test_a_subnet_overlapping_another_is_invalid_subnet_conflict(both: Worlds, cidr: str) -> None:
    same_rejection(moto_code(both.ec2.create_subnet, VpcId=both.m.vpc, CidrBlock=cidr, AvailabilityZone="us-east-1a"),
                   lab_code(both.cloud.create_subnet, both.v.vpc, cidr, az="us-east-1a"))


@pytest.mark.parametrize("cidr", ["10.1.1.0/24", "10.0.0.0/15", "192.168.0.0/24"])
def test_a_subnet_outside_the_vpc_or_too_large_is_invalid_subnet_range(both: Worlds, cidr: str) -> None:
    same_rejection(moto_code(both.ec2.create_subnet, VpcId=both.m.vpc, CidrBlock=cidr, AvailabilityZone="us-east-1a"),
                   lab_code(both.cloud.create_subnet, both.v.vpc, cidr, az="us-east-1a"))


def test_a_subnet_in_an_unknown_availability_zone(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.create_subnet, VpcId=both.m.vpc, CidrBlock="10.0.9.0/24",
                             AvailabilityZone="us-east-1z"),
                   lab_code(both.cloud.create_subnet, both.v.vpc, "10.0.9.0/24", az="us-east-1z"))


def test_a_subnet_in_a_vpc_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.create_subnet, VpcId=MISSING["vpc"], CidrBlock="10.0.9.0/24"),
                   lab_code(both.cloud.create_subnet, MISSING["vpc"], "10.0.9.0/24"))


# --- routes and route tables ---------------------------------------------------------------------------

def test_a_second_route_to_the_same_destination_is_route_already_exists(both: Worlds) -> None:
    both.ec2.create_route(RouteTableId=both.m.rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=both.m.igw)
    both.cloud.create_route(both.v.rtb, "0.0.0.0/0", both.v.igw)
    same_rejection(moto_code(both.ec2.create_route, RouteTableId=both.m.rtb, DestinationCidrBlock="0.0.0.0/0",
                             GatewayId=both.m.igw),
                   lab_code(both.cloud.create_route, both.v.rtb, "0.0.0.0/0", both.v.igw))


def test_deleting_a_route_that_is_not_there_is_invalid_route_not_found(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.delete_route, RouteTableId=both.m.rtb, DestinationCidrBlock="8.8.8.0/24"),
                   lab_code(both.cloud.delete_route, both.v.rtb, "8.8.8.0/24"))


def test_replacing_a_route_that_is_not_there(both: Worlds) -> None:
    # Real AWS answers the same as moto: "InvalidParameterValue: There is no route defined for
    # '0.0.0.0/0' in the route table. Use CreateRoute instead."
    same_rejection(moto_code(both.ec2.replace_route, RouteTableId=both.m.rtb, DestinationCidrBlock="9.9.9.0/24",
                             GatewayId=both.m.igw),
                   lab_code(both.cloud.replace_route, both.v.rtb, "9.9.9.0/24", both.v.igw))


def test_a_route_in_a_table_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.create_route, RouteTableId=MISSING["rtb"], DestinationCidrBlock="0.0.0.0/0",
                             GatewayId=both.m.igw),
                   lab_code(both.cloud.create_route, MISSING["rtb"], "0.0.0.0/0", both.v.igw))


def test_deleting_a_route_table_a_subnet_uses_is_a_dependency_violation(both: Worlds) -> None:
    both.ec2.associate_route_table(RouteTableId=both.m.rtb, SubnetId=both.m.subnet)
    both.cloud.associate_route_table(both.v.rtb, both.v.subnet)
    same_rejection(moto_code(both.ec2.delete_route_table, RouteTableId=both.m.rtb),
                   lab_code(both.cloud.delete_route_table, both.v.rtb))


def test_deleting_a_route_table_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.delete_route_table, RouteTableId=MISSING["rtb"]),
                   lab_code(both.cloud.delete_route_table, MISSING["rtb"]))


def test_a_route_table_in_a_vpc_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.create_route_table, VpcId=MISSING["vpc"]),
                   lab_code(both.cloud.create_route_table, MISSING["vpc"]))


# --- network ACLs -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("egress", [False, True])
def test_a_second_nacl_entry_with_the_same_number_and_direction(both: Worlds, egress: bool) -> None:
    assert moto_nacl_entry(both, 100, egress=egress) is None
    both.cloud.create_network_acl_entry(both.v.acl, 100, "tcp", "allow", "0.0.0.0/0", egress=egress, port=80)
    same_rejection(moto_nacl_entry(both, 100, egress=egress, action="deny"),
                   lab_code(both.cloud.create_network_acl_entry, both.v.acl, 100, "tcp", "deny", "0.0.0.0/0",
                            egress=egress, port=80))


def test_the_same_number_in_the_other_direction_is_allowed_by_both(both: Worlds) -> None:
    # The counterpart of the test above: numbers are per direction in AWS, moto and vpclab alike.
    assert moto_nacl_entry(both, 100) is None
    assert moto_nacl_entry(both, 100, egress=True) is None
    both.cloud.create_network_acl_entry(both.v.acl, 100, "tcp", "allow", "0.0.0.0/0", port=80)
    assert lab_code(both.cloud.create_network_acl_entry, both.v.acl, 100, "tcp", "allow", "0.0.0.0/0",
                    egress=True, port=80) is None


def test_a_nacl_entry_in_an_acl_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_nacl_entry(both, 100, acl=MISSING["acl"]),
                   lab_code(both.cloud.create_network_acl_entry, MISSING["acl"], 100, "tcp", "allow", "0.0.0.0/0",
                            port=80))


def test_deleting_a_nacl_a_subnet_uses_is_a_dependency_violation(both: Worlds) -> None:
    association = moto_default_nacl_association(both, both.m.subnet)
    both.ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=both.m.acl)
    both.cloud.replace_network_acl_association(both.v.subnet, both.v.acl)
    same_rejection(moto_code(both.ec2.delete_network_acl, NetworkAclId=both.m.acl),
                   lab_code(both.cloud.delete_network_acl, both.v.acl))


def test_deleting_a_nacl_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.delete_network_acl, NetworkAclId=MISSING["acl"]),
                   lab_code(both.cloud.delete_network_acl, MISSING["acl"]))


def test_a_nacl_in_a_vpc_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.create_network_acl, VpcId=MISSING["vpc"]),
                   lab_code(both.cloud.create_network_acl, MISSING["vpc"]))


# --- security groups ----------------------------------------------------------------------------------

def test_a_second_group_with_the_same_name_in_the_vpc(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.create_security_group, VpcId=both.m.vpc, GroupName="web", Description="again"),
                   lab_code(both.cloud.create_security_group, both.v.vpc, "web", "again"))


def test_authorizing_the_same_inbound_rule_twice_is_invalid_permission_duplicate(both: Worlds) -> None:
    both.ec2.authorize_security_group_ingress(GroupId=both.m.sg, IpPermissions=tcp(443, cidr="0.0.0.0/0"))
    both.cloud.authorize_security_group_ingress(both.v.sg, "tcp", 443, cidr="0.0.0.0/0")
    same_rejection(moto_code(both.ec2.authorize_security_group_ingress, GroupId=both.m.sg,
                             IpPermissions=tcp(443, cidr="0.0.0.0/0")),
                   lab_code(both.cloud.authorize_security_group_ingress, both.v.sg, "tcp", 443, cidr="0.0.0.0/0"))


def test_authorizing_the_same_group_reference_twice_is_invalid_permission_duplicate(both: Worlds) -> None:
    both.ec2.authorize_security_group_ingress(GroupId=both.m.sg, IpPermissions=tcp(22, group=both.m.sg))
    both.cloud.authorize_security_group_ingress(both.v.sg, "tcp", 22, source_group=both.v.sg)
    same_rejection(moto_code(both.ec2.authorize_security_group_ingress, GroupId=both.m.sg,
                             IpPermissions=tcp(22, group=both.m.sg)),
                   lab_code(both.cloud.authorize_security_group_ingress, both.v.sg, "tcp", 22, source_group=both.v.sg))


def test_authorizing_the_default_outbound_rule_again_is_invalid_permission_duplicate(both: Worlds) -> None:
    # facts §7: a new group has one outbound rule allowing all traffic to 0.0.0.0/0.
    everything = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    same_rejection(moto_code(both.ec2.authorize_security_group_egress, GroupId=both.m.sg, IpPermissions=everything),
                   lab_code(both.cloud.authorize_security_group_egress, both.v.sg, "-1", cidr="0.0.0.0/0"))


def test_revoking_a_rule_that_is_not_there_is_invalid_permission_not_found(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.revoke_security_group_ingress, GroupId=both.m.sg,
                             IpPermissions=tcp(22, cidr="0.0.0.0/0")),
                   lab_code(both.cloud.revoke_security_group_ingress, both.v.sg, "tcp", 22, cidr="0.0.0.0/0"))


@pytest.mark.parametrize("egress", [False, True])
def test_one_rule_too_many_is_rules_per_security_group_limit_exceeded(both: Worlds, egress: bool) -> None:
    # facts §7: 60 inbound and 60 outbound rules per group (the default outbound rule counts).
    moto_call = both.ec2.authorize_security_group_egress if egress else both.ec2.authorize_security_group_ingress
    lab_call = both.cloud.authorize_security_group_egress if egress else both.cloud.authorize_security_group_ingress
    moto_answers: list[str | None] = []
    lab_answers: list[str | None] = []
    for port in range(1000, 1062):
        moto_answers.append(moto_code(moto_call, GroupId=both.m.sg, IpPermissions=tcp(port, cidr="10.0.0.0/8")))
        lab_answers.append(lab_code(lab_call, both.v.sg, "tcp", port, cidr="10.0.0.0/8"))
    first_refusal = next(i for i, code in enumerate(moto_answers) if code is not None)
    assert first_refusal == (59 if egress else 60)
    same_rejection(moto_answers[first_refusal], lab_answers[first_refusal])
    assert lab_answers[:first_refusal] == [None] * first_refusal
    assert lab_answers[first_refusal:] == moto_answers[first_refusal:]


def test_a_rule_with_a_malformed_cidr(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.authorize_security_group_ingress, GroupId=both.m.sg,
                             IpPermissions=tcp(443, cidr="garbage")),
                   lab_code(both.cloud.authorize_security_group_ingress, both.v.sg, "tcp", 443, cidr="garbage"))


def test_a_rule_referencing_a_group_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.authorize_security_group_ingress, GroupId=both.m.sg,
                             IpPermissions=tcp(443, group=MISSING["sg"])),
                   lab_code(both.cloud.authorize_security_group_ingress, both.v.sg, "tcp", 443,
                            source_group=MISSING["sg"]))


def test_a_rule_on_a_group_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.authorize_security_group_ingress, GroupId=MISSING["sg"],
                             IpPermissions=tcp(443, cidr="0.0.0.0/0")),
                   lab_code(both.cloud.authorize_security_group_ingress, MISSING["sg"], "tcp", 443, cidr="0.0.0.0/0"))


# --- instances ----------------------------------------------------------------------------------------

def test_an_instance_with_a_group_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.moto_run, SubnetId=both.m.subnet, SecurityGroupIds=[MISSING["sg"]]),
                   lab_code(both.cloud.run_instances, both.v.subnet, security_groups=[MISSING["sg"]]))


def test_an_instance_in_a_subnet_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.moto_run, SubnetId=MISSING["subnet"]),
                   lab_code(both.cloud.run_instances, MISSING["subnet"]))


def test_terminating_an_instance_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.terminate_instances, InstanceIds=[MISSING["i"]]),
                   lab_code(both.cloud.terminate_instances, MISSING["i"]))


# --- deleting what something still uses, and what does not exist -------------------------------------------

def test_deleting_a_vpc_that_still_has_a_subnet_is_a_dependency_violation(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.delete_vpc, VpcId=both.m.vpc),
                   lab_code(both.cloud.delete_vpc, both.v.vpc))


def test_deleting_a_vpc_that_still_has_a_custom_route_table_is_a_dependency_violation(both: Worlds) -> None:
    m_vpc = both.moto_vpc("10.5.0.0/16")
    both.ec2.create_route_table(VpcId=m_vpc)
    v_vpc = both.cloud.create_vpc("10.5.0.0/16")
    both.cloud.create_route_table(v_vpc)
    same_rejection(moto_code(both.ec2.delete_vpc, VpcId=m_vpc), lab_code(both.cloud.delete_vpc, v_vpc))


@pytest.mark.parametrize(("kind", "moto_call", "lab_call", "parameter"), [
    ("vpc", "delete_vpc", "delete_vpc", "VpcId"),
    ("subnet", "delete_subnet", "delete_subnet", "SubnetId"),
    ("sg", "delete_security_group", "delete_security_group", "GroupId"),
    ("igw", "delete_internet_gateway", "delete_internet_gateway", "InternetGatewayId"),
    ("eipalloc", "release_address", "release_address", "AllocationId"),
])
def test_deleting_something_that_does_not_exist(both: Worlds, kind: str, moto_call: str, lab_call: str,
                                                 parameter: str) -> None:
    same_rejection(moto_code(getattr(both.ec2, moto_call), **{parameter: MISSING[kind]}),
                   lab_code(getattr(both.cloud, lab_call), MISSING[kind]))


# --- gateways -----------------------------------------------------------------------------------------

def test_attaching_a_gateway_that_is_attached_to_another_vpc(both: Worlds) -> None:
    m_other = both.moto_vpc("10.1.0.0/16")
    v_other = both.cloud.create_vpc("10.1.0.0/16")
    same_rejection(moto_code(both.ec2.attach_internet_gateway, InternetGatewayId=both.m.igw, VpcId=m_other),
                   lab_code(both.cloud.attach_internet_gateway, both.v.igw, v_other))


def test_attaching_a_gateway_again_to_the_vpc_it_is_attached_to(both: Worlds) -> None:
    # Real AWS too: "Resource.AlreadyAssociated: resource igw-… is already attached to network vpc-…".
    same_rejection(moto_code(both.ec2.attach_internet_gateway, InternetGatewayId=both.m.igw, VpcId=both.m.vpc),
                   lab_code(both.cloud.attach_internet_gateway, both.v.igw, both.v.vpc))


def test_deleting_an_attached_gateway_is_a_dependency_violation(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.delete_internet_gateway, InternetGatewayId=both.m.igw),
                   lab_code(both.cloud.delete_internet_gateway, both.v.igw))


def test_detaching_a_gateway_from_a_vpc_it_is_not_attached_to(both: Worlds) -> None:
    m_other = both.moto_vpc("10.1.0.0/16")
    v_other = both.cloud.create_vpc("10.1.0.0/16")
    same_rejection(moto_code(both.ec2.detach_internet_gateway, InternetGatewayId=both.m.igw, VpcId=m_other),
                   lab_code(both.cloud.detach_internet_gateway, both.v.igw, v_other))


def test_detaching_a_gateway_that_is_not_attached(both: Worlds) -> None:
    m_loose = both.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    v_loose = both.cloud.create_internet_gateway(name="loose")
    same_rejection(moto_code(both.ec2.detach_internet_gateway, InternetGatewayId=m_loose, VpcId=both.m.vpc),
                   lab_code(both.cloud.detach_internet_gateway, v_loose, both.v.vpc))


def test_attaching_a_gateway_that_does_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.attach_internet_gateway, InternetGatewayId=MISSING["igw"], VpcId=both.m.vpc),
                   lab_code(both.cloud.attach_internet_gateway, MISSING["igw"], both.v.vpc))


def test_a_nat_gateway_in_a_subnet_that_does_not_exist(both: Worlds) -> None:
    m_eip = both.ec2.allocate_address(Domain="vpc")["AllocationId"]
    v_eip = both.cloud.allocate_address()
    same_rejection(moto_code(both.ec2.create_nat_gateway, SubnetId=MISSING["subnet"], AllocationId=m_eip),
                   lab_code(both.cloud.create_nat_gateway, MISSING["subnet"], v_eip))


def test_a_second_default_vpc(both: Worlds) -> None:
    # moto starts with the default VPC; the Cloud gets one here.
    both.cloud.create_default_vpc()
    same_rejection(moto_code(both.ec2.create_default_vpc), lab_code(both.cloud.create_default_vpc))


def test_dhcp_options_that_do_not_exist(both: Worlds) -> None:
    same_rejection(moto_code(both.ec2.associate_dhcp_options, DhcpOptionsId=MISSING["dopt"], VpcId=both.m.vpc),
                   lab_code(both.cloud.associate_dhcp_options, MISSING["dopt"], both.v.vpc))


# ====================================================================================================
# Where moto's code is not AWS's: vpclab follows AWS.
# ====================================================================================================

def test_a_route_to_a_gateway_that_does_not_exist_has_aws_code_not_motos(both: Worlds) -> None:
    # moto answers InvalidInternetGatewayID.NotFound. Real AWS answers CreateRoute with
    # "InvalidGatewayID.NotFound: The gateway ID '…' does not exist", for an igw- id and for any id
    # passed as the gateway (seen in hashicorp/terraform#4987, ansible/ansible#11427 and
    # devopsacademyau/academy#906). The notes' "same code" rule does not hold here.
    assert moto_code(both.ec2.create_route, RouteTableId=both.m.rtb, DestinationCidrBlock="0.0.0.0/0",
                     GatewayId=MISSING["igw"]) == "InvalidInternetGatewayID.NotFound"
    assert lab_code(both.cloud.create_route, both.v.rtb, "0.0.0.0/0", MISSING["igw"]) == "InvalidGatewayID.NotFound"


# ====================================================================================================
# Stricter than moto: moto accepts, AWS refuses, so vpclab refuses.
# ====================================================================================================

# --- network ACLs (facts §8) -------------------------------------------------------------------------

@pytest.mark.parametrize("number", [0, 32767, 32768, 40000])
def test_vpclab_is_stricter_than_moto_about_nacl_rule_numbers(both: Worlds, number: int) -> None:
    # facts §8: "Rules are numbered 1–32766"; 32767 is the `*` rule, which can't be changed.
    assert moto_nacl_entry(both, number) is None  # moto accepts
    assert lab_code(both.cloud.create_network_acl_entry, both.v.acl, number, "tcp", "allow", "0.0.0.0/0",
                    port=80) == "InvalidParameterValue"


def test_vpclab_is_stricter_than_moto_about_the_nacl_rule_quota(both: Worlds) -> None:
    # facts §8: 20 rules per direction per NACL, and "the `*` rules count toward this", so 19 of
    # one's own fit in each direction.
    for n in range(25):
        assert moto_nacl_entry(both, 100 + n) is None  # moto has no quota
    for n in range(19):
        both.cloud.create_network_acl_entry(both.v.acl, 100 + n, "tcp", "allow", "0.0.0.0/0", port=80)
    with pytest.raises(LimitExceeded) as caught:
        both.cloud.create_network_acl_entry(both.v.acl, 200, "tcp", "allow", "0.0.0.0/0", port=80)
    assert caught.value.code == "NetworkAclEntryLimitExceeded"
    assert lab_code(both.cloud.create_network_acl_entry, both.v.acl, 200, "tcp", "allow", "0.0.0.0/0",
                    egress=True, port=80) is None  # the other direction has its own 20


@pytest.mark.parametrize(("action", "cidr"), [("maybe", "0.0.0.0/0"), ("allow", "junk")])
def test_vpclab_is_stricter_than_moto_about_nacl_entry_values(both: Worlds, action: str, cidr: str) -> None:
    # facts §8: an entry is allow or deny, on a CIDR.
    assert moto_nacl_entry(both, 100, action=action, cidr=cidr) is None  # moto accepts
    assert lab_code(both.cloud.create_network_acl_entry, both.v.acl, 100, "tcp", action, cidr,
                    port=80) == "InvalidParameterValue"


def test_a_new_custom_nacl_has_the_deny_all_rules_moto_leaves_out(both: Worlds) -> None:
    # facts §8: a new custom NACL blocks everything both ways; its `*` rule is 32767 in the API.
    # The notes: moto's new custom NACL has no `*` deny entries.
    m_entries = both.ec2.describe_network_acls(NetworkAclIds=[both.m.acl])["NetworkAcls"][0]["Entries"]
    assert m_entries == []
    acl = both.cloud.get(both.v.acl.id)
    assert sorted((e.rule_number, e.egress, e.action, e.protocol, e.cidr) for e in acl.entries) == [
        (32767, False, "deny", "-1", "0.0.0.0/0"), (32767, True, "deny", "-1", "0.0.0.0/0")]


def test_vpclab_is_stricter_than_moto_about_nacl_associations_across_vpcs(both: Worlds) -> None:
    # facts §8: a subnet takes a NACL of its own VPC (a NACL, like a security group, belongs to one VPC).
    m_other = both.ec2.create_network_acl(VpcId=both.moto_vpc("10.1.0.0/16"))["NetworkAcl"]["NetworkAclId"]
    association = moto_default_nacl_association(both, both.m.subnet)
    assert moto_code(both.ec2.replace_network_acl_association, AssociationId=association,
                     NetworkAclId=m_other) is None  # moto accepts
    v_other = both.cloud.create_network_acl(both.cloud.create_vpc("10.1.0.0/16"))
    assert lab_code(both.cloud.replace_network_acl_association, both.v.subnet, v_other) is not None


# --- routes (facts §4, §5) ---------------------------------------------------------------------------

def test_vpclab_is_stricter_than_moto_about_deleting_the_local_route(both: Worlds) -> None:
    # facts §4: the local route "can't be removed" (and §14: "which cannot be deleted").
    assert moto_code(both.ec2.delete_route, RouteTableId=both.m.rtb, DestinationCidrBlock="10.0.0.0/16") is None
    assert lab_code(both.cloud.delete_route, both.v.rtb, "10.0.0.0/16") is not None
    assert [r.destination for r in both.cloud.get(both.v.rtb.id).routes] == ["10.0.0.0/16"]


def test_vpclab_is_stricter_than_moto_about_routes_to_a_detached_gateway(both: Worlds) -> None:
    # The notes: moto accepts routes to a detached IGW. facts §5: internet access needs "an IGW
    # attached to the VPC" and a route pointing to it; AWS refuses a route to a gateway of another network.
    m_loose = both.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert moto_code(both.ec2.create_route, RouteTableId=both.m.rtb, DestinationCidrBlock="0.0.0.0/0",
                     GatewayId=m_loose) is None
    v_loose = both.cloud.create_internet_gateway(name="loose")
    assert lab_code(both.cloud.create_route, both.v.rtb, "0.0.0.0/0", v_loose) is not None


def test_vpclab_is_stricter_than_moto_about_routes_more_specific_than_local(both: Worlds) -> None:
    # facts §4: a route more specific than the local route must cover exactly one subnet and point at
    # a NAT gateway, ENI, GWLB endpoint or Network Firewall endpoint, not at an internet gateway.
    for destination in ("10.0.1.0/24", "10.0.5.0/24"):
        assert moto_code(both.ec2.create_route, RouteTableId=both.m.rtb, DestinationCidrBlock=destination,
                         GatewayId=both.m.igw) is None
        assert lab_code(both.cloud.create_route, both.v.rtb, destination, both.v.igw) is not None


def test_vpclab_is_stricter_than_moto_about_deleting_the_main_route_table(both: Worlds) -> None:
    # facts §4: the main route table "is created with the VPC and can't be deleted".
    main = both.ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [both.m.vpc]},
                                                   {"Name": "association.main", "Values": ["true"]}])
    assert moto_code(both.ec2.delete_route_table, RouteTableId=main["RouteTables"][0]["RouteTableId"]) is None
    assert lab_code(both.cloud.delete_route_table, both.v.vpc.main_route_table_id) == "DependencyViolation"


def test_vpclab_is_stricter_than_moto_about_route_tables_of_another_vpc(both: Worlds) -> None:
    # facts §4: a subnet is associated with a route table of its VPC (a table belongs to one VPC).
    m_other = both.ec2.create_route_table(VpcId=both.moto_vpc("10.1.0.0/16"))["RouteTable"]["RouteTableId"]
    assert moto_code(both.ec2.associate_route_table, RouteTableId=m_other, SubnetId=both.m.subnet) is None
    v_other = both.cloud.create_route_table(both.cloud.create_vpc("10.1.0.0/16"))
    assert lab_code(both.cloud.associate_route_table, v_other, both.v.subnet) is not None


def test_vpclab_is_stricter_than_moto_about_routes_to_a_nat_gateway_that_does_not_exist(both: Worlds) -> None:
    # A route's target must exist (AWS answers InvalidGatewayID.NotFound for a missing nat- id given
    # as the gateway, devopsacademyau/academy#906). moto accepts it.
    assert moto_code(both.ec2.create_route, RouteTableId=both.m.rtb, DestinationCidrBlock="0.0.0.0/0",
                     NatGatewayId=MISSING["nat"]) is None
    assert lab_code(both.cloud.create_route, both.v.rtb, "0.0.0.0/0", MISSING["nat"]) == "InvalidGatewayID.NotFound"


# --- internet gateways (facts §5) -------------------------------------------------------------------------

def test_vpclab_is_stricter_than_moto_about_a_second_gateway_on_one_vpc(both: Worlds) -> None:
    # facts §5: "A VPC can have only one IGW attached at a time."
    m_second = both.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert moto_code(both.ec2.attach_internet_gateway, InternetGatewayId=m_second, VpcId=both.m.vpc) is None
    v_second = both.cloud.create_internet_gateway(name="second")
    with pytest.raises(Conflict) as caught:
        both.cloud.attach_internet_gateway(v_second, both.v.vpc)
    # The code AWS (and moto) give for the other half of the rule: a gateway already attached.
    assert caught.value.code == "Resource.AlreadyAssociated"
    assert both.cloud.internet_gateway_of(both.v.vpc).id == both.v.igw.id


def test_vpclab_is_stricter_than_moto_about_the_gateway_and_address_quotas(both: Worlds) -> None:
    # facts §5: 5 IGWs per Region; facts §3: 5 Elastic IPs per Region. moto has neither quota.
    for _ in range(6):
        assert moto_code(both.ec2.create_internet_gateway) is None
        assert moto_code(both.ec2.allocate_address, Domain="vpc") is None
    for _ in range(4):  # the fixture made one gateway already
        both.cloud.create_internet_gateway()
    assert lab_code(both.cloud.create_internet_gateway) == "InternetGatewayLimitExceeded"
    for _ in range(5):
        both.cloud.allocate_address()
    assert lab_code(both.cloud.allocate_address) == "AddressLimitExceeded"


# --- security groups (facts §7) -----------------------------------------------------------------------

def test_vpclab_is_stricter_than_moto_about_group_names_starting_with_sg(both: Worlds) -> None:
    # facts §7: names "can't start with `sg-`".
    assert moto_code(both.ec2.create_security_group, VpcId=both.m.vpc, GroupName="sg-web", Description="d") is None
    assert lab_code(both.cloud.create_security_group, both.v.vpc, "sg-web", "d") == "InvalidParameterValue"


def test_vpclab_is_stricter_than_moto_about_deleting_the_default_group(both: Worlds) -> None:
    # facts §7: the default group "can't be deleted (error `Client.CannotDelete`)". `Client.` is the
    # fault-type prefix of the EC2 error list; the code in the error response (and in vpclab) is CannotDelete.
    default = both.ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [both.m.vpc]},
                                                         {"Name": "group-name", "Values": ["default"]}])
    assert moto_code(both.ec2.delete_security_group, GroupId=default["SecurityGroups"][0]["GroupId"]) is None
    code = lab_code(both.cloud.delete_security_group, both.v.vpc.default_security_group_id)
    assert code is not None and code.removeprefix("Client.") == "CannotDelete"


def test_the_default_group_has_the_self_referencing_rule_moto_leaves_out(both: Worlds) -> None:
    # facts §7: the default group allows all inbound traffic from its own members. The notes: moto's
    # default group lacks that rule.
    default = both.ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [both.m.vpc]},
                                                         {"Name": "group-name", "Values": ["default"]}])
    assert default["SecurityGroups"][0]["IpPermissions"] == []
    group = both.cloud.get(both.v.vpc.default_security_group_id)
    assert [(r.protocol, r.peer) for r in group.ingress] == [("-1", group.id)]


def test_vpclab_is_stricter_than_moto_about_deleting_a_group_in_use(both: Worlds) -> None:
    # Not on the facts sheet; AWS's DeleteSecurityGroup fails with DependencyViolation while the
    # group is associated with an instance or network interface, or referenced by another group.
    both.moto_run(SubnetId=both.m.subnet, SecurityGroupIds=[both.m.sg])
    assert moto_code(both.ec2.delete_security_group, GroupId=both.m.sg) is None  # moto accepts
    both.cloud.run_instances(both.v.subnet, security_groups=[both.v.sg])
    assert lab_code(both.cloud.delete_security_group, both.v.sg) == "DependencyViolation"


def test_vpclab_is_stricter_than_moto_about_deleting_a_group_another_references(both: Worlds) -> None:
    m_db = both.ec2.create_security_group(VpcId=both.m.vpc, GroupName="db", Description="d")["GroupId"]
    both.ec2.authorize_security_group_ingress(GroupId=m_db, IpPermissions=tcp(5432, group=both.m.sg))
    assert moto_code(both.ec2.delete_security_group, GroupId=both.m.sg) is None  # moto accepts
    v_db = both.cloud.create_security_group(both.v.vpc, "db", "d")
    both.cloud.authorize_security_group_ingress(v_db, "tcp", 5432, source_group=both.v.sg)
    assert lab_code(both.cloud.delete_security_group, both.v.sg) == "DependencyViolation"


def test_vpclab_is_stricter_than_moto_about_a_group_of_another_vpc_on_an_instance(both: Worlds) -> None:
    # facts §7: a group "belongs to one VPC and can only be used in that VPC". AWS: "InvalidParameter:
    # Security group sg-… and subnet subnet-… belong to different networks."
    m_other = both.ec2.create_security_group(VpcId=both.moto_vpc("10.1.0.0/16"), GroupName="o",
                                             Description="d")["GroupId"]
    assert moto_code(both.moto_run, SubnetId=both.m.subnet, SecurityGroupIds=[m_other]) is None
    v_other = both.cloud.create_security_group(both.cloud.create_vpc("10.1.0.0/16"), "o", "d")
    assert lab_code(both.cloud.run_instances, both.v.subnet, security_groups=[v_other]) == "InvalidParameter"


def test_vpclab_is_stricter_than_moto_about_referencing_a_group_of_an_unpeered_vpc(both: Worlds) -> None:
    # facts §7: a referenced group "must be in the same VPC or in a peered VPC in the same Region".
    m_other = both.ec2.create_security_group(VpcId=both.moto_vpc("10.1.0.0/16"), GroupName="o",
                                             Description="d")["GroupId"]
    assert moto_code(both.ec2.authorize_security_group_ingress, GroupId=both.m.sg,
                     IpPermissions=tcp(443, group=m_other)) is None
    v_other = both.cloud.create_security_group(both.cloud.create_vpc("10.1.0.0/16"), "o", "d")
    assert lab_code(both.cloud.authorize_security_group_ingress, both.v.sg, "tcp", 443,
                    source_group=v_other) is not None


def test_vpclab_is_stricter_than_moto_about_a_group_in_a_vpc_that_does_not_exist(both: Worlds) -> None:
    # facts §7: a group belongs to one VPC; moto refuses a route table or NACL in a missing VPC with
    # InvalidVpcID.NotFound (tests above) but makes a security group there.
    assert moto_code(both.ec2.create_security_group, VpcId=MISSING["vpc"], GroupName="x", Description="d") is None
    assert lab_code(both.cloud.create_security_group, MISSING["vpc"], "x", "d") == "InvalidVpcID.NotFound"


@pytest.mark.parametrize(("protocol", "ports"), [("foo", (443, 443)), ("tcp", (90, 80)), ("tcp", (70000, 70000))])
def test_vpclab_is_stricter_than_moto_about_rule_protocols_and_ports(both: Worlds, protocol: str,
                                                                       ports: tuple[int, int]) -> None:
    # facts §7: a rule matches a protocol (a name or an IP protocol number) and a port range; ports
    # are 0–65535 with the low end first (not on the sheet; AWS answers InvalidParameterValue).
    permission = [{"IpProtocol": protocol, "FromPort": ports[0], "ToPort": ports[1],
                   "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    assert moto_code(both.ec2.authorize_security_group_ingress, GroupId=both.m.sg, IpPermissions=permission) is None
    assert lab_code(both.cloud.authorize_security_group_ingress, both.v.sg, protocol, ports=ports,
                    cidr="0.0.0.0/0") == "InvalidParameterValue"


# --- subnets, VPCs and addresses (facts §1) -----------------------------------------------------------------

def test_vpclab_is_stricter_than_moto_about_subnets_smaller_than_28(both: Worlds) -> None:
    # facts §1: a subnet's IPv4 CIDR must be between /16 and /28.
    assert moto_code(both.ec2.create_subnet, VpcId=both.m.vpc, CidrBlock="10.0.9.0/29") is None
    assert lab_code(both.cloud.create_subnet, both.v.vpc, "10.0.9.0/29") == "InvalidSubnet.Range"


def test_vpclab_is_stricter_than_moto_about_overlapping_secondary_blocks(both: Worlds) -> None:
    # facts §1: a secondary block "must not overlap any CIDR already on the VPC".
    assert moto_code(both.ec2.associate_vpc_cidr_block, VpcId=both.m.vpc, CidrBlock="10.0.128.0/17") is None
    assert lab_code(both.cloud.associate_vpc_cidr_block, both.v.vpc, "10.0.128.0/17") == "InvalidVpc.Range"


def test_vpclab_is_stricter_than_moto_about_reserved_addresses(both: Worlds) -> None:
    # facts §1: the first four addresses and the last one of every subnet are reserved.
    assert moto_code(both.moto_run, SubnetId=both.m.subnet, PrivateIpAddress="10.0.1.1") is None
    for reserved in ("10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"):
        assert lab_code(both.cloud.run_instances, both.v.subnet, private_ip=reserved) == "InvalidParameterValue"


def test_host_bits_moto_keeps_them_aws_and_vpclab_normalize_subnets_and_nacl_entries(both: Worlds) -> None:
    # facts §1: a non-canonical CIDR "is normalized to its network address [...] The same applies to
    # subnets and NACL rule CIDRs." The notes: moto stores CIDRs with host bits as given.
    stored = both.ec2.create_subnet(VpcId=both.m.vpc, CidrBlock="10.0.2.7/24")["Subnet"]["CidrBlock"]
    assert stored == "10.0.2.7/24"
    with pytest.warns(HostBitsWarning):
        subnet = both.cloud.create_subnet(both.v.vpc, "10.0.2.7/24")
    assert subnet.cidr == "10.0.2.0/24"
    with pytest.warns(HostBitsWarning):
        acl = both.cloud.create_network_acl_entry(both.v.acl, 100, "tcp", "allow", "192.168.1.9/24", port=80)
    assert [e.cidr for e in acl.entries if e.rule_number == 100] == ["192.168.1.0/24"]


# --- deleting what is still in use (AWS API reference; not on the facts sheet) ---------------------------------

def test_vpclab_is_stricter_than_moto_about_deleting_a_subnet_with_an_instance(both: Worlds) -> None:
    # AWS DeleteSubnet: "You must terminate all running instances in the subnet before you can delete
    # the subnet" (DependencyViolation).
    both.moto_run(SubnetId=both.m.subnet)
    assert moto_code(both.ec2.delete_subnet, SubnetId=both.m.subnet) is None  # moto accepts
    both.cloud.run_instances(both.v.subnet)
    assert lab_code(both.cloud.delete_subnet, both.v.subnet) == "DependencyViolation"


@pytest.mark.parametrize("leftover", ["security group", "internet gateway", "network ACL"])
def test_vpclab_is_stricter_than_moto_about_deleting_a_vpc_with_dependencies(both: Worlds, leftover: str) -> None:
    # AWS DeleteVpc: detach or delete all gateways and resources of the VPC first, its own security
    # groups, route tables and network ACLs included (DependencyViolation). moto lets these three go.
    m_vpc, v_vpc = both.moto_vpc("10.3.0.0/16"), both.cloud.create_vpc("10.3.0.0/16")
    if leftover == "security group":
        both.ec2.create_security_group(VpcId=m_vpc, GroupName="x", Description="d")
        both.cloud.create_security_group(v_vpc, "x", "d")
    elif leftover == "internet gateway":
        igw = both.ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        both.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=m_vpc)
        both.cloud.attach_internet_gateway(both.cloud.create_internet_gateway(), v_vpc)
    else:
        both.ec2.create_network_acl(VpcId=m_vpc)
        both.cloud.create_network_acl(v_vpc)
    assert moto_code(both.ec2.delete_vpc, VpcId=m_vpc) is None  # moto accepts
    assert lab_code(both.cloud.delete_vpc, v_vpc) == "DependencyViolation"


def test_a_vpc_with_nothing_of_its_own_left_is_deleted_by_both(both: Worlds) -> None:
    # The counterpart: once only the main table, default group and default NACL remain, both delete it.
    m_vpc, v_vpc = both.moto_vpc("10.4.0.0/16"), both.cloud.create_vpc("10.4.0.0/16", name="empty")
    assert moto_code(both.ec2.delete_vpc, VpcId=m_vpc) is None
    assert lab_code(both.cloud.delete_vpc, v_vpc) is None
    with pytest.raises(NotFound):
        both.cloud.get(v_vpc.id)
