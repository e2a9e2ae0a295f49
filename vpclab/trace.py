"""The packet tracer: can a connection be made, hop by hop, and if not, what stops it.

``cloud.trace(source, destination, protocol, port)`` follows a packet the way AWS evaluates
it (aws-vpc-facts.md §8): source security group (outbound), source subnet route table,
source subnet NACL (outbound; skipped inside one subnet), gateways on the way, destination
subnet NACL (inbound), destination security group (inbound). The reply then travels back:
NACLs, routes and NAT are evaluated again; security groups let it through because they are
stateful. The JSON shape of :meth:`Trace.to_dict` is a contract (DESIGN.md §3).

Explanation codes are Reachability Analyzer's (aws-vpc-facts.md §12), including those the
connectivity features need: VPCE_GATEWAY_PROTOCOL_RESTRICTION, TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION
and TGW_BAD_STATE_VPN besides the ones DESIGN.md §3 lists. Two are vpclab's own, where none
of AWS's fits: ``ASYMMETRIC_RETURN_PATH`` (the reply leaves through a different gateway than the
request came in, so it arrives from the wrong address) and ``ROUTING_LOOP`` (routes send the
packet round in a circle).
"""

from __future__ import annotations

import html
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from vpclab.cidr import cached_address, cached_network, in_cidr, is_address
from vpclab.display import Displayable
from vpclab.errors import InvalidValue, NotFound
from vpclab.firewall import ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, nacl_decision, normalize_protocol, sg_decision
from vpclab.i18n import message
from vpclab.nat import NatTable
from vpclab.resources import (
    ALL,
    Instance,
    NatGateway,
    NetworkInterface,
    Resource,
    SecurityGroup,
    Subnet,
    TransitGatewayAttachment,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from vpclab.routing import select_route
from vpclab.transit import select_tgw_route
from vpclab.vpn import VpnOperations

__all__ = ["Explanation", "Hop", "Trace", "TraceOperations"]

DEFAULT_SOURCE_PORT = 49152
MAX_HOPS = 24
RESOLVER = "169.254.169.253"
_NOT_PUBLIC = tuple(ipaddress.IPv4Network(n) for n in
                    ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))


@dataclass(frozen=True, slots=True)
class Hop:
    component: str
    type: str
    action: str  # allow, deny, forward, translate, deliver, drop
    detail: str
    translated: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"component": self.component, "type": self.type, "action": self.action,
                                "detail": self.detail}
        if self.translated is not None:
            data["translated"] = dict(self.translated)
        return data


@dataclass(frozen=True, slots=True)
class Explanation:
    code: str
    component: str | None
    direction: str  # forward or return
    rule: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "component": self.component, "direction": self.direction,
                "rule": self.rule, "message": self.message}


@dataclass(frozen=True, slots=True)
class Trace(Displayable):
    reachable: bool
    source: str
    destination: str
    protocol: str
    port: int | None
    explanations: tuple[Explanation, ...]
    forward: tuple[Hop, ...]
    return_: tuple[Hop, ...]

    @property
    def blocker(self) -> Explanation | None:
        """The first thing that stops the connection (None when it can be made)."""
        return self.explanations[0] if self.explanations else None

    def to_dict(self) -> dict[str, Any]:
        """The ``vpclab trace --json`` shape (DESIGN.md §3)."""
        return {
            "reachable": self.reachable, "source": self.source, "destination": self.destination,
            "protocol": self.protocol, "port": self.port,
            "explanations": [e.to_dict() for e in self.explanations],
            "forward": [h.to_dict() for h in self.forward],
            "return": [h.to_dict() for h in self.return_],
        }

    def _headline(self) -> str:
        port = "" if self.port is None else f":{self.port}"
        key = "trace.reachable" if self.reachable else "trace.unreachable"
        return message(key, source=self.source, destination=f"{self.destination}{port}",
                       protocol=self.protocol)

    def _text_(self) -> str:
        lines = [self._headline()]
        for title, hops in ((message("trace.forward"), self.forward), (message("trace.return"), self.return_)):
            if hops:
                lines.append(title)
                lines += [f"  {'✓' if h.action not in ('deny', 'drop') else '✗'} {h.action:<9} "
                          f"{h.type:<20} {h.component:<24} {h.detail}"
                          + (f" [{h.translated['from']} → {h.translated['to']}]" if h.translated else "")
                          for h in hops]
        lines += [f"✗ {e.code} ({e.direction}, {e.component}): {e.message}" for e in self.explanations]
        return "\n".join(lines)

    def _html_(self) -> str:
        color = "#1a7f37" if self.reachable else "#cf222e"
        parts = [f'<div class="vpclab-trace"><b style="color:{color}">'
                 f"{'✓' if self.reachable else '✗'} {html.escape(self._headline())}</b>"]
        for title, hops in ((message("trace.forward"), self.forward), (message("trace.return"), self.return_)):
            if not hops:
                continue
            rows = []
            for hop in hops:
                bad = hop.action in ("deny", "drop")
                style = "background:#ffebe9" if bad else "background:#dafbe1"
                note = html.escape(hop.detail)
                if hop.translated:
                    note += html.escape(f" ({hop.translated['from']} → {hop.translated['to']})")
                rows.append(f'<tr style="{style}"><td>{"✗" if bad else "✓"}</td><td>{html.escape(hop.action)}'
                            f"</td><td>{html.escape(hop.type)}</td><td><code>{html.escape(hop.component)}"
                            f"</code></td><td>{note}</td></tr>")
            parts.append(f"<div><i>{html.escape(title)}</i></div><table>{''.join(rows)}</table>")
        for e in self.explanations:
            parts.append(f'<div style="color:#cf222e">✗ <b>{html.escape(e.code)}</b> '
                         f"({html.escape(e.direction)}): {html.escape(e.message)}</div>")
        parts.append("</div>")
        return "".join(parts)


