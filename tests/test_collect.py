"""vpclab collect: a live account (moto here) into the combined describe JSON, read-only."""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from tests.aws_exports import build_two_tier, patch_like_aws
from vpclab import Cloud
from vpclab.awsjson import AwsImportWarning
from vpclab.collect import CALLS, Progress, ReadOnlyEc2, add_arguments, collect, run, write_atomic
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.resources import TransitGatewayRouteTable

DESIGN_KEYS = {"Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "SecurityGroups", "NetworkAcls",
               "VpcEndpoints", "VpcPeeringConnections", "NetworkInterfaces", "Reservations", "Addresses",
               "PrefixLists", "TransitGateways", "TransitGatewayAttachments", "TransitGatewayVpcAttachments",
               "TransitGatewayRouteTables", "VpnGateways", "VpnConnections", "CustomerGateways", "DhcpOptions"}
KEYED_MAPS = {"TransitGatewayRoutes", "TransitGatewayRouteTableAssociations", "TransitGatewayRouteTablePropagations",
              "PrefixListEntries"}
PROGRESS_LINE = re.compile(r"^\[\s*(\d+)/(\d+)\] [#-]{20} [a-z_]+( \S+)?( \(\w+\))?: .+$")


def command(argv: list[str], **kwargs: Any) -> tuple[int, str]:
    """Run the command the way vpclab.cli does: a VpcLabError is one line on stderr and exit 2."""
    parser = argparse.ArgumentParser(prog="vpclab collect")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return run(args, **kwargs), ""
    except VpcLabError as err:
        return 2, f"vpclab collect: {err}"


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def ec2(aws: None) -> Any:
    return boto3.client("ec2", region_name="us-east-1")


def snapshot(ec2: Any) -> dict[str, Any]:
    """What the account holds, to show that collecting changed nothing."""
    calls = {"Vpcs": "describe_vpcs", "Subnets": "describe_subnets", "RouteTables": "describe_route_tables",
             "SecurityGroups": "describe_security_groups", "NetworkAcls": "describe_network_acls",
             "Reservations": "describe_instances", "NetworkInterfaces": "describe_network_interfaces",
             "Addresses": "describe_addresses", "NatGateways": "describe_nat_gateways"}
    data: dict[str, Any] = json.loads(json.dumps({k: getattr(ec2, c)()[k] for k, c in calls.items()}, default=str))
    return data


# --- the two-tier VPC, collected and loaded ---------------------------------------------------------


def test_collect_writes_the_design_json_that_cloud_from_aws_loads(
        ec2: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = build_two_tier(ec2)
    path = tmp_path / "account.json"
    status, error = command(["--region", "us-east-1", "-o", str(path)])
    assert (status, error) == (0, "")
    data = json.loads(path.read_text())
    assert set(data) == DESIGN_KEYS | KEYED_MAPS  # EgressOnlyInternetGateways only when there are some
    assert all(isinstance(data[k], dict) for k in KEYED_MAPS)
    assert len(data["Reservations"]) == 3 and len(data["Vpcs"]) == 2  # moto's default VPC, and ours
    created = data["NatGateways"][0]["CreateTime"]  # a datetime in boto3: ISO 8601 text here
    assert isinstance(created, str) and datetime.datetime.fromisoformat(created).tzinfo is not None
    # progress: one line per call on stderr, the bar full at the end
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert all(PROGRESS_LINE.match(line) for line in lines), lines
    last = PROGRESS_LINE.match(lines[-1])
    assert last is not None and last.group(1) == last.group(2) == str(len(lines))
    assert "#" * 20 in lines[-1]
    # moto answers differently from AWS in places (shared/notes/jupyter-testing.md): patch them
    with pytest.warns(AwsImportWarning, match="ipv6"):  # moto, as AWS, has IPv6 AWS-managed lists
        cloud = Cloud.from_aws(patch_like_aws(data))
    report = cloud.import_report
    assert report is not None and report.imported["Instances"] == 3 and report.imported["PrefixListEntries"] >= 2
    assert cloud.trace(ids["app"], ids["db"], "tcp", 5432).reachable
    blocked = cloud.trace(ids["web"], ids["db"], "tcp", 5432)
    assert blocked.blocker is not None and blocked.blocker.component == ids["db_acl"]
    s3 = next(pl for pl in data["PrefixLists"] if pl["PrefixListName"] == "com.amazonaws.us-east-1.s3")
    assert cloud._prefix_lists[s3["PrefixListId"]]  # from get_managed_prefix_list_entries


def test_transit_gateway_maps_and_prefix_list_entries_are_keyed_by_id(ec2: Any) -> None:
    ids = build_two_tier(ec2)
    # moto associates every attachment with the default table whatever the options say: use that one
    tgw = ec2.create_transit_gateway(Description="hub", Options={"DefaultRouteTablePropagation": "disable"}
                                     )["TransitGateway"]
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    link = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw["TransitGatewayId"], VpcId=ids["vpc"],
                                                     SubnetIds=[ids["app_subnet"]])["TransitGatewayVpcAttachment"]
    link_id = link["TransitGatewayAttachmentId"]
    ec2.create_transit_gateway_route_table(TransitGatewayId=tgw["TransitGatewayId"])  # a second, empty table
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=table,
                                                       TransitGatewayAttachmentId=link_id)
    ec2.create_transit_gateway_route(DestinationCidrBlock="192.168.0.0/16", TransitGatewayRouteTableId=table,
                                     TransitGatewayAttachmentId=link_id)
    office = ec2.create_managed_prefix_list(PrefixListName="office", MaxEntries=5, AddressFamily="IPv4",
                                            Entries=[{"Cidr": "203.0.113.0/24", "Description": "HQ"}]
                                            )["PrefixList"]["PrefixListId"]
    data = json.loads(json.dumps(collect(ec2), default=str))
    routes = data["TransitGatewayRoutes"][table]
    assert [(r["DestinationCidrBlock"], r["Type"]) for r in routes] == [("192.168.0.0/16", "static")]
    assert [a["TransitGatewayAttachmentId"] for a in data["TransitGatewayRouteTableAssociations"][table]] == [link_id]
    assert [p["TransitGatewayAttachmentId"] for p in data["TransitGatewayRouteTablePropagations"][table]] == [link_id]
    assert data["PrefixListEntries"][office] == [{"Cidr": "203.0.113.0/24", "Description": "HQ"}]
    assert any(p["PrefixListId"] == office and p["PrefixListName"] == "office" for p in data["PrefixLists"])
    # moto leaves out the attachment's interfaces and a static route's attachment: warnings say so
    with pytest.warns(AwsImportWarning):
        cloud = Cloud.from_aws(patch_like_aws(data))
    loaded = cloud._ref(table, TransitGatewayRouteTable)
    assert loaded.associations == (link_id,) and loaded.propagations == (link_id,)
    assert [r.destination for r in loaded.static_routes] == ["192.168.0.0/16"]
    assert cloud._prefix_lists[office] == ("203.0.113.0/24",)


