"""Ports: which server program listens where, and which port a client picks for itself.

- A server program (a *daemon* on Linux, a *service* on Windows) listens on a well-known
  port: sshd on 22, nginx on 80 and 443 (aws-vpc-facts.md §13).
- The client's end of a connection is an *ephemeral* port, picked by the client's operating
  system (or by the NAT gateway, load balancer or Lambda in front of it) from its own range
  (aws-vpc-facts.md §8, §14e). A stateless network ACL must let replies go to that port.

>>> service_port("HTTPS")
443
>>> ephemeral_range("nat-gateway")
(1024, 65535)
>>> reply_ports()
(1024, 65535)
"""

from __future__ import annotations

from dataclasses import dataclass

from vpclab.display import Table
from vpclab.errors import NotFound
from vpclab.i18n import message
from vpclab.shorthands import LINUX_EPHEMERAL_PORTS

__all__ = [
    "EPHEMERAL_RANGES",
    "WELL_KNOWN_PORTS",
    "Service",
    "ephemeral_ports",
    "ephemeral_range",
    "reply_ports",
    "service_port",
    "well_known_ports",
]


@dataclass(frozen=True, slots=True)
class Service:
    """A well-known service: its name, protocol(s), port(s) and an example server program.
    ``key`` names its catalog message (``fw.port.<key>``): what the service is for."""

    key: str
    name: str
    protocol: str  # TCP, UDP, or TCP and UDP
    ports: tuple[int, ...]
    daemon: str

    @property
    def use(self) -> str:
        return message(f"fw.port.{self.key}")


# aws-vpc-facts.md §13. The daemons are common examples of the program that listens.
WELL_KNOWN_PORTS: tuple[Service, ...] = (
    Service("ftp", "FTP", "TCP", (20, 21), "vsftpd"),
    Service("ssh", "SSH", "TCP", (22,), "sshd (OpenSSH)"),
    Service("smtp", "SMTP", "TCP", (25,), "Postfix"),
    Service("dns", "DNS", "TCP and UDP", (53,), "BIND (named)"),
    Service("http", "HTTP", "TCP", (80,), "nginx, Apache httpd"),
    Service("pop3", "POP3", "TCP", (110,), "Dovecot"),
    Service("imap", "IMAP", "TCP", (143,), "Dovecot"),
    Service("https", "HTTPS", "TCP", (443,), "nginx, Apache httpd"),
    Service("ike", "IPsec IKE / NAT-T", "UDP", (500, 4500), "strongSwan, a VPN router"),
    Service("mssql", "MS SQL Server", "TCP", (1433,), "sqlservr (a Windows service)"),
    Service("oracle", "Oracle", "TCP", (1521,), "the Oracle listener (tnslsnr)"),
    Service("mysql", "MySQL / Aurora", "TCP", (3306,), "mysqld"),
    Service("rdp", "RDP", "TCP", (3389,), "Remote Desktop Services (a Windows service)"),
    Service("postgresql", "PostgreSQL", "TCP", (5432,), "postgres"),
    Service("redshift", "Amazon Redshift", "TCP", (5439,), "run by AWS"),
    Service("geneve", "GENEVE", "UDP", (6081,), "run by AWS (Gateway Load Balancer)"),
)

# aws-vpc-facts.md §8: who opens the connection picks the port, from these ranges.
EPHEMERAL_RANGES: dict[str, tuple[int, int]] = {
    "linux": LINUX_EPHEMERAL_PORTS,
    "windows": (49152, 65535),
    "windows-2003": (1025, 5000),
    "nat-gateway": (1024, 65535),
    "elb": (1024, 65535),
    "lambda": (1024, 65535),
}


def _service(name: str) -> Service:
    wanted = str(name).strip().lower()
    for service in WELL_KNOWN_PORTS:
        if wanted in (service.key, service.name.lower()):
            return service
    raise NotFound("InvalidParameterValue", message("fw.no_service", name=name),
                   fix=message("fw.no_service_fix", known=", ".join(s.name for s in WELL_KNOWN_PORTS)))


def service_port(name: str) -> int:
    """The (first) well-known port of a service, by name: ``service_port("SSH")`` is 22."""
    return _service(name).ports[0]


def ephemeral_range(client: str) -> tuple[int, int]:
    """The ephemeral ports a kind of client picks from (a key of :data:`EPHEMERAL_RANGES`)."""
    try:
        return EPHEMERAL_RANGES[client]
    except KeyError:
        raise NotFound("InvalidParameterValue", message("fw.no_client", client=client),
                       fix=message("fw.no_client_fix", known=", ".join(EPHEMERAL_RANGES))) from None


def reply_ports() -> tuple[int, int]:
    """The range that covers every client's ephemeral ports: what a NACL should let replies use."""
    return (min(low for low, _ in EPHEMERAL_RANGES.values()), max(high for _, high in EPHEMERAL_RANGES.values()))


def _ports_text(ports: tuple[int, ...]) -> str:
    return " and ".join(str(p) for p in ports)


def well_known_ports() -> Table:
    """The well-known ports table: service, port(s), protocol, what it is for, who listens."""
    header = [message(f"fw.ports.{k}") for k in ("service", "port", "protocol", "use", "daemon")]
    rows = [(s.name, _ports_text(s.ports), s.protocol, s.use, s.daemon) for s in WELL_KNOWN_PORTS]
    return Table(header, rows, caption=message("fw.ports.caption"))


def ephemeral_ports() -> Table:
    """Who picks the client's port, from which range."""
    header = [message("fw.ephemeral.client"), message("fw.ephemeral.range")]
    rows = [(message(f"fw.client.{client}"), f"{low}–{high}") for client, (low, high) in EPHEMERAL_RANGES.items()]
    low, high = reply_ports()
    return Table(header, rows, caption=message("fw.ephemeral.caption", low=low, high=high))
