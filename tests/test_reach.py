"""vpclab reach: one trace per group of alike sources, and the same verdicts as tracing each one."""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.aws_exports import two_tier_export
from vpclab import Cloud
from vpclab.errors import InvalidValue, NotFound, VpcLabError
from vpclab.reach import ReachReport, add_arguments, reach, run
from vpclab.resources import Instance, NetworkInterface, Subnet

# --- the two-tier VPC of the lessons (real-shaped, through moto) ---------------------------------


@pytest.fixture(scope="module")
def export() -> tuple[dict[str, Any], dict[str, str]]:
    return two_tier_export()


@pytest.fixture(scope="module")
def two_tier(export: tuple[dict[str, Any], dict[str, str]]) -> Cloud:
    return Cloud.from_aws(export[0])


def by_instance(report: ReachReport) -> dict[str | None, Any]:
    return {r.instance: r for r in report.results}


def test_each_instance_gets_its_verdict_and_the_rule_that_stops_it(
        two_tier: Cloud, export: tuple[dict[str, Any], dict[str, str]]) -> None:
    ids = export[1]
    report = reach(two_tier, "db", "tcp", 5432)
    assert report.destination == ids["db"] and (report.protocol, report.port) == ("tcp", 5432)
    results = by_instance(report)
    assert set(results) == {ids["web"], ids["app"]}  # the destination is not a source of itself
    assert results[ids["app"]].reachable and results[ids["app"]].code is None
    web = results[ids["web"]]
    assert not web.reachable
    assert (web.code, web.component, web.direction, web.rule) == (
        "SUBNET_ACL_RESTRICTION", ids["db_acl"], "forward", 32767)
    assert not report.all_reachable and len(report.unreachable) == 1
    assert report.blockers[0].sources == 1 and "10.0.1." in report.blockers[0].message
    text = report._text_()
    assert "1 of 2 sources can reach" in text and "SUBNET_ACL_RESTRICTION" in text and "rule 32767" in text


def test_nat_gateway_and_other_service_interfaces_are_not_sources(two_tier: Cloud) -> None:
    report = reach(two_tier, "93.184.216.34", "tcp", 443)
    kinds = {two_tier._ref(r.source, NetworkInterface).interface_type for r in report.results}
    assert kinds == {"interface"} and len(report.results) == 3
    assert report.destination == "93.184.216.34"


def test_json_shape(two_tier: Cloud) -> None:
    data = reach(two_tier, "web", "tcp", 443).to_dict()
    assert list(data) == ["destination", "protocol", "port", "all_reachable", "reachable_count", "source_count",
                          "sources", "blockers", "grouping"]
    assert set(data["sources"][0]) == {"source", "instance", "name", "address", "reachable", "code", "component",
                                       "direction", "rule", "group", "traced_as"}
    assert set(data["grouping"]) == {"sources", "groups", "traces", "address_splits", "route_targets",
                                     "traced_individually"}
    json.dumps(data)


def test_bad_input_is_a_vpclab_error(two_tier: Cloud) -> None:
    with pytest.raises(NotFound):
        reach(two_tier, "no-such-thing", "tcp", 443)
    with pytest.raises(InvalidValue, match="port"):
        reach(two_tier, "db", "tcp", None)
    with pytest.raises(InvalidValue):
        reach(two_tier, "db", "gre", 1)
    with pytest.raises(InvalidValue):
        reach(two_tier, "db", "tcp", 70000)
    assert reach(two_tier, "db", "icmp", None).port is None  # ICMP needs no port


def test_no_sources_at_all() -> None:
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc("10.0.0.0/16")
    only = cloud.launch(cloud.create_subnet(vpc, "10.0.1.0/24"), "only")
    report = reach(cloud, only, "tcp", 22)
    assert report.results == () and report.all_reachable and report.port == 22
    assert "no instance" in report._text_()


# --- the command: exit codes 0 / 1 / 2 -----------------------------------------------------------


