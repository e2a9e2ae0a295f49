"""Designs judged by reachability: a correct three-tier design meets every requirement, and each
kind of mistake fails the requirement it breaks, with the pair and the blocker named."""

from __future__ import annotations

import warnings

import pytest

from vpclab import Cloud
from vpclab.requirements import THREE_TIER, NatPerZone, Requirement, Spread, check_design


def three_tier(*, zones: int = 2, nat_per_zone: bool = True, db_open_to_web: bool = False,
               db_to_nat: bool = False) -> Cloud:
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.20.0.0/16", name="shop")
    cloud.add_internet_gateway(vpc)
    web_sg = cloud.create_security_group(vpc, "web-sg")
    cloud.allow(web_sg, 443)
    app_sg = cloud.create_security_group(vpc, "app-sg")
    cloud.allow(app_sg, 8080, source=web_sg)
    db_sg = cloud.create_security_group(vpc, "db-sg")
    cloud.allow(db_sg, 5432, source=app_sg)
    if db_open_to_web:
        cloud.allow(db_sg, 5432, source=web_sg)
    first_public = None
    for n, az in enumerate(cloud.azs[:zones]):
        public = cloud.add_public_subnet(vpc, f"10.20.{n}.0/24", az, name=f"public-{n}")
        first_public = first_public or public
        app = cloud.add_private_subnet(vpc, f"10.20.{10 + n}.0/24", az, name=f"app-{n}",
                                       nat_in=public if nat_per_zone or n == 0 else None)
        if not nat_per_zone and n > 0:  # share the first zone's NAT gateway
            nat = next(r.target for r in cloud.route_table_for("app-0").routes if r.target.startswith("nat-"))
            cloud.create_route(cloud.route_table_for(app), "0.0.0.0/0", nat)
        db = cloud.create_subnet(vpc, f"10.20.{20 + n}.0/24", az, name=f"db-{n}")
        if db_to_nat:
            nat = next(r.target for r in cloud.route_table_for(app).routes if r.target.startswith("nat-"))
            table = cloud.create_route_table(vpc, f"db-rt-{n}")
            cloud.create_route(table, "0.0.0.0/0", nat)
            cloud.associate_route_table(table, db)
        cloud.launch(public, f"web-{n}", web_sg)
        cloud.launch(app, f"app-{n}", app_sg)
        cloud.launch(db, f"db-{n}", db_sg)
    return cloud


def failed(cloud: Cloud) -> dict[str, str]:
    return {r.id: r.reason for r in check_design(cloud).results if not r.met}


def test_a_correct_design_meets_every_requirement() -> None:
    report = check_design(three_tier())
    assert report.passed, report._text_()
    assert len(report.results) == len(THREE_TIER) == 13


def test_the_design_survives_the_aws_json_round_trip() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = Cloud.from_aws(three_tier().to_aws())
    assert check_design(again).passed


def test_one_zone_fails_the_spread_requirements_only() -> None:
    assert set(failed(three_tier(zones=1))) == {"R1", "R2", "R3"}


def test_a_shared_nat_gateway_fails_resilience() -> None:
    reasons = failed(three_tier(nat_per_zone=False))
    assert set(reasons) == {"R13"}
    assert "app-1" in reasons["R13"] and "through NAT gateways in: us-east-1a" in reasons["R13"]


def test_a_database_open_to_the_web_tier_is_named() -> None:
    reasons = failed(three_tier(db_open_to_web=True))
    assert set(reasons) == {"R10"}
    assert "web-0 → db-0 is open" in reasons["R10"]


def test_a_database_with_a_way_out_fails_isolation() -> None:
    assert set(failed(three_tier(db_to_nat=True))) == {"R12"}


def test_a_blocked_pair_names_the_blocker() -> None:
    cloud = three_tier()
    report = check_design(cloud, [Requirement("X", "web", "db", 5432, True)])
    assert not report.passed
    assert "web-0 → db-0 is blocked: ENI_SG_RULES_MISMATCH" in report.results[0].reason


def test_missing_roles_fail_with_advice_not_an_error() -> None:
    report = check_design(Cloud(seed=0), [Requirement("A", "web", "db", 1, True), Spread("B", "app", 1),
                                          NatPerZone("C", "app")])
    assert [r.met for r in report.results] == [False, False, False]
    assert "name instances web-…, app-…, db-…" in report.results[0].reason
    assert report.met(["A"]) is False and report.met(["missing"]) is False


@pytest.mark.parametrize("kind", ["text/plain", "text/html"])
def test_the_report_displays_itself(kind: str) -> None:
    bundle = check_design(three_tier(zones=1))._repr_mimebundle_()
    assert "10 of 13 requirements met" in bundle[kind]