def test_egress_only_internet_gateways_are_written_where_there_are_some(ec2: Any) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
    ec2.create_egress_only_internet_gateway(VpcId=vpc)
    data = collect(ec2)
    assert [g["Attachments"][0]["VpcId"] for g in data["EgressOnlyInternetGateways"]] == [vpc]


# --- read-only, enforced -------------------------------------------------------------------------------


def test_collect_sends_nothing_but_describe_get_and_search(ec2: Any) -> None:
    build_two_tier(ec2)
    ec2.create_managed_prefix_list(PrefixListName="office", MaxEntries=5, AddressFamily="IPv4",
                                   Entries=[{"Cidr": "203.0.113.0/24"}])
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)
    before = snapshot(ec2)
    sent: list[str] = []

    def record(model: Any, **_: Any) -> None:
        sent.append(model.name)

    ec2.meta.events.register("before-call", record)
    wrapped = ReadOnlyEc2(ec2)
    stream = io.StringIO()
    collect(wrapped, Progress(0, stream))
    ec2.meta.events.unregister("before-call", record)
    assert sent and all(name.startswith(("Describe", "Get", "Search")) for name in sent), sent
    assert len(sent) == len(wrapped.calls) == len(stream.getvalue().splitlines())
    assert {"SearchTransitGatewayRoutes", "GetTransitGatewayRouteTableAssociations",
            "GetTransitGatewayRouteTablePropagations", "GetManagedPrefixListEntries"} <= set(sent)
    assert snapshot(ec2) == before


def test_every_planned_call_is_a_read() -> None:
    assert all(operation.startswith(("describe_", "get_", "search_")) for _, operation, _ in CALLS)


@pytest.mark.parametrize("operation", ["create_vpc", "delete_subnet", "modify_subnet_attribute", "run_instances",
                                       "authorize_security_group_ingress", "associate_route_table",
                                       "replace_network_acl_association", "terminate_instances", "describe"])
def test_the_collector_refuses_any_other_operation(ec2: Any, operation: str) -> None:
    wrapped = ReadOnlyEc2(ec2)
    with pytest.raises(InvalidValue, match="only reads") as caught:
        list(wrapped.pages(operation, CidrBlock="10.9.0.0/16"))
    assert caught.value.code == "OperationNotPermitted" and wrapped.calls == []


def test_a_write_on_the_raw_client_is_stopped_before_it_is_sent(ec2: Any) -> None:
    wrapped = ReadOnlyEc2(ec2)
    vpcs = len(ec2.describe_vpcs()["Vpcs"])
    with pytest.raises(InvalidValue, match="CreateVpc"):
        wrapped.client.create_vpc(CidrBlock="10.9.0.0/16")
    with pytest.raises(InvalidValue, match="RunInstances"):
        wrapped.client.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)
    assert len(ec2.describe_vpcs()["Vpcs"]) == vpcs


