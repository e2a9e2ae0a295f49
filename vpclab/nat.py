"""Network address translation (aws-vpc-facts.md §5, §6, §14 g).

- The internet gateway does *basic* NAT, 1:1: an instance's private address is swapped for
  its public IPv4 or Elastic IP; ports are unchanged.
- A NAT gateway does *NAPT* (many-to-one): every private source is rewritten to the NAT
  gateway's one address and a source port from 1024–65535, at most 55,000 connections per
  NAT address to each destination (address, port, protocol).

:class:`NatTable` is a NAT gateway's translation table. ``translate`` opens (records) a
connection; ``preview`` says which port a connection *would* get without recording it, so
that a trace never changes the world.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from vpclab.display import Displayable, Table
from vpclab.errors import LimitExceeded
from vpclab.i18n import message

__all__ = ["NAT_PORTS", "NatTable", "Translation"]

NAT_PORTS = (1024, 65535)
_SPAN = NAT_PORTS[1] - NAT_PORTS[0] + 1


@dataclass(frozen=True, slots=True)
class Translation:
    protocol: str
    private_ip: str
    private_port: int
    public_ip: str
    public_port: int
    destination_ip: str
    destination_port: int


class NatTable(Displayable):
    """The connections a NAT gateway has translated, and the ports they hold."""

    def __init__(self, nat_id: str, public_ip: str, seed: int | None, limit: int) -> None:
        self.nat_id = nat_id
        self.public_ip = public_ip
        self.seed = seed or 0
        self.limit = limit
        self.entries: dict[tuple[str, str, int, str, int], Translation] = {}
        self._ports: dict[tuple[str, str, int], set[int]] = {}  # destination -> ports in use

    def _port(self, key: tuple[str, str, int, str, int]) -> int:
        destination = (key[0], key[3], key[4])
        used = self._ports.get(destination, set())
        if len(used) >= min(self.limit, _SPAN):
            raise LimitExceeded(
                "ErrorPortAllocation",
                message("nat.ports_exhausted", nat=self.nat_id, limit=f"{self.limit:,}",
                        destination=f"{key[3]}:{key[4]}/{key[0]}"),
                fix=message("nat.ports_exhausted_fix"),
            )
        start = zlib.crc32(f"{self.seed}|{'|'.join(map(str, key))}".encode()) % _SPAN
        for offset in range(_SPAN):
            port = NAT_PORTS[0] + (start + offset) % _SPAN
            if port not in used:
                return port
        raise AssertionError("unreachable")  # pragma: no cover

    def preview(self, protocol: str, private_ip: str, private_port: int, destination_ip: str,
                destination_port: int) -> Translation:
        """The translation this connection has, or would get if it were opened now."""
        key = (protocol, private_ip, private_port, destination_ip, destination_port)
        if key in self.entries:
            return self.entries[key]
        return Translation(protocol, private_ip, private_port, self.public_ip, self._port(key),
                           destination_ip, destination_port)

    def translate(self, protocol: str, private_ip: str, private_port: int, destination_ip: str,
                  destination_port: int) -> Translation:
        """Open a connection through the NAT: record its translation and hold its port."""
        entry = self.preview(protocol, private_ip, private_port, destination_ip, destination_port)
        key = (protocol, private_ip, private_port, destination_ip, destination_port)
        self.entries[key] = entry
        self._ports.setdefault((protocol, destination_ip, destination_port), set()).add(entry.public_port)
        return entry

    def close(self, translation: Translation) -> None:
        key = (translation.protocol, translation.private_ip, translation.private_port,
               translation.destination_ip, translation.destination_port)
        if self.entries.pop(key, None) is not None:
            destination = (translation.protocol, translation.destination_ip, translation.destination_port)
            self._ports[destination].discard(translation.public_port)

    def table(self) -> Table:
        return Table(
            [message("label.protocol"), message("label.inside"), message("label.outside"),
             message("label.destination")],
            [(t.protocol, f"{t.private_ip}:{t.private_port}", f"{t.public_ip}:{t.public_port}",
              f"{t.destination_ip}:{t.destination_port}") for t in self.entries.values()],
            caption=message("nat.table_caption", nat=self.nat_id, count=len(self.entries)),
        )

    def _text_(self) -> str:
        return self.table()._text_()

    def _html_(self) -> str:
        return self.table()._html_()
