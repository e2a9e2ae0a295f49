"""The packet tracer at two sizes: a lesson-sized VPC and a large, many-VPC Region.

Run ``python -m benchmarks.bench_trace`` for a table, ``--json`` for one JSON object of figures
(with their targets beside them) on the last line. Everything is generated from ``--seed``
through the public :class:`~vpclab.Cloud` API, raising quotas the way AWS does on request.

- ``build_s``: wall time (time.perf_counter) to build the large world.
- ``peak_mib``: the peak resident set size of the whole process (``resource.getrusage``
  ``ru_maxrss``), interpreter and imports included, at the end of the run.
- ``*_trace_p50_ms`` / ``*_p95_ms``: latency of ``cloud.trace`` (time.perf_counter) over random
  traces: instance to instance in one VPC, instance to the internet, internet to instance.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vpclab import Cloud

SEED = 2024
VPCS = 5
SUBNETS_PER_VPC = 200  # the default quota: 5 VPCs x 200 = 1,000 subnets
PUBLIC_SUBNETS_PER_VPC = 40
INSTANCES_PER_SUBNET = 8  # plus two bare network interfaces: 10 ENIs per subnet, 10,000 in all
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
PORTS = (22, 80, 443, 3306, 5432, 6379, 8080, 8443)
KINDS = ("vpc", "egress", "ingress")  # instance -> instance, instance -> internet, internet -> instance


@dataclass
class World:
    cloud: Cloud
    instances: dict[str, list[str]] = field(default_factory=dict)  # vpc id -> instance ids
    public: list[str] = field(default_factory=list)  # instances with a public IPv4 address


def public_address(rng: random.Random) -> str:
    """An address on the internet (outside RFC 1918, 100.64/10 and the engine's own public pool)."""
    return f"{rng.choice((8, 23, 45, 93, 104, 151, 185, 198))}.{rng.randrange(256)}.{rng.randrange(256)}." \
           f"{rng.randrange(1, 255)}"


def build_large(seed: int) -> World:
    rng = random.Random(seed)
    cloud = Cloud(seed=seed)
    cloud.quotas.security_groups_per_region = 6_000
    cloud.quotas.elastic_ips_per_region = 50
    world = World(cloud)
    azs = cloud.azs
    group_counts = _rule_counts(rng, VPCS * GROUPS_PER_VPC, RULES - VPCS * GROUPS_PER_VPC)
    for v in range(VPCS):
        vpc = cloud.create_vpc(f"10.{v}.0.0/16", name=f"vpc{v}")
        igw = cloud.create_internet_gateway(name=f"igw{v}")
        cloud.attach_internet_gateway(igw, vpc)
        subnets = [cloud.create_subnet(vpc.id, f"10.{v}.{s}.0/24", az=azs[s % len(azs)], name=f"v{v}-s{s}",
                                       map_public_ip_on_launch=s < PUBLIC_SUBNETS_PER_VPC).id
                   for s in range(SUBNETS_PER_VPC)]
        public_rt = cloud.create_route_table(vpc.id, name=f"v{v}-public")
        cloud.create_route(public_rt.id, "0.0.0.0/0", igw.id)
        for _ in range(EXTRA_ROUTES_PER_TABLE):
            _extra_route(cloud, rng, public_rt.id, igw.id)
        nats = []
        for a, az in enumerate(azs):
            eip = cloud.allocate_address(name=f"v{v}-eip-{az}")
            nats.append(cloud.create_nat_gateway(subnets[a], allocation=eip.id, name=f"v{v}-nat-{az}").id)
        private_rts: list[list[str]] = [[] for _ in azs]
        for a in range(len(azs)):
            for t in range(PRIVATE_TABLES_PER_AZ):
                table = cloud.create_route_table(vpc.id, name=f"v{v}-private-{a}-{t}")
                cloud.create_route(table.id, "0.0.0.0/0", nats[a])
                for _ in range(EXTRA_ROUTES_PER_TABLE):
                    _extra_route(cloud, rng, table.id, rng.choice(nats))
                private_rts[a].append(table.id)
        for s, subnet in enumerate(subnets):
            table = public_rt.id if s < PUBLIC_SUBNETS_PER_VPC else rng.choice(private_rts[s % len(azs)])
            cloud.associate_route_table(table, subnet)
        acls = [_custom_nacl(cloud, rng, vpc.id, f"10.{v}.0.0/16", f"v{v}-acl{n}") for n in range(NACLS_PER_VPC)]
        for n, subnet in enumerate(rng.sample(subnets, NACL_SUBNETS_PER_VPC)):
            cloud.replace_network_acl_association(subnet, acls[n % len(acls)])
        groups = [cloud.create_security_group(vpc.id, f"grp{v}-{g:04d}", "benchmark group").id
                  for g in range(GROUPS_PER_VPC)]
        for g, group in enumerate(groups):
            _add_rules(cloud, rng, group, groups, group_counts[v * GROUPS_PER_VPC + g], v)
        world.instances[vpc.id] = []
        for s, subnet in enumerate(subnets):
            for _ in range(INSTANCES_PER_SUBNET):
                (instance,) = cloud.run_instances(subnet, security_groups=rng.sample(groups, rng.randint(1, 5)))
                world.instances[vpc.id].append(instance.id)
                if s < PUBLIC_SUBNETS_PER_VPC:
                    world.public.append(instance.id)
            for _ in range(BARE_ENIS_PER_SUBNET):
                cloud.create_network_interface(subnet, security_groups=rng.sample(groups, rng.randint(1, 5)))
    return world


def _rule_counts(rng: random.Random, groups: int, total: int) -> list[int]:
    """How many rules to authorize in each group: 1 to 40, ``total`` in all."""
    counts = [rng.randint(1, 2 * total // groups - 1) for _ in range(groups)]
    while (gap := total - sum(counts)) != 0:
        i = rng.randrange(groups)
        step = 1 if gap > 0 else -1
        if 1 <= counts[i] + step <= 40:
            counts[i] += step
    return counts


def _extra_route(cloud: Cloud, rng: random.Random, table: str, target: str) -> None:
    while True:
        destination = f"{rng.choice((13, 34, 52, 54, 99))}.{rng.randrange(256)}.0.0/16"
        if all(r.destination != destination for r in cloud.get(table).routes):  # type: ignore[attr-defined]
            cloud.create_route(table, destination, target)
            return


def _custom_nacl(cloud: Cloud, rng: random.Random, vpc: str, vpc_cidr: str, name: str) -> str:
    acl = cloud.create_network_acl(vpc, name=name).id
    blocked = f"{rng.choice((45, 185))}.{rng.randrange(256)}.0.0/16"
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


def _add_rules(cloud: Cloud, rng: random.Random, group: str, peers: Sequence[str], count: int, v: int) -> None:
    """``count`` distinct rules: 3 in 4 inbound; 2 in 3 name a CIDR, the others a group of the VPC."""
    seen: set[tuple[object, ...]] = set()
    while len(seen) < count:
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
            cidr: str | None = rng.choice((
                "0.0.0.0/0", f"10.{v}.0.0/16", f"10.{v}.{rng.randrange(SUBNETS_PER_VPC)}.0/24",
                f"{public_address(rng).rsplit('.', 1)[0]}.0/24", f"{public_address(rng)}/32"))
            peer = None
        else:
            cidr, peer = None, rng.choice(peers)
        key = (egress, protocol, port, ports, cidr, peer)
        if key in seen:
            continue
        seen.add(key)
        if egress:
            cloud.authorize_security_group_egress(group, protocol, port, ports=ports, cidr=cidr,
                                                  destination_group=peer)
        else:
            cloud.authorize_security_group_ingress(group, protocol, port, ports=ports, cidr=cidr, source_group=peer)


def build_lesson(seed: int) -> World:
    """The classic lesson VPC: public web subnet with a NAT gateway, private app and db subnets."""
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
    world = World(cloud)
    launched = [*cloud.run_instances(web, 2, name="web", security_groups=[web_sg, admin_sg]),
                *cloud.run_instances(app, 2, name="app", security_groups=[app_sg]),
                *cloud.run_instances(db, 2, name="db", security_groups=[db_sg])]
    world.instances[vpc.id] = [i.id for i in launched]
    world.public = [i.id for i in launched if i.public_ip]
    return world


def trace_latencies(world: World, seed: int, count: int) -> tuple[dict[str, list[float]], int]:
    """Milliseconds per trace by kind, and how many connections could be made."""
    rng = random.Random(seed)
    cloud = world.cloud
    vpcs = [v for v, ids in world.instances.items() if len(ids) > 1]
    calls: list[tuple[str, Callable[[], object]]] = []
    for n in range(WARMUP + count):
        kind = KINDS[n % len(KINDS)]
        port = rng.choice(PORTS)
        if kind == "vpc":
            source, destination = rng.sample(world.instances[rng.choice(vpcs)], 2)
        elif kind == "egress":
            source, destination = rng.choice(world.instances[rng.choice(vpcs)]), public_address(rng)
        else:
            source, destination = public_address(rng), rng.choice(world.public)
        calls.append((kind, lambda s=source, d=destination, p=port: cloud.trace(s, d, "tcp", p)))
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    reachable = 0
    for n, (kind, call) in enumerate(calls):
        start = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - start) * 1000
        if n >= WARMUP:
            times[kind].append(elapsed)
            reachable += bool(result.reachable)  # type: ignore[attr-defined]
    return times, reachable


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(seed: int, traces: int) -> tuple[dict[str, float], list[tuple[str, str]]]:
    figures: dict[str, float] = {}
    notes: list[tuple[str, str]] = []
    lesson = build_lesson(seed)
    times, ok = trace_latencies(lesson, seed, traces)
    everything = [t for kind in KINDS for t in times[kind]]
    figures["lesson_trace_p50_ms"] = percentile(everything, 50)
    figures["lesson_trace_p95_ms"] = percentile(everything, 95)
    notes.append(("lesson traces", f"{len(everything)}, {ok} reachable; p50 by kind "
                  + ", ".join(f"{k} {percentile(times[k], 50):.3f} ms" for k in KINDS)))

    start = time.perf_counter()
    large = build_large(seed)
    figures["build_s"] = time.perf_counter() - start
    cloud = large.cloud
    counts = {name: sum(1 for item in cloud._items.values() if type(item).__name__ == name)
              for name in ("Vpc", "Subnet", "NetworkInterface", "Instance", "SecurityGroup", "RouteTable",
                           "NetworkAcl", "NatGateway")}
    rules = sum(len(g.ingress) + len(g.egress) for g in cloud._items.values()
                if type(g).__name__ == "SecurityGroup")
    notes.append(("large world", ", ".join(f"{n} {c:,}" for n, c in counts.items()) + f", SG rules {rules:,}"))
    times, ok = trace_latencies(large, seed + 1, traces)
    everything = [t for kind in KINDS for t in times[kind]]
    figures["large_trace_p50_ms"] = percentile(everything, 50)
    figures["large_trace_p95_ms"] = percentile(everything, 95)
    notes.append(("large traces", f"{len(everything)}, {ok} reachable; p50 by kind "
                  + ", ".join(f"{k} {percentile(times[k], 50):.3f} ms" for k in KINDS)))
    figures["peak_mib"] = peak_mib()
    notes.append(("peak memory", "process peak RSS (resource.getrusage ru_maxrss), imports included"))
    return figures, notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_trace", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON object of figures and targets")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--traces", type=int, default=TRACES, help="traces per world (default %(default)s)")
    args = parser.parse_args(argv)
    figures, notes = run(args.seed, args.traces)
    order = ("build_s", "peak_mib", "lesson_trace_p50_ms", "lesson_trace_p95_ms", "large_trace_p50_ms",
             "large_trace_p95_ms")
    print(f"{'figure':<22} {'value':>10} {'target':>8}  met")
    for name in order:
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if figures[name] <= target else "NO")
        print(f"{name:<22} {figures[name]:>10.3f} {'' if target is None else target:>8}  {met}")
    for label, text in notes:
        print(f"{label}: {text}")
    if args.json:
        result: dict[str, float] = {}
        for name in order:
            result[name] = round(figures[name], 4)
            if name in TARGETS:
                result[f"{name}_target"] = TARGETS[name]
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
