"""More paths through the tracer, each from the facts sheet (§3–§8) and DESIGN.md §3."""

from __future__ import annotations

import pytest

from vpclab import Cloud
from vpclab.resources import Instance, Subnet, Vpc

INTERNET = "93.184.216.34"


@pytest.fixture
def cloud() -> Cloud:
    return Cloud(seed=5)


@pytest.fixture
def vpc(cloud: Cloud) -> Vpc:
    return cloud.create_vpc("10.0.0.0/16", name="lab")


@pytest.fixture
def public(cloud: Cloud, vpc: Vpc) -> Subnet:
    return cloud.add_public_subnet(vpc, "10.0.1.0/24", az="a", name="public")


def codes(cloud: Cloud, source: object, destination: object, protocol: str = "tcp", port: int = 443
          ) -> list[tuple[str, str]]:
    return [(e.code, e.direction) for e in cloud.trace(source, destination, protocol, port).explanations]


def nat_instance(cloud: Cloud, vpc: Vpc, public: Subnet) -> tuple[Subnet, Instance, Instance]:
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    group = cloud.create_security_group(vpc, "nat-sg")
    cloud.allow(group, (0, 65535), source="10.0.0.0/16")
    nat = cloud.launch(public, "nat-instance", group)
    cloud.create_route(cloud.route_table_for(app), "0.0.0.0/0", nat)
    return app, nat, cloud.launch(app, "host")


def test_a_nat_instance_needs_source_dest_check_off(cloud: Cloud, vpc: Vpc, public: Subnet) -> None:
    _, nat, host = nat_instance(cloud, vpc, public)
    assert codes(cloud, host, INTERNET) == [("ENI_SOURCE_DEST_CHECK_RESTRICTION", "forward")]
    cloud.modify_network_interface_attribute(nat, source_dest_check=False, nat_instance=True)
    trace = cloud.trace(host, INTERNET, "tcp", 443)
    assert trace.reachable
    translations = [h for h in trace.forward if h.action == "translate"]
    assert [h.type for h in translations] == ["eni", "internet-gateway"]  # masquerade, then 1:1 NAT
    assert any(h.action == "translate" and h.type == "eni" for h in trace.return_)  # and back again


def test_a_nat_instance_is_filtered_by_its_security_group(cloud: Cloud, vpc: Vpc, public: Subnet) -> None:
    _, nat, host = nat_instance(cloud, vpc, public)
    cloud.modify_network_interface_attribute(nat, source_dest_check=False, nat_instance=True)
    group = cloud.get(nat.security_group_ids[0])
    cloud.revoke_security_group_ingress(group, "tcp", ports=(0, 65535), cidr="10.0.0.0/16")
    assert codes(cloud, host, INTERNET) == [("ENI_SG_RULES_MISMATCH", "forward")]


