"""Pictures drawn with graphviz.

A :class:`Diagram` wraps a graphviz graph and displays itself as SVG. Where the ``dot``
program is missing it falls back to a text outline and says how to install graphviz; it
never raises while displaying.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass

import graphviz

from vpclab.cidr import Cidr, parse
from vpclab.display import Displayable
from vpclab.errors import InvalidValue
from vpclab.i18n import message

__all__ = ["Diagram", "dot_available", "subnet_tree"]

MAX_TREE_LEVELS = 4  # 2 + 4 + 8 + 16 blocks: still readable on a screen
_BLUE, _GREY, _GREEN = "#ddf4ff", "#f6f8fa", "#dafbe1"


def dot_available() -> bool:
    """True when graphviz's ``dot`` program can be found on PATH."""
    return shutil.which("dot") is not None


@dataclass(frozen=True, slots=True)
class Diagram(Displayable):
    """A picture (graphviz source) with a text outline to fall back on."""

    source: str
    outline: str

    def graph(self) -> graphviz.Source:
        return graphviz.Source(self.source)

    def _text_(self) -> str:
        return self.outline

    def _svg_(self) -> str | None:
        if not dot_available():
            return None
        svg: str = self.graph().pipe(format="svg", encoding="utf-8")
        return svg

    def _no_picture_(self) -> str | None:
        return None if dot_available() else message("render.no_dot")

    def save(self, path: str, fmt: str = "svg") -> str:
        """Write the picture to ``path`` (``svg`` or ``png``); returns the file written."""
        if not dot_available():
            raise InvalidValue("MissingDependency", message("render.no_dot"),
                               fix=message("render.no_dot_fix"))
        written: str = self.graph().render(outfile=path, format=fmt, cleanup=True)
        return written


def subnet_tree(block: str | Cidr, levels: int = 2, *,
                highlight: str | Cidr | Iterable[str | Cidr] | None = None) -> Diagram:
    """How ``block`` halves into smaller blocks, ``levels`` times, as a tree.

    Each node shows the block, its size and its AWS usable count; ``highlight`` marks one
    block, or several (a plan's subnets), and the path to each in green.
    """
    root = parse(block)
    if isinstance(levels, bool) or not isinstance(levels, int) or not 1 <= levels <= MAX_TREE_LEVELS:
        raise InvalidValue("InvalidParameterValue",
                           message("render.levels", levels=levels, most=MAX_TREE_LEVELS),
                           fix=message("render.levels_fix", most=MAX_TREE_LEVELS))
    levels = min(levels, 32 - root.prefix)
    marked = ([] if highlight is None else [parse(highlight)] if isinstance(highlight, str | Cidr)
              else [parse(h) for h in highlight])
    graph = graphviz.Digraph("subnets", graph_attr={"rankdir": "TB", "nodesep": "0.15"},
                             node_attr={"shape": "box", "style": "rounded,filled",
                                        "fontname": "Helvetica", "fontsize": "10"})
    outline: list[str] = []

    def add(node: Cidr, depth: int) -> None:
        on_path = any(node.contains(m) for m in marked)
        usable = (f"{node.usable:,} usable" if node.is_valid_subnet
                  else message("render.not_a_subnet_size"))
        label = f"{node}\n{node.total:,} addresses\n{usable}"
        fill = _GREEN if on_path else (_BLUE if node.is_valid_subnet else _GREY)
        graph.node(str(node), label=label, fillcolor=fill, penwidth="2" if on_path else "1")
        outline.append(f"{'  ' * depth}{node}  ({node.total:,} addresses, {usable})"
                       + ("  <" if on_path else ""))
        if depth < levels:
            for part in node.split(2):
                add(part, depth + 1)
                graph.edge(str(node), str(part))

    add(root, 0)
    return Diagram(graph.source, "\n".join(outline))
