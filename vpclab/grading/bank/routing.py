"""Questions about route tables and internet gateways (lesson and exercises 04_routing_gateways).

``route.cN`` are the lesson's "check your understanding" questions (not graded); ``route.qN``
are the graded exercise questions. Every answer is computed with the engine, in the world that
:func:`world` builds (the exercise notebook shows the same world to the learner).

The graded questions take a learner's own numbers (:mod:`vpclab.grading.variant`): each is read
with ``param`` when the world is built or a question is solved, so the default variant gives
the numbers the solution notebook shows. :func:`parameters` lists them; :func:`parameters_table`
shows them.
"""

from __future__ import annotations

from typing import Any

from vpclab.cidr import parse
from vpclab.cloud import Cloud
from vpclab.display import Table
from vpclab.errors import InvalidValue, VpcLabError
from vpclab.grading.questions import Question
from vpclab.grading.variant import param, parameter_table
from vpclab.i18n import message
from vpclab.resources import Instance, NatGateway, Route, Subnet
from vpclab.routing import select_route

__all__ = ["ASSIGNMENT", "ASSIGNMENTS", "INTERNET", "QUESTIONS", "parameters", "parameters_table", "world"]

ASSIGNMENT = "04_routing_gateways"
INTERNET = "8.8.8.8"  # a server on the internet


# --- the learner's numbers (read when the world is built or a question solved, never at import)

def _app_destination() -> str:
    """Question 1: where app-server sends a packet; app-rt carries it by its /21, /16 or 0.0.0.0/0."""
    return param(ASSIGNMENT, "app_destination", "192.168.9.9",
                 ("192.168.9.9", "192.168.12.40", "192.168.15.200", "192.168.3.30", "192.168.20.9",
                  "192.168.200.7", "172.16.5.9", "203.0.113.80"))


def _warehouse_host() -> str:
    """Question 2: a host in the warehouse VPC 192.168.4.0/22 (third octet 4 to 7)."""
    return param(ASSIGNMENT, "warehouse_host", "192.168.5.20",
                 ("192.168.4.77", "192.168.5.20", "192.168.6.130", "192.168.7.9", "192.168.7.201"))


def _reports() -> tuple[str, str]:
    """The subnet reports and the address of reports-server in it (question 7). Every block
    stays clear of web, app and batch (10.10.0.0/22)."""
    return param(ASSIGNMENT, "reports", ("10.10.16.0/20", "10.10.23.45"),
                 (("10.10.16.0/20", "10.10.23.45"), ("10.10.32.0/20", "10.10.41.7"),
                  ("10.10.48.0/20", "10.10.50.200"), ("10.10.8.0/21", "10.10.13.77"),
                  ("10.10.64.0/19", "10.10.85.3"), ("10.10.128.0/18", "10.10.150.9"),
                  ("10.10.96.0/22", "10.10.98.33"), ("10.10.40.0/21", "10.10.46.250")))


def parameters() -> dict[str, Any]:
    """The numbers of the 04_routing_gateways exercises in the variant in force (the default
    variant's are the solution notebook's)."""
    reports_subnet, reports_server = _reports()
    return {"app_destination": _app_destination(), "warehouse_host": _warehouse_host(),
            "reports_subnet": reports_subnet, "reports_server": reports_server}


def parameters_table() -> Table:
    """The same numbers, each with what it is for, for display."""
    values = parameters()
    return parameter_table(ASSIGNMENT, values, {key: message(f"routing.params.{key}") for key in values})


