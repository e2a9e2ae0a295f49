"""moto (the AWS mock) as an oracle: what it rejects, vpclab rejects with the same code.

moto is more lenient than AWS in places (shared/notes/jupyter-testing.md); there vpclab
follows AWS and is stricter, and these tests say so explicitly.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from vpclab.cidr_rules import validate_secondary_cidr, validate_subnet_cidr, validate_vpc_cidr
from vpclab.errors import VpcLabError

VPC_CANDIDATES = ["10.0.0.0/15", "10.0.0.0/8", "10.0.0.0/29", "10.0.0.0/32", "garbage", "10.0.0.0/33",
                  "300.0.0.0/16", "10.0.0.0/16", "10.0.0.0/28", "192.168.0.0/24"]
SUBNET_CANDIDATES = ["10.1.0.0/24", "10.2.0.0/24", "10.1.0.0/15", "bad", "10.1.0.128/25",
                     "10.1.0.0/16", "10.1.9.0/28", "10.1.8.0/22", "11.0.0.0/24", "10.1.0.0/33"]


@pytest.fixture
def ec2() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("ec2", region_name="us-east-1")


def aws_code(call: Any, **kwargs: Any) -> str | None:
    try:
        call(**kwargs)
    except ClientError as err:
        return str(err.response["Error"]["Code"])
    return None


def vpclab_code(call: Any, *args: Any) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(*args)
        except VpcLabError as err:
            return err.code
    return None


@pytest.mark.parametrize("cidr", VPC_CANDIDATES)
def test_vpc_blocks_moto_rejects_vpclab_rejects_with_the_same_code(ec2: Any, cidr: str) -> None:
    expected = aws_code(ec2.create_vpc, CidrBlock=cidr)
    if expected is not None:
        assert vpclab_code(validate_vpc_cidr, cidr) == expected
    else:
        assert vpclab_code(validate_vpc_cidr, cidr) is None


def test_a_bare_address_is_a_malformed_block_not_a_32(ec2: Any) -> None:
    # moto reads "10.0.0.0" as 10.0.0.0/32 and answers InvalidVpc.Range; vpclab says the
    # prefix length is missing, which is the learner's actual mistake. Both refuse it.
    assert aws_code(ec2.create_vpc, CidrBlock="10.0.0.0") == "InvalidVpc.Range"
    assert vpclab_code(validate_vpc_cidr, "10.0.0.0") == "InvalidParameterValue"


def test_vpclab_is_stricter_than_moto_about_link_local(ec2: Any) -> None:
    assert aws_code(ec2.create_vpc, CidrBlock="169.254.0.0/16") is None  # moto accepts it
    assert vpclab_code(validate_vpc_cidr, "169.254.0.0/16") == "InvalidVpc.Range"  # AWS does not


def test_subnet_blocks_moto_rejects_vpclab_rejects_with_the_same_code(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    made: list[str] = []
    for cidr in SUBNET_CANDIDATES:
        expected = aws_code(ec2.create_subnet, VpcId=vpc_id, CidrBlock=cidr)
        got = vpclab_code(validate_subnet_cidr, cidr, ["10.1.0.0/16"], made)
        if expected is not None:
            assert got == expected, cidr
        elif got is None:
            made.append(cidr)
        else:  # moto accepted something vpclab refuses: only AWS's /28 minimum may explain it
            assert got == "InvalidSubnet.Range" and int(cidr.split("/")[1]) > 28, cidr
            ec2.delete_subnet(SubnetId=_subnet_id(ec2, vpc_id, cidr))


def _subnet_id(ec2: Any, vpc_id: str, cidr: str) -> str:
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    return next(s["SubnetId"] for s in subnets if s["CidrBlock"] == cidr)


def test_vpclab_is_stricter_than_moto_about_a_29_subnet(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    assert aws_code(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.1.1.0/29") is None  # moto accepts
    assert vpclab_code(validate_subnet_cidr, "10.1.1.0/29", ["10.1.0.0/16"]) == "InvalidSubnet.Range"


def test_host_bits_moto_keeps_them_aws_and_vpclab_normalize(ec2: Any) -> None:
    stored = ec2.create_vpc(CidrBlock="10.0.0.1/16")["Vpc"]["CidrBlock"]
    assert stored == "10.0.0.1/16"  # moto stores what it was given; AWS answers 10.0.0.0/16
    with pytest.warns(UserWarning, match="the network is 10.0.0.0/16"):
        assert str(validate_vpc_cidr("10.0.0.1/16")) == "10.0.0.0/16"


def test_the_secondary_block_quota_agrees_with_moto(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    blocks = ["10.1.0.0/16"]
    for n in range(2, 8):
        cidr = f"10.{n}.0.0/16"
        expected = aws_code(ec2.associate_vpc_cidr_block, VpcId=vpc_id, CidrBlock=cidr)
        got = vpclab_code(validate_secondary_cidr, cidr, blocks)
        assert got == expected, cidr
        if got is None:
            blocks.append(cidr)
    assert len(blocks) == 5


def test_vpclab_is_stricter_than_moto_about_restricted_secondary_blocks(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    assert aws_code(ec2.associate_vpc_cidr_block, VpcId=vpc_id, CidrBlock="172.16.0.0/16") is None
    assert vpclab_code(validate_secondary_cidr, "172.16.0.0/16", ["10.1.0.0/16"]) == "InvalidVpc.Range"
