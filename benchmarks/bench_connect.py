"""Connectivity at scale: 50 VPCs on one transit gateway with 10 route tables, 20 peering
connections and 2 VPN connections; trace latency and an all-pairs reachability sweep.

Run: ``python -m benchmarks.bench_connect [--json] [--seed N]``. The world is generated from
the seed; the sweep traces TCP 443 from one instance in each VPC to one in every other.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from benchmarks.report import print_figures
from vpclab import Cloud
from vpclab.resources import Instance

TARGETS = {"sweep_s": 2.0}
VPCS, TGW_TABLES, PEERINGS, VPNS = 50, 10, 20, 2


def build(seed: int) -> tuple[Cloud, list[Instance]]:
    rng = random.Random(seed)
    cloud = Cloud(seed=seed)
    cloud.quotas.vpcs_per_region = VPCS + 5
    tgw = cloud.create_transit_gateway("hub", default_route_table_association=False,
                                       default_route_table_propagation=False)
    tables = [cloud.create_transit_gateway_route_table(tgw, f"tgw-rt-{n}") for n in range(TGW_TABLES)]
    instances, attachments, vpcs = [], [], []
    for n in range(VPCS):
        vpc = cloud.create_vpc(f"10.{n}.0.0/16", name=f"vpc-{n}")
        subnets = [cloud.create_subnet(vpc, f"10.{n}.{z}.0/24", az) for z, az in enumerate(cloud.azs)]
        group = cloud.create_security_group(vpc, "app")
        cloud.allow(group, 443, source="10.0.0.0/8")
        instances.append(cloud.launch(subnets[0], f"app-{n}", group))
        attachments.append(cloud.create_transit_gateway_vpc_attachment(tgw, vpc, subnets))
        cloud.create_route(cloud.route_table_for(subnets[0]), "10.0.0.0/8", tgw)
        vpcs.append(vpc)
    for n, link in enumerate(attachments):  # each VPC associates with one table, propagates to two
        cloud.associate_transit_gateway_route_table(tables[n % TGW_TABLES], link)
        for table in {n % TGW_TABLES, (n + 1) % TGW_TABLES}:
            cloud.enable_transit_gateway_route_table_propagation(tables[table], link)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < PEERINGS:
        a, b = sorted(rng.sample(range(VPCS), 2))
        pairs.add((a, b))
    for a, b in sorted(pairs):  # peering routes are more specific than the TGW's 10.0.0.0/8
        pcx = cloud.create_vpc_peering_connection(vpcs[a], vpcs[b])
        cloud.accept_vpc_peering_connection(pcx)
        cloud.create_route(cloud.route_table_for(instances[a].subnet_id), vpcs[b].cidr, pcx)
        cloud.create_route(cloud.route_table_for(instances[b].subnet_id), vpcs[a].cidr, pcx)
    for n in range(VPNS):
        customer = cloud.create_customer_gateway(f"203.0.113.{n + 1}")
        vpn = cloud.create_vpn_connection(customer, transit_gateway=tgw, static_routes_only=False)
        cloud.advertise_bgp_routes(vpn, [f"192.168.{n}.0/24"])
        link = cloud.vpn_attachment(vpn.id)
        assert link is not None
        cloud.associate_transit_gateway_route_table(tables[n], link)
        for table in tables:
            cloud.enable_transit_gateway_route_table_propagation(table, link)
    return cloud, instances


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    started = time.perf_counter()
    cloud, instances = build(args.seed)
    build_s = time.perf_counter() - started
    latencies, reachable = [], 0
    sweep_started = time.perf_counter()
    for source in instances:
        for target in instances:
            if source is target:
                continue
            begin = time.perf_counter()
            reachable += cloud.trace(source, target, "tcp", 443).reachable
            latencies.append((time.perf_counter() - begin) * 1000)
    sweep_s = time.perf_counter() - sweep_started
    vpn_started = time.perf_counter()
    for source in instances:
        cloud.trace(source, "192.168.0.10", "tcp", 443)
    vpn_ms = (time.perf_counter() - vpn_started) * 1000 / len(instances)
    latencies.sort()
    figures = {
        "build_s": round(build_s, 3),
        "sweep_s": round(sweep_s, 3), "sweep_s_target": TARGETS["sweep_s"],
        "trace_p50_ms": round(statistics.median(latencies), 4),
        "trace_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 4),
        "vpn_trace_mean_ms": round(vpn_ms, 4),
        "pairs": len(latencies), "reachable_pairs": reachable,
    }
    title = f"{VPCS} VPCs on one transit gateway ({TGW_TABLES} route tables), {PEERINGS} peerings, {VPNS} VPNs"
    print_figures(title, figures, as_json=args.json)


if __name__ == "__main__":
    main()