def world() -> Cloud:
    """The exercise world (in the variant in force): VPC ``shop`` 10.10.0.0/16 with an internet
    gateway and

    - subnet ``web`` 10.10.0.0/24 (route table ``web-rt``: 0.0.0.0/0 → the internet gateway),
      holding NAT gateway ``shop-nat`` and instance ``web-server``;
    - subnet ``app`` 10.10.1.0/24 (``app-rt``: 0.0.0.0/0 → ``shop-nat``; 192.168.4.0/22 → the
      peering with VPC ``warehouse``; and the routes the office VPN propagates over BGP:
      192.168.0.0/16, 192.168.4.0/22 and 192.168.8.0/21);
    - subnet ``batch`` 10.10.2.0/24, which gives its instances public IPv4 addresses but has
      no explicit route table association (the main table has only the local route);
    - subnet ``reports`` (``reports-rt``: 0.0.0.0/0 → NAT gateway ``old-nat``, since deleted),
      with ``reports-server``: the learner's ``reports_subnet`` and ``reports_server``
      (default 10.10.16.0/20 and 10.10.23.45).

    Every instance is in security group ``shop-sg``, which lets in HTTPS (443) from anywhere.
    """
    reports_subnet, reports_server = _reports()
    cloud = Cloud(seed=0)
    shop = cloud.create_vpc("10.10.0.0/16", name="shop")
    web = cloud.add_public_subnet(shop, "10.10.0.0/24", az="us-east-1a", name="web")
    nat = cloud.create_nat_gateway(web, cloud.allocate_address(name="shop-nat-eip"), name="shop-nat")
    app = cloud.add_private_subnet(shop, "10.10.1.0/24", az="us-east-1a", name="app", nat_in=web)
    batch = cloud.create_subnet(shop, "10.10.2.0/24", az="us-east-1a", name="batch", map_public_ip_on_launch=True)
    reports = cloud.add_private_subnet(shop, reports_subnet, az="us-east-1a", name="reports")
    old = cloud.create_nat_gateway(web, cloud.allocate_address(name="old-nat-eip"), name="old-nat")
    cloud.create_route("reports-rt", "0.0.0.0/0", old)
    cloud.delete_nat_gateway(old)
    warehouse = cloud.create_vpc("192.168.4.0/22", name="warehouse")
    pcx = cloud.create_vpc_peering_connection(shop, warehouse, name="shop-warehouse")
    cloud.accept_vpc_peering_connection(pcx)
    cloud.create_route("app-rt", "192.168.4.0/22", pcx)
    vgw = cloud.attach_vpn_gateway(cloud.create_vpn_gateway(name="shop-vgw"), shop)
    vpn = cloud.create_vpn_connection(cloud.create_customer_gateway("198.51.100.20", name="office"),
                                      vpn_gateway=vgw, static_routes_only=False, name="office-vpn")
    cloud.advertise_bgp_routes(vpn, ["192.168.0.0/16", "192.168.4.0/22", "192.168.8.0/21"])
    cloud.enable_vgw_route_propagation("app-rt", vgw)
    sg = cloud.allow(cloud.create_security_group(shop, "shop-sg"), 443)
    for subnet in (web, app, batch):
        cloud.launch(subnet, f"{subnet.name}-server", sg)
    cloud.run_instances(reports, 1, "reports-server", [sg], private_ip=reports_server)
    assert nat.state == "available"
    return cloud


# --- the lesson's checks --------------------------------------------------------------------

def _public_ip_without_a_route() -> bool:
    """Can an instance with a public IP reach the internet when its table has only the local route?"""
    cloud = Cloud(seed=0)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    cloud.add_internet_gateway(vpc)
    subnet = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="lonely", map_public_ip_on_launch=True)
    return cloud.trace(cloud.launch(subnet, "box"), INTERNET, "tcp", 443).reachable


def _winner(routes: list[Route], address: str) -> str:
    route = select_route(routes, address)
    assert route is not None, "the question's table must have a matching route"
    return route.destination


# --- the exercises --------------------------------------------------------------------------

def _chosen(subnet: str, address: str) -> Route:
    """The route the subnet's table uses for ``address`` in the exercise world."""
    route = world().route_for(subnet, address).route
    assert route is not None, "the question's table must have a matching route"
    return route


def _warehouse_letter() -> str:
    """A: the static route to the peering; B: the propagated route to the VPN gateway."""
    return "A" if _chosen("app", _warehouse_host()).target.startswith("pcx-") else "B"


def _broken_route() -> str:
    route = _chosen("reports", INTERNET)
    assert route.state == "blackhole"
    return route.destination


def _router_of(instance: str) -> str:
    cloud = world()
    record = cloud.get(instance)
    assert isinstance(record, Instance)
    subnet = cloud.get(record.subnet_id)
    assert isinstance(subnet, Subnet)
    return parse(subnet.cidr).router


