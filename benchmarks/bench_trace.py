"""The packet tracer at two sizes: a lesson-sized VPC and a large, many-VPC Region.

Run ``python -m benchmarks.bench_trace`` for a table, ``--json`` for one JSON object of figures
(with their targets beside them) on the last line. Everything is generated from ``--seed``
through the public :class:`~vpclab.Cloud` API, raising quotas the way AWS does on request.

- ``build_s``: wall time (time.perf_counter) of the Cloud calls that build the large world; the
  random plan they follow is drawn beforehand and not counted.
- ``peak_mib``: the peak resident set size of the whole process (``resource.getrusage``
  ``ru_maxrss``), interpreter and imports included, at the end of the run.
- ``*_trace_p50_ms`` / ``*_p95_ms``: latency of ``cloud.trace`` (time.perf_counter) over random
  traces, in turn instance to instance in one VPC, instance to the internet, internet to instance.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from vpclab import Cloud
from vpclab.resources import (
    Instance,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
)

SEED = 2024
VPCS = 5
SUBNETS_PER_VPC = 200  # the default quota: 5 VPCs x 200 = 1,000 subnets
PUBLIC_SUBNETS_PER_VPC = 40
INSTANCES_PER_SUBNET = 8  # and two bare network interfaces: 10 ENIs a subnet, 10,000 in all
BARE_ENIS_PER_SUBNET = 2
GROUPS_PER_VPC = 1_000  # 5,000 security groups
RULES = 50_000  # in those groups, counting the allow-all egress rule each group is created with
PRIVATE_TABLES_PER_AZ = 2
EXTRA_ROUTES_PER_TABLE = 6
NACLS_PER_VPC = 4
NACL_SUBNETS_PER_VPC = 20
TRACES = 300
WARMUP = 5

TARGETS = {"build_s": 3.0, "peak_mib": 1024, "lesson_trace_p50_ms": 1.0, "large_trace_p50_ms": 5.0}
FIGURES = ("build_s", "peak_mib", "lesson_trace_p50_ms", "lesson_trace_p95_ms", "large_trace_p50_ms",
           "large_trace_p95_ms")
PORTS = (22, 80, 443, 3306, 5432, 6379, 8080, 8443)
KINDS = ("vpc", "egress", "ingress")  # instance -> instance, instance -> internet, internet -> instance

# One security group rule: egress?, protocol, port, ports, cidr, index of the peer group in its VPC.
Rule = tuple[bool, str, int | None, tuple[int, int] | None, str | None, int | None]


@dataclass
class VpcPlan:
    extra_routes: list[list[tuple[str, int]]]  # per table (public first): destination, NAT index (AZ)
    private_table: list[int]  # per subnet: which of its AZ's private tables it uses
    nacl_subnets: list[int]
    nacl_blocked: list[str]
    rules: list[list[Rule]]  # per group
    eni_groups: list[list[list[int]]]  # per subnet, per ENI: indexes of its groups


@dataclass
class World:
    cloud: Cloud
    instances: dict[str, list[str]] = field(default_factory=dict)  # vpc id -> instance ids
    public: list[str] = field(default_factory=list)  # instances with a public IPv4 address
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent per kind of call


def public_address(rng: random.Random) -> str:
    """An address on the internet (outside RFC 1918, 100.64/10 and the engine's own public pool)."""
    first = rng.choice((8, 23, 45, 93, 104, 151, 185, 198))
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


# --- the large world -------------------------------------------------------------------------
def plan_large(seed: int, azs: int) -> list[VpcPlan]:
    rng = random.Random(seed)
    counts = _rule_counts(rng, VPCS * GROUPS_PER_VPC, RULES - VPCS * GROUPS_PER_VPC)
    plans = []
    for v in range(VPCS):
        tables = 1 + azs * PRIVATE_TABLES_PER_AZ
        extra = []
        for _ in range(tables):
            destinations: set[str] = set()
            while len(destinations) < EXTRA_ROUTES_PER_TABLE:
                destinations.add(f"{rng.choice((13, 34, 52, 54, 99))}.{rng.randrange(256)}.0.0/16")
            extra.append([(d, rng.randrange(azs)) for d in sorted(destinations)])
        plans.append(VpcPlan(
            extra_routes=extra,
            private_table=[rng.randrange(PRIVATE_TABLES_PER_AZ) for _ in range(SUBNETS_PER_VPC)],
            nacl_subnets=rng.sample(range(SUBNETS_PER_VPC), NACL_SUBNETS_PER_VPC),
            nacl_blocked=[f"{rng.choice((45, 185))}.{rng.randrange(256)}.0.0/16" for _ in range(NACLS_PER_VPC)],
            rules=[_rules(rng, counts[v * GROUPS_PER_VPC + g], v) for g in range(GROUPS_PER_VPC)],
            eni_groups=[[rng.sample(range(GROUPS_PER_VPC), rng.randint(1, 5))
                         for _ in range(INSTANCES_PER_SUBNET + BARE_ENIS_PER_SUBNET)]
                        for _ in range(SUBNETS_PER_VPC)],
        ))
    return plans


def _rule_counts(rng: random.Random, groups: int, total: int) -> list[int]:
    """How many rules to authorize in each group: 1 to 40 (under the quota of 60), ``total`` in all."""
    counts = [rng.randint(1, 2 * total // groups - 1) for _ in range(groups)]
    while (gap := total - sum(counts)) != 0:
        i = rng.randrange(groups)
        step = 1 if gap > 0 else -1
        if 1 <= counts[i] + step <= 40:
            counts[i] += step
    return counts


def _rules(rng: random.Random, count: int, v: int) -> list[Rule]:
    """``count`` distinct rules: 3 in 4 inbound; 2 in 3 name a CIDR, the others a group of the VPC."""
    rules: dict[Rule, None] = {}
    while len(rules) < count:
        egress = rng.random() < 0.25
        protocol = rng.choices(("tcp", "udp", "icmp"), (16, 3, 1))[0]
        port: int | None = None
        ports: tuple[int, int] | None = None
        if protocol != "icmp":
            if rng.random() < 0.8:
                port = rng.choice(PORTS)
            else:
                low = rng.randrange(1024, 60000)
                ports = (low, low + rng.randrange(1, 200))
        if rng.random() < 2 / 3:
            cidr = rng.choice(("0.0.0.0/0", f"10.{v}.0.0/16", f"10.{v}.{rng.randrange(SUBNETS_PER_VPC)}.0/24",
                               f"{public_address(rng).rsplit('.', 1)[0]}.0/24", f"{public_address(rng)}/32"))
            rules[(egress, protocol, port, ports, cidr, None)] = None
        else:
            rules[(egress, protocol, port, ports, None, rng.randrange(GROUPS_PER_VPC))] = None
    return list(rules)


class _Clock:
    def __init__(self, phases: dict[str, float], name: str) -> None:
        self.phases, self.name = phases, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *_: object) -> None:
        self.phases[self.name] = self.phases.get(self.name, 0.0) + time.perf_counter() - self.start


def build_large(seed: int, plans: Sequence[VpcPlan]) -> World:
    cloud = Cloud(seed=seed)
    cloud.quotas.security_groups_per_region = 6_000  # 5,000 groups and each VPC's default group
    cloud.quotas.elastic_ips_per_region = 50  # one per NAT gateway
    world = World(cloud)
    azs = cloud.azs
    for v, plan in enumerate(plans):
        with _Clock(world.phases, "vpcs, gateways, routes, NACLs"):
            vpc = cloud.create_vpc(f"10.{v}.0.0/16", name=f"vpc{v}")
            igw = cloud.create_internet_gateway(name=f"igw{v}")
            cloud.attach_internet_gateway(igw.id, vpc.id)
        with _Clock(world.phases, "subnets"):
            subnets = [cloud.create_subnet(vpc.id, f"10.{v}.{s}.0/24", az=azs[s % len(azs)], name=f"v{v}-s{s}",
                                           map_public_ip_on_launch=s < PUBLIC_SUBNETS_PER_VPC).id
                       for s in range(SUBNETS_PER_VPC)]
        with _Clock(world.phases, "vpcs, gateways, routes, NACLs"):
            nats = [cloud.create_nat_gateway(subnets[a], allocation=cloud.allocate_address().id,
                                             name=f"v{v}-nat-{az}").id for a, az in enumerate(azs)]
            public_rt = cloud.create_route_table(vpc.id, name=f"v{v}-public").id
            cloud.create_route(public_rt, "0.0.0.0/0", igw.id)
            private_rts = []
            for a in range(len(azs)):
                private_rts.append([cloud.create_route_table(vpc.id, name=f"v{v}-private-{a}-{t}").id
                                    for t in range(PRIVATE_TABLES_PER_AZ)])
                for table in private_rts[-1]:
                    cloud.create_route(table, "0.0.0.0/0", nats[a])
            for table, routes in zip([public_rt, *(t for ts in private_rts for t in ts)], plan.extra_routes,
                                     strict=True):
                for destination, nat in routes:
                    cloud.create_route(table, destination, igw.id if table == public_rt else nats[nat])
            for s, subnet in enumerate(subnets):
                table = public_rt if s < PUBLIC_SUBNETS_PER_VPC else \
                    private_rts[s % len(azs)][plan.private_table[s]]
                cloud.associate_route_table(table, subnet)
            acls = [_custom_nacl(cloud, vpc.id, f"10.{v}.0.0/16", blocked, f"v{v}-acl{n}")
                    for n, blocked in enumerate(plan.nacl_blocked)]
            for n, s in enumerate(plan.nacl_subnets):
                cloud.replace_network_acl_association(subnets[s], acls[n % len(acls)])
        with _Clock(world.phases, "security groups"):
            groups = [cloud.create_security_group(vpc.id, f"grp{v}-{g:04d}", "benchmark group").id
                      for g in range(GROUPS_PER_VPC)]
        with _Clock(world.phases, "security group rules"):
            for group, rules in zip(groups, plan.rules, strict=True):
                for egress, protocol, port, ports, cidr, peer in rules:
                    other = None if peer is None else groups[peer]
                    if egress:
                        cloud.authorize_security_group_egress(group, protocol, port, ports=ports, cidr=cidr,
                                                              destination_group=other)
                    else:
                        cloud.authorize_security_group_ingress(group, protocol, port, ports=ports, cidr=cidr,
                                                               source_group=other)
        with _Clock(world.phases, "instances and ENIs"):
            world.instances[vpc.id] = []
            for s, subnet in enumerate(subnets):
                for n, chosen in enumerate(plan.eni_groups[s]):
                    sgs = [groups[g] for g in chosen]
                    if n >= INSTANCES_PER_SUBNET:
                        cloud.create_network_interface(subnet, security_groups=sgs)
                        continue
                    (instance,) = cloud.run_instances(subnet, security_groups=sgs)
                    world.instances[vpc.id].append(instance.id)
                    if s < PUBLIC_SUBNETS_PER_VPC:
                        world.public.append(instance.id)
    return world


def _custom_nacl(cloud: Cloud, vpc: str, vpc_cidr: str, blocked: str, name: str) -> str:
    acl = cloud.create_network_acl(vpc, name=name).id
    for egress in (False, True):
        cloud.create_network_acl_entry(acl, 90, "tcp", "deny", "0.0.0.0/0", egress=egress, port=23)
        cloud.create_network_acl_entry(acl, 95, "-1", "deny", blocked, egress=egress)
        cloud.create_network_acl_entry(acl, 100, "-1", "allow", vpc_cidr, egress=egress)
        cloud.create_network_acl_entry(acl, 110, "tcp", "allow", "0.0.0.0/0", egress=egress, port=443)
        cloud.create_network_acl_entry(acl, 120, "tcp", "allow", "0.0.0.0/0", egress=egress, port=80)
        cloud.create_network_acl_entry(acl, 130, "tcp", "allow", "0.0.0.0/0", egress=egress, ports=(1024, 65535))
        cloud.create_network_acl_entry(acl, 140, "udp", "allow", "0.0.0.0/0", egress=egress, ports=(1024, 65535))
        cloud.create_network_acl_entry(acl, 150, "icmp", "allow", "0.0.0.0/0", egress=egress)
    return acl


# --- the lesson world ------------------------------------------------------------------------
def build_lesson(seed: int) -> World:
    """The classic lesson VPC: a public web subnet with a NAT gateway, private app and db subnets."""
    cloud = Cloud(seed=seed)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lesson")
    igw = cloud.create_internet_gateway(name="lesson-igw")
    cloud.attach_internet_gateway(igw, vpc)
    web = cloud.create_subnet(vpc, "10.0.1.0/24", az="a", name="web", map_public_ip_on_launch=True)
    app = cloud.create_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    db = cloud.create_subnet(vpc, "10.0.3.0/24", az="b", name="db")
    web_rt = cloud.create_route_table(vpc, name="web-rt")
    cloud.create_route(web_rt, "0.0.0.0/0", igw)
    cloud.associate_route_table(web_rt, web)
    nat = cloud.create_nat_gateway(web, allocation=cloud.allocate_address(name="nat-eip"), name="nat")
    app_rt = cloud.create_route_table(vpc, name="app-rt")
    cloud.create_route(app_rt, "0.0.0.0/0", nat)
    cloud.associate_route_table(app_rt, app)
    web_sg = cloud.create_security_group(vpc, "web-sg", "web tier")
    cloud.authorize_security_group_ingress(web_sg, "tcp", 443, cidr="0.0.0.0/0")
    cloud.authorize_security_group_ingress(web_sg, "tcp", 80, cidr="0.0.0.0/0")
    admin_sg = cloud.create_security_group(vpc, "admin-sg", "ssh from the office")
    cloud.authorize_security_group_ingress(admin_sg, "tcp", 22, cidr="203.0.113.0/24")
    app_sg = cloud.create_security_group(vpc, "app-sg", "app tier")
    cloud.authorize_security_group_ingress(app_sg, "tcp", 8080, source_group=web_sg)
    db_sg = cloud.create_security_group(vpc, "db-sg", "database")
    cloud.authorize_security_group_ingress(db_sg, "tcp", 5432, source_group=app_sg)
    db_acl = cloud.create_network_acl(vpc, name="db-acl")
    cloud.create_network_acl_entry(db_acl, 100, "tcp", "allow", "10.0.2.0/24", port=5432)
    cloud.create_network_acl_entry(db_acl, 100, "tcp", "allow", "10.0.2.0/24", egress=True, ports=(1024, 65535))
    cloud.replace_network_acl_association(db, db_acl)
    launched = [*cloud.run_instances(web, 2, name="web", security_groups=[web_sg, admin_sg]),
                *cloud.run_instances(app, 2, name="app", security_groups=[app_sg]),
                *cloud.run_instances(db, 2, name="db", security_groups=[db_sg])]
    return World(cloud, {vpc.id: [i.id for i in launched]}, [i.id for i in launched if i.public_ip])


# --- measuring -------------------------------------------------------------------------------
def trace_latencies(world: World, seed: int, count: int) -> tuple[dict[str, list[float]], int]:
    """Milliseconds per trace, by kind, and how many of the connections could be made."""
    rng = random.Random(seed)
    vpcs = [v for v, ids in world.instances.items() if len(ids) > 1]
    cases = []
    for n in range(WARMUP + count):
        kind = KINDS[n % len(KINDS)]
        if kind == "vpc":
            source, destination = rng.sample(world.instances[rng.choice(vpcs)], 2)
        elif kind == "egress":
            source, destination = rng.choice(world.instances[rng.choice(vpcs)]), public_address(rng)
        else:
            source, destination = public_address(rng), rng.choice(world.public)
        cases.append((kind, source, destination, rng.choice(PORTS)))
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    reachable = 0
    for n, (kind, source, destination, port) in enumerate(cases):
        start = time.perf_counter()
        result = world.cloud.trace(source, destination, "tcp", port)
        elapsed = (time.perf_counter() - start) * 1000
        if n >= WARMUP:
            times[kind].append(elapsed)
            reachable += result.reachable
    return times, reachable


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(len(ordered) * q / 100) - 1))]