@dataclass(slots=True)
class _Packet:
    src: str
    dst: str
    protocol: str
    src_port: int | None
    dst_port: int | None

    @property
    def port(self) -> int | None:
        """What rules match on: the destination port, or the ICMP type."""
        return self.dst_port

    def endpoint(self, which: str) -> str:
        address, port = (self.src, self.src_port) if which == "src" else (self.dst, self.dst_port)
        return address if port is None else f"{address}:{port}"


@dataclass(slots=True)
class _Walk:
    """One direction of a trace: hops so far, blockers found, and what the other needs."""

    direction: str
    all_blockers: bool
    hops: list[Hop] = field(default_factory=list)
    blockers: list[Explanation] = field(default_factory=list)
    stopped: bool = False
    entered_via: str | None = None  # how the packet came into the VPC it is in: peering, transit, vpn

    def hop(self, component: str, kind: str, action: str, detail: str,
            translated: dict[str, str] | None = None) -> None:
        self.hops.append(Hop(component, kind, action, detail, translated))

    def block(self, code: str, component: str | None, text: str, *, rule: int | None = None,
              fatal: bool = True) -> bool:
        """Record a blocker; True when the walk must stop here."""
        self.blockers.append(Explanation(code, component, self.direction, rule, text))
        if fatal or not self.all_blockers:
            self.stopped = True
        return self.stopped


@dataclass(slots=True)
class _Flow:
    """What the return walk needs from the forward one."""

    tracked: set[str] = field(default_factory=set)  # ENIs whose security groups saw the request
    nat: list[tuple[str, str, int | None, str, int | None]] = field(default_factory=list)
    resolver: bool = False  # the request went to the Amazon DNS resolver


@dataclass(frozen=True, slots=True)
class _Remote:
    """Where a packet goes that is neither an interface nor the internet."""

    kind: str  # on-premises, or service (an AWS service behind a gateway endpoint)
    via: str  # the VPN connection, Direct Connect VIF or gateway endpoint it goes through


Position = NetworkInterface | str | _Remote  # an interface, an internet address, or a remote network


