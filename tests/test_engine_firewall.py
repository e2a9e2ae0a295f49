"""Security groups and network ACLs, checked where possible through ``cloud.trace`` verdicts.

Written from aws-vpc-facts.md §7 (security groups), §8 (network ACLs, order of checks), §1 and §14k
(the Amazon DNS resolver is never filtered), and DESIGN.md §3 (explanation codes), against the
engine API contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vpclab import Cloud, VpcLabError
from vpclab.errors import Conflict, InvalidValue, LimitExceeded


def raised(call, *args, **kwargs) -> VpcLabError:
    """The VpcLabError that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(VpcLabError) as caught:
        call(*args, **kwargs)
    return caught.value


def rule_numbers(acl, *, egress: bool) -> list[tuple[int, str]]:
    return sorted((entry.rule_number, entry.action) for entry in acl.entries if entry.egress == egress)


@dataclass(frozen=True)
class Net:
    """A client in subnet A and a server in subnet B, each with a new, empty-inbound security group."""

    cloud: Cloud
    vpc: Any
    subnet_a: Any
    subnet_b: Any
    client_sg: Any
    server_sg: Any
    client: Any
    server: Any

    def trace(self, source: Any, destination: Any, protocol: str = "tcp", port: int = 80, **options: Any):
        return self.cloud.trace(source.id, destination.id, protocol, port, **options)

    def launch(self, subnet: Any, name: str, *groups: Any) -> Any:
        (instance,) = self.cloud.run_instances(subnet, name=name, security_groups=list(groups) or None)
        return instance

    def custom_acl_on_b(self) -> Any:
        acl = self.cloud.create_network_acl(self.vpc, name="b-acl")
        self.cloud.replace_network_acl_association(self.subnet_b, acl)
        return acl


@pytest.fixture
def net() -> Net:
    cloud = Cloud(seed=1)
    vpc = cloud.create_vpc("10.0.0.0/16", name="lab")
    subnet_a = cloud.create_subnet(vpc, "10.0.1.0/24", az="us-east-1a", name="a-subnet")
    subnet_b = cloud.create_subnet(vpc, "10.0.2.0/24", az="us-east-1a", name="b-subnet")
    client_sg = cloud.create_security_group(vpc, "client-sg", "clients")
    server_sg = cloud.create_security_group(vpc, "server-sg", "servers")
    (client,) = cloud.run_instances(subnet_a, name="client", security_groups=[client_sg])
    (server,) = cloud.run_instances(subnet_b, name="server", security_groups=[server_sg])
    return Net(cloud, vpc, subnet_a, subnet_b, client_sg, server_sg, client, server)


@pytest.fixture
def open_server(net: Net) -> Net:
    """The server's group admits TCP 80 and 443 from subnet A; only NACLs decide."""
    for port in (80, 443):
        net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", port, cidr="10.0.1.0/24")
    return net


# --- security groups (§7) -----------------------------------------------------------------------

def test_a_new_security_group_has_no_inbound_rules_and_one_outbound_allow_all(net: Net) -> None:
    assert net.server_sg.id.startswith("sg-") and net.server_sg.vpc_id == net.vpc.id
    assert tuple(net.server_sg.ingress) == ()
    assert len(net.server_sg.egress) == 1 and "0.0.0.0/0" in repr(net.server_sg.egress[0])


def test_a_new_security_group_blocks_all_inbound(net: Net) -> None:
    trace = net.trace(net.client, net.server, "tcp", 80)
    assert not trace.reachable
    blocker = trace.explanations[0]
    assert (blocker.code, blocker.component, blocker.direction, blocker.rule) == (
        "ENI_SG_RULES_MISMATCH", net.server_sg.id, "forward", None)


def test_an_inbound_rule_for_the_port_allows_the_connection(open_server: Net) -> None:
    assert open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable


def test_security_groups_are_stateful_replies_pass_without_outbound_rules(open_server: Net) -> None:
    # §7: replies to allowed traffic pass whatever the other direction says.
    open_server.cloud.revoke_security_group_egress(open_server.server_sg, "-1", cidr="0.0.0.0/0")
    assert tuple(open_server.cloud.get(open_server.server_sg.id).egress) == ()
    assert open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable


def test_stateful_does_not_let_the_server_open_connections_back(open_server: Net) -> None:
    # §14d: statefulness only admits replies, not new connections in the other direction.
    trace = open_server.trace(open_server.server, open_server.client, "tcp", 80)
    assert not trace.reachable
    assert (trace.explanations[0].code, trace.explanations[0].component) == (
        "ENI_SG_RULES_MISMATCH", open_server.client_sg.id)