# --- errors: one line, exit 2 -------------------------------------------------------------------------


@pytest.fixture
def no_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials, profiles or Region from anywhere (and no instance metadata service)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def one_line_exit_2(result: tuple[int, str], code: str, fix: str) -> None:
    status, error = result
    assert status == 2 and "\n" not in error, error
    assert error.startswith(f"vpclab collect: {code}: ") and f"Fix: {fix}" in error, error


def test_no_credentials(no_aws_config: None, tmp_path: Path) -> None:
    result = command(["--region", "us-east-1", "-o", str(tmp_path / "out.json")])
    one_line_exit_2(result, "NoCredentials", "run aws configure")
    assert not (tmp_path / "out.json").exists()


def test_no_region(no_aws_config: None, tmp_path: Path) -> None:
    one_line_exit_2(command(["-o", str(tmp_path / "out.json")]), "NoRegion", "give one with --region")


def test_unknown_profile(no_aws_config: None, tmp_path: Path) -> None:
    result = command(["--profile", "nope", "--region", "us-east-1", "-o", str(tmp_path / "out.json")])
    one_line_exit_2(result, "ProfileNotFound", "list the profiles")
    assert "'nope'" in result[1]


def stubbed(operation: str, code: str, text: str) -> Callable[[str | None, str | None], Any]:
    """A client factory whose client answers ``operation`` with an AWS error."""
    def factory(profile: str | None, region: str | None) -> Any:
        client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                              aws_secret_access_key="secret")
        stubber = Stubber(client)
        stubber.add_response("describe_vpcs", {"Vpcs": []})
        stubber.add_client_error(operation, service_error_code=code, service_message=text, http_status_code=403)
        stubber.activate()
        return client
    return factory


def test_access_denied_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "account.json"
    path.write_text('{"Vpcs": []}\n')
    factory = stubbed("describe_subnets", "UnauthorizedOperation",
                      "You are not authorized to perform this operation.\nEncoded authorization failure message: x")
    result = command(["--region", "us-east-1", "-o", str(path), "--quiet"], client_factory=factory)
    one_line_exit_2(result, "UnauthorizedOperation", "give the identity read access to EC2")
    assert "AWS refused DescribeSubnets: You are not authorized" in result[1]
    assert path.read_text() == '{"Vpcs": []}\n' and sorted(p.name for p in tmp_path.iterdir()) == ["account.json"]


def test_expired_credentials(tmp_path: Path) -> None:
    factory = stubbed("describe_subnets", "RequestExpired", "Request has expired.")
    result = command(["--region", "us-east-1", "-o", str(tmp_path / "a.json"), "--quiet"], client_factory=factory)
    one_line_exit_2(result, "RequestExpired", "the credentials are wrong or have expired")


def test_missing_boto3_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 now raises ImportError
    one_line_exit_2(command(["--region", "us-east-1", "-o", str(tmp_path / "a.json")]), "MissingDependency",
                    "pip install 'vpclab[aws]'")


def test_missing_output_folder(tmp_path: Path) -> None:
    result = command(["--region", "us-east-1", "-o", str(tmp_path / "no" / "such" / "a.json")])
    one_line_exit_2(result, "InvalidParameterValue", "create the folder first")


# --- writing -------------------------------------------------------------------------------------------


def test_write_atomic_replaces_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.json"
    write_atomic(path, {"Vpcs": [], "When": datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)})
    assert json.loads(path.read_text()) == {"Vpcs": [], "When": "2024-05-01T12:00:00+00:00"}

    def broken_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, {"Vpcs": [{"VpcId": "vpc-1"}]})
    assert json.loads(path.read_text())["Vpcs"] == [] and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_progress_is_one_line_per_call_and_can_be_silent() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress.step("describe_vpcs", "3 items (1 pages)")
    progress.add(2)
    progress.step("describe_subnets", "0 items (1 pages)")
    assert stream.getvalue().splitlines() == ["[1/2] ##########---------- describe_vpcs: 3 items (1 pages)",
                                              "[2/4] ##########---------- describe_subnets: 0 items (1 pages)"]
    quiet = Progress(1)
    quiet.step("describe_vpcs", "")
    assert quiet.done == 1


def test_every_page_is_read() -> None:
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE",
                          aws_secret_access_key="secret")
    with Stubber(client) as stubber:
        stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": "vpc-1"}], "NextToken": "page-2"}, {})
        stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": "vpc-2"}]}, {"NextToken": "page-2"})
        found, pages = ReadOnlyEc2(client).items("describe_vpcs", "Vpcs")
    assert ([v["VpcId"] for v in found], pages) == (["vpc-1", "vpc-2"], 2)