def summarize(times: dict[str, list[float]], reachable: int) -> str:
    count = sum(len(t) for t in times.values())
    by_kind = ", ".join(f"{k} {percentile(times[k], 50):.3f}/{percentile(times[k], 95):.3f}" for k in KINDS)
    return f"{count} traces, {reachable} reachable; p50/p95 ms by kind: {by_kind}"


def run(seed: int, traces: int) -> tuple[dict[str, float], list[tuple[str, str]]]:
    figures: dict[str, float] = {}
    notes: list[tuple[str, str]] = []
    lesson = build_lesson(seed)
    times, reachable = trace_latencies(lesson, seed, traces)
    everything = [t for kind in KINDS for t in times[kind]]
    figures["lesson_trace_p50_ms"] = percentile(everything, 50)
    figures["lesson_trace_p95_ms"] = percentile(everything, 95)
    notes.append(("lesson", summarize(times, reachable)))

    plans = plan_large(seed, len(Cloud().azs))
    start = time.perf_counter()
    large = build_large(seed, plans)
    figures["build_s"] = time.perf_counter() - start
    items = list(large.cloud._items.values())  # a read-only look at the store, to confirm the world's size
    kinds = (Vpc, Subnet, NetworkInterface, Instance, SecurityGroup, RouteTable, NetworkAcl, NatGateway)
    counts = {kind.__name__: sum(1 for item in items if type(item) is kind) for kind in kinds}
    rules = sum(len(g.ingress) + len(g.egress) for g in items if isinstance(g, SecurityGroup))
    notes.append(("large world", ", ".join(f"{k} {c:,}" for k, c in counts.items()) + f", SG rules {rules:,}"))
    notes.append(("build phases", ", ".join(f"{k} {s:.2f} s" for k, s in large.phases.items())))
    times, reachable = trace_latencies(large, seed + 1, traces)
    everything = [t for kind in KINDS for t in times[kind]]
    figures["large_trace_p50_ms"] = percentile(everything, 50)
    figures["large_trace_p95_ms"] = percentile(everything, 95)
    notes.append(("large", summarize(times, reachable)))
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    notes.append(("peak_mib", "peak resident set size of the process (getrusage ru_maxrss), imports included"))
    return figures, notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_trace", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON object of figures and targets")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--traces", type=int, default=TRACES, help="traces in each world (default %(default)s)")
    args = parser.parse_args(argv)
    figures, notes = run(args.seed, args.traces)
    print(f"{'figure':<22} {'value':>10} {'target':>8}  met")
    for name in FIGURES:
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if figures[name] <= target else "NO")
        print(f"{name:<22} {figures[name]:>10.3f} {'' if target is None else target:>8}  {met}")
    for label, text in notes:
        print(f"{label}: {text}")
    if args.json:
        result: dict[str, float] = {}
        for name in FIGURES:
            result[name] = round(figures[name], 4)
            if name in TARGETS:
                result[f"{name}_target"] = TARGETS[name]
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
