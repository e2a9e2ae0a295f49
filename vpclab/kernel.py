"""vpclab inside a Jupyter kernel: a VpcLabError shows as a short message with its fix.

AWS refusing an operation is part of learning, not a crash, so when vpclab is imported in
IPython it registers a handler for :class:`~vpclab.errors.VpcLabError`: the cell stops (as
with any error) and shows the error code, what was wrong and how to fix it, instead of a
traceback. Any other exception keeps IPython's normal traceback. ``unregister()`` (or the
environment variable ``VPCLAB_TRACEBACKS=1`` before import) brings full tracebacks back.
"""

from __future__ import annotations

import html
import os
from types import TracebackType
from typing import Any

from vpclab.display import Displayable
from vpclab.errors import VpcLabError
from vpclab.i18n import message

__all__ = ["ErrorReport", "register", "unregister"]


class ErrorReport(Displayable):
    """How a VpcLabError raised in a cell is shown."""

    def __init__(self, err: VpcLabError) -> None:
        self.err = err

    def _text_(self) -> str:
        lines = [f"✗ {self.err.code}: {self.err.message}"]
        if self.err.fix:
            lines.append(message("kernel.fix", fix=self.err.fix))
        return "\n".join(lines)

    def _html_(self) -> str:
        fix = (f"<div><b>{html.escape(message('kernel.fix_label'))}</b> {html.escape(self.err.fix)}</div>"
               if self.err.fix else "")
        return (f'<div class="vpclab-exception" style="border-left:4px solid #cf222e;padding:4px 8px;'
                f'background:#ffebe9"><b style="color:#cf222e">✗ {html.escape(self.err.code)}</b> '
                f"{html.escape(self.err.message)}{fix}</div>")


def _show(shell: Any, etype: type[BaseException], value: BaseException, tb: TracebackType | None,
          tb_offset: int | None = None) -> list[str]:
    from IPython.display import display

    assert isinstance(value, VpcLabError)
    display(ErrorReport(value))
    return [ErrorReport(value)._text_()]


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with jupyterlab
        return None
    return get_ipython()


def register(shell: Any = None) -> bool:
    """Show VpcLabErrors briefly in this IPython session; False outside IPython."""
    shell = shell or _shell()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((VpcLabError,), _show)
    return True


def unregister(shell: Any = None) -> None:
    """Full tracebacks again for VpcLabErrors."""
    shell = shell or _shell()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((), None)


def register_on_import() -> None:
    if os.environ.get("VPCLAB_TRACEBACKS") != "1":
        register()
