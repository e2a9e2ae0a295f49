"""Well-known ports (aws-vpc-facts.md §13) and the ephemeral ranges clients pick from (§8, §14e)."""

from __future__ import annotations

import pytest

from vpclab.errors import NotFound
from vpclab.ports import EPHEMERAL_RANGES, ephemeral_ports, ephemeral_range, reply_ports, service_port, well_known_ports


@pytest.mark.parametrize(("name", "port"), [
    ("FTP", 20), ("SSH", 22), ("SMTP", 25), ("DNS", 53), ("HTTP", 80), ("POP3", 110), ("IMAP", 143),
    ("HTTPS", 443), ("MS SQL Server", 1433), ("Oracle", 1521), ("MySQL", 3306), ("RDP", 3389),
    ("PostgreSQL", 5432), ("Amazon Redshift", 5439), ("GENEVE", 6081)])
def test_every_service_of_the_facts_sheet_has_its_port(name: str, port: int) -> None:
    assert service_port(name) == port


def test_names_are_read_generously_and_an_unknown_one_lists_the_known() -> None:
    assert service_port(" https ") == 443 and service_port("mysql") == 3306
    with pytest.raises(NotFound, match=r"'Telnet' is not in the well-known ports table.*SSH"):
        service_port("Telnet")


def test_the_clients_ranges_are_the_documented_ones() -> None:
    assert ephemeral_range("linux") == (32768, 60999)  # the kernel's default; AWS's table says 61000
    assert ephemeral_range("windows") == (49152, 65535)
    assert ephemeral_range("windows-2003") == (1025, 5000)
    assert {ephemeral_range(c) for c in ("nat-gateway", "elb", "lambda")} == {(1024, 65535)}
    with pytest.raises(NotFound, match="linux, windows"):
        ephemeral_range("macos")


def test_the_reply_range_covers_every_client_and_is_awss_advice() -> None:
    low, high = reply_ports()
    assert (low, high) == (1024, 65535)
    assert all(low <= a and b <= high for a, b in EPHEMERAL_RANGES.values())


def test_the_tables_show_every_row() -> None:
    ports = well_known_ports()
    assert ports.header[:2] == ("service", "port")
    assert ports.rows[1][:3] == ("SSH", "22", "TCP") and "sshd" in ports.rows[1][4]
    assert ports.rows[3][:3] == ("DNS", "53", "TCP and UDP")
    assert len(ports.rows) == 16 and "daemon" in ports._text_()
    ephemeral = ephemeral_ports()
    assert len(ephemeral.rows) == len(EPHEMERAL_RANGES)
    assert ephemeral.rows[1] == ("Windows Server 2008 and later", "49152–65535")
    assert "1024–65535" in (ephemeral.caption or "")
