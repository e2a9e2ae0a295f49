"""Running a submission in a kernel of its own: fresh, limited in time and memory, without network.

:func:`make_sandbox` writes a kernelspec into a temporary folder. Its command runs
:mod:`vpclab.grading.launcher`, which sets the kernel's memory limit before it starts
ipykernel. Where the platform allows it the command starts with ``unshare -rn`` (or
``unshare -n``): the kernel gets a network namespace of its own with only a loopback
interface, so a notebook cannot reach the network; the grader talks to the kernel over Unix
sockets (ZeroMQ ``ipc``), which need no network.

A :class:`KernelPool` starts kernels ahead of need (starting one costs more than running most
exercise notebooks); :func:`execute` runs a copy of a notebook, its stored outputs cleared, in
one of them, with a time limit per cell and per notebook, keeping at most
:data:`MAX_OUTPUT_MB` of outputs (answer records are always kept). A run that stops (a time
limit, a dead kernel) keeps the outputs of the cells before the stop.

The kernel still runs as the grader's user and sees its files: for untrusted submissions, run
the grader itself in a container or a virtual machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from vpclab.grading.check import ANSWER_MIME
from vpclab.grading.score import without_outputs
from vpclab.i18n import message

__all__ = ["KERNEL_NAME", "MAX_OUTPUT_MB", "Kernel", "KernelPool", "Run", "Sandbox", "execute", "kernel_env",
           "make_sandbox", "network_prefix"]

KERNEL_NAME = "vpclab-sandbox"
TRANSPORT = "ipc" if os.name == "posix" else "tcp"  # Unix sockets cross into the kernel's namespace
MAX_OUTPUT_MB = 10  # outputs kept per notebook; beyond it only answer records are kept
MAX_ANSWER_BYTES = 256 * 1024  # one recorded answer larger than this is not kept
STARTUP_S = 120  # a kernel not ready by then is an error
_ONLY_LOOPBACK = ("import socket, sys; "
                  "sys.exit(0 if [name for _, name in socket.if_nameindex()] == ['lo'] else 1)")
_KEPT_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "PYTHONPATH", "SYSTEMROOT", "VPCLAB_LANG", "VPCLAB_HOME")


@dataclass(frozen=True, slots=True)
class Sandbox:
    """A kernelspec folder (``kernels/vpclab-sandbox/kernel.json`` inside ``folder``)."""

    folder: Path
    memory_mb: int
    network_cut: bool

    @property
    def kernels(self) -> Path:
        return self.folder / "kernels"


@functools.cache
def network_prefix() -> tuple[str, ...] | None:
    """The command prefix that starts a program without network here, or None (checked once)."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return None
    for prefix in ((unshare, "-rn"), (unshare, "-n")):
        try:
            done = subprocess.run([*prefix, sys.executable, "-c", _ONLY_LOOPBACK], capture_output=True,
                                  timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return prefix
    return None


def make_sandbox(folder: Path, *, memory_mb: int, cut_network: bool = True) -> Sandbox:
    """Write the sandbox kernelspec into ``folder`` (a temporary folder the caller removes)."""
    prefix = network_prefix() if cut_network else None
    argv = [*(prefix or ()), sys.executable, "-m", "vpclab.grading.launcher", str(memory_mb),
            "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "vpclab grader sandbox", "language": "python",
            "metadata": {"debugger": False}}
    target = folder / "kernels" / KERNEL_NAME
    target.mkdir(parents=True, exist_ok=True)
    (target / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return Sandbox(folder, memory_mb, prefix is not None)


def kernel_env(home: Path) -> dict[str, str]:
    """The environment of a kernel: a few harmless variables of the grader's, and ``home`` as
    its home and IPython folder (no startup scripts or secrets of the teacher's account)."""
    env = {key: value for key, value in os.environ.items() if key in _KEPT_ENV or key.startswith("LC_")}
    env.update(HOME=str(home), IPYTHONDIR=str(home / ".ipython"), TMPDIR=str(home),
               MPLCONFIGDIR=str(home / ".mpl"), MALLOC_ARENA_MAX="2", PYTHONDONTWRITEBYTECODE="1")
    return env


# --- kernels ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Kernel:
    """A started kernel and its client; ``folder`` holds its sockets and its empty home (its cwd)."""

    manager: Any  # jupyter_client AsyncKernelManager
    client: Any  # its AsyncKernelClient
    folder: Path

    async def close(self) -> None:
        """Stop the kernel (and what it started) and remove its folder."""
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        with contextlib.suppress(Exception):
            await self.manager.shutdown_kernel(now=True)
        shutil.rmtree(self.folder, ignore_errors=True)


async def start_kernel(sandbox: Sandbox, folder: Path) -> Kernel:
    """Start a fresh kernel of ``sandbox`` and wait until it answers."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    home = folder / "home"
    home.mkdir(parents=True)
    specs = KernelSpecManager(kernel_dirs=[str(sandbox.kernels)])
    where = {"ip": str(folder / "ipc")} if TRANSPORT == "ipc" else {}
    manager = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs, transport=TRANSPORT,
                                 connection_file=str(folder / "kernel.json"), **where)
    kernel = Kernel(manager, None, folder)
    try:
        await manager.start_kernel(cwd=str(home), env=kernel_env(home), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL,  # never into the teacher's terminal
                                   extra_arguments=["--HistoryManager.hist_file=:memory:"])
        kernel.client = manager.client()
        kernel.client.start_channels()
        await kernel.client.wait_for_ready(timeout=STARTUP_S)
    except BaseException:
        await kernel.close()
        raise
    kernel.client.allow_stdin = False
    return kernel


class KernelPool:
    """``needed`` kernels in all, started ahead of need: ``ahead`` of them are always starting or
    ready, so a notebook rarely waits for its kernel."""

    def __init__(self, sandbox: Sandbox, *, needed: int, ahead: int) -> None:
        self._sandbox, self._left, self._count = sandbox, needed, 0
        self._pending: deque[asyncio.Task[Kernel]] = deque()
        for _ in range(min(ahead, needed)):
            self._launch()

    def _launch(self) -> None:
        self._left -= 1
        self._count += 1
        folder = self._sandbox.folder / f"kernel-{self._count}"
        self._pending.append(asyncio.ensure_future(start_kernel(self._sandbox, folder)))

    async def take(self) -> Kernel:
        """The next kernel (its start may have failed: then this raises)."""
        task = self._pending.popleft()
        if self._left > 0:
            self._launch()
        return await task

    async def close(self) -> None:
        """Stop the kernels started and never taken."""
        while self._pending:
            with contextlib.suppress(Exception):
                await (await self._pending.popleft()).close()


# --- running a notebook ---------------------------------------------------------------------


class _Client(NotebookClient):
    """nbclient, keeping at most ``MAX_OUTPUT_MB`` of a notebook's outputs (answers always)."""

    kept = 0
    overflow = False

    def output(self, outs: list[Any], msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        content = msg.get("content", {})
        size = _size(content)
        if ANSWER_MIME in (content.get("data") or {}) and size <= MAX_ANSWER_BYTES:
            return super().output(outs, msg, display_id, cell_index)
        if self.kept + size > MAX_OUTPUT_MB * 2**20:
            self.overflow = True
            return None
        self.kept += size
        return super().output(outs, msg, display_id, cell_index)


def _size(value: Any) -> int:
    """About how many bytes of text ``value`` (a message's content) holds."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, Mapping):
        return sum(_size(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_size(v) for v in value)
    return 8


@dataclass(slots=True)
class Run:
    """A notebook as it ran: ``status`` is graded, timeout, kernel-died or output-too-large;
    ``notes`` say what stopped it and what was kept."""

    executed: nbformat.NotebookNode
    status: str = "graded"
    notes: list[str] = field(default_factory=list)


async def execute(notebook: nbformat.NotebookNode, kernel: Kernel, *, cell_timeout: float, timeout: float,
                  memory_mb: int) -> Run:
    """Run a clean copy of ``notebook`` in ``kernel`` until the end, a time limit or the kernel's death."""
    client = _Client(without_outputs(notebook), km=kernel.manager, allow_errors=True, record_timing=False)
    client.kc = kernel.client
    run = Run(client.nb)
    deadline = time.monotonic() + timeout

    def limit(cell: Any) -> int:  # whole seconds, at least 1 (0 would mean no limit to nbclient)
        return max(1, int(min(cell_timeout, deadline - time.monotonic()) + 0.999))

    client.timeout_func = limit
    for index, cell in enumerate(client.nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        try:
            if time.monotonic() >= deadline:
                raise CellTimeoutError("the notebook's time is up")
            await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except CellTimeoutError:
            whole = time.monotonic() >= deadline - 0.5
            run.status = "timeout"
            run.notes.append(message("batch.status.timeout_notebook", cell=index + 1, seconds=f"{timeout:g}")
                             if whole else
                             message("batch.status.timeout_cell", cell=index + 1, seconds=f"{cell_timeout:g}"))
            break
        except DeadKernelError:
            run.status = "kernel-died"
            run.notes.append(message("batch.status.kernel_died", cell=index + 1, memory=memory_mb))
            break
    if client.overflow:
        run.status = "output-too-large" if run.status == "graded" else run.status
        run.notes.append(message("batch.status.output_too_large", limit=MAX_OUTPUT_MB))
    return run
