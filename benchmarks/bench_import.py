"""Importing a large account: ``Cloud.from_aws`` on a big describe file, then ``reach`` over it.

Run ``python -m benchmarks.bench_import`` for a table, ``--json`` for one JSON object of figures
(with their targets beside them) on the last line. The account is generated from ``--seed`` as
the combined describe JSON of DESIGN.md §4 (the dicts are written directly, with AWS's field
names): 100 VPCs, 3,000 subnets, 10,000 network interfaces of type ``interface`` (8,000 of
them instances' primary interfaces, 2,000 standalone) plus one NAT gateway's interface per VPC,
5,000 security groups holding 50,000 rules (one allow-all egress rule each and nine more),
500 route tables, 300 network ACLs, 100 internet and NAT gateways, 150 peering connections.

The file is written to a temporary folder; the measurements run in a fresh interpreter
(``--child FILE``), so that generating the file does not count:

- ``import_s``: wall time (time.perf_counter) of ``Cloud.from_aws(FILE)``: reading and parsing
  the JSON included. ``parse_s`` is the ``json.load`` part of it, measured apart.
- ``peak_mib``: the peak resident set size of that fresh process (``resource.getrusage``
  ``ru_maxrss``) after the import and the reach: the interpreter and vpclab's imports
  (``baseline_mib``, measured before loading) included.
- ``reach_s``: wall time of ``reach(cloud, DB, "tcp", 5432)`` over every source interface, to a
  database instance in VPC 0 that its security group opens to 10.0.0.0/8 and to an app group.
  Afterwards 500 random sources are traced on their own and compared with their group's
  verdict (``reach_checked_differ``, expected 0; not timed).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SEED = 2025
VPCS = 100
SUBNETS_PER_VPC = 30  # 3,000
PUBLIC_SUBNETS_PER_VPC = 5
ENIS = 10_000  # of type interface
INSTANCE_SHARE = 0.8  # 8,000 instances; the other 2,000 interfaces stand alone
GROUPS_PER_VPC = 50  # 5,000
RULES_PER_GROUP = 10  # 50,000: the allow-all egress rule and nine more
PRIVATE_TABLES_PER_VPC = 3  # with the main and the public table: 5 per VPC, 500
CUSTOM_NACLS_PER_VPC = 2  # with the default one: 300
PEERINGS = 150
AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
PORTS = (22, 80, 443, 3306, 5432, 6379, 8080, 8443)
CHECKED = 500  # sources whose grouped verdict is compared with a trace of their own

TARGETS = {"import_s": 5.0, "peak_mib": 1024, "reach_s": 10.0}
FIGURES = ("parse_s", "import_s", "baseline_mib", "peak_mib", "reach_s")


def _id(prefix: str, *numbers: int) -> str:
    value = 0
    for number in numbers:
        value = value * 100_003 + number + 1
    return f"{prefix}-{value:017x}"


def _tags(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def _permission(protocol: str, port: int | None, peer: str) -> dict[str, Any]:
    item: dict[str, Any] = {"IpProtocol": protocol, "IpRanges": [], "UserIdGroupPairs": [], "PrefixListIds": [],
                            "Ipv6Ranges": []}
    if port is not None:
        item.update(FromPort=port, ToPort=port)
    if peer.startswith("sg-"):
        item["UserIdGroupPairs"] = [{"GroupId": peer, "UserId": "123456789012"}]
    else:
        item["IpRanges"] = [{"CidrIp": peer}]
    return item


def generate(seed: int) -> tuple[dict[str, Any], str]:
    """The combined describe JSON of the account, and the id of the database instance."""
    rng = random.Random(seed)
    data: dict[str, Any] = {key: [] for key in (
        "Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "SecurityGroups", "NetworkAcls",
        "VpcPeeringConnections", "NetworkInterfaces", "Reservations", "Addresses", "DhcpOptions")}
    data["DhcpOptions"].append({"DhcpOptionsId": "dopt-00000000000000001", "DhcpConfigurations": [
        {"Key": "domain-name", "Values": [{"Value": "ec2.internal"}]},
        {"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]}], "Tags": []})
    per_subnet = [ENIS // (VPCS * SUBNETS_PER_VPC)] * (VPCS * SUBNETS_PER_VPC)
    for extra in rng.sample(range(len(per_subnet)), ENIS - sum(per_subnet)):
        per_subnet[extra] += 1
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < PEERINGS:
        a, b = sorted(rng.sample(range(VPCS), 2))
        pairs.add((a, b))
    peers: dict[int, list[tuple[int, str]]] = {v: [] for v in range(VPCS)}
    for n, (a, b) in enumerate(sorted(pairs)):
        pcx = _id("pcx", n)
        peers[a].append((b, pcx))
        peers[b].append((a, pcx))
        data["VpcPeeringConnections"].append({
            "VpcPeeringConnectionId": pcx, "Status": {"Code": "active", "Message": "Active"},
            "RequesterVpcInfo": {"VpcId": _id("vpc", a), "CidrBlock": f"10.{a}.0.0/16", "OwnerId": "123456789012"},
            "AccepterVpcInfo": {"VpcId": _id("vpc", b), "CidrBlock": f"10.{b}.0.0/16", "OwnerId": "123456789012"},
            "Tags": []})
    instance_number = 0
    database = ""
    for v in range(VPCS):
        vpc_id = _id("vpc", v)
        data["Vpcs"].append({"VpcId": vpc_id, "CidrBlock": f"10.{v}.0.0/16", "State": "available",
                             "DhcpOptionsId": "dopt-00000000000000001", "IsDefault": False, "OwnerId": "123456789012",
                             "InstanceTenancy": "default", "CidrBlockAssociationSet": [
                                 {"AssociationId": _id("vpc-cidr-assoc", v), "CidrBlock": f"10.{v}.0.0/16",
                                  "CidrBlockState": {"State": "associated"}}], "Tags": _tags(f"vpc-{v}")})
        igw = _id("igw", v)
        data["InternetGateways"].append({"InternetGatewayId": igw, "Attachments": [
            {"State": "available", "VpcId": vpc_id}], "OwnerId": "123456789012", "Tags": _tags(f"igw-{v}")})
        subnets = [_id("subnet", v, k) for k in range(SUBNETS_PER_VPC)]
        for k, subnet_id in enumerate(subnets):
            data["Subnets"].append({
                "SubnetId": subnet_id, "VpcId": vpc_id, "CidrBlock": f"10.{v}.{k}.0/24", "State": "available",
                "AvailabilityZone": AZS[k % len(AZS)], "AvailableIpAddressCount": 251,
                "MapPublicIpOnLaunch": k < PUBLIC_SUBNETS_PER_VPC, "DefaultForAz": False,
                "Tags": _tags(f"{'public' if k < PUBLIC_SUBNETS_PER_VPC else 'private'}-{v}-{k}")})
        # security groups: ten rules each, mostly CIDRs of the VPC and groups of the VPC
        groups = [_id("sg", v, g) for g in range(GROUPS_PER_VPC)]
        for g, group_id in enumerate(groups):
            ingress = []
            seen: set[tuple[str, int | None, str]] = set()
            while len(ingress) < RULES_PER_GROUP - 1:
                port = rng.choice(PORTS)
                roll = rng.random()
                if roll < 0.3:
                    peer = rng.choice(groups)
                elif roll < 0.55:
                    peer = f"10.{v}.{rng.randrange(SUBNETS_PER_VPC)}.0/24"
                elif roll < 0.75:
                    peer = rng.choice(("10.0.0.0/8", f"10.{v}.0.0/16", "0.0.0.0/0"))
                elif roll < 0.95:
                    other = rng.choice(peers[v])[0] if peers[v] else v
                    peer = f"10.{other}.0.0/16"
                else:  # a single host: an administrator's workstation on premises
                    peer = f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}/32"
                if (peer, port, "tcp") not in seen:
                    seen.add((peer, port, "tcp"))
                    ingress.append(_permission("tcp", port, peer))
            data["SecurityGroups"].append({
                "GroupId": group_id, "GroupName": "default" if g == 0 else f"sg-{v}-{g}", "VpcId": vpc_id,
                "Description": "generated", "OwnerId": "123456789012", "IpPermissions": ingress,
                "IpPermissionsEgress": [_permission("-1", None, "0.0.0.0/0")], "Tags": []})
        # NAT gateway in the first public subnet
        nat = _id("nat", v)
        nat_eni = _id("eni", 900_000 + v)
        nat_public = f"3.{v // 250 + 80}.{v % 250}.10"
        data["NatGateways"].append({
            "NatGatewayId": nat, "SubnetId": subnets[0], "VpcId": vpc_id, "State": "available",
            "ConnectivityType": "public", "CreateTime": "2024-05-01T12:00:00+00:00", "NatGatewayAddresses": [
                {"AllocationId": _id("eipalloc", v), "NetworkInterfaceId": nat_eni, "PrivateIp": f"10.{v}.0.254",
                 "PublicIp": nat_public, "IsPrimary": True, "Status": "succeeded"}], "Tags": _tags(f"nat-{v}")})
        data["Addresses"].append({"AllocationId": _id("eipalloc", v), "PublicIp": nat_public, "Domain": "vpc",
                                  "NetworkInterfaceId": nat_eni, "PrivateIpAddress": f"10.{v}.0.254", "Tags": []})
        data["NetworkInterfaces"].append({
            "NetworkInterfaceId": nat_eni, "SubnetId": subnets[0], "VpcId": vpc_id, "InterfaceType": "nat_gateway",
            "PrivateIpAddress": f"10.{v}.0.254", "Groups": [], "SourceDestCheck": False, "Status": "in-use",
            "Association": {"PublicIp": nat_public, "AllocationId": _id("eipalloc", v)},
            "Description": f"Interface for NAT Gateway {nat}", "TagSet": []})
        # route tables: main (local only), public (to the IGW), private ones (to the NAT and peers)
        local = {"DestinationCidrBlock": f"10.{v}.0.0/16", "GatewayId": "local", "State": "active",
                 "Origin": "CreateRouteTable"}
        peering_routes = [{"DestinationCidrBlock": f"10.{other}.0.0/16", "VpcPeeringConnectionId": pcx,
                           "State": "active", "Origin": "CreateRoute"} for other, pcx in peers[v]]
        tables = [(_id("rtb", v, 0), [local], [{"Main": True}])]
        tables.append((_id("rtb", v, 1), [local, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw,
                                                  "State": "active", "Origin": "CreateRoute"}],
                       [{"SubnetId": s} for s in subnets[:PUBLIC_SUBNETS_PER_VPC]]))
        private = subnets[PUBLIC_SUBNETS_PER_VPC:]
        for t in range(PRIVATE_TABLES_PER_VPC):
            routes = [local, {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat, "State": "active",
                              "Origin": "CreateRoute"}, *peering_routes]
            tables.append((_id("rtb", v, 2 + t), routes, [{"SubnetId": s} for s in private[t::PRIVATE_TABLES_PER_VPC]]))
        for t, (table_id, routes, associations) in enumerate(tables):
            data["RouteTables"].append({
                "RouteTableId": table_id, "VpcId": vpc_id, "Routes": routes, "PropagatingVgws": [],
                "Associations": [{"RouteTableAssociationId": _id("rtbassoc", v, t, n),
                                  "RouteTableId": table_id, "Main": bool(a.get("Main")), "SubnetId": a.get("SubnetId"),
                                  "AssociationState": {"State": "associated"}} for n, a in enumerate(associations)],
                "OwnerId": "123456789012", "Tags": []})
        # network ACLs: the default one (allow all) and two for halves of the private subnets
        allow_all = [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": egress,
                      "CidrBlock": "0.0.0.0/0"} for egress in (False, True)]
        deny_all = [{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": egress,
                     "CidrBlock": "0.0.0.0/0"} for egress in (False, True)]
        data["NetworkAcls"].append({
            "NetworkAclId": _id("acl", v, 0), "VpcId": vpc_id, "IsDefault": True, "Entries": allow_all + deny_all,
            "Associations": [{"NetworkAclAssociationId": _id("aclassoc", v, k), "NetworkAclId": _id("acl", v, 0),
                              "SubnetId": s} for k, s in enumerate(subnets[:PUBLIC_SUBNETS_PER_VPC])],
            "Tags": []})
        for c in range(CUSTOM_NACLS_PER_VPC):
            entries = [
                {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": False,
                 "CidrBlock": f"10.{v}.{rng.randrange(SUBNETS_PER_VPC)}.0/24", "PortRange": {"From": 22, "To": 22}},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False,
                 "CidrBlock": "10.0.0.0/8"},
                {"RuleNumber": 110, "Protocol": "6", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0",
                 "PortRange": {"From": 1024, "To": 65535}},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True, "CidrBlock": "0.0.0.0/0"},
                *deny_all]
            mine = private[c::CUSTOM_NACLS_PER_VPC]
            data["NetworkAcls"].append({
                "NetworkAclId": _id("acl", v, 1 + c), "VpcId": vpc_id, "IsDefault": False, "Entries": entries,
                "Associations": [{"NetworkAclAssociationId": _id("aclassoc", v, 100 + c * 100 + k),
                                  "NetworkAclId": _id("acl", v, 1 + c), "SubnetId": s} for k, s in enumerate(mine)],
                "Tags": []})
        # network interfaces: each subnet's use a couple of combinations of the VPC's groups
        for k, subnet_id in enumerate(subnets):
            count = per_subnet[v * SUBNETS_PER_VPC + k]
            menu = [rng.sample(groups, rng.randint(1, 3)) for _ in range(2)]
            hosts = rng.sample(range(4, 250), count)
            for n, host in enumerate(hosts):
                eni_id = _id("eni", v, k, n)
                address = f"10.{v}.{k}.{host}"
                chosen = rng.choice(menu)
                eni_groups = [{"GroupId": g, "GroupName": f"sg-{g}"} for g in chosen]
                public = f"54.{v}.{k}.{host}" if k < PUBLIC_SUBNETS_PER_VPC else None
                is_instance = rng.random() < INSTANCE_SHARE
                if v == 0 and k == PUBLIC_SUBNETS_PER_VPC and n == 0:
                    is_instance, chosen = True, [groups[1]]
                    eni_groups = [{"GroupId": groups[1], "GroupName": "db"}]
                instance_id = _id("i", instance_number) if is_instance else None
                interface: dict[str, Any] = {
                    "NetworkInterfaceId": eni_id, "SubnetId": subnet_id, "VpcId": vpc_id,
                    "AvailabilityZone": AZS[k % len(AZS)], "InterfaceType": "interface", "PrivateIpAddress": address,
                    "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": address}], "Groups": eni_groups,
                    "SourceDestCheck": True, "Status": "in-use", "Description": "", "TagSet": []}
                if public:
                    interface["Association"] = {"PublicIp": public, "IpOwnerId": "amazon"}
                if instance_id:
                    interface["Attachment"] = {"AttachmentId": _id("eni-attach", instance_number),
                                               "InstanceId": instance_id, "DeviceIndex": 0, "Status": "attached",
                                               "AttachTime": "2024-05-01T12:00:00+00:00"}
                    instance = {
                        "InstanceId": instance_id, "InstanceType": "t3.micro", "ImageId": "ami-12c6146b",
                        "State": {"Code": 16, "Name": "running"}, "SubnetId": subnet_id, "VpcId": vpc_id,
                        "PrivateIpAddress": address, "SecurityGroups": eni_groups, "SourceDestCheck": True,
                        "LaunchTime": "2024-05-01T12:00:00+00:00", "Placement": {"AvailabilityZone": AZS[k % 3]},
                        "NetworkInterfaces": [{"NetworkInterfaceId": eni_id, "SubnetId": subnet_id, "VpcId": vpc_id,
                                               "PrivateIpAddress": address, "Groups": eni_groups,
                                               "Attachment": {"DeviceIndex": 0, "Status": "attached"}}],
                        "Tags": _tags("db" if not database and v == 0 and k == PUBLIC_SUBNETS_PER_VPC
                                      else f"host-{instance_number}")}
                    if public:
                        instance["PublicIpAddress"] = public
                    if not database and v == 0 and k == PUBLIC_SUBNETS_PER_VPC:
                        database = instance_id
                    data["Reservations"].append({"ReservationId": _id("r", instance_number),
                                                 "OwnerId": "123456789012", "Instances": [instance]})
                    instance_number += 1
                data["NetworkInterfaces"].append(interface)
    # the database's group: 5432 from the whole private range and from an application group
    db_group = next(g for g in data["SecurityGroups"] if g["GroupId"] == _id("sg", 0, 1))
    db_group["IpPermissions"][:2] = [_permission("tcp", 5432, "10.0.0.0/8"), _permission("tcp", 5432, _id("sg", 0, 2))]
    return data, database


def counts(data: dict[str, Any]) -> dict[str, int]:
    rules = sum(len(p["IpRanges"]) + len(p["UserIdGroupPairs"]) for g in data["SecurityGroups"]
                for p in (*g["IpPermissions"], *g["IpPermissionsEgress"]))
    interfaces = sum(1 for n in data["NetworkInterfaces"] if n["InterfaceType"] == "interface")
    return {"VPCs": len(data["Vpcs"]), "subnets": len(data["Subnets"]), "interfaces": interfaces,
            "NAT interfaces": len(data["NetworkInterfaces"]) - interfaces, "instances": len(data["Reservations"]),
            "security groups": len(data["SecurityGroups"]), "rules": rules, "route tables": len(data["RouteTables"]),
            "network ACLs": len(data["NetworkAcls"]), "peerings": len(data["VpcPeeringConnections"])}


# --- the measuring process ---------------------------------------------------------------------
def measure(path: str, database: str) -> dict[str, Any]:
    """Runs in a fresh interpreter: import, then reach (see the module docstring)."""
    from vpclab import Cloud
    from vpclab.reach import reach

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with open(path, encoding="utf-8") as stream:
        json.load(stream)
    parse_s = time.perf_counter() - start
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        cloud = Cloud.from_aws(path)
        import_s = time.perf_counter() - start
    start = time.perf_counter()
    report = reach(cloud, database, "tcp", 5432)
    reach_s = time.perf_counter() - start
    blockers = {f"{b.code}@{b.component}": b.sources for b in report.blockers[:4]}
    # grouping is checked, not trusted: a sample of sources traced on their own must agree
    sample = random.Random(len(report.results)).sample(report.results, min(CHECKED, len(report.results)))
    differ = 0
    for result in sample:
        own = cloud.trace(result.source, database, "tcp", 5432)
        first = own.blocker
        differ += (own.reachable, first and first.code, first and first.component) != (
            result.reachable, result.code, result.component)
    return {"parse_s": parse_s, "import_s": import_s, "baseline_mib": baseline,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "reach_s": reach_s,
            "warnings": len(caught), "first_warning": str(caught[0].message) if caught else "",
            "reach": {**report.grouping.to_dict(), "reachable": len(report.reachable), "checked": len(sample),
                      "differ": differ}, "blockers": blockers}


def run(seed: int) -> tuple[dict[str, Any], dict[str, int]]:
    start = time.perf_counter()
    data, database = generate(seed)
    generate_s = time.perf_counter() - start
    sizes = counts(data)
    with tempfile.TemporaryDirectory(prefix="vpclab-bench-import-") as folder:
        path = Path(folder) / "account.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        sizes["file MiB"] = round(path.stat().st_size / 2**20)
        del data
        child = subprocess.run([sys.executable, "-m", "benchmarks.bench_import", "--child", str(path), database],
                               capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    figures["generate_s"] = generate_s
    return figures, sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_import", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON object of figures and targets")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--child", nargs=2, metavar=("FILE", "DESTINATION"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(*args.child)))
        return 0
    figures, sizes = run(args.seed)
    print("account: " + ", ".join(f"{name} {value:,}" for name, value in sizes.items()))
    print(f"{'figure':<14} {'value':>10} {'target':>8}  met")
    for name in FIGURES:
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if figures[name] <= target else "NO")
        print(f"{name:<14} {figures[name]:>10.3f} {'' if target is None else target:>8}  {met}")
    grouping = figures["reach"]
    print(f"reach: {grouping['sources']:,} sources, {grouping['reachable']:,} can reach; "
          f"{grouping['groups']:,} groups, {grouping['traces']:,} traces ({grouping['address_splits']} address splits, "
          f"{grouping['traced_individually']} traced one by one)")
    print(f"checked: {grouping['checked']} sources traced on their own, {grouping['differ']} differ from their group")
    print("blockers: " + ", ".join(f"{k} ×{v}" for k, v in figures["blockers"].items()))
    print(f"import warnings: {figures['warnings']}" + (f" (first: {figures['first_warning']})"
                                                       if figures["warnings"] else ""))
    print(f"generating the file took {figures['generate_s']:.1f} s (not measured); peak_mib is the peak resident set "
          "size (getrusage ru_maxrss) of the fresh process that imports and reaches, interpreter included")
    if args.json:
        result: dict[str, float] = {}
        for name in FIGURES:
            result[name] = round(figures[name], 4)
            if name in TARGETS:
                result[f"{name}_target"] = TARGETS[name]
        result["reach_sources"] = grouping["sources"]
        result["reach_traces"] = grouping["traces"]
        result["reach_checked_differ"] = grouping["differ"]
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