def _internet_gateways_per_vpc() -> int:
    """Attach more gateways to ``shop`` until AWS refuses; count how many it holds at once."""
    cloud = world()
    attached = 1 if cloud.internet_gateway_of("shop") is not None else 0
    for _ in range(3):
        try:
            cloud.attach_internet_gateway(cloud.create_internet_gateway(), "shop")
        except VpcLabError:
            break
        attached += 1
    return attached


def _repair_parts(answer: Any) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    """A repair answer: routes to add to batch's table, as [destination, target] pairs; or a
    dict with ``associate`` (an existing table for batch) or ``new_table`` (the name of a new
    custom table for batch), and optionally ``routes`` to add to that table."""
    if not isinstance(answer, dict):
        return None, None, _route_pairs(answer)
    if not answer or not set(answer) <= {"associate", "new_table", "routes"} or \
            {"associate", "new_table"} <= set(answer):
        raise _bad_repair()
    associate, new_table = answer.get("associate"), answer.get("new_table")
    if not all(name is None or isinstance(name, str) for name in (associate, new_table)):
        raise _bad_repair()
    return associate, new_table, _route_pairs(answer.get("routes", []))


def _route_pairs(routes: Any) -> list[tuple[str, str]]:
    if not isinstance(routes, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(p, str) for p in r) for r in routes):
        raise _bad_repair()
    return [(r[0], r[1]) for r in routes]


def _bad_repair() -> InvalidValue:
    return InvalidValue("InvalidAnswer", message("routing.repair_shape"), fix=message("routing.repair_shape_fix"))


def _batch_repaired(answer: Any) -> bool:
    """batch-server reaches the internet through shop-nat, and subnet batch is not public."""
    associate, new_table, routes = _repair_parts(answer)
    cloud = world()
    if new_table is not None:
        cloud.associate_route_table(cloud.create_route_table("shop", new_table), "batch")
    elif associate is not None:
        cloud.associate_route_table(associate, "batch")
    for destination, target in routes:
        cloud.create_route(cloud.route_table_for("batch"), destination, target)
    nat = cloud.get("shop-nat")
    out = cloud.trace("batch-server", INTERNET, "tcp", 443)
    through_nat = any(h.type == "nat-gateway" and h.component == nat.id for h in out.forward)
    return out.reachable and through_nat and cloud.subnet_kind("batch") != "public"


def _batch_repair() -> dict[str, Any]:
    """One accepted repair: a custom table for batch whose default route goes to the NAT gateway."""
    nat = world().get("shop-nat")
    assert isinstance(nat, NatGateway) and nat.state == "available"
    return {"new_table": "batch-rt", "routes": [["0.0.0.0/0", nat.name or nat.id]]}


QUESTIONS = (
    # lesson: check your understanding
    Question("route.c1", "address", lambda: parse("10.0.2.0/24").router),
    Question("route.c2", "cidr", lambda: _winner([Route("10.0.0.0/16", "local", "CreateRouteTable"),
                                                  Route("10.0.0.0/8", "vgw-1"), Route("0.0.0.0/0", "igw-1")],
                                                 "10.0.2.9")),
    Question("route.c3", "bool", _public_ip_without_a_route),
    # exercises
    Question("route.q1", "cidr", lambda: _chosen("app", _app_destination()).destination),
    Question("route.q2", "choice", _warehouse_letter),
    Question("route.q3", "bool", lambda: world().trace("203.0.113.7", "batch-server", "tcp", 443).reachable),
    Question("route.q4", "choice", lambda: world().trace("batch-server", INTERNET, "tcp", 443).explanations[0].code),
    Question("route.q5", "cidr", _broken_route),
    Question("route.q6", "data", _batch_repair, accepts=_batch_repaired),
    Question("route.q7", "address", lambda: _router_of("reports-server")),
    Question("route.q8", "count", _internet_gateways_per_vpc),
)

ASSIGNMENTS = {
    ASSIGNMENT: tuple(f"route.q{n}" for n in range(1, 9)),
}