def test_a_group_without_outbound_rules_lets_nothing_leave(open_server: Net) -> None:
    open_server.cloud.revoke_security_group_egress(open_server.client_sg, "-1", cidr="0.0.0.0/0")
    trace = open_server.trace(open_server.client, open_server.server, "tcp", 80)
    assert not trace.reachable
    blocker = trace.explanations[0]
    assert (blocker.code, blocker.component, blocker.direction) == (
        "ENI_SG_RULES_MISMATCH", open_server.client_sg.id, "forward")


def test_the_rules_of_all_groups_on_an_eni_are_merged(net: Net) -> None:
    web = net.cloud.create_security_group(net.vpc, "web-only-sg")
    admin = net.cloud.create_security_group(net.vpc, "admin-only-sg")
    net.cloud.authorize_security_group_ingress(web, "tcp", 443, cidr="10.0.0.0/16")
    net.cloud.authorize_security_group_ingress(admin, "tcp", 22, cidr="10.0.1.0/24")
    both = net.launch(net.subnet_b, "both", web, admin)
    assert net.trace(net.client, both, "tcp", 443).reachable
    assert net.trace(net.client, both, "tcp", 22).reachable
    assert not net.trace(net.client, both, "tcp", 80).reachable


def test_a_group_reference_matches_the_private_ips_of_the_groups_members(net: Net) -> None:
    net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", 5432, source_group=net.client_sg)
    outsider = net.launch(net.subnet_a, "outsider", net.cloud.create_security_group(net.vpc, "outsider-sg"))
    assert net.trace(net.client, net.server, "tcp", 5432).reachable
    trace = net.trace(outsider, net.server, "tcp", 5432)
    assert not trace.reachable
    assert trace.explanations[0].component == net.server_sg.id


def test_a_group_reference_follows_membership_changes(net: Net) -> None:
    net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", 5432, source_group=net.client_sg)
    newcomer = net.launch(net.subnet_a, "newcomer", net.cloud.create_security_group(net.vpc, "new-sg"))
    assert not net.trace(newcomer, net.server, "tcp", 5432).reachable
    net.cloud.modify_security_groups(newcomer, [net.client_sg])
    assert net.trace(newcomer, net.server, "tcp", 5432).reachable


def test_the_default_group_admits_its_own_members_on_any_port_and_no_one_else(net: Net) -> None:
    # §7: default SG inbound = all traffic from members of the same group.
    first = net.launch(net.subnet_a, "member-1")
    second = net.launch(net.subnet_b, "member-2")
    assert tuple(second.security_group_ids) == (net.vpc.default_security_group_id,)
    assert net.trace(first, second, "tcp", 3389).reachable
    assert net.trace(first, second, "udp", 5000).reachable
    trace = net.trace(net.client, second, "tcp", 3389)
    assert not trace.reachable
    assert trace.explanations[0].component == net.vpc.default_security_group_id


def test_a_protocol_all_rule_allows_every_port_and_protocol(net: Net) -> None:
    net.cloud.authorize_security_group_ingress(net.server_sg, "-1", cidr="10.0.1.0/24")
    assert net.trace(net.client, net.server, "tcp", 22).reachable
    assert net.trace(net.client, net.server, "udp", 53).reachable


def test_a_udp_rule_does_not_allow_tcp(net: Net) -> None:
    net.cloud.authorize_security_group_ingress(net.server_sg, "udp", 53, cidr="10.0.1.0/24")
    assert net.trace(net.client, net.server, "udp", 53).reachable
    assert not net.trace(net.client, net.server, "tcp", 53).reachable


def test_a_port_range_rule_covers_the_range(net: Net) -> None:
    net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", ports=(8000, 8099), cidr="10.0.1.0/24")
    assert net.trace(net.client, net.server, "tcp", 8080).reachable
    assert not net.trace(net.client, net.server, "tcp", 8100).reachable


def test_the_same_rule_twice_is_invalid_permission_duplicate(net: Net) -> None:
    net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", 443, cidr="10.0.0.0/16")
    err = raised(net.cloud.authorize_security_group_ingress, net.server_sg, "tcp", 443, cidr="10.0.0.0/16")
    assert err.code == "InvalidPermission.Duplicate"
    assert isinstance(err, Conflict)
    net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", 443, cidr="10.1.0.0/16")  # another source


