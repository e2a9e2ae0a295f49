"""How vpclab objects show themselves in Jupyter.

Every object a learner meets inherits :class:`Displayable`: its ``_repr_mimebundle_``
always returns ``text/plain`` and, where it can, a richer type (HTML or SVG). IPython
silently drops errors raised while displaying, so a failure in the rich part falls back
to the text and says so, instead of showing nothing.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["Displayable", "Table", "html_table"]


class Displayable:
    """Mixin: subclasses implement ``_text_`` and may implement ``_html_``."""

    def _text_(self) -> str:  # pragma: no cover - every subclass overrides it
        return repr(self)

    def _html_(self) -> str | None:
        return None

    def _svg_(self) -> str | None:
        return None

    def _extra_(self) -> dict[str, Any]:
        """Further MIME types (machine-readable data) to put in the bundle."""
        return {}

    def _no_picture_(self) -> str | None:
        """Why there is no SVG when one was expected (e.g. graphviz missing): added to the text."""
        return None

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        try:
            text = self._text_()
        except Exception as err:  # a display must never raise into the notebook
            return {"text/plain": f"<{type(self).__name__}: cannot display ({err})>"}
        bundle: dict[str, Any] = {"text/plain": text}
        try:
            rich = {"text/html": self._html_(), "image/svg+xml": self._svg_(), **self._extra_()}
        except Exception as err:
            bundle["text/plain"] = f"{text}\n(rich display failed: {err})"
            rich = {}
        bundle.update({kind: data for kind, data in rich.items() if data is not None})
        try:
            why = None if "image/svg+xml" in bundle else self._no_picture_()
        except Exception:  # the advice is a courtesy; the display stands without it
            why = None
        if why:
            bundle["text/plain"] = f"{bundle['text/plain']}\n\n{why}"
        return bundle

    def __str__(self) -> str:
        return self._text_()


class Table(Displayable):
    """Rows of cells with a header: aligned text, or an HTML table."""

    def __init__(self, header: Sequence[str], rows: Iterable[Sequence[object]],
                 caption: str | None = None) -> None:
        self.header = tuple(header)
        self.rows = tuple(tuple(str(cell) for cell in row) for row in rows)
        self.caption = caption

    def _text_(self) -> str:
        widths = [max(len(str(c)) for c in column) for column in zip(self.header, *self.rows, strict=True)]
        lines = [self.caption] if self.caption else []
        for row in (self.header, *self.rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)

    def _html_(self) -> str:
        return html_table(self.header, self.rows, caption=self.caption)


def html_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str | None = None
) -> str:
    """A small, escaped HTML table; cells are converted with ``str``."""
    parts = ['<table class="vpclab">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        cells = "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row)
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</table>")
    return "".join(parts)
