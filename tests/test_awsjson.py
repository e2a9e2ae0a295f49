"""Loading AWS describe JSON (DESIGN.md §4) and tracing it: the two-tier VPC built through
boto3 against moto, patched where moto differs from AWS, gives the verdicts the facts
sheet predicts; broken files give clear errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.aws_exports import two_tier_export
from vpclab import Cloud
from vpclab.awsjson import AwsImportWarning
from vpclab.errors import InvalidValue

INTERNET = "93.184.216.34"


@pytest.fixture(scope="module")
def export() -> tuple[dict[str, Any], dict[str, str]]:
    return two_tier_export()


@pytest.fixture
def data(export: tuple[dict[str, Any], dict[str, str]]) -> dict[str, Any]:
    return copy.deepcopy(export[0])


@pytest.fixture
def ids(export: tuple[dict[str, Any], dict[str, str]]) -> dict[str, str]:
    return export[1]


def verdict(cloud: Cloud, source: str, destination: str, port: int) -> tuple[bool, list[tuple[str, str | None]]]:
    trace = cloud.trace(source, destination, "tcp", port)
    return trace.reachable, [(e.code, e.component) for e in trace.explanations]


def test_the_whole_export_loads_without_warnings(data: dict[str, Any]) -> None:
    cloud = Cloud.from_aws(data)
    assert cloud.import_report is not None
    assert cloud.import_report.skipped == [] and cloud.import_report.notes == []
    assert cloud.import_report.imported["Instances"] == 3 and cloud.import_report.imported["NatGateways"] == 1


def test_two_tier_verdicts_match_the_facts(data: dict[str, Any], ids: dict[str, str]) -> None:
    cloud = Cloud.from_aws(data)
    assert verdict(cloud, INTERNET, ids["web"], 443) == (True, [])
    assert verdict(cloud, INTERNET, ids["web"], 22) == (False, [("ENI_SG_RULES_MISMATCH", ids["web_sg"])])
    assert verdict(cloud, ids["web"], ids["app"], 8080) == (True, [])
    assert verdict(cloud, ids["app"], ids["db"], 5432) == (True, [])
    assert verdict(cloud, ids["app"], INTERNET, 443) == (True, [])
    assert verdict(cloud, ids["db"], INTERNET, 443) == (False, [("NO_ROUTE_TO_DESTINATION", ids["db_rt"])])
    assert verdict(cloud, ids["web"], ids["db"], 5432) == (False, [("SUBNET_ACL_RESTRICTION", ids["db_acl"])])


def test_the_app_reaches_the_internet_through_the_nat_gateway_and_back(data: dict[str, Any],
                                                                         ids: dict[str, str]) -> None:
    trace = Cloud.from_aws(data).trace(ids["app"], INTERNET, "tcp", 443).to_dict()
    nat_hops = [h for h in trace["forward"] if h["type"] == "nat-gateway"]
    assert nat_hops[0]["action"] == "translate" and nat_hops[0]["component"] == ids["nat"]
    assert nat_hops[0]["translated"]["to"].startswith("3.34.200.10:")  # the NAT gateway's Elastic IP
    assert any(h["type"] == "nat-gateway" and h["action"] == "translate" for h in trace["return"])


def test_a_blackhole_route_in_the_file_drops(data: dict[str, Any], ids: dict[str, str]) -> None:
    table = next(t for t in data["RouteTables"] if t["RouteTableId"] == ids["app_rt"])
    next(r for r in table["Routes"] if r.get("NatGatewayId"))["State"] = "blackhole"
    assert verdict(Cloud.from_aws(data), ids["app"], INTERNET, 443) == (False, [("BAD_STATE_ROUTE", ids["app_rt"])])


def test_a_route_to_a_resource_missing_from_the_file_is_a_blackhole_with_a_warning(
        data: dict[str, Any], ids: dict[str, str]) -> None:
    data["NatGateways"] = []
    with pytest.warns(AwsImportWarning, match=f"goes to {ids['nat']}, which is not in the file"):
        cloud = Cloud.from_aws(data)
    assert verdict(cloud, ids["app"], INTERNET, 443) == (False, [("BAD_STATE_ROUTE", ids["app_rt"])])


def test_a_nacl_without_its_star_rules_still_denies_what_is_left(data: dict[str, Any], ids: dict[str, str]) -> None:
    acl = next(a for a in data["NetworkAcls"] if a["NetworkAclId"] == ids["db_acl"])
    acl["Entries"] = [e for e in acl["Entries"] if e["RuleNumber"] != 32767]  # as moto writes a new NACL
    cloud = Cloud.from_aws(data)
    trace = cloud.trace(ids["web"], ids["db"], "tcp", 5432)
    assert trace.explanations[0].rule == 32767


def test_terminated_instances_are_skipped_and_reported(data: dict[str, Any], ids: dict[str, str]) -> None:
    instance = next(i for r in data["Reservations"] for i in r["Instances"] if i["InstanceId"] == ids["db"])
    instance["State"] = {"Name": "terminated", "Code": 48}
    with pytest.warns(AwsImportWarning, match=f"instance {ids['db']} is terminated"):
        cloud = Cloud.from_aws(data)
    assert cloud.import_report is not None and cloud.import_report.imported["Instances"] == 2


def test_unknown_and_later_keys_are_warnings_not_crashes(data: dict[str, Any]) -> None:
    data["Gizmos"] = []
    data["EgressOnlyInternetGateways"] = [{"EgressOnlyInternetGatewayId": "eigw-0123456789abcdef0"}]
    with pytest.warns(AwsImportWarning) as caught:
        Cloud.from_aws(data)
    texts = [str(w.message) for w in caught]
    assert "unknown key Gizmos in <dict> was skipped" in texts
    assert "EgressOnlyInternetGateways in <dict> is not modelled yet and was skipped" in texts


def test_a_folder_of_describe_files_loads_like_one_object(tmp_path: Path, data: dict[str, Any],
                                                          ids: dict[str, str]) -> None:
    for key, value in data.items():
        (tmp_path / f"describe-{key.lower()}.json").write_text(json.dumps({key: value}))
    cloud = Cloud.from_aws(tmp_path)
    assert verdict(cloud, ids["app"], ids["db"], 5432) == (True, [])


@pytest.mark.parametrize(("content", "text"), [
    ("{not json", "is not valid JSON: line 1, column 2"),
    ("[1, 2]", "holds a JSON list, not an object of describe results"),
    ('{"Vpcs": {"VpcId": "vpc-1"}}', "Vpcs in"),
])
def test_broken_files_name_the_file_and_the_problem(tmp_path: Path, content: str, text: str) -> None:
    path = tmp_path / "account.json"
    path.write_text(content)
    with pytest.raises(InvalidValue) as caught:
        Cloud.from_aws(path)
    assert caught.value.code == "InvalidAwsJson" and text in str(caught.value)


def test_a_subnet_in_a_missing_vpc_is_an_error_or_skipped_when_lenient(data: dict[str, Any], ids: dict[str, str]
                                                                      ) -> None:
    subnet = next(s for s in data["Subnets"] if s["SubnetId"] == ids["db_subnet"])
    subnet["VpcId"] = "vpc-0000000000000000"
    with pytest.raises(InvalidValue, match=f"Subnets {ids['db_subnet']} in <dict>: its VpcId vpc-0000000000000000"):
        Cloud.from_aws(data)
    with pytest.warns(AwsImportWarning):
        cloud = Cloud.from_aws(data, lenient=True)
    assert verdict(cloud, ids["web"], ids["app"], 8080) == (True, [])
    assert cloud.import_report is not None and any(ids["db_subnet"] in s for s in cloud.import_report.skipped)
