"""A real JupyterLab (or Voilà) on 127.0.0.1 and headless Chromium through Playwright.

Recipe: ../shared/notes/jupyter-testing.md. The servers are started on loopback with a
fresh port and stopped (their whole process group) by the fixture that started them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = ROOT / "tests" / "browser_actions"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium() -> str:
    """Chromium's path; the test fails (not skips) without it, unless told to skip."""
    found = os.environ.get("VPCLAB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("VPCLAB_SKIP_BROWSER") == "1":
        pytest.skip("VPCLAB_SKIP_BROWSER=1: browser tests skipped on request")
    pytest.fail("Chromium is missing: run `make test` (it installs it with apt-get), or set VPCLAB_CHROMIUM")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def browser_actions() -> list[dict[str, Any]]:
    """Every ``tests/browser_actions/*.json``: how to move each widget and what must change."""
    actions = []
    for path in sorted(ACTIONS.glob("*.json")):
        action = json.loads(path.read_text(encoding="utf-8"))
        action["file"] = path.name
        actions.append(action)
    return actions


@contextmanager
def server(command: Sequence[str], ready_url: str, *, cwd: Path, env: dict[str, str],
           timeout: float = 90) -> Iterator[subprocess.Popen[str]]:
    """Start ``command`` in its own process group, wait for ``ready_url``, stop it afterwards."""
    log = open(cwd / "server.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed below
    process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(ready_url, timeout=5):
                    break
            except urllib.error.HTTPError:  # any answer, even 404, means it is listening
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"server did not start: {' '.join(command)}\n{log.read()[-3000:]}")
                time.sleep(0.5)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def jupyter_env(home: Path) -> dict[str, str]:
    """Settings, runtime and workspaces of a test server, kept out of the user's own."""
    return {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "cfg"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws"),
            "JUPYTER_DATA_DIR": os.environ.get("JUPYTER_DATA_DIR", str(home / "data"))}


def _settled(view: Any, shown: str, timeout: float) -> None:
    """Wait until the view no longer shows ``shown`` (the kernel answered), at most ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while view.inner_text() == shown and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)


def drive_widget(frame: Any, action: dict[str, Any], timeout_ms: int = 60_000) -> tuple[str, str]:
    """Do the action's steps inside the widget ``frame``; returns the view's text before and after.

    Fails unless the view's text changed and shows ``expect`` (absent before)."""
    view = frame.locator(".vpclab-view").first
    frame.scroll_into_view_if_needed()
    before = view.inner_text()
    assert action["expect"] not in before, f"{action['file']}: {action['expect']!r} is shown before any step"
    shown = before
    for number, step in enumerate(action["steps"], start=1):
        if number > 1:  # let the kernel answer the last step before the next one (clicks can race)
            _settled(view, shown, timeout=5)
        shown = view.inner_text()
        target = frame.locator(step["target"]).first
        target.scroll_into_view_if_needed()
        match step["do"]:
            case "click":
                target.click()
            case "press":
                target.focus()
                target.press(step["key"])
            case "fill":
                target.fill(step["text"])
                target.press("Enter")
            case "select":
                target.select_option(label=step["label"])
            case "check":
                target.check()
            case other:
                pytest.fail(f"{action['file']}: unknown step {other!r}")
    deadline = time.monotonic() + timeout_ms / 1000
    after = view.inner_text()
    while (after == before or action["expect"] not in after) and time.monotonic() < deadline:
        time.sleep(0.2)
        after = view.inner_text()
    assert after != before, f"{action['file']}: the view did not change"
    assert action["expect"] in after, f"{action['file']}: {action['expect']!r} not shown; the view shows:\n{after}"
    return before, after
