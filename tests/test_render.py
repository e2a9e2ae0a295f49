"""Pictures: the subnet tree, and the text fallback when graphviz's dot is missing."""

from __future__ import annotations

import pytest

from vpclab import render
from vpclab.errors import InvalidValue
from vpclab.render import subnet_tree


def test_subnet_tree_outline_and_svg() -> None:
    diagram = subnet_tree("10.0.0.0/16", levels=2, highlight="10.0.64.0/18")
    lines = diagram.outline.splitlines()
    assert len(lines) == 7 and lines[0].startswith("10.0.0.0/16  (65,536 addresses, 65,531 usable)")
    assert [line.strip().split()[0] for line in lines if line.endswith("<")] == [
        "10.0.0.0/16", "10.0.0.0/17", "10.0.64.0/18"]
    svg = diagram._repr_mimebundle_()["image/svg+xml"]
    assert svg.lstrip().startswith("<?xml") and "10.0.192.0/18" in svg


def test_tree_stops_at_single_addresses() -> None:
    assert len(subnet_tree("10.0.0.0/31", levels=4).outline.splitlines()) == 3


@pytest.mark.parametrize("levels", [0, 5, "2", True])
def test_tree_levels_are_checked(levels: object) -> None:
    with pytest.raises(InvalidValue, match="a subnet tree shows 1 to 4 levels"):
        subnet_tree("10.0.0.0/16", levels=levels)  # type: ignore[arg-type]


def test_without_dot_the_display_falls_back_to_text_and_says_how_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    bundle = subnet_tree("10.0.0.0/24")._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    assert bundle["text/plain"].endswith("(no picture: the graphviz program 'dot' is not installed)")
    with pytest.raises(InvalidValue) as caught:
        subnet_tree("10.0.0.0/24").save("/tmp/x")
    assert "brew install graphviz" in str(caught.value)


def test_a_failing_rich_display_falls_back_to_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> str:
        raise RuntimeError("dot crashed")

    monkeypatch.setattr(render.Diagram, "_svg_", broken)
    bundle = subnet_tree("10.0.0.0/24")._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "(rich display failed: dot crashed)" in bundle["text/plain"]