def test_a_private_nat_gateway_cannot_reach_the_internet(cloud: Cloud, vpc: Vpc, public: Subnet) -> None:
    nat = cloud.create_nat_gateway(public, connectivity="private")
    app = cloud.add_private_subnet(vpc, "10.0.2.0/24", az="a", name="app")
    cloud.create_route(cloud.route_table_for(app), "0.0.0.0/0", nat)
    assert codes(cloud, cloud.launch(app), INTERNET) == [("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "forward")]


def test_a_public_nat_gateway_in_a_vpc_without_igw_fails_and_its_routes_are_blackholes(cloud: Cloud) -> None:
    vpc = cloud.create_vpc("10.1.0.0/16")
    subnet = cloud.create_subnet(vpc, "10.1.1.0/24", "a")
    nat = cloud.create_nat_gateway(subnet, cloud.allocate_address())
    assert (nat.state, nat.failure_code) == ("failed", "Gateway.NotAttached")
    table = cloud.route_table_for(subnet)
    cloud.create_route(table, "0.0.0.0/0", nat)
    assert cloud.route_table_for(subnet).routes[-1].state == "blackhole"


def test_an_instance_without_a_public_ip_in_a_public_subnet_cannot_reach_the_internet(
        cloud: Cloud, public: Subnet) -> None:
    host = cloud.run_instances(public, associate_public_ip=False)[0]
    assert codes(cloud, host, INTERNET) == [("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "forward")]
    assert codes(cloud, INTERNET, host) == [("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "forward")]


def test_private_addresses_are_never_sent_to_the_internet(cloud: Cloud, public: Subnet) -> None:
    host = cloud.launch(public)
    assert codes(cloud, host, "192.168.7.7") == [("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "forward")]
    assert codes(cloud, host, "100.64.1.1") == [("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "forward")]


def test_an_address_in_the_vpc_that_nobody_holds_is_an_unknown_destination(cloud: Cloud, public: Subnet) -> None:
    assert codes(cloud, cloud.launch(public), "10.0.9.9") == [("UNKNOWN_DESTINATION", "forward")]


def test_replies_that_leave_through_a_nat_gateway_break_inbound_connections(cloud: Cloud, vpc: Vpc,
                                                                          public: Subnet) -> None:
    other = cloud.add_public_subnet(vpc, "10.0.5.0/24", az="a", name="nat-home")
    nat = cloud.create_nat_gateway(other, cloud.allocate_address())
    web_sg = cloud.create_security_group(vpc, "web-sg")
    cloud.allow(web_sg, 443)
    web = cloud.launch(public, "web", web_sg)
    cloud.replace_route(cloud.route_table_for(public), "0.0.0.0/0", nat)
    assert codes(cloud, INTERNET, web) == [("ASYMMETRIC_RETURN_PATH", "return")]


def test_routes_in_a_circle_are_reported_as_a_loop(cloud: Cloud, vpc: Vpc, public: Subnet) -> None:
    one = cloud.create_subnet(vpc, "10.0.6.0/24", "a", "one")
    two = cloud.create_subnet(vpc, "10.0.7.0/24", "a", "two")
    a, b = cloud.launch(one, "a"), cloud.launch(two, "b")
    for router, subnet, peer in ((a, one, b), (b, two, a)):
        cloud.modify_network_interface_attribute(router, source_dest_check=False)
        table = cloud.create_route_table(vpc)
        cloud.create_route(table, "0.0.0.0/0", peer)
        cloud.associate_route_table(table, subnet)
    group = cloud.get(a.security_group_ids[0])
    cloud.allow(group, (0, 65535), source="10.0.0.0/16")
    assert codes(cloud, a, INTERNET)[0] == ("ROUTING_LOOP", "forward")


def test_ping_is_traced_without_ports(cloud: Cloud, vpc: Vpc, public: Subnet) -> None:
    group = cloud.create_security_group(vpc, "ping")
    cloud.authorize_security_group_ingress(group, "icmp", cidr="0.0.0.0/0")
    target = cloud.launch(public, "target", group)
    trace = cloud.trace(INTERNET, target, "icmp")
    assert trace.reachable and trace.port is None and trace.to_dict()["protocol"] == "icmp"
    assert codes(cloud, INTERNET, cloud.launch(public, "quiet"), "icmp") == [("ENI_SG_RULES_MISMATCH", "forward")]


def test_middlebox_route_sends_traffic_between_subnets_through_an_appliance(cloud: Cloud, vpc: Vpc,
                                                                          public: Subnet) -> None:
    inspect = cloud.create_subnet(vpc, "10.0.8.0/24", "a", "inspection")
    app = cloud.create_subnet(vpc, "10.0.9.0/24", "a", "app")
    box_sg = cloud.create_security_group(vpc, "box")
    cloud.allow(box_sg, (0, 65535), source="10.0.0.0/16")
    box = cloud.launch(inspect, "firewall", box_sg)
    cloud.modify_network_interface_attribute(box, source_dest_check=False)
    app_sg = cloud.create_security_group(vpc, "app-sg")
    cloud.allow(app_sg, 8080, source="10.0.0.0/16")
    server = cloud.launch(app, "server", app_sg)
    cloud.create_route(cloud.route_table_for(public), "10.0.9.0/24", box)
    trace = cloud.trace(cloud.launch(public, "client"), server, "tcp", 8080)
    assert trace.reachable
    assert any(h.component == box.eni_id and h.action == "forward" for h in trace.forward)


def test_a_trace_displays_as_html_and_text_and_never_raises(cloud: Cloud, public: Subnet) -> None:
    trace = cloud.trace(INTERNET, cloud.launch(public, "quiet"), "tcp", 22)
    bundle = trace._repr_mimebundle_()
    assert "ENI_SG_RULES_MISMATCH" in bundle["text/plain"] and "cannot be made" in bundle["text/plain"]
    assert "<table>" in bundle["text/html"] and "✗" in bundle["text/html"]
    assert trace.blocker is not None and trace.blocker.code == "ENI_SG_RULES_MISMATCH"


def test_unknown_names_are_lookup_errors_that_list_candidates(cloud: Cloud, public: Subnet) -> None:
    cloud.launch(public, "web")
    with pytest.raises(LookupError, match="there is no instance 'wbe'") as caught:
        cloud.trace("wbe", INTERNET)
    assert "web" in str(caught.value)
