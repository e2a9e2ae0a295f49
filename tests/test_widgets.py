"""The CIDR explorer widget: moving the slider changes what it shows; errors stay inside."""

from __future__ import annotations

from vpclab.widgets import cidr_explorer


def _parts(widget):  # type: ignore[no-untyped-def]
    controls, view = widget.children
    box, slider = controls.children
    return box, slider, view


def test_moving_the_slider_updates_the_block() -> None:
    _, slider, view = _parts(cidr_explorer("10.0.0.0", 24))
    assert "<h4>10.0.0.0/24</h4>" in view.value and "251" in view.value
    slider.value = 20
    assert "<h4>10.0.0.0/20</h4>" in view.value and "4,091" in view.value


def test_typing_an_address_finds_its_block() -> None:
    box, _, view = _parts(cidr_explorer("10.0.0.0", 22))
    box.value = "10.0.7.9"
    assert "<h4>10.0.4.0/22</h4>" in view.value


def test_a_bad_address_is_shown_in_the_widget_not_raised() -> None:
    box, _, view = _parts(cidr_explorer())
    box.value = "10.0.0.x"
    assert "vpclab-error" in view.value and "is not an IPv4 address" in view.value


def test_tree_option_adds_a_picture() -> None:
    _, _, view = _parts(cidr_explorer("10.0.0.0", 24, tree=True))
    assert "<svg" in view.value