def test_revoking_a_rule_that_is_not_there_is_invalid_permission_not_found(net: Net) -> None:
    err = raised(net.cloud.revoke_security_group_ingress, net.server_sg, "tcp", 443, cidr="10.0.0.0/16")
    assert err.code == "InvalidPermission.NotFound"


def test_revoking_the_rule_blocks_the_connection_again(open_server: Net) -> None:
    open_server.cloud.revoke_security_group_ingress(open_server.server_sg, "tcp", 80, cidr="10.0.1.0/24")
    assert not open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable


def test_sixty_inbound_rules_per_group_then_rules_per_security_group_limit_exceeded(net: Net) -> None:
    for port in range(1000, 1060):
        net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", port, cidr="10.0.0.0/16")
    err = raised(net.cloud.authorize_security_group_ingress, net.server_sg, "tcp", 2000, cidr="10.0.0.0/16")
    assert err.code == "RulesPerSecurityGroupLimitExceeded"
    assert isinstance(err, LimitExceeded)
    # The other direction is counted separately.
    net.cloud.authorize_security_group_egress(net.server_sg, "tcp", 2000, cidr="10.0.0.0/16")


def test_the_rules_per_group_quota_is_adjustable_per_cloud(net: Net) -> None:
    net.cloud.quotas.security_group_rules_per_direction = 100
    for port in range(1000, 1061):
        net.cloud.authorize_security_group_ingress(net.server_sg, "tcp", port, cidr="10.0.0.0/16")
    assert len(net.cloud.get(net.server_sg.id).ingress) == 61


def test_six_groups_on_one_eni_is_security_groups_per_interface_limit_exceeded(net: Net) -> None:
    groups = [net.cloud.create_security_group(net.vpc, f"group-{n}") for n in range(6)]
    free = net.cloud.free_addresses(net.subnet_a)
    err = raised(net.cloud.run_instances, net.subnet_a, security_groups=groups)
    assert err.code == "SecurityGroupsPerInterfaceLimitExceeded"
    assert net.cloud.free_addresses(net.subnet_a) == free  # nothing launched
    assert raised(net.cloud.modify_security_groups, net.client, groups).code == (
        "SecurityGroupsPerInterfaceLimitExceeded")
    net.cloud.modify_security_groups(net.client, groups[:5])


def test_the_groups_per_eni_quota_is_adjustable_per_cloud(net: Net) -> None:
    net.cloud.quotas.security_groups_per_eni = 6
    groups = [net.cloud.create_security_group(net.vpc, f"group-{n}") for n in range(6)]
    (instance,) = net.cloud.run_instances(net.subnet_a, security_groups=groups)
    assert len(instance.security_group_ids) == 6


def test_group_names_are_unique_within_a_vpc_only(net: Net) -> None:
    err = raised(net.cloud.create_security_group, net.vpc, "server-sg")
    assert err.code == "InvalidGroup.Duplicate"
    assert "server-sg" in str(err)
    other = net.cloud.create_vpc("10.1.0.0/16", name="other")
    net.cloud.create_security_group(other, "server-sg")


def test_a_group_name_may_not_start_with_sg_dash(net: Net) -> None:
    # §7. The contract names no code for this; AWS documents the constraint, not the code.
    err = raised(net.cloud.create_security_group, net.vpc, "sg-web")
    assert isinstance(err, InvalidValue)
    assert "sg-" in str(err)


# --- network ACLs (§8) --------------------------------------------------------------------------

def test_a_subnet_uses_the_default_nacl_which_allows_everything(open_server: Net) -> None:
    default = open_server.cloud.get(open_server.vpc.default_network_acl_id)
    assert open_server.subnet_b.id in default.associations
    assert open_server.trace(open_server.client, open_server.server, "tcp", 443).reachable


def test_a_new_custom_nacl_has_only_the_star_deny_rules(net: Net) -> None:
    acl = net.cloud.create_network_acl(net.vpc, name="empty-acl")
    assert acl.id.startswith("acl-") and acl.is_default is False
    assert tuple(acl.associations) == ()
    assert rule_numbers(acl, egress=False) == [(32767, "deny")]
    assert rule_numbers(acl, egress=True) == [(32767, "deny")]


def test_a_new_custom_nacl_denies_everything_once_associated(open_server: Net) -> None:
    acl = open_server.custom_acl_on_b()
    assert open_server.subnet_b.id in open_server.cloud.get(acl.id).associations
    assert open_server.subnet_b.id not in open_server.cloud.get(open_server.vpc.default_network_acl_id).associations
    trace = open_server.trace(open_server.client, open_server.server, "tcp", 80)
    blocker = trace.explanations[0]
    assert (blocker.code, blocker.component, blocker.direction, blocker.rule) == (
        "SUBNET_ACL_RESTRICTION", acl.id, "forward", 32767)


