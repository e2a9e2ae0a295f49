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
