"""The default VPC explorer: the Region, the number of AZs and the launch box change what it
shows, always read from the engine; a bad input is shown inside the widget."""

from __future__ import annotations

import re

from vpclab.cloud import KNOWN_REGIONS, Cloud, region_azs
from vpclab.widgets.default_vpc import default_vpc_explorer, default_vpc_view


def _parts(widget):  # type: ignore[no-untyped-def]
    controls, view = widget.children
    menu, slider, box = controls.children
    return menu, slider, box, view


def _blocks(html: str) -> list[str]:
    return re.findall(r"<td>(172\.31\.\d+\.0/20)</td>", html)


def test_the_engine_knows_every_az_of_its_regions_and_a_cloud_uses_three() -> None:
    assert KNOWN_REGIONS == ("us-east-1", "ap-northeast-2")
    assert region_azs("us-east-1") == tuple(f"us-east-1{z}" for z in "abcdef")
    assert region_azs("eu-west-1") == ("eu-west-1a", "eu-west-1b", "eu-west-1c")
    assert Cloud("us-east-1").azs == region_azs("us-east-1")[:3]


def test_it_shows_a_20_per_az_the_igw_route_and_the_default_rules() -> None:
    html = default_vpc_view("us-east-1", 3)
    assert "vpclab-error" not in html
    assert _blocks(html) == ["172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"]
    assert html.count("<td>4,091</td>") == 3 and html.count("<td>yes</td>") == 3
    assert "172.31.0.0/16 (65,536 addresses)" in html
    assert re.search(r"0\.0\.0\.0/0 +→ igw-[0-9a-f]+ +active", html)
    assert re.search(r"172\.31\.0\.0/16 +→ local", html)
    assert re.search(r"in  all traffic sg-[0-9a-f]+", html)  # only from the group's own members
    assert "in  rule 100: allow all 0.0.0.0/0" in html and "out rule *: deny all" in html
    assert "DNS server 172.31.0.2, domain name ec2.internal" in html


def test_it_starts_with_every_az_of_the_region_and_the_slider_takes_some_away() -> None:
    _, slider, _, view = _parts(default_vpc_explorer())
    assert slider.max == slider.value == 6
    assert len(_blocks(view.value)) == 6 and "172.31.80.0/20" in view.value
    slider.value = 1
    assert _blocks(view.value) == ["172.31.0.0/20"]


def test_choosing_seoul_gives_its_four_azs_and_domain_name() -> None:
    menu, slider, _, view = _parts(default_vpc_explorer())
    menu.value = "ap-northeast-2"
    assert slider.max == slider.value == 4
    assert "ap-northeast-2d" in view.value and len(_blocks(view.value)) == 4
    assert "ap-northeast-2.compute.internal" in view.value
    slider.value = 2
    menu.value = "us-east-1"
    assert slider.value == 6 and len(_blocks(view.value)) == 6 and "ec2.internal" in view.value


def test_switching_between_regions_with_the_same_count_still_redraws() -> None:
    menu, slider, _, view = _parts(default_vpc_explorer("ap-northeast-2"))
    slider.value = 4
    menu.value = "us-east-1"
    slider.value = 4
    menu.value = "ap-northeast-2"  # 4 AZs before and after: the slider does not move
    assert "ap-northeast-2a" in view.value and "us-east-1a" not in view.value


def test_launching_gives_a_public_ip_outbound_works_and_ssh_in_is_stopped_by_the_default_sg() -> None:
    *_, box, view = _parts(default_vpc_explorer())
    assert "private IPv4" not in view.value and "my-instance" not in view.value
    box.value = True
    assert re.search(r"private IPv4 172\.31\.\d+\.\d+, public IPv4 \d+\.\d+\.\d+\.\d+", view.value)
    assert "TCP 443 to 8.8.8.8: ✓ the connection can be made" in view.value
    assert "TCP 22 from 203.0.113.10: ✗ ENI_SG_RULES_MISMATCH" in view.value
    box.value = False
    assert "my-instance" not in view.value


def test_the_view_is_the_same_every_time() -> None:
    assert default_vpc_view("us-east-1", 3, True) == default_vpc_view("us-east-1", 3, True)


def test_a_bad_number_of_azs_is_shown_in_the_widget_not_raised() -> None:
    for bad in (0, 7, True, "3"):
        html = default_vpc_view("us-east-1", bad)  # type: ignore[arg-type]
        assert "vpclab-error" in html and "choose a whole number from 1 to 6" in html
    for bad in (9, 0, "3"):
        *_, view = _parts(default_vpc_explorer("ap-northeast-2", bad))  # type: ignore[arg-type]
        assert "vpclab-error" in view.value and "from 1 to 4" in view.value
