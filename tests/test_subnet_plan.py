"""Planning tiers × AZs, free space and overlaps."""

from __future__ import annotations

import pytest

from vpclab.cidr import parse
from vpclab.errors import InvalidValue, NotFound
from vpclab.subnet_plan import find_overlaps, free_space, plan_subnets


def test_three_tiers_in_two_azs_use_eight_slash_19s_and_leave_two_spare() -> None:
    plan = plan_subnets("10.0.0.0/16", ["public", "app", "db"], ["us-east-1a", "us-east-1b"])
    assert plan.prefix == 19
    assert [(p.tier, p.az, str(p.cidr)) for p in plan.subnets] == [
        ("public", "us-east-1a", "10.0.0.0/19"), ("public", "us-east-1b", "10.0.32.0/19"),
        ("app", "us-east-1a", "10.0.64.0/19"), ("app", "us-east-1b", "10.0.96.0/19"),
        ("db", "us-east-1a", "10.0.128.0/19"), ("db", "us-east-1b", "10.0.160.0/19"),
    ]
    assert [str(c) for c in plan.spare] == ["10.0.192.0/18"]
    assert str(plan.subnet("db", "us-east-1b")) == "10.0.160.0/19"


def test_a_fixed_prefix_leaves_the_rest_free() -> None:
    plan = plan_subnets("10.0.0.0/16", ["web"], ["a", "b"], prefix=24)
    assert [str(p.cidr) for p in plan.subnets] == ["10.0.0.0/24", "10.0.1.0/24"]
    assert sum(c.total for c in plan.spare) == 65536 - 512


def test_a_plan_that_would_need_subnets_below_28_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        plan_subnets("10.0.0.0/26", ["a", "b", "c"], ["x", "y", "z"])
    assert str(caught.value) == ("InvalidSubnet.Range: 10.0.0.0/26 cannot hold 9 equal subnets: each "
                                 "would be a /30, smaller than /28. Fix: use a larger VPC block, or "
                                 "fewer tiers or AZs")


def test_a_prefix_too_long_for_the_count_is_refused() -> None:
    with pytest.raises(InvalidValue, match="holds only 2 blocks of /17, and the plan needs 4"):
        plan_subnets("10.0.0.0/16", ["a", "b"], ["x", "y"], prefix=17)


def test_a_vpc_that_holds_one_block_of_the_size_says_block_not_blocks() -> None:
    with pytest.raises(InvalidValue) as caught:
        plan_subnets("10.0.0.0/26", ["web", "db"], ["a"], prefix=26)
    assert caught.value.message == "10.0.0.0/26 holds only 1 block of /26, and the plan needs 2"


@pytest.mark.parametrize(("tiers", "azs", "text"), [([], ["a"], "at least one tier"),
                                                    (["web", "web"], ["a"], "a tier is named twice")])
def test_bad_plans_get_clear_errors(tiers: list[str], azs: list[str], text: str) -> None:
    with pytest.raises(InvalidValue, match=text):
        plan_subnets("10.0.0.0/16", tiers, azs)


def test_unknown_tier_names_the_known_ones() -> None:
    plan = plan_subnets("10.0.0.0/16", ["web"], ["a"])
    with pytest.raises(NotFound) as caught:
        plan.subnet("db", "a")
    assert caught.value.fix == "tiers are web; AZs are a"


def test_free_space_after_some_subnets() -> None:
    free = free_space("10.0.0.0/22", ["10.0.0.0/24", "10.0.2.0/24"])
    assert [str(c) for c in free] == ["10.0.1.0/24", "10.0.3.0/24"]
    assert free_space("10.0.0.0/24", ["10.0.0.0/24"]) == ()


def test_overlaps_are_listed_in_input_order() -> None:
    pairs = find_overlaps(["10.0.0.0/16", "10.1.0.0/16", "10.0.5.0/24", "10.0.0.0/8"])
    assert [(str(a), str(b)) for a, b in pairs] == [
        ("10.0.0.0/16", "10.0.5.0/24"), ("10.0.0.0/16", "10.0.0.0/8"),
        ("10.1.0.0/16", "10.0.0.0/8"), ("10.0.5.0/24", "10.0.0.0/8")]


@pytest.mark.parametrize(("azs", "summary"), [(["a"], "1 subnet of /28 in 10.0.0.0/16"),
                                               (["a", "b"], "2 subnets of /28 in 10.0.0.0/16")])
def test_the_summary_says_subnet_for_one_and_subnets_for_more(azs: list[str], summary: str) -> None:
    plan = plan_subnets("10.0.0.0/16", ["web"], azs, prefix=28)
    bundle = plan._repr_mimebundle_()
    assert plan.summary == summary and bundle["text/plain"].splitlines()[0] == summary
    assert f"{summary}</caption>" in bundle["text/html"]


def test_plan_displays_as_text_and_html() -> None:
    bundle = plan_subnets("10.0.0.0/16", ["web"], ["a", "b"])._repr_mimebundle_()
    assert bundle["text/plain"].splitlines()[0] == "2 subnets of /17 in 10.0.0.0/16"
    assert "<table" in bundle["text/html"]
    assert parse("10.0.0.0/17").usable == 32763
