"""The tools wired into the vpclab command: lint, reach, export (collect is tested with moto in
test_collect.py); exit codes 0 / 1 / 2 through the real entry point."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.aws_exports import two_tier_export
from tests.conftest import vpclab_command


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data, ids = two_tier_export()
    path = tmp_path_factory.mktemp("tools") / "two-tier.json"
    path.write_text(json.dumps(data))
    return path, ids


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*vpclab_command(), *args], capture_output=True, text=True, timeout=120)


def test_lint_on_the_clean_two_tier_export_exits_0(export: tuple[Path, dict[str, str]]) -> None:
    result = run("lint", str(export[0]), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_lint_finds_a_database_port_open_to_the_world(tmp_path: Path, export: tuple[Path, dict[str, str]]) -> None:
    data = json.loads(export[0].read_text())
    group = next(g for g in data["SecurityGroups"] if g["GroupName"] == "db-sg")
    group["IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                   "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "UserIdGroupPairs": [], "PrefixListIds": []})
    path = tmp_path / "open.json"
    path.write_text(json.dumps(data))
    result = run("lint", str(path), "--json")
    assert result.returncode == 1
    assert [(f["code"], f["resource"]) for f in json.loads(result.stdout)] == [
        ("database-port-open-to-world", group["GroupId"])]


def test_reach_says_who_can_reach_the_database(export: tuple[Path, dict[str, str]]) -> None:
    path, ids = export
    result = run("reach", str(path), "--to", ids["db"], "--port", "5432", "--json")
    assert result.returncode == 1, result.stderr  # the web server cannot: the db NACL stops it
    report = json.loads(result.stdout)
    text = json.dumps(report)
    assert ids["app"] in text and ids["web"] in text


def test_export_writes_one_combined_file_that_traces_the_same(tmp_path: Path,
                                                              export: tuple[Path, dict[str, str]]) -> None:
    path, ids = export
    out = tmp_path / "combined.json"
    assert run("export", str(path), "-o", str(out)).returncode == 0
    first = run("trace", str(path), "--from", ids["app"], "--to", ids["db"], "--port", "5432", "--json")
    second = run("trace", str(out), "--from", ids["app"], "--to", ids["db"], "--port", "5432", "--json")
    assert first.returncode == second.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)


@pytest.mark.parametrize("tool", ["lint", "reach", "export"])
def test_a_missing_file_exits_2_with_one_line(tool: str) -> None:
    args = [tool, "/nonexistent/account.json"] + (["--to", "10.0.0.1", "--port", "22"] if tool == "reach" else [])
    result = run(*args)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
