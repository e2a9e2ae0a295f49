"""Every lesson has the parts a learner relies on (DESIGN.md §5)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def text_of(nb: nbformat.NotebookNode, kind: str) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == kind)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_every_part(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    markdown, code = text_of(nb, "markdown"), text_of(nb, "code")
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "## Learning objectives" in markdown
    assert "## Summary" in markdown
    assert "## Glossary" in markdown and "서브넷" in markdown
    assert "## Check your understanding" in markdown and "check(" in code
    assert "_explorer(" in code or "widgets" in code, "a live widget"
    assert any("image/svg+xml" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])), \
        "a graph (graphviz SVG) in the outputs"
    assert "> **Myth vs fact**" in markdown or path.stem == "00_welcome"
    assert "## Worked example" in markdown and ".trace(" in code, "a connection traced hop by hop"
    glossary = markdown.split("## Glossary", 1)[1]
    assert sum(1 for line in glossary.splitlines() if line.startswith("|") and any(
        "\uac00" <= ch <= "\ud7a3" for ch in line)) >= 4, "glossary pairs English terms with Korean ones"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_widget_cells_are_not_compared_by_nbval(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        widget_output = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                            for o in cell.get("outputs", []))
        if widget_output:
            assert cell.source.startswith("# NBVAL_IGNORE_OUTPUT"), cell.source


# Each misconception of aws-vpc-facts.md §14, the lesson that answers it, and words of its myth box.
MYTHS = {
    "a": ("02_cidr_subnets", "Class A networks have 130 thousand"),
    "b": ("02_cidr_subnets", "172.31.255.25"),
    "c": ("04_routing_gateways", "The router has no IP address"),
    "d": ("06_security_groups_nacls", "a security group allows outbound if inbound is not"),
    "e": ("06_security_groups_nacls", "32768–65535 are the ports AWS uses for outbound"),
    "f": ("02_cidr_subnets", "a class A range can't be a subnet"),
    "g": ("05_nat", "IP masquerade can translate ports, NAT cannot"),
    "h": ("07_endpoints", "it can be used for all services in the Region"),
    "i": ("03_dhcp_addressing", "the router and the internet gateway"),
    "j": ("04_routing_gateways", "Subnets in a VPC talk to each other without routing"),
    "k": ("03_dhcp_addressing", "DNS (port 53)"),
    "l": ("04_routing_gateways", "The same notes also say"),
}


@pytest.mark.parametrize("letter", sorted(MYTHS))
def test_every_misconception_has_its_myth_box(letter: str) -> None:
    lesson, words = MYTHS[letter]
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    boxes = [c.source.replace("\n> ", " ").replace("\n", " ") for c in nb.cells
             if c.cell_type == "markdown" and c.source.lstrip().startswith("> **Myth vs fact**")]
    assert any(words in box for box in boxes), f"§14 {letter}: no myth box in {lesson} says {words!r}"
    assert all("*Fact:*" in box or "*Fact*" in box for box in boxes), f"{lesson}: a myth box without its fact"