def command(argv: list[str]) -> int:
    """Run the command the way vpclab.cli does: VpcLabError becomes exit status 2."""
    parser = argparse.ArgumentParser(prog="vpclab reach")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return run(args)
    except VpcLabError:
        return 2


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory, export: tuple[dict[str, Any], dict[str, str]]) -> Path:
    path = tmp_path_factory.mktemp("reach") / "two-tier.json"
    path.write_text(json.dumps(export[0]))
    return path


def test_exit_1_when_some_cannot_and_json_output(export_file: Path, export: tuple[dict[str, Any], dict[str, str]],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert command([str(export_file), "--to", "db", "--port", "5432", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["destination"] == export[1]["db"] and data["reachable_count"] == 1 and not data["all_reachable"]


def test_exit_0_when_every_source_can_reach(tmp_path: Path, export: tuple[dict[str, Any], dict[str, str]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data, ids = json.loads(json.dumps(export[0])), export[1]
    db_eni = next(r["Instances"][0]["NetworkInterfaces"][0]["NetworkInterfaceId"] for r in data["Reservations"]
                  if r["Instances"][0]["InstanceId"] == ids["db"])
    data["Reservations"] = [r for r in data["Reservations"] if r["Instances"][0]["InstanceId"] != ids["db"]]
    data["NetworkInterfaces"] = [n for n in data["NetworkInterfaces"] if n["NetworkInterfaceId"] != db_eni]
    path = tmp_path / "no-db.json"
    path.write_text(json.dumps(data))
    assert command([str(path), "--to", "web", "--port", "443"]) == 0
    assert "1 of 1 sources can reach" in capsys.readouterr().out


def test_exit_2_on_bad_input(export_file: Path, tmp_path: Path) -> None:
    assert command([str(export_file), "--to", "nothing-by-this-name", "--port", "22"]) == 2
    assert command([str(export_file), "--to", "db"]) == 2  # TCP without a port
    assert command([str(tmp_path / "missing.json"), "--to", "db", "--port", "22"]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert command([str(broken), "--to", "db", "--port", "22"]) == 2


# --- grouping is sound: the same verdicts as one trace per source, on random-ish worlds ------------


def random_world(seed: int) -> Cloud:
    """Two peered VPCs with public, NAT-ed and isolated subnets; security groups, NACLs and routes
    that name slices of subnets (/25, /26, /32) so that members of one subnet are treated
    differently; NACLs whose port ranges cut through the NAT ports; an appliance route target."""
    rng = random.Random(seed)
    cloud = Cloud(seed=seed)
    a = cloud.create_vpc("10.0.0.0/16", name="a")
    b = cloud.create_vpc("10.1.0.0/16", name="b")
    public = cloud.add_public_subnet(a, "10.0.0.0/24", name="public")
    private = cloud.add_private_subnet(a, "10.0.1.0/24", name="private", nat_in=public)
    isolated = cloud.add_private_subnet(a, "10.0.2.0/24", name="isolated")
    far = cloud.add_private_subnet(b, "10.1.0.0/24", name="far")
    pcx = cloud.create_vpc_peering_connection(a, b)
    cloud.accept_vpc_peering_connection(pcx)
    for subnet in (private, isolated):
        cloud.create_route(cloud.route_table_for(subnet), "10.1.0.0/16", pcx)
    # the way back from b covers only part of a's subnets: replies to the rest have no route
    for block in rng.sample(["10.0.1.0/25", "10.0.1.128/26", "10.0.2.0/26", "10.0.2.64/27", "10.0.0.0/16"], 3):
        cloud.create_route(cloud.route_table_for(far), block, pcx)
    slices = ["0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/25", "10.0.1.128/25", "10.0.1.64/26", "10.0.2.0/25",
              "10.0.0.0/25", "10.1.0.0/24", "10.0.2.192/26"]
    groups = {}
    for vpc in (a, b):
        for name in ("web", "app", "db"):
            groups[(vpc.id, name)] = cloud.create_security_group(vpc, f"{name}-{vpc.name}")
    for sg in groups.values():
        for _ in range(rng.randint(1, 4)):
            port = rng.choice([22, 443, 5432, (1000, 2000), (400, 500)])
            peer: object = rng.choice([g for g in groups.values() if g.vpc_id == sg.vpc_id])
            if rng.random() >= 0.25:
                peer = rng.choice(slices)
            with contextlib.suppress(VpcLabError):  # a duplicate rule
                cloud.allow(sg, port, source=peer, protocol=rng.choice(["tcp", "tcp", "udp"]))
    subnets = [public, private, isolated, far]
    instances: list[Instance] = []
    for subnet in subnets:
        menu = [[groups[(subnet.vpc_id, n)]] for n in ("web", "app", "db")]
        menu.append([groups[(subnet.vpc_id, "app")], groups[(subnet.vpc_id, "web")]])
        menu.append([groups[(subnet.vpc_id, "web")], groups[(subnet.vpc_id, "app")]])  # the same set, reordered
        for n in range(rng.randint(8, 14)):
            instances.append(cloud.launch(subnet, f"{subnet.name}-{n}", *rng.choice(menu)))
        if rng.random() < 0.5:
            cloud.create_network_interface(subnet, [groups[(subnet.vpc_id, "db")]], name=f"{subnet.name}-bare")
    # rules that name single addresses
    for instance in rng.sample(instances, 4):
        sg = rng.choice(list(groups.values()))
        with contextlib.suppress(VpcLabError):
            cloud.allow(sg, rng.choice([22, 443, 5432]), source=f"{instance.private_ip}/32")
    # NACLs: slices of subnets allowed or denied, and port ranges that cut through the NAT ports
    for subnet in subnets:
        if rng.random() < 0.7:
            acl = cloud.create_network_acl(subnet.vpc_id, f"{subnet.name}-acl")
            number = 100
            for _ in range(rng.randint(1, 4)):
                cloud.create_network_acl_entry(acl, number, "tcp", rng.choice(["allow", "deny"]), rng.choice(slices),
                                               egress=rng.random() < 0.5, ports=rng.choice([(22, 22), (0, 65535),
                                                                                            (443, 5432)]))
                number += 10
            for egress in (False, True):
                cloud.create_network_acl_entry(acl, number, "tcp", "allow", "0.0.0.0/0", egress=egress,
                                               ports=rng.choice([(1024, 65535), (32768, 65535), (0, 65535)]))
                cloud.create_network_acl_entry(acl, number + 1, "-1", "allow", rng.choice(slices), egress=egress)
                number += 10
            cloud.replace_network_acl_association(subnet, acl)
    # an appliance in the isolated subnet routes the isolated subnet's internet traffic
    appliance = next(i for i in instances if i.subnet_id == isolated.id)
    if rng.random() < 0.5:  # else it drops what it is sent (and still shares its subnet and groups)
        cloud.modify_network_interface_attribute(appliance, source_dest_check=False)
    cloud.create_route(cloud.route_table_for(isolated), "0.0.0.0/0", cloud._ref(appliance.eni_id, NetworkInterface))
    return cloud


def destinations(cloud: Cloud, seed: int) -> Iterator[tuple[object, str, int | None]]:
    rng = random.Random(seed * 7 + 1)
    instances = cloud._all(Instance)
    public = [i for i in instances if i.public_ip]
    for target in rng.sample(instances, 3):
        yield target.id, "tcp", rng.choice([22, 443, 5432, 1500])
    yield "93.184.216.34", "tcp", 443
    yield "93.184.216.34", "udp", 53
    if public:
        yield rng.choice(public).public_ip, "tcp", 443  # through the internet and back in
    yield "10.0.2.77", "tcp", 22  # an address nobody holds
    yield rng.choice(instances).id, "icmp", None
    yield rng.choice(instances).id, "all", None


def verdict(cloud: Cloud, source: str, destination: object, protocol: str, port: int | None) -> tuple[Any, ...]:
    trace = cloud.trace(source, destination, protocol, port)
    first = trace.blocker
    return (trace.reachable, None if first is None else first.code, None if first is None else first.component,
            None if first is None else first.direction, None if first is None else first.rule)


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_grouped_verdicts_equal_one_trace_per_source(seed: int) -> None:
    cloud = random_world(seed)
    for destination, protocol, port in destinations(cloud, seed):
        report = reach(cloud, destination, protocol, port)
        assert report.grouping.traces < report.grouping.sources  # sharing does happen
        for result in report.results:
            got = (result.reachable, result.code, result.component, result.direction, result.rule)
            assert got == verdict(cloud, result.source, destination, protocol, port), (
                seed, destination, protocol, port, result)


def test_the_random_worlds_exercise_every_reason_to_split() -> None:
    """Without the address signature, the route-target rule and the NAT-port check, a group
    would mix verdicts: these worlds contain each case, and naive grouping gets some wrong."""
    totals = {"address_splits": 0, "route_targets": 0, "traced_individually": 0}
    naive_wrong = 0
    for seed in SEEDS:
        cloud = random_world(seed)
        for destination, protocol, port in destinations(cloud, seed):
            report = reach(cloud, destination, protocol, port)
            for key in totals:
                totals[key] += getattr(report.grouping, key)
            naive: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
            for result in report.results:
                eni = cloud._ref(result.source, NetworkInterface)
                key = (eni.subnet_id, tuple(sorted(eni.security_group_ids)), eni.source_dest_check,
                       eni.public_ip is not None)
                naive.setdefault(key, set()).add((result.reachable, result.code, result.component))
            naive_wrong += sum(len(verdicts) > 1 for verdicts in naive.values())
    assert all(totals.values()), totals
    assert naive_wrong > 0


def test_members_of_a_subnet_split_by_a_slash_32() -> None:
    cloud = Cloud(seed=5)
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    app = cloud.create_security_group(vpc, "app")
    clients = [cloud.launch(subnet, f"c{n}", app) for n in range(6)]
    db_sg = cloud.create_security_group(vpc, "db")
    cloud.allow(db_sg, 5432, source=f"{clients[2].private_ip}/32")
    db = cloud.launch(cloud.create_subnet(vpc, "10.0.2.0/24"), "db", db_sg)
    report = reach(cloud, db, "tcp", 5432)
    assert [r.instance for r in report.reachable] == [clients[2].id]
    assert report.grouping.groups == 2 and report.grouping.address_splits == 1 and report.grouping.traces == 2


def test_one_trace_for_a_whole_subnet_of_alike_sources() -> None:
    cloud = Cloud(seed=6)
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    app = cloud.create_security_group(vpc, "app")
    for n in range(40):
        cloud.launch(subnet, f"c{n}", app)
    db_sg = cloud.create_security_group(vpc, "db")
    cloud.allow(db_sg, 5432, source=app)
    cloud.launch(cloud.create_subnet(vpc, "10.0.2.0/24"), "db", db_sg)
    report = reach(cloud, "db", "tcp", 5432)
    assert report.all_reachable and report.grouping.traces == 1 and report.grouping.sources == 40
    assert {r.traced_as for r in report.results} == {report.results[0].source}
    assert all(cloud._ref(r.source, NetworkInterface).subnet_id == subnet.id for r in report.results)
    assert cloud._ref(subnet.id, Subnet).cidr == "10.0.1.0/24"


def test_an_appliance_that_a_route_names_is_a_group_of_its_own() -> None:
    cloud = Cloud(seed=8)
    vpc = cloud.create_vpc("10.0.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24")
    other = cloud.create_subnet(vpc, "10.0.2.0/24")
    app = cloud.create_security_group(vpc, "app")
    cloud.allow(app, 22, source="0.0.0.0/0")
    hosts = [cloud.launch(subnet, f"h{n}", app) for n in range(5)]
    target = cloud.launch(other, "target", app)
    table = cloud.create_route_table(vpc, "via-appliance")
    cloud.associate_route_table(table, other)
    # replies to the subnet go through h0 (a route more specific than local), whose check is on:
    # they reach h0 itself, and are dropped for everyone else
    cloud.create_route(table, "10.0.1.0/24", cloud._ref(hosts[0].eni_id, NetworkInterface))
    report = reach(cloud, target, "tcp", 22)
    assert report.grouping.route_targets == 1 and report.grouping.traces == 2
    for result in report.results:
        assert (result.reachable, result.code, result.component) == verdict(cloud, result.source, target, "tcp",
                                                                             22)[:3]
    assert len({(r.reachable, r.code) for r in report.results}) == 2  # the appliance differs from the rest
