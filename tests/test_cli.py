"""The vpclab command: the cidr --json contract (DESIGN.md §4b), exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import vpclab_command
from vpclab import __version__
from vpclab.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*vpclab_command(), *args], capture_output=True, text=True, timeout=60)


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"vpclab {__version__}")


def test_cidr_json_lists_the_reserved_addresses_and_251_usable() -> None:
    result = run("cidr", "10.0.0.0/24", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["usable"] == 251
    assert data["reserved"] == [
        {"address": "10.0.0.0", "purpose": "network"}, {"address": "10.0.0.1", "purpose": "vpc-router"},
        {"address": "10.0.0.2", "purpose": "dns"}, {"address": "10.0.0.3", "purpose": "future"},
        {"address": "10.0.0.255", "purpose": "broadcast"}]
    assert list(data) == ["cidr", "version", "prefix", "netmask", "first", "last", "total", "usable",
                          "reserved", "valid_vpc", "valid_subnet"]


def test_host_bits_exit_2_and_name_the_network() -> None:
    result = run("cidr", "10.0.0.1/24")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("vpclab cidr: InvalidParameterValue: 10.0.0.1/24 has host bits set; the "
                             "network is 10.0.0.0/24. Fix: write 10.0.0.0/24\n")


def test_split_json_has_subnets_with_the_same_fields() -> None:
    data = json.loads(run("cidr", "10.0.0.0/24", "--split", "4", "--json").stdout)
    assert [s["cidr"] for s in data["subnets"]] == ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26",
                                                    "10.0.0.192/26"]
    assert all(s["usable"] == 59 and "subnets" not in s for s in data["subnets"])


def test_prefix_split_and_small_blocks() -> None:
    data = json.loads(run("cidr", "10.0.0.0/28", "--prefix", "30", "--json").stdout)
    assert len(data["subnets"]) == 4
    assert data["subnets"][0]["usable"] == 0 and data["subnets"][0]["reserved"] == []
    assert data["subnets"][0]["valid_subnet"] is False


def test_text_output_names_every_part() -> None:
    result = run("cidr", "10.0.0.0/16", "--split", "2")
    assert result.returncode == 0
    assert "10.0.128.0/17" in result.stdout and "2 parts of /17:" in result.stdout


@pytest.mark.parametrize("args", [
    ["cidr", "garbage"], ["cidr", "10.0.0.0/16", "--split", "3"], ["cidr", "10.0.0.0/8", "--prefix", "24"],
    ["cidr"], ["cidr", "10.0.0.0/16", "--split", "x"],
    ["cidr", "10.0.0.0/16", "--split", "2", "--prefix", "18"],
    ["nonsense"], ["reset", "zz"],
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_main_returns_the_status_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cidr", "10.0.0.0/16", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 65536
