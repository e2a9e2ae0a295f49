"""vpclab trace FILE --from SRC --to DST: the DESIGN.md §3 JSON, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.aws_exports import two_tier_export
from tests.conftest import vpclab_command

KEYS = ["reachable", "source", "destination", "protocol", "port", "explanations", "forward", "return"]


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data, ids = two_tier_export()
    path = tmp_path_factory.mktemp("aws") / "two-tier.json"
    path.write_text(json.dumps(data))
    return path, ids


def trace(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*vpclab_command(), "trace", *args], capture_output=True, text=True, timeout=60)


def as_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_reachable_connection_exits_0_with_the_contract_shape(export_file: tuple[Path, dict[str, str]]) -> None:
    path, ids = export_file
    result = trace(str(path), "--from", ids["app"], "--to", "93.184.216.34", "--port", "443", "--json")
    assert result.returncode == 0, result.stderr
    data = as_json(result)
    assert list(data) == KEYS
    assert (data["reachable"], data["source"], data["destination"], data["protocol"], data["port"]) == (
        True, ids["app"], "93.184.216.34", "tcp", 443)
    assert data["explanations"] == []
    for hop in data["forward"] + data["return"]:
        assert set(hop) <= {"component", "type", "action", "detail", "translated"}
        assert hop["action"] in {"allow", "deny", "forward", "translate", "deliver", "drop"}


def test_a_blocked_connection_exits_1_and_names_the_rule(export_file: tuple[Path, dict[str, str]]) -> None:
    path, ids = export_file
    result = trace(str(path), "--from", "93.184.216.34", "--to", "web", "--port", "22", "--json")
    assert result.returncode == 1
    data = as_json(result)
    assert data["destination"] == ids["web"]  # a Name tag resolves to the instance id
    assert data["explanations"][0]["code"] == "ENI_SG_RULES_MISMATCH"
    assert data["explanations"][0]["component"] == ids["web_sg"]
    assert data["explanations"][0]["direction"] == "forward" and data["explanations"][0]["rule"] is None
    assert data["return"] == []


def test_the_nacl_rule_number_is_reported(export_file: tuple[Path, dict[str, str]]) -> None:
    path, ids = export_file
    data = as_json(trace(str(path), "--from", "web", "--to", "db", "--port", "5432", "--json"))
    assert data["explanations"][0]["code"] == "SUBNET_ACL_RESTRICTION"
    assert (data["explanations"][0]["component"], data["explanations"][0]["rule"]) == (ids["db_acl"], 32767)


def test_text_output_is_readable(export_file: tuple[Path, dict[str, str]]) -> None:
    path, _ = export_file
    result = trace(str(path), "--from", "db", "--to", "8.8.8.8")
    assert result.returncode == 1
    assert "NO_ROUTE_TO_DESTINATION" in result.stdout and "cannot be made" in result.stdout


@pytest.mark.parametrize("args", [
    ["missing.json", "--from", "a", "--to", "b"],
    ["FILE", "--from", "nobody", "--to", "web"],
    ["FILE", "--from", "web", "--to", "db", "--port", "70000"],
    ["FILE", "--to", "db"],
])
def test_bad_input_exits_2_with_one_line(export_file: tuple[Path, dict[str, str]], args: list[str]) -> None:
    path, _ = export_file
    result = trace(*[str(path) if a == "FILE" else a for a in args])
    assert result.returncode == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_corrupt_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"Vpcs": [')
    result = trace(str(path), "--from", "a", "--to", "b")
    assert result.returncode == 2
    assert "is not valid JSON" in result.stderr
