"""NAT gateway port translation (aws-vpc-facts.md §6): the table, the port range, the limit."""

from __future__ import annotations

import pytest

from vpclab import Cloud, VpcLabError
from vpclab.resources import NatGateway

INTERNET = "93.184.216.34"


@pytest.fixture
def lab() -> tuple[Cloud, NatGateway, list[str]]:
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    public = cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app", nat_in=public)
    hosts = [i.id for i in cloud.run_instances(app, 4, "app")]
    nat = next(n for n in cloud._all(NatGateway))
    return cloud, nat, hosts


def test_a_trace_changes_nothing_but_open_connection_records_a_translation(lab: tuple[Cloud, NatGateway, list[str]]
                                                                         ) -> None:
    cloud, nat, hosts = lab
    cloud.trace(hosts[0], INTERNET, "tcp", 443)
    assert cloud.nat_translations(nat).entries == {}
    cloud.open_connection(hosts[0], INTERNET, "tcp", 443, source_port=40000)
    (entry,) = cloud.nat_translations(nat).entries.values()
    assert (entry.private_port, entry.public_ip, entry.destination_ip) == (40000, nat.public_ip, INTERNET)
    assert 1024 <= entry.public_port <= 65535


def test_many_hosts_share_one_public_address_with_different_ports(lab: tuple[Cloud, NatGateway, list[str]]) -> None:
    cloud, nat, hosts = lab
    for host in hosts:
        for _ in range(3):
            cloud.open_connection(host, INTERNET, "tcp", 443)
    entries = list(cloud.nat_translations(nat).entries.values())
    assert len(entries) == 12 and {e.public_ip for e in entries} == {nat.public_ip}
    assert len({e.public_port for e in entries}) == 12  # many-to-one NAPT: ports keep connections apart
    assert "12 translated connection(s)" in cloud.nat_translations(nat)._text_()


def test_the_connections_per_destination_limit_gives_error_port_allocation(
        lab: tuple[Cloud, NatGateway, list[str]]) -> None:
    cloud, _, hosts = lab
    cloud.quotas.nat_connections_per_destination = 3  # 55,000 by default; small to see the limit
    for port in (40001, 40002, 40003):
        cloud.open_connection(hosts[0], INTERNET, "tcp", 443, source_port=port)
    cloud.open_connection(hosts[0], "93.184.216.35", "tcp", 443, source_port=40004)  # another destination
    with pytest.raises(VpcLabError) as caught:
        cloud.open_connection(hosts[0], INTERNET, "tcp", 443, source_port=40005)
    assert caught.value.code == "ErrorPortAllocation"


def test_open_connection_refuses_what_cannot_connect(lab: tuple[Cloud, NatGateway, list[str]]) -> None:
    cloud, nat, hosts = lab
    cloud.delete_nat_gateway(nat)
    with pytest.raises(VpcLabError) as caught:
        cloud.open_connection(hosts[0], INTERNET, "tcp", 443)
    assert caught.value.code == "ConnectionRefused" and "BAD_STATE_ROUTE" in str(caught.value)


def test_a_nat_gateway_whose_own_subnet_routes_back_to_it_is_a_loop() -> None:
    # the common mistake: the NAT gateway created in the private subnet it should serve
    cloud = Cloud(seed=3)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    nat = cloud.create_nat_gateway(app, cloud.allocate_address(), name="misplaced")
    cloud.create_route(cloud.route_table_for(app), "0.0.0.0/0", nat)
    trace = cloud.trace(cloud.launch(app), INTERNET, "tcp", 443)
    (blocker,) = trace.explanations
    assert (blocker.code, blocker.component) == ("ROUTING_LOOP", cloud.route_table_for(app).id)
    assert "back to the NAT gateway itself" in blocker.message
    assert [h.action for h in trace.forward if h.component == nat.id] == ["translate", "drop"]


def test_a_trace_uses_the_quota_as_it_is_now(lab: tuple[Cloud, NatGateway, list[str]]) -> None:
    cloud, nat, hosts = lab
    cloud.quotas.nat_connections_per_destination = 2
    for host in hosts[:2]:
        cloud.open_connection(host, INTERNET, "tcp", 443)
    cloud.quotas.nat_connections_per_destination = 55_000  # raised again: the table follows
    assert cloud.trace(hosts[2], INTERNET, "tcp", 443).reachable
    cloud.open_connection(hosts[2], INTERNET, "tcp", 443)
    assert len(cloud.nat_translations(nat).entries) == 3