class TraceOperations(VpnOperations):
    """cloud.trace(...)"""

    def trace(self, source: object, destination: object, protocol: str = "tcp", port: int | None = 443,
              *, source_port: int = DEFAULT_SOURCE_PORT, all_blockers: bool = False) -> Trace:
        """Can ``source`` open a connection to ``destination``? See the module docstring."""
        source = source.strip() if isinstance(source, str) else source
        destination = destination.strip() if isinstance(destination, str) else destination
        proto = normalize_protocol(protocol)
        if proto not in ("tcp", "udp", "icmp", ALL):
            raise InvalidValue("InvalidParameterValue", message("trace.bad_protocol", protocol=protocol),
                               fix=message("trace.bad_protocol_fix"))
        dst_port = _check_port(port) if proto in ("tcp", "udp") else (ICMP_ECHO_REQUEST if proto == "icmp" else None)
        src_port = _check_port(source_port) if proto in ("tcp", "udp") else None
        sender, src_ip = self._trace_source(source)
        dst_ip, receiver_hint, early = self._trace_destination(destination, sender)
        shown_protocol = "all" if proto == ALL else proto
        shown_port = dst_port if proto in ("tcp", "udp") else None
        source_name = src_ip if isinstance(source, str) and is_address(source) else self._endpoint(source).id
        destination_name = receiver_hint.id if receiver_hint is not None else dst_ip
        if early is not None:
            return Trace(False, source_name, destination_name, shown_protocol, shown_port, (early,), (), ())
        flow = _Flow()
        forward = _Walk("forward", all_blockers)
        request = _Packet(src_ip, dst_ip, proto, src_port, dst_port)
        packet = _Packet(src_ip, dst_ip, proto, src_port, dst_port)  # changed by NAT on the way
        arrived = self._walk(packet, sender, forward, flow)
        explanations = list(forward.blockers)
        back_hops: tuple[Hop, ...] = ()
        if arrived is not None and flow.resolver:
            back_hops = (Hop(forward.hops[-1].component, "eni", "deliver", message("trace.resolver_reply")),)
        elif arrived is not None and (not forward.blockers or all_blockers):
            receiver, seen = arrived
            reply = _Packet(seen.dst, seen.src, proto, seen.dst_port,
                            seen.src_port if proto != "icmp" else ICMP_ECHO_REPLY)
            if proto == "icmp":
                reply.src_port = None
            back = _Walk("return", all_blockers)
            back_arrived = self._walk(reply, receiver, back, flow)
            if back_arrived is not None and not back.stopped:
                self._check_reply_address(back_arrived[1], request, back)
            explanations += back.blockers
            if not forward.blockers:
                back_hops = tuple(back.hops)
        return Trace(not explanations, source_name, destination_name, shown_protocol, shown_port,
                     tuple(explanations), tuple(forward.hops), back_hops)

    # --- endpoints -----------------------------------------------------------------------------
    def _trace_source(self, source: object) -> tuple[Position, str]:
        if isinstance(source, str) and is_address(source):
            eni_id = self._eni_by_ip.get(source)
            if eni_id:
                eni = self._ref(eni_id, NetworkInterface)
                return eni, eni.private_ip
            if self._vpc_holding(source) is not None:
                raise NotFound("UNKNOWN_SOURCE", message("trace.no_such_source", address=source),
                               fix=message("trace.no_such_source_fix"))
            owner = self.on_premises_owner(source)
            if owner is not None:
                return _Remote("on-premises", owner.id), source
            return source, source
        eni = self._endpoint_eni(source)
        return eni, eni.private_ip

    def _endpoint(self, ref: object) -> Resource:
        """An instance, network interface or NAT gateway, by record, id or Name tag (a Name
        shared with, say, a subnet is taken to mean the thing that can send traffic)."""
        if isinstance(ref, str) and ref not in self._items:
            kinds = (Instance, NetworkInterface, NatGateway, VpcEndpoint)
            matches = [self._items[i] for i in sorted(self._by_name.get(ref, ())) if isinstance(self._items[i], kinds)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise NotFound("InvalidInstanceID.NotFound", message("world.ambiguous", ref=ref, kind="endpoint"),
                               fix=message("world.ambiguous_fix", ids=", ".join(m.id for m in matches)))
            return self._ref(ref, Instance)
        return self.get(ref)

    def _endpoint_eni(self, ref: object) -> NetworkInterface:
        item = self._endpoint(ref)
        if isinstance(item, Instance):
            return self._ref(item.eni_id, NetworkInterface)
        if isinstance(item, NatGateway):
            if not item.eni_id:
                raise InvalidValue("IncorrectState", message("gw.nat_not_available", nat=item.label,
                                                             state=item.state),
                                   fix=message("gw.nat_not_available_fix"))
            return self._ref(item.eni_id, NetworkInterface)
        if isinstance(item, NetworkInterface):
            return item
        if isinstance(item, VpcEndpoint) and item.network_interface_ids:
            return self._ref(item.network_interface_ids[0], NetworkInterface)
        raise InvalidValue("InvalidParameterValue", message("trace.bad_endpoint", ref=item.label),
                           fix=message("trace.bad_endpoint_fix"))

    def _trace_destination(self, destination: object, sender: Position
                           ) -> tuple[str, Resource | None, Explanation | None]:
        from_internet = isinstance(sender, str)
        if isinstance(destination, str) and is_address(destination):
            return destination, None, None
        eni = self._endpoint_eni(destination)
        named = self._endpoint(destination)
        if not from_internet:
            return eni.private_ip, named, None
        if eni.public_ip:
            return eni.public_ip, named, None
        early = Explanation("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", eni.id, "forward", None,
                            message("trace.no_public_ip", target=named.label))
        return eni.private_ip, named, early

    def _vpc_holding(self, address: str) -> Vpc | None:
        for vpc in self._all(Vpc):
            if any(in_cidr(address, block) for block in vpc.cidr_blocks):
                return vpc
        return None

    def _eni_with_public_ip(self, address: str) -> NetworkInterface | None:
        eni_id = self._eni_by_public_ip.get(address)
        return self._ref(eni_id, NetworkInterface) if eni_id else None

    # --- the walk ------------------------------------------------------------------------------
    def _walk(self, packet: _Packet, sender: Position, walk: _Walk, flow: _Flow
              ) -> tuple[Position, _Packet] | None:
        """Move the packet from ``sender`` until it is delivered (returns the receiver and the
        packet as it arrived) or stopped (returns None)."""
        position: Position = sender
        for _ in range(MAX_HOPS):
            if isinstance(position, str):
                step = self._from_internet(packet, walk, flow)
            elif isinstance(position, _Remote):
                step = self._from_remote(packet, position, walk, flow)
            else:
                step = self._from_eni(packet, position, walk, flow)
            if step is None or walk.stopped:
                return None
            done, position = step
            if done:
                return position, packet
        walk.block("ROUTING_LOOP", None, message("trace.loop", hops=MAX_HOPS))
        return None

    def _from_eni(self, packet: _Packet, eni: NetworkInterface, walk: _Walk, flow: _Flow
                  ) -> tuple[bool, Position] | None:
        subnet = self._ref(eni.subnet_id, Subnet)
        vpc = self._ref(eni.vpc_id, Vpc)
        if eni.source_dest_check and eni.interface_type == "interface" and \
                packet.src not in (eni.private_ip, eni.public_ip):
            walk.block("ENI_SOURCE_DEST_CHECK_RESTRICTION", eni.id,
                       message("trace.src_dst_check_out", eni=eni.id, src=packet.src))
            return None
        resolver = self._resolver_of(vpc, packet.dst)
        if not self._sg_out(packet, eni, walk, flow, exempt=resolver) and walk.stopped:
            return None
        if resolver:
            return self._to_resolver(packet, vpc, walk, flow)
        same_subnet = in_cidr(packet.dst, subnet.cidr) and packet.dst in self._eni_by_ip
        if same_subnet:
            target = self._ref(self._eni_by_ip[packet.dst], NetworkInterface)
            walk.hop(subnet.id, "eni", "forward", message("trace.same_subnet", subnet=subnet.label))
            return self._arrive(packet, target, subnet, walk, flow)
        table = self.route_table_for(subnet)
        route = select_route(table.routes, packet.dst, self._prefix_list_cidrs)
        if route is None:
            walk.hop(table.id, "route-table", "drop", message("trace.no_route", address=packet.dst))
            walk.block("NO_ROUTE_TO_DESTINATION", table.id,
                       message("trace.no_route_explained", address=packet.dst, table=table.label))
            return None
        state = next(r.state for r in table.routes if r.destination == route.destination)
        if state == "blackhole":
            walk.hop(table.id, "route-table", "drop",
                     message("trace.blackhole", destination=route.destination, target=route.target))
            walk.block("BAD_STATE_ROUTE", table.id,
                       message("trace.blackhole_explained", destination=route.destination,
                               target=route.target, table=table.label))
            return None
        walk.hop(table.id, "route-table", "forward",
                 message("trace.route", address=packet.dst, destination=route.destination, target=route.target))
        next_hop = route.target
        if next_hop == "local":
            return self._local(packet, eni, subnet, vpc, table.id, walk, flow)
        if not self._nacl(packet, subnet, egress=True, walk=walk) and walk.stopped:
            return None
        if next_hop.startswith("igw-"):
            return self._to_internet(packet, next_hop, vpc, walk, flow)
        if next_hop.startswith("nat-"):
            return self._into_nat(packet, self._ref(next_hop, NatGateway), subnet, vpc, walk, flow)
        if next_hop.startswith("eni-"):
            appliance = self._ref(next_hop, NetworkInterface)
            return self._arrive(packet, appliance, subnet, walk, flow)
        if next_hop.startswith("pcx-"):
            return self._through_peering(packet, self._ref(next_hop, VpcPeeringConnection), vpc, walk, flow)
        if next_hop.startswith("tgw-"):
            return self._into_transit_gateway(packet, next_hop, subnet, vpc, walk, flow)
        if next_hop.startswith("vgw-"):
            return self._to_vpn_gateway(packet, next_hop, walk)
        if next_hop.startswith("vpce-"):
            return self._to_gateway_endpoint(packet, self._ref(next_hop, VpcEndpoint), walk)
        walk.block("CANNOT_ROUTE", table.id, message("trace.not_modelled", target=next_hop))
        return None

    def _local(self, packet: _Packet, eni: NetworkInterface, subnet: Subnet, vpc: Vpc, table_id: str,
               walk: _Walk, flow: _Flow) -> tuple[bool, Position] | None:
        target_id = self._eni_by_ip.get(packet.dst)
        target = self._ref(target_id, NetworkInterface) if target_id else None
        if target is None or target.vpc_id != vpc.id:
            walk.hop(vpc.id, "route-table", "drop", message("trace.unknown_destination", address=packet.dst))
            walk.block("UNKNOWN_DESTINATION", vpc.id, message("trace.unknown_destination", address=packet.dst))
            return None
        if not self._nacl(packet, subnet, egress=True, walk=walk) and walk.stopped:
            return None
        return self._arrive(packet, target, subnet, walk, flow)

    def _arrive(self, packet: _Packet, target: NetworkInterface, from_subnet: Subnet | None, walk: _Walk,
                flow: _Flow) -> tuple[bool, Position] | None:
        """The packet reaches ``target``'s subnet (NACL in, unless it comes from that same
        subnet) and ENI (security group in); ``from_subnet`` None means from a gateway."""
        subnet = self._ref(target.subnet_id, Subnet)
        if (from_subnet is None or subnet.id != from_subnet.id) and \
                not self._nacl(packet, subnet, egress=False, walk=walk) and walk.stopped:
            return None
        if target.interface_type == "nat_gateway":
            nat = next(n for n in self._all(NatGateway) if n.eni_id == target.id)
            return self._nat_receive(packet, nat, walk, flow)
        if not self._sg_in(packet, target, walk, flow) and walk.stopped:
            return None
        if walk.direction == "return" and self._unmasquerade(packet, target.id, walk, flow):
            return False, target  # a NAT instance passes the reply on
        if packet.dst in (target.private_ip, target.public_ip):
            if target.interface_type == "vpc_endpoint":
                endpoint = next(e for e in self._all(VpcEndpoint) if target.id in e.network_interface_ids)
                walk.hop(target.id, "vpc-endpoint", "deliver",
                         message("trace.vpce_interface", service=endpoint.service_name) + self._policy_note(endpoint))
            else:
                walk.hop(target.id, "eni", "deliver", message("trace.delivered", eni=target.label))
            return True, target
        if target.source_dest_check:
            walk.block("ENI_SOURCE_DEST_CHECK_RESTRICTION", target.id,
                       message("trace.src_dst_check_in", eni=target.id, dst=packet.dst))
            return None
        walk.hop(target.id, "eni", "forward", message("trace.appliance", eni=target.label))
        if target.nat_instance and walk.direction == "forward":
            self._masquerade(packet, target, walk, flow)
        return False, target

    # --- gateways ------------------------------------------------------------------------------
    def _to_internet(self, packet: _Packet, igw_id: str, vpc: Vpc, walk: _Walk, flow: _Flow
                     ) -> tuple[bool, Position] | None:
        if any(cached_address(packet.dst) in net for net in _NOT_PUBLIC):
            walk.hop(igw_id, "internet-gateway", "drop", message("trace.igw_private_dst", address=packet.dst))
            walk.block("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", igw_id,
                       message("trace.igw_private_dst_explained", address=packet.dst))
            return None
        owner_id = self._eni_by_ip.get(packet.src)
        owner = self._ref(owner_id, NetworkInterface) if owner_id else self._eni_with_public_ip(packet.src)
        if owner is None or not owner.public_ip or owner.vpc_id != vpc.id:
            walk.hop(igw_id, "internet-gateway", "drop", message("trace.igw_no_public", address=packet.src))
            walk.block("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", igw_id,
                       message("trace.igw_no_public_explained", address=packet.src))
            return None
        if packet.src == owner.public_ip:
            walk.hop(igw_id, "internet-gateway", "forward", message("trace.igw_out_public", address=packet.src))
        else:
            before = packet.endpoint("src")
            packet.src = owner.public_ip
            walk.hop(igw_id, "internet-gateway", "translate", message("trace.igw_out", address=owner.public_ip),
                     {"from": before, "to": packet.endpoint("src")})
        target = self._eni_with_public_ip(packet.dst)
        if target is not None:  # a public address of this cloud: in again through its gateway
            return False, packet.dst
        walk.hop("internet", "internet", "deliver", message("trace.internet_host", address=packet.dst))
        return True, packet.dst

    def _from_internet(self, packet: _Packet, walk: _Walk, flow: _Flow
                       ) -> tuple[bool, Position] | None:
        target = self._eni_with_public_ip(packet.dst)
        if target is None:
            code = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" if self._vpc_holding(packet.dst) else \
                "NO_ROUTE_TO_DESTINATION"
            walk.hop("internet", "internet", "drop", message("trace.no_public_owner", address=packet.dst))
            walk.block(code, None, message("trace.no_public_owner", address=packet.dst))
            return None
        igw = self.internet_gateway_of(target.vpc_id)
        if igw is None:
            walk.hop(target.vpc_id, "internet-gateway", "drop", message("trace.no_igw", vpc=target.vpc_id))
            walk.block("BAD_STATE", target.vpc_id, message("trace.no_igw", vpc=target.vpc_id))
            return None
        if target.interface_type == "nat_gateway":
            walk.hop(igw.id, "internet-gateway", "forward", message("trace.igw_in_nat", address=packet.dst))
        else:
            before = packet.endpoint("dst")
            packet.dst = target.private_ip
            walk.hop(igw.id, "internet-gateway", "translate", message("trace.igw_in", address=target.private_ip),
                     {"from": before, "to": packet.endpoint("dst")})
        return self._arrive(packet, target, None, walk, flow)

    def _into_nat(self, packet: _Packet, nat: NatGateway, from_subnet: Subnet, vpc: Vpc, walk: _Walk,
                  flow: _Flow) -> tuple[bool, Position] | None:
        if any(h.component == nat.id and h.action == "translate" for h in walk.hops):
            # translated once already: the NAT gateway's own subnet routes the packet back to it
            table = self.route_table_for(from_subnet)
            walk.hop(nat.id, "nat-gateway", "drop", message("nat.routed_back", nat=nat.id))
            walk.block("ROUTING_LOOP", table.id, message("nat.routed_back_explained", nat=nat.label,
                                                         subnet=from_subnet.label, table=table.label,
                                                         address=packet.dst))
            return None
        if not any(in_cidr(packet.src, block) for block in vpc.cidr_blocks) and walk.entered_via != "transit":
            walk.hop(nat.id, "nat-gateway", "drop", message("trace.nat_outside_source", address=packet.src))
            walk.block("NGW_REQUIRES_SOURCE_IN_VPC", nat.id,
                       message("trace.nat_outside_source", address=packet.src))
            return None
        nat_subnet = self._ref(nat.subnet_id, Subnet)
        if nat_subnet.id != from_subnet.id and \
                not self._nacl(packet, nat_subnet, egress=False, walk=walk) and walk.stopped:
            return None
        return self._nat_receive(packet, nat, walk, flow)

    def _nat_receive(self, packet: _Packet, nat: NatGateway, walk: _Walk, flow: _Flow
                     ) -> tuple[bool, Position] | None:
        """The NAT gateway translates: new connections outward, replies back inward."""
        eni = self._ref(nat.eni_id, NetworkInterface) if nat.eni_id else None
        if eni is None:
            walk.block("BAD_STATE", nat.id, message("gw.nat_not_available", nat=nat.label, state=nat.state))
            return None
        if packet.dst in (eni.private_ip, eni.public_ip):  # a reply to a connection it translated
            if not self._unmasquerade(packet, nat.id, walk, flow, kind="nat-gateway"):
                walk.hop(nat.id, "nat-gateway", "drop", message("trace.nat_no_entry", address=packet.endpoint("dst")))
                walk.block("BAD_STATE", nat.id, message("trace.nat_no_entry", address=packet.endpoint("dst")))
                return None
            return False, eni
        table = self._nat_tables.get(nat.id)
        if table is None:  # pragma: no cover - an available NAT gateway always has its table
            table = self._nat_tables[nat.id] = NatTable(nat.id, nat.public_ip or eni.private_ip, self.seed,
                                                        self.quotas.nat_connections_per_destination)
        table.limit = self.quotas.nat_connections_per_destination  # the quota may have changed since
        translation = table.preview(packet.protocol, packet.src, packet.src_port or 0, packet.dst,
                                    packet.dst_port or 0)
        before = packet.endpoint("src")
        flow.nat.append((nat.id, packet.src, packet.src_port, table.public_ip,
                         translation.public_port if packet.src_port is not None else None))
        packet.src = table.public_ip
        if packet.src_port is not None:
            packet.src_port = translation.public_port
        walk.hop(nat.id, "nat-gateway", "translate",
                 message("trace.nat_out", address=packet.src, connectivity=nat.connectivity),
                 {"from": before, "to": packet.endpoint("src")})
        return False, eni

    def _masquerade(self, packet: _Packet, appliance: NetworkInterface, walk: _Walk, flow: _Flow) -> None:
        before = packet.endpoint("src")
        table = NatTable(appliance.id, appliance.private_ip, self.seed, self.quotas.nat_connections_per_destination)
        translation = table.preview(packet.protocol, packet.src, packet.src_port or 0, packet.dst,
                                    packet.dst_port or 0)
        flow.nat.append((appliance.id, packet.src, packet.src_port, appliance.private_ip,
                         translation.public_port if packet.src_port is not None else None))
        packet.src = appliance.private_ip
        if packet.src_port is not None:
            packet.src_port = translation.public_port
        walk.hop(appliance.id, "eni", "translate", message("trace.nat_instance", eni=appliance.label),
                 {"from": before, "to": packet.endpoint("src")})

    def _unmasquerade(self, packet: _Packet, translator: str, walk: _Walk, flow: _Flow,
                      kind: str = "eni") -> bool:
        for owner, inside_ip, inside_port, outside_ip, outside_port in flow.nat:
            if owner == translator and packet.dst == outside_ip and \
                    (outside_port is None or packet.dst_port == outside_port):
                before = packet.endpoint("dst")
                packet.dst = inside_ip
                if outside_port is not None:
                    packet.dst_port = inside_port
                walk.hop(translator, kind, "translate", message("trace.nat_back", address=inside_ip),
                         {"from": before, "to": packet.endpoint("dst")})
                return True
        return False

    def _check_reply_address(self, reply: _Packet, request: _Packet, walk: _Walk) -> None:
        """The reply must come back from the address the request was sent to."""
        ports_differ = request.protocol in ("tcp", "udp") and reply.src_port != request.dst_port
        if reply.src != request.dst or ports_differ:
            walk.block("ASYMMETRIC_RETURN_PATH", None,
                       message("trace.asymmetric", got=reply.endpoint("src"), expected=request.endpoint("dst")))

    # --- peering, transit gateways, VPN, Direct Connect, gateway endpoints -----------------
    def _through_peering(self, packet: _Packet, pcx: VpcPeeringConnection, vpc: Vpc, walk: _Walk, flow: _Flow
                         ) -> tuple[bool, Position] | None:
        peer = self._ref(pcx.peer_of(vpc.id), Vpc)
        if not any(in_cidr(packet.dst, block) for block in peer.cidr_blocks):
            walk.hop(pcx.id, "peering-connection", "drop", message("trace.pcx_outside", address=packet.dst,
                                                                   vpc=peer.label))
            walk.block("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pcx.id,
                       message("trace.pcx_outside_explained", address=packet.dst, vpc=peer.label, pcx=pcx.label))
            return None
        walk.hop(pcx.id, "peering-connection", "forward", message("trace.pcx", vpc=peer.label))
        walk.entered_via = "peering"
        return self._enter_vpc(packet, peer, pcx.id, walk, flow)

    def _enter_vpc(self, packet: _Packet, vpc: Vpc, component: str, walk: _Walk, flow: _Flow
                   ) -> tuple[bool, Position] | None:
        """A packet from outside (peering, VPN, Direct Connect, an endpoint) reaches an interface."""
        target_id = self._eni_by_ip.get(packet.dst)
        target = self._ref(target_id, NetworkInterface) if target_id else None
        if target is None or target.vpc_id != vpc.id:
            walk.hop(component, "eni", "drop", message("trace.unknown_destination", address=packet.dst))
            walk.block("UNKNOWN_DESTINATION", vpc.id, message("trace.unknown_destination", address=packet.dst))
            return None
        return self._arrive(packet, target, None, walk, flow)

    def _into_transit_gateway(self, packet: _Packet, tgw_id: str, subnet: Subnet, vpc: Vpc, walk: _Walk,
                              flow: _Flow) -> tuple[bool, Position] | None:
        link = self.vpc_attachment(tgw_id, vpc.id)
        if link is None:  # pragma: no cover - the route would be a blackhole
            walk.block("BAD_STATE_ROUTE", tgw_id, message("trace.tgw_not_attached", vpc=vpc.label))
            return None
        zones = {self._ref(s, Subnet).az for s in link.subnet_ids}
        if subnet.az not in zones:
            walk.hop(link.id, "transit-gateway-attachment", "drop", message("trace.tgw_az", az=subnet.az))
            walk.block("TGW_ATTACH_VPC_AZ_RESTRICTION", link.id,
                       message("trace.tgw_az_explained", az=subnet.az, attachment=link.label,
                               zones=", ".join(sorted(zones))))
            return None
        walk.hop(link.id, "transit-gateway-attachment", "forward", message("trace.tgw_attachment", vpc=vpc.label))
        return self._transit(packet, link, subnet.az, walk, flow)

    def _transit(self, packet: _Packet, link: TransitGatewayAttachment, zone: str | None, walk: _Walk, flow: _Flow
                 ) -> tuple[bool, Position] | None:
        """The transit gateway routes by the table associated with the arriving attachment."""
        table = self.tgw_association(link)
        if table is None:
            walk.hop(link.transit_gateway_id, "transit-gateway", "drop",
                     message("trace.tgw_no_table", attachment=link.id))
            walk.block("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", link.id,
                       message("trace.tgw_no_table", attachment=link.id))
            return None
        route = select_tgw_route(self.transit_gateway_routes(table), packet.dst)
        if route is None:
            walk.hop(table.id, "transit-gateway", "drop", message("trace.no_route", address=packet.dst))
            walk.block("TGW_RTB_CANNOT_ROUTE", table.id,
                       message("trace.tgw_no_route", address=packet.dst, table=table.label))
            return None
        if route.state == "blackhole" or route.attachment_id is None:
            walk.hop(table.id, "transit-gateway", "drop", message("trace.tgw_blackhole", destination=route.destination))
            walk.block("TGW_RTB_BAD_STATE_ROUTE", table.id,
                       message("trace.tgw_blackhole_explained", destination=route.destination, table=table.label))
            return None
        walk.hop(table.id, "transit-gateway", "forward",
                 message("trace.tgw_route", address=packet.dst, destination=route.destination,
                         attachment=route.attachment_id, kind=route.route_type))
        out = self._ref(route.attachment_id, TransitGatewayAttachment)
        if out.resource_type == "vpn":
            return self._to_on_premises(packet, self._ref(out.resource_id, VpnConnection), walk)
        enis = [self._ref(e, NetworkInterface) for e in out.network_interface_ids if e in self._items]
        if not enis:
            walk.block("BAD_STATE_ATTACHMENT", out.id, message("trace.attachment_no_enis", attachment=out.id))
            return None
        same_zone = [e for e in enis if self._ref(e.subnet_id, Subnet).az == zone]
        walk.hop(out.id, "transit-gateway-attachment", "forward",
                 message("trace.tgw_into_vpc", vpc=out.resource_id))
        walk.entered_via = "transit"
        return False, (same_zone or enis)[0]

    def _to_vpn_gateway(self, packet: _Packet, vgw_id: str, walk: _Walk) -> tuple[bool, Position] | None:
        route = self.vgw_route_for(vgw_id, packet.dst)
        if route is None:
            walk.hop(vgw_id, "vpn-gateway", "drop", message("trace.vgw_no_route", address=packet.dst))
            walk.block("NO_ROUTE_TO_DESTINATION", vgw_id, message("trace.vgw_no_route", address=packet.dst))
            return None
        walk.hop(vgw_id, "vpn-gateway", "forward",
                 message(f"trace.vgw_route.{route.kind}", prefix=route.prefix, connection=route.connection_id))
        if route.kind == "direct-connect":
            walk.hop(route.connection_id, "direct-connect", "forward", message("trace.dx"))
            walk.hop("on-premises", "on-premises", "deliver", message("trace.on_premises", address=packet.dst))
            return True, _Remote("on-premises", route.connection_id)
        return self._to_on_premises(packet, self._ref(route.connection_id, VpnConnection), walk)

    def _tunnels_up(self, vpn: VpnConnection, walk: _Walk) -> bool:
        if "UP" not in vpn.tunnels:
            walk.hop(vpn.id, "vpn-connection", "drop", message("trace.tunnels_down"))
            code = "TGW_BAD_STATE_VPN" if vpn.transit_gateway_id else "BAD_STATE_VPN"
            walk.block(code, vpn.id, message("trace.tunnels_down_explained", vpn=vpn.label))
            return False
        walk.hop(vpn.id, "vpn-connection", "forward", message("trace.tunnel", number=vpn.tunnels.index("UP") + 1))
        return True

    def _to_on_premises(self, packet: _Packet, vpn: VpnConnection, walk: _Walk) -> tuple[bool, Position] | None:
        if not self._tunnels_up(vpn, walk):
            return None
        walk.hop(vpn.customer_gateway_id, "customer-gateway", "forward", message("trace.cgw"))
        walk.hop("on-premises", "on-premises", "deliver", message("trace.on_premises", address=packet.dst))
        return True, _Remote("on-premises", vpn.id)

    def _to_gateway_endpoint(self, packet: _Packet, endpoint: VpcEndpoint, walk: _Walk
                             ) -> tuple[bool, Position] | None:
        if walk.entered_via is not None:
            walk.hop(endpoint.id, "vpc-endpoint", "drop", message("trace.vpce_outside", via=walk.entered_via))
            walk.block("VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION", endpoint.id,
                       message("trace.vpce_outside_explained", via=walk.entered_via, endpoint=endpoint.label))
            return None
        if packet.protocol not in ("tcp", "icmp"):
            walk.hop(endpoint.id, "vpc-endpoint", "drop", message("trace.vpce_protocol"))
            walk.block("VPCE_GATEWAY_PROTOCOL_RESTRICTION", endpoint.id, message("trace.vpce_protocol"))
            return None
        walk.hop(endpoint.id, "vpc-endpoint", "deliver",
                 message("trace.vpce", service=endpoint.service_name) + self._policy_note(endpoint))
        return True, _Remote("service", endpoint.id)

    def _policy_note(self, endpoint: VpcEndpoint) -> str:
        """A trace is about packets: an endpoint policy may still refuse the API call."""
        return "" if endpoint.policy_document is None else "; " + message("trace.vpce_policy")

    def _from_remote(self, packet: _Packet, remote: _Remote, walk: _Walk, flow: _Flow
                     ) -> tuple[bool, Position] | None:
        """A packet from on-premises (or a service's reply) comes into a VPC."""
        item = self._items.get(remote.via)
        if isinstance(item, VpcEndpoint):
            walk.hop(item.id, "vpc-endpoint", "forward", message("trace.vpce_back", service=item.service_name))
            return self._enter_vpc(packet, self._ref(item.vpc_id, Vpc), item.id, walk, flow)
        if isinstance(item, VpnConnection):
            walk.hop(item.customer_gateway_id, "customer-gateway", "forward", message("trace.cgw_out"))
            if not self._tunnels_up(item, walk):
                return None
            if item.transit_gateway_id:
                link = self.vpn_attachment(item.id)
                if link is None:
                    walk.block("BAD_STATE_ATTACHMENT", item.id, message("trace.vpn_no_attachment", vpn=item.id))
                    return None
                return self._transit(packet, link, None, walk, flow)
            vgw_id = item.vpn_gateway_id
        else:
            walk.hop(remote.via, "direct-connect", "forward", message("trace.dx"))
            vgw_id = getattr(item, "vpn_gateway_id", None)
        gateway = self._items.get(vgw_id or "")
        if not isinstance(gateway, VpnGateway) or gateway.vpc_id is None:
            walk.block("BAD_STATE", vgw_id, message("trace.vgw_detached", vgw=vgw_id))
            return None
        walk.hop(gateway.id, "vpn-gateway", "forward", message("trace.vgw_in", vpc=gateway.vpc_id))
        walk.entered_via = "vpn"
        return self._enter_vpc(packet, self._ref(gateway.vpc_id, Vpc), gateway.id, walk, flow)

    # --- the Amazon DNS resolver ---------------------------------------------------------------
    def _resolver_of(self, vpc: Vpc, address: str) -> bool:
        return address == RESOLVER or address == str(cached_network(vpc.cidr).network_address + 2)

    def _to_resolver(self, packet: _Packet, vpc: Vpc, walk: _Walk, flow: _Flow
                     ) -> tuple[bool, Position] | None:
        if packet.protocol not in ("tcp", "udp") or packet.dst_port != 53:
            walk.block("PROTOCOL_RESTRICTION", vpc.id, message("trace.resolver_only_dns", address=packet.dst))
            return None
        walk.hop(vpc.id, "eni", "deliver", message("trace.resolver", address=packet.dst))
        flow.resolver = True
        return True, packet.dst

    # --- filters -------------------------------------------------------------------------------
    def _sg_out(self, packet: _Packet, eni: NetworkInterface, walk: _Walk, flow: _Flow, *, exempt: bool) -> bool:
        return self._sg(packet, eni, walk, flow, egress=True, exempt=exempt)

    def _sg_in(self, packet: _Packet, eni: NetworkInterface, walk: _Walk, flow: _Flow) -> bool:
        return self._sg(packet, eni, walk, flow, egress=False, exempt=False)

    def _sg(self, packet: _Packet, eni: NetworkInterface, walk: _Walk, flow: _Flow, *, egress: bool,
            exempt: bool) -> bool:
        if not eni.security_group_ids:
            return True  # a NAT gateway has no security group
        shown = ",".join(eni.security_group_ids)
        if exempt:
            walk.hop(shown, "security-group", "allow", message("trace.resolver_not_filtered"))
            return True
        if walk.direction == "return" and eni.id in flow.tracked:
            walk.hop(shown, "security-group", "allow", message("trace.sg_tracked"))
            return True
        groups = [self._ref(g, SecurityGroup) for g in eni.security_group_ids]
        remote = packet.dst if egress else packet.src
        decision = sg_decision(groups, egress=egress, protocol=packet.protocol, port=packet.port, remote=remote,
                               members=lambda sg: self._sg_members.get(sg, ()), prefix_list=self._prefix_list_cidrs)
        way = "outbound" if egress else "inbound"
        if decision.allowed and decision.rule is not None:
            if walk.direction == "forward":
                flow.tracked.add(eni.id)
            walk.hop(decision.group_id or shown, "security-group", "allow",
                     message("trace.sg_allow", way=way, rule=decision.rule.describe()))
            return True
        what = _describe(packet, remote)
        walk.hop(shown, "security-group", "deny", message("trace.sg_deny", way=way, what=what))
        if walk.direction == "forward":
            flow.tracked.add(eni.id)  # as if fixed, for all_blockers
        walk.block("ENI_SG_RULES_MISMATCH", groups[0].id if len(groups) == 1 else shown,
                   message("trace.sg_deny_explained", way=way, what=what, groups=shown), fatal=False)
        return False

    def _nacl(self, packet: _Packet, subnet: Subnet, *, egress: bool, walk: _Walk) -> bool:
        acl = self.network_acl_for(subnet)
        remote = packet.dst if egress else packet.src
        entry = nacl_decision(acl.entries, egress=egress, protocol=packet.protocol, port=packet.port, remote=remote)
        way = "outbound" if egress else "inbound"
        if entry.action == "allow":
            walk.hop(acl.id, "network-acl", "allow", message("trace.nacl_allow", way=way, rule=entry.describe()))
            return True
        what = _describe(packet, remote)
        walk.hop(acl.id, "network-acl", "deny", message("trace.nacl_deny", way=way, rule=entry.describe()))
        key = "trace.nacl_deny_reply" if walk.direction == "return" else "trace.nacl_deny_explained"
        walk.block("SUBNET_ACL_RESTRICTION", acl.id,
                   message(key, way=way, what=what, rule=entry.rule_label, acl=acl.label, subnet=subnet.label),
                   rule=entry.rule_number, fatal=False)
        return False


def _describe(packet: _Packet, remote: str) -> str:
    if packet.protocol == ALL:
        return message("trace.what_all", remote=remote)
    if packet.protocol == "icmp":
        return message("trace.what_icmp", remote=remote)
    return message("trace.what", protocol=packet.protocol.upper(), port=packet.dst_port, remote=remote)


def _check_port(port: object) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise InvalidValue("InvalidParameterValue", message("firewall.bad_port", port=port),
                           fix=message("firewall.bad_port_fix"))
    return port

