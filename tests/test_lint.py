"""vpclab lint: each planted problem is found exactly once and nothing else; a clean two-tier
configuration gives no findings; the command's exit codes and JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.aws_exports import build_two_tier, describe_all, patch_like_aws, two_tier_export
from vpclab.cloud import Cloud
from vpclab.errors import VpcLabError
from vpclab.lint import Finding, add_arguments, lint, run


def planted() -> tuple[Cloud, dict[str, str]]:
    """A two-tier VPC with each problem the linter knows planted once, and the ids to expect."""
    cloud = Cloud(seed=7)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app", nat_in=public)
    web_sg = cloud.create_security_group(vpc, "web-sg")
    cloud.allow(web_sg, 443)
    cloud.launch(public, "web", web_sg)
    cloud.launch(app, "app")
    ids: dict[str, str] = {}

    bastion_sg = cloud.create_security_group(vpc, "bastion-sg")
    cloud.allow(bastion_sg, 22)  # admin-port-open-to-world
    cloud.launch(public, "bastion", bastion_sg)
    ids["admin-port-open-to-world"] = bastion_sg.id

    db_sg = cloud.create_security_group(vpc, "db-sg")
    cloud.allow(db_sg, (3300, 3310))  # a range that covers MySQL's 3306: database-port-open-to-world
    cloud.launch(app, "db", db_sg)
    ids["database-port-open-to-world"] = db_sg.id

    # a NACL whose outbound rule 100 denies the replies before rule 200 could allow them
    # (nacl-replies-blocked), and whose inbound rule 200 comes after a rule that already
    # matches all its traffic (nacl-rule-shadowed)
    web_subnet = cloud.add_public_subnet(vpc, "10.0.4.0/24", az="a", name="web")
    acl = cloud.create_network_acl(vpc, "web-acl")
    cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "0.0.0.0/0", port=443)
    cloud.create_network_acl_entry(acl, 200, "tcp", "deny", "203.0.113.0/24", port=443)
    cloud.create_network_acl_entry(acl, 100, "tcp", "deny", "0.0.0.0/0", ports=(1024, 65535), egress=True)
    cloud.create_network_acl_entry(acl, 200, "-1", "allow", "0.0.0.0/0", egress=True)
    cloud.replace_network_acl_association(web_subnet, acl)
    ids["nacl-replies-blocked"] = ids["nacl-rule-shadowed"] = acl.id

    # a public NAT gateway in a subnet whose table (the main one) has no route to the IGW
    stray = cloud.create_subnet(vpc, "10.0.5.0/24", az="b", name="stray")
    ids["nat-gateway-without-internet-route"] = cloud.create_nat_gateway(stray, cloud.allocate_address()).id

    # a route to a NAT gateway that was deleted afterwards
    db_subnet = cloud.add_private_subnet(vpc, "10.0.3.0/24", az="a", name="db")
    doomed = cloud.create_nat_gateway(public, cloud.allocate_address())
    db_table = cloud.route_table_for(db_subnet)
    cloud.create_route(db_table, "0.0.0.0/0", doomed)
    cloud.delete_nat_gateway(doomed)
    ids["blackhole-route"] = db_table.id

    ids["unused-security-group"] = cloud.create_security_group(vpc, "old-sg").id
    ids["unused-route-table"] = cloud.create_route_table(vpc, "spare-rt").id

    tiny = cloud.create_subnet(vpc, "10.0.9.0/28", az="a", name="tiny")  # 11 usable
    cloud.run_instances(tiny, 7, "worker")  # 4 left
    ids["subnet-almost-full"] = tiny.id

    hub = cloud.create_vpc("10.1.0.0/16", name="hub")
    for name in ("spoke-a", "spoke-b"):
        spoke = cloud.create_vpc("10.2.0.0/16", name=name)
        cloud.accept_vpc_peering_connection(cloud.create_vpc_peering_connection(hub, spoke))
    ids["peered-vpcs-overlap"] = hub.id
    return cloud, ids


def found(findings: tuple[Finding, ...]) -> set[tuple[str, str]]:
    return {(f.code, f.resource) for f in findings}


def test_each_planted_problem_is_found_once_and_nothing_else() -> None:
    cloud, ids = planted()
    findings = lint(cloud)
    assert found(findings) == {(code, resource) for code, resource in ids.items()}
    assert len(findings) == len(ids)


def test_findings_explain_what_why_and_how_in_learner_terms() -> None:
    cloud, _ = planted()
    by_code = {f.code: f for f in lint(cloud)}
    assert by_code["admin-port-open-to-world"].severity == "error"
    assert "SSH 22" in by_code["admin-port-open-to-world"].message
    assert "MySQL / Aurora 3306" in by_code["database-port-open-to-world"].message
    replies = by_code["nacl-replies-blocked"].message
    assert "rule 100: deny TCP 1024-65535 0.0.0.0/0" in replies and "stateless" in replies
    assert "rule 100: allow TCP 443 0.0.0.0/0" in by_code["nacl-rule-shadowed"].message
    assert "4 of the 11 usable" in by_code["subnet-almost-full"].message
    assert "10.2.0.0/16" in by_code["peered-vpcs-overlap"].message
    for finding in by_code.values():
        assert finding.severity in ("error", "warning")
        assert not finding.message.endswith(".")
        assert finding.resource in finding.message  # the id, inside the learner's label


def test_all_traffic_from_the_world_opens_admin_and_database_ports() -> None:
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc("10.0.0.0/16")
    group = cloud.create_security_group(vpc, "open-sg")
    cloud.authorize_security_group_ingress(group, "-1", cidr="0.0.0.0/0")
    cloud.launch(cloud.create_subnet(vpc, "10.0.1.0/24"), "host", group)
    findings = lint(cloud)
    assert found(findings) == {("admin-port-open-to-world", group.id), ("database-port-open-to-world", group.id)}
    assert "SSH 22, RDP 3389" in findings[0].message


def test_nacls_written_as_aws_advises_pass() -> None:
    """Reply rules for ephemeral ports open no service; a deny of a few ports before the
    broad allow of 1024-65535 (aws-vpc-facts.md §8) leaves the replies allowed."""
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc("10.0.0.0/16")
    acl = cloud.create_network_acl(vpc, "private-acl")
    for number, ports, cidr in ((100, (1024, 65535), "0.0.0.0/0"), (110, (443, 443), "10.0.0.0/16")):
        cloud.create_network_acl_entry(acl, number, "tcp", "allow", cidr, ports=ports)
    cloud.create_network_acl_entry(acl, 90, "tcp", "deny", "0.0.0.0/0", port=3389, egress=True)
    cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.0.0/16", ports=(1024, 65535), egress=True)
    cloud.create_network_acl_entry(acl, 110, "tcp", "allow", "0.0.0.0/0", port=443, egress=True)
    cloud.replace_network_acl_association(cloud.create_subnet(vpc, "10.0.1.0/24"), acl)
    assert lint(cloud) == ()


def test_the_planted_problems_survive_export_and_import(tmp_path: Path) -> None:
    awsexport = pytest.importorskip("vpclab.awsexport")
    cloud, ids = planted()
    path = tmp_path / "planted.json"
    path.write_text(json.dumps(awsexport.to_aws(cloud)))
    assert found(lint(Cloud.from_aws(path))) == set(ids.items())


def planted_export() -> tuple[dict[str, Any], dict[str, str]]:
    """The same problems planted in the two-tier VPC through the EC2 API (moto), as AWS would
    describe it: one combined describe JSON, and the ids to expect."""
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        two = build_two_tier(ec2)
        world = [{"CidrIp": "0.0.0.0/0"}]
        ec2.authorize_security_group_ingress(GroupId=two["web_sg"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": world}])
        ec2.authorize_security_group_ingress(GroupId=two["db_sg"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5400, "ToPort": 5450, "IpRanges": world}])
        # db's NACL lets 5432 in from the public subnet but sends replies only to the app subnet,
        # and its rule 120 can never match because rule 100 (5432 from 10.0.2.0/24) comes first
        for number, action, cidr in ((110, "allow", "10.0.1.0/24"), (120, "deny", "10.0.2.128/25")):
            ec2.create_network_acl_entry(NetworkAclId=two["db_acl"], RuleNumber=number, Protocol="6",
                                         RuleAction=action, Egress=False, CidrBlock=cidr,
                                         PortRange={"From": 5432, "To": 5432})
        stray = ec2.create_nat_gateway(SubnetId=two["app_subnet"], AllocationId=ec2.allocate_address(
            Domain="vpc")["AllocationId"])["NatGateway"]["NatGatewayId"]
        doomed = ec2.create_nat_gateway(SubnetId=two["public_subnet"], AllocationId=ec2.allocate_address(
            Domain="vpc")["AllocationId"])["NatGateway"]["NatGatewayId"]
        ec2.create_route(RouteTableId=two["db_rt"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=doomed)
        ec2.delete_nat_gateway(NatGatewayId=doomed)
        old_sg = ec2.create_security_group(VpcId=two["vpc"], GroupName="old-sg", Description="old")["GroupId"]
        spare = ec2.create_route_table(VpcId=two["vpc"])["RouteTable"]["RouteTableId"]
        tiny = ec2.create_subnet(VpcId=two["vpc"], CidrBlock="10.0.9.0/28")["Subnet"]["SubnetId"]
        for host in range(4, 11):  # 7 of the 11 usable addresses
            ec2.create_network_interface(SubnetId=tiny, PrivateIpAddress=f"10.0.9.{host}", Groups=[two["app_sg"]])
        hub = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        for _ in range(2):
            spoke = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
            pcx = ec2.create_vpc_peering_connection(VpcId=hub, PeerVpcId=spoke)["VpcPeeringConnection"]
            ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx["VpcPeeringConnectionId"])
        data = describe_all(ec2)
        data["VpcPeeringConnections"] = json.loads(json.dumps(
            ec2.describe_vpc_peering_connections()["VpcPeeringConnections"], default=str))
    data = patch_like_aws(data)
    for table in data["RouteTables"]:
        for route in table["Routes"]:
            if route.get("NatGatewayId") == doomed:
                route["State"] = "blackhole"  # AWS: a route to a deleted NAT gateway; moto keeps it active
    return data, {
        "admin-port-open-to-world": two["web_sg"], "database-port-open-to-world": two["db_sg"],
        "nacl-replies-blocked": two["db_acl"], "nacl-rule-shadowed": two["db_acl"],
        "nat-gateway-without-internet-route": stray, "blackhole-route": two["db_rt"],
        "unused-security-group": old_sg, "unused-route-table": spare, "subnet-almost-full": tiny,
        "peered-vpcs-overlap": hub}


def test_each_problem_planted_in_a_describe_file_is_found_once_and_nothing_else(tmp_path: Path) -> None:
    data, ids = planted_export()
    path = tmp_path / "planted.json"
    path.write_text(json.dumps(data))
    findings = lint(Cloud.from_aws(path))
    assert found(findings) == set(ids.items())
    assert len(findings) == len(ids)


@pytest.fixture(scope="module")
def two_tier() -> tuple[dict[str, Any], dict[str, str]]:
    return two_tier_export()


def test_a_clean_two_tier_export_has_no_findings(two_tier: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = two_tier
    assert lint(Cloud.from_aws(data)) == ()


def _edited(data: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """The two-tier export with SSH opened to the world on web-sg and a dangling route in db's table."""
    copy: dict[str, Any] = json.loads(json.dumps(data))
    group = next(g for g in copy["SecurityGroups"] if g["GroupId"] == ids["web_sg"])
    group["IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                   "IpRanges": [{"CidrIp": "0.0.0.0/0"}]})
    table = next(t for t in copy["RouteTables"] if t["RouteTableId"] == ids["db_rt"])
    table["Routes"].append({"DestinationCidrBlock": "192.168.0.0/16", "NatGatewayId": "nat-0123456789abcdef0",
                            "State": "blackhole", "Origin": "CreateRoute"})
    return copy


def lint_command(*argv: str) -> int:
    """``vpclab lint`` as the CLI runs it: bad input (a VpcLabError or an unreadable file) is exit 2."""
    parser = argparse.ArgumentParser(prog="vpclab lint")
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except (VpcLabError, OSError):
        return 2


def test_the_command_exits_1_and_prints_json_findings(two_tier: tuple[dict[str, Any], dict[str, str]],
                                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, ids = two_tier
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(_edited(data, ids)))
    with pytest.warns(UserWarning, match="nat-0123456789abcdef0"):  # the importer names the missing target
        assert lint_command(str(path), "--json") == 1
    printed = json.loads(capsys.readouterr().out)
    assert isinstance(printed, list)
    assert all(set(item) == {"code", "severity", "resource", "message"} for item in printed)
    assert {(item["code"], item["resource"]) for item in printed} == {
        ("admin-port-open-to-world", ids["web_sg"]), ("blackhole-route", ids["db_rt"])}


def test_the_command_prints_text_and_exits_0_when_clean(two_tier: tuple[dict[str, Any], dict[str, str]],
                                                         tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, ids = two_tier
    clean, edited = tmp_path / "clean.json", tmp_path / "edited.json"
    clean.write_text(json.dumps(data))
    edited.write_text(json.dumps(_edited(data, ids)))
    assert lint_command(str(clean)) == 0
    assert capsys.readouterr().out.strip() == "no problems found"
    with pytest.warns(UserWarning):
        assert lint_command(str(edited)) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"error admin-port-open-to-world {ids['web_sg']}: security group web-sg")
    assert lines[-1] == "2 error(s), 0 warning(s)"


def test_bad_input_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    assert lint_command(str(broken)) == 2
    assert lint_command(str(tmp_path / "missing.json")) == 2
