"""The kernel process of the grader's sandbox: ``python -m vpclab.grading.launcher MB -f FILE``.

It limits its own memory (``RLIMIT_AS``, in MB) and turns off core dumps, imports vpclab ahead
of need (the same modules for every submission, before any learner code runs, so a kernel is
ready sooner), then starts ipykernel with the rest of its arguments. It stays small: nothing
heavy is imported before the limit is set.
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["WARM", "limit_memory", "main"]

WARM = ("vpclab.grading.bank", "vpclab.topology")


def limit_memory(memory_mb: int) -> None:
    """Limit this process (and what it starts) to ``memory_mb`` of address space."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no limit
        return
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):  # pragma: no cover - platforms (macOS) that refuse RLIMIT_AS
        pass


def main(argv: list[str]) -> None:
    limit_memory(int(argv[0]))
    for module in WARM:
        importlib.import_module(module)
    sys.argv = ["ipykernel_launcher", *argv[1:]]
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":  # pragma: no cover - runs as the kernel process
    main(sys.argv[1:])
