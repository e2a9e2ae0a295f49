"""The subnet planner widget: each control changes the plan it shows; errors stay inside."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from vpclab import render
from vpclab.cidr import parse
from vpclab.errors import InvalidValue
from vpclab.render import subnet_tree
from vpclab.subnet_plan import plan_subnets
from vpclab.widgets.subnet_planner import planner_view, subnet_planner


def _parts(widget: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
    controls, view = widget.children
    vpc, tiers, azs, prefix, existing = controls.children
    return vpc, tiers, azs, prefix, existing, view


def _cidrs(view_html: str) -> list[str]:
    """The planned blocks, in table order."""
    return re.findall(r"<td>(\d+\.\d+\.\d+\.\d+/\d+)</td>", view_html)


def test_the_default_plan_is_three_tiers_in_two_azs_of_slash_24() -> None:
    widget = subnet_planner()
    assert "vpclab-subnet-planner" in widget._dom_classes
    *_, view = _parts(widget)
    assert "6 subnets of /24 in 10.0.0.0/16" in view.value
    assert _cidrs(view.value) == [f"10.0.{n}.0/24" for n in range(6)]
    assert "<td>app</td><td>us-east-1b</td><td>10.0.3.0/24</td><td>251</td>" in view.value
    assert ("free space left: 64,000 addresses (97.7% of the VPC) in 6 blocks: 10.0.6.0/23, 10.0.8.0/21, "
            "10.0.16.0/20, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17") in view.value  # 65,536 - 6 × 256


def test_the_az_slider_adds_a_subnet_per_tier() -> None:
    _, _, azs, _, _, view = _parts(subnet_planner())
    azs.value = 3
    assert "9 subnets of /24" in view.value
    assert "us-east-1c" in view.value and _cidrs(view.value)[-1] == "10.0.8.0/24"


def test_the_prefix_slider_resizes_every_subnet() -> None:
    _, _, _, prefix, _, view = _parts(subnet_planner())
    prefix.value = 26
    assert _cidrs(view.value)[:2] == ["10.0.0.0/26", "10.0.0.64/26"]
    assert "<td>59</td>" in view.value  # 64 - 5 reserved


def test_typing_tiers_changes_the_rows() -> None:
    _, tiers, _, _, _, view = _parts(subnet_planner())
    tiers.value = "web, db"
    assert "4 subnets of /24" in view.value and "<td>app</td>" not in view.value


def test_a_plan_of_one_subnet_says_subnet() -> None:
    view = planner_view(tiers="web", azs=1, prefix=28, tree=False)
    assert "<caption>1 subnet of /28 in 10.0.0.0/16</caption>" in view


def test_the_prefix_slider_follows_the_vpc_block() -> None:
    vpc, _, azs, prefix, _, view = _parts(subnet_planner())
    vpc.value = "172.16.0.0/26"
    assert prefix.min == 26 and prefix.value == 26
    assert "vpclab-error" in view.value and "holds only 1 block of /26, and the plan needs 6" in view.value
    prefix.value = 28
    assert "holds only 4 blocks of /28, and the plan needs 6" in view.value
    azs.value = 1
    assert _cidrs(view.value) == ["172.16.0.0/28", "172.16.0.16/28", "172.16.0.32/28"]
    assert "<td>11</td>" in view.value and "free space left: 16 addresses (25.0% of the VPC)" in view.value


def test_an_existing_subnet_that_overlaps_is_warned_about_and_not_counted_free() -> None:
    *_, existing, view = _parts(subnet_planner())
    before = view.value
    existing.value = "10.0.1.0/25, 10.0.6.0/24"
    assert "vpclab-warning" not in before
    assert ("10.0.1.0/24 (public in us-east-1b) overlaps existing subnet 10.0.1.0/25: they share "
            "addresses, and AWS refuses the later one with InvalidSubnet.Conflict") in view.value
    assert "overlaps existing subnet 10.0.6.0/24" not in view.value  # free space: no conflict
    assert "free space left: 63,744 addresses" in view.value and "10.0.7.0/24, 10.0.8.0/21" in view.value


def test_an_existing_block_aws_would_refuse_is_named() -> None:
    text = planner_view(existing="192.168.0.0/24")
    assert "existing subnet: InvalidSubnet.Range: subnet 192.168.0.0/24 is outside the VPC" in text


def test_bad_input_is_shown_in_the_widget_not_raised() -> None:
    vpc, tiers, azs, _, existing, view = _parts(subnet_planner())
    for control, value, text in [(vpc, "10.0.0.x/16", "is not a valid IPv4 CIDR block"),
                                 (vpc, "10.0.0.0/8", "InvalidVpc.Range"),
                                 (tiers, "", "a plan needs at least one tier"),
                                 (existing, "10.0.1", "has no prefix length")]:
        good = control.value
        control.value = value
        assert "vpclab-error" in view.value and text in view.value, value
        control.value = good
        assert "vpclab-error" not in view.value
    assert azs.max == 3


def test_a_plan_that_does_not_fit_is_explained() -> None:
    text = planner_view("10.0.0.0/16", "public app db", azs=3, prefix=19)
    assert "vpclab-error" in text and "holds only 8 blocks of /19, and the plan needs 9" in text
    assert "choose from 1 to 3 AZs" in planner_view(azs=4)


def test_the_tree_shows_the_blocks_the_plan_uses() -> None:
    text = planner_view("10.0.0.0/16", ["public", "app", "db"], azs=2, prefix=24)
    assert "Divide / join: from the top, 10.0.0.0/21 divides into two halves" in text and "<svg" in text
    assert "10.0.7.0/24" in text  # the free /24s are drawn too
    assert "<svg" not in planner_view(tree=False)


def test_subnet_tree_marks_several_blocks_and_the_paths_to_them() -> None:
    tree = subnet_tree("10.0.0.0/22", levels=2, highlight=["10.0.0.0/24", "10.0.3.0/24"])
    marked = [line.split()[0] for line in tree.outline.splitlines() if line.endswith("<")]
    assert marked == ["10.0.0.0/22", "10.0.0.0/23", "10.0.0.0/24", "10.0.2.0/23", "10.0.3.0/24"]
    assert [line.split()[0] for line in subnet_tree("10.0.0.0/22", highlight="10.0.1.0/24").outline.splitlines()
            if line.endswith("<")] == ["10.0.0.0/22", "10.0.0.0/23", "10.0.1.0/24"]


def test_the_browser_action_changes_the_view_to_what_it_expects() -> None:
    action = json.loads((Path(__file__).parent / "browser_actions" / "subnet-planner.json").read_text())
    (step,) = action["steps"]
    *_, existing, view = _parts(subnet_planner())
    assert step["do"] == "fill" and existing.placeholder in step["target"]
    assert action["expect"] not in view.value
    existing.value = step["text"]
    assert action["expect"] in view.value


def test_a_plan_of_small_subnets_builds_only_the_blocks_it_uses() -> None:
    plan = plan_subnets("10.0.0.0/16", ["public", "app", "db"], ["a", "b"], prefix=28)
    assert [str(p.cidr) for p in plan.subnets] == [str(c) for c in parse("10.0.0.0/16").subnets(28)[:6]]
    assert sum(c.total for c in plan.spare) == 65536 - 6 * 16
    with pytest.raises(InvalidValue, match="holds only 4096 blocks of /28, and the plan needs 4097"):
        plan_subnets("10.0.0.0/16", [f"t{n}" for n in range(4097)], ["a"], prefix=28)


def test_without_graphviz_the_tree_is_an_outline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "dot_available", lambda: False)
    text = planner_view()
    assert "<svg" not in text and "vpclab-outline\">10.0.0.0/21  (2,048 addresses, 2,043 usable)  &lt;" in text
    assert "the graphviz program &#x27;dot&#x27; is not installed" in text


def test_free_space_says_one_block_or_blocks() -> None:
    from vpclab.widgets.subnet_planner import planner_view

    assert "in one block: 10.0.0.128/25" in planner_view("10.0.0.0/24", ("a",), 1, 25, tree=False)
    assert "in 2 blocks: 10.0.0.64/26, 10.0.0.128/25" in planner_view("10.0.0.0/24", ("a",), 1, 26, tree=False)