def test_the_destination_nacl_is_checked_before_the_destination_security_group(net: Net) -> None:
    # §8 order: destination subnet NACL inbound (5), then destination SG inbound (6).
    acl = net.custom_acl_on_b()
    trace = net.trace(net.client, net.server, "tcp", 80)  # both the NACL and the SG would block
    assert [(e.code, e.component) for e in trace.explanations] == [("SUBNET_ACL_RESTRICTION", acl.id)]


@pytest.mark.parametrize("number", [0, 32767, 32768, -1])
def test_rule_numbers_outside_1_to_32766_are_invalid(net: Net, number: int) -> None:
    acl = net.cloud.create_network_acl(net.vpc)
    err = raised(net.cloud.create_network_acl_entry, acl, number, "-1", "allow", "0.0.0.0/0")
    assert err.code == "InvalidParameterValue"


def test_rule_numbers_1_and_32766_are_accepted(net: Net) -> None:
    acl = net.cloud.create_network_acl(net.vpc)
    net.cloud.create_network_acl_entry(acl, 1, "-1", "allow", "0.0.0.0/0")
    net.cloud.create_network_acl_entry(acl, 32766, "-1", "deny", "0.0.0.0/0")
    assert rule_numbers(net.cloud.get(acl.id), egress=False) == [(1, "allow"), (32766, "deny"), (32767, "deny")]


def test_a_rule_number_already_used_in_that_direction_is_network_acl_entry_already_exists(net: Net) -> None:
    acl = net.cloud.create_network_acl(net.vpc)
    net.cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "0.0.0.0/0", port=80)
    err = raised(net.cloud.create_network_acl_entry, acl, 100, "tcp", "allow", "0.0.0.0/0", port=443)
    assert err.code == "NetworkAclEntryAlreadyExists"
    assert "100" in str(err)
    net.cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "0.0.0.0/0", egress=True, port=80)


def test_nineteen_entries_per_direction_fit_beside_the_star_rule(net: Net) -> None:
    # §8: 20 rules per direction, and the `*` rule counts toward them. (The contract just says 20.)
    acl = net.cloud.create_network_acl(net.vpc)
    for n in range(1, 20):
        net.cloud.create_network_acl_entry(acl, n * 10, "tcp", "allow", "0.0.0.0/0", port=n)
    err = raised(net.cloud.create_network_acl_entry, acl, 500, "tcp", "allow", "0.0.0.0/0", port=500)
    assert err.code == "NetworkAclEntryLimitExceeded"
    net.cloud.create_network_acl_entry(acl, 500, "tcp", "allow", "0.0.0.0/0", egress=True, port=500)


def test_rules_are_checked_lowest_number_first_and_the_first_match_decides(open_server: Net) -> None:
    acl = open_server.custom_acl_on_b()
    cloud = open_server.cloud
    for egress in (False, True):
        cloud.create_network_acl_entry(acl, 200, "-1", "allow", "0.0.0.0/0", egress=egress)
    cloud.create_network_acl_entry(acl, 100, "tcp", "deny", "10.0.1.0/24", port=80)
    trace = open_server.trace(open_server.client, open_server.server, "tcp", 80)
    assert (trace.explanations[0].code, trace.explanations[0].rule) == ("SUBNET_ACL_RESTRICTION", 100)
    assert open_server.trace(open_server.client, open_server.server, "tcp", 443).reachable
    cloud.create_network_acl_entry(acl, 50, "tcp", "allow", "10.0.1.0/24", port=80)
    assert open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable


def test_replacing_an_entry_changes_the_decision(open_server: Net) -> None:
    acl = open_server.custom_acl_on_b()
    cloud = open_server.cloud
    cloud.create_network_acl_entry(acl, 100, "tcp", "deny", "10.0.1.0/24", port=80)
    cloud.create_network_acl_entry(acl, 100, "-1", "allow", "0.0.0.0/0", egress=True)
    cloud.replace_network_acl_entry(acl, 100, "tcp", "allow", "10.0.1.0/24", port=80)
    assert open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable


