"""The topology picture and `vpclab render`: clusters, gateways, and a trace drawn on top."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.aws_exports import two_tier_export
from tests.conftest import vpclab_command
from vpclab import Cloud, render
from vpclab.topology import topology


@pytest.fixture
def lab() -> Cloud:
    cloud = Cloud(seed=1)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    cloud.add_private_subnet(vpc, "10.0.2.0/24", az="b", name="app", nat_in=public)
    group = cloud.create_security_group(vpc, "web-sg")
    cloud.allow(group, 443)
    cloud.launch(public, "web", group)
    cloud.launch("app", "app")
    return cloud


def test_the_picture_nests_vpc_az_subnet_and_names_the_gateways(lab: Cloud) -> None:
    diagram = topology(lab)
    source = diagram.source
    for cluster in ("cluster_vpc-", "cluster_subnet-"):
        assert cluster in source
    assert "us-east-1a" in source and "us-east-1b" in source
    assert "internet gateway" in source and "NAT gateway" in source and "internet" in source
    assert diagram.outline.splitlines()[0].startswith("VPC lab")
    assert "<svg" in diagram._repr_mimebundle_()["image/svg+xml"]


def test_a_blocked_trace_is_drawn_with_a_red_cross_naming_the_rule(lab: Cloud) -> None:
    trace = lab.trace("8.8.8.8", "web", "tcp", 22)
    diagram = topology(lab, trace)
    assert "✗ ENI_SG_RULES_MISMATCH" in diagram.source
    assert diagram.outline.splitlines()[-1].startswith("  ✗ ENI_SG_RULES_MISMATCH")


def test_a_working_trace_is_drawn_as_numbered_steps(lab: Cloud) -> None:
    trace = lab.trace("app", "93.184.216.34", "tcp", 443)
    diagram = topology(lab, trace)
    steps = [line for line in diagram.outline.splitlines() if line.startswith("  ✓ ")]
    assert steps[0].split(": ")[1].startswith(lab.get(trace.source).eni_id)  # type: ignore[attr-defined]
    assert steps[-1].endswith("→ internet")
    assert "✗" not in diagram.source


def test_three_vpcs_three_azs_three_tiers_stay_one_picture() -> None:
    cloud = Cloud(seed=2)
    for n in range(3):
        vpc = cloud.create_vpc(f"10.{n}.0.0/16", name=f"vpc{n}")
        for t, tier in enumerate(("web", "app", "db")):
            for z, az in enumerate("abc"):
                cloud.create_subnet(vpc, f"10.{n}.{t * 16 + z}.0/24", az, f"{tier}-{az}")
    diagram = topology(cloud)
    assert diagram.source.count("cluster_subnet-") == 27
    svg = diagram._svg_()
    assert svg is not None and svg.count('<g id="clust') >= 3 + 9 + 27


def test_without_dot_the_picture_falls_back_to_its_outline(lab: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    bundle = topology(lab)._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and bundle["text/plain"].startswith("VPC lab")


def test_render_command_writes_svg_with_a_trace(tmp_path: Path) -> None:
    data, ids = two_tier_export()
    account = tmp_path / "account.json"
    account.write_text(json.dumps(data))
    out = tmp_path / "picture.svg"
    result = subprocess.run([*vpclab_command(), "render", str(account), "-o", str(out), "--from", "8.8.8.8",
                             "--to", ids["web"], "--port", "22"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert out.read_text().lstrip().startswith("<?xml") and "ENI_SG_RULES_MISMATCH" in out.read_text()


@pytest.mark.parametrize("args", [["-o", "x.gif"], ["--from", "8.8.8.8"]])
def test_render_bad_input_exits_2(tmp_path: Path, args: list[str]) -> None:
    data, _ = two_tier_export()
    account = tmp_path / "account.json"
    account.write_text(json.dumps(data))
    fixed = [str(tmp_path / a) if a.endswith(".gif") else a for a in args]
    result = subprocess.run([*vpclab_command(), "render", str(account), *fixed], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_three_vpcs_three_azs_three_tiers_stay_readable() -> None:
    """27 subnets, each labelled; the AZs of a VPC sit side by side, so the picture is not a tall column."""
    import html
    import re

    from vpclab import Cloud
    from vpclab.topology import topology

    cloud = Cloud(seed=0)
    cloud.quotas.elastic_ips_per_region = 20
    for v in range(3):
        vpc = cloud.create_vpc(f"10.{v}.0.0/16", name=f"vpc-{v}")
        cloud.add_internet_gateway(vpc)
        for z, az in enumerate(cloud.azs):
            public = cloud.add_public_subnet(vpc, f"10.{v}.{z}.0/24", az, name=f"pub-{v}{z}")
            app = cloud.add_private_subnet(vpc, f"10.{v}.{10 + z}.0/24", az, name=f"app-{v}{z}", nat_in=public)
            db = cloud.create_subnet(vpc, f"10.{v}.{20 + z}.0/24", az, name=f"db-{v}{z}")
            for subnet, tier in ((public, "web"), (app, "app"), (db, "db")):
                cloud.launch(subnet, f"{tier}-{v}{z}")
    picture = topology(cloud, cloud.trace("web-00", "db-12", port=5432))
    svg = html.unescape(picture._svg_() or "")
    for v in range(3):
        for z in range(3):
            for name in (f"pub-{v}{z}", f"app-{v}{z}", f"db-{v}{z}", f"web-{v}{z}"):
                assert f">{name}<" in svg, name
    found = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert found is not None
    width, height = map(float, found.groups())
    assert height / width < 2, (width, height)
    assert "✗ IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS" in svg  # the blocker, named