def test_nacls_are_stateless_the_reply_needs_its_own_outbound_rule(open_server: Net) -> None:
    acl = open_server.custom_acl_on_b()
    open_server.cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.1.0/24", port=80)
    trace = open_server.trace(open_server.client, open_server.server, "tcp", 80)
    assert not trace.reachable
    blocker = trace.explanations[0]
    assert (blocker.code, blocker.component, blocker.direction, blocker.rule) == (
        "SUBNET_ACL_RESTRICTION", acl.id, "return", 32767)
    open_server.cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.1.0/24", egress=True,
                                               ports=(1024, 65535))
    assert open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable


def test_the_reply_goes_to_the_clients_ephemeral_source_port(open_server: Net) -> None:
    # §8 and §14e: the client's OS picks the port; 32768-65535 covers 49152 but not 1500.
    acl = open_server.custom_acl_on_b()
    cloud = open_server.cloud
    cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.1.0/24", port=80)
    cloud.create_network_acl_entry(acl, 100, "tcp", "allow", "10.0.1.0/24", egress=True, ports=(32768, 65535))
    assert open_server.trace(open_server.client, open_server.server, "tcp", 80).reachable  # port 49152
    trace = open_server.trace(open_server.client, open_server.server, "tcp", 80, source_port=1500)
    assert (trace.explanations[0].direction, trace.explanations[0].rule) == ("return", 32767)


def test_protocol_minus_1_matches_every_port_whatever_ports_it_is_given(open_server: Net) -> None:
    acl = open_server.custom_acl_on_b()
    for egress in (False, True):
        open_server.cloud.create_network_acl_entry(acl, 100, "-1", "allow", "10.0.1.0/24", egress=egress,
                                                   ports=(80, 80))
    assert open_server.trace(open_server.client, open_server.server, "tcp", 443).reachable


def test_nacls_do_not_apply_between_instances_of_one_subnet(open_server: Net) -> None:
    # §8: traffic between two ENIs of the same subnet is not checked by the NACL.
    open_server.custom_acl_on_b()  # denies everything entering or leaving subnet B
    open_server.cloud.authorize_security_group_ingress(open_server.server_sg, "tcp", 80, cidr="10.0.2.0/24")
    neighbour = open_server.launch(open_server.subnet_b, "neighbour", open_server.client_sg)
    assert open_server.trace(neighbour, open_server.server, "tcp", 80).reachable


def test_the_default_nacl_cannot_be_deleted(net: Net) -> None:
    raised(net.cloud.delete_network_acl, net.vpc.default_network_acl_id)
    assert net.cloud.get(net.vpc.default_network_acl_id).is_default is True


def test_an_associated_nacl_cannot_be_deleted(net: Net) -> None:
    acl = net.custom_acl_on_b()
    err = raised(net.cloud.delete_network_acl, acl)
    assert err.code == "DependencyViolation"
    assert net.subnet_b.id in str(err)


# --- the Amazon DNS resolver is never filtered (§1, §7, §8, §14k) -------------------------------

@pytest.fixture
def locked_down(net: Net) -> Net:
    """Subnet A behind a deny-all NACL, the client's group without any outbound rule."""
    acl = net.cloud.create_network_acl(net.vpc, name="a-acl")
    net.cloud.replace_network_acl_association(net.subnet_a, acl)
    net.cloud.revoke_security_group_egress(net.client_sg, "-1", cidr="0.0.0.0/0")
    return net


@pytest.mark.parametrize("resolver", ["10.0.0.2", "169.254.169.253"])
@pytest.mark.parametrize("protocol", ["udp", "tcp"])
def test_traffic_to_the_amazon_dns_resolver_is_never_filtered(locked_down: Net, resolver: str,
                                                              protocol: str) -> None:
    trace = locked_down.cloud.trace(locked_down.client.id, resolver, protocol, 53)
    assert trace.reachable
    assert trace.explanations == ()


def test_a_dns_server_of_your_own_is_filtered_like_any_instance(net: Net) -> None:
    trace = net.trace(net.client, net.server, "udp", 53)
    assert not trace.reachable
    assert trace.explanations[0].code == "ENI_SG_RULES_MISMATCH"


@pytest.mark.parametrize("ports", [(1, 2, 3), (1,), "1-2"])
def test_a_port_range_that_is_not_a_pair_is_refused_clearly(ports: object) -> None:
    from vpclab import Cloud, InvalidValue

    cloud = Cloud(seed=0)
    group = cloud.create_security_group(cloud.create_vpc("10.0.0.0/16"), "x")
    with pytest.raises(InvalidValue, match="is not a port range: a range is two ports"):
        cloud.allow(group, ports)  # type: ignore[arg-type]
