"""`vpclab lab` (what `make lab` runs) serves the learner's working copy on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import shutil
import socket
import urllib.request
from pathlib import Path

import pytest

from tests.browser import free_port, server
from tests.conftest import vpclab_command

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "vpclab-test-token"


def get(url: str) -> dict[str, object]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        data: dict[str, object] = json.load(response)
        return data


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    for name in ("notebooks", "exercises", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def test_lab_serves_the_cidr_lesson_on_loopback(kit: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "VPCLAB_HOME": str(kit), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")}
    command = [*vpclab_command(), "lab", "--no-browser", "--port", str(port), "--",
               f"--IdentityProvider.token={TOKEN}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with server(command, f"http://127.0.0.1:{port}/api/status", cwd=tmp_path, env=env, timeout=60):
        listing = get(f"http://127.0.0.1:{port}/api/contents/notebooks")
        names = {item["name"] for item in listing["content"]}  # type: ignore[index, union-attr]
        assert "02_cidr_subnets.ipynb" in names
        lesson = get(f"http://127.0.0.1:{port}/api/contents/notebooks/02_cidr_subnets.ipynb")
        assert lesson["type"] == "notebook"
        assert (kit / "work" / "exercises" / "02_cidr_subnets.ipynb").is_file()  # the working copy
        with socket.socket() as probe:  # nothing listens on other interfaces
            probe.settimeout(1)
            outside = socket.gethostbyname(socket.gethostname())
            if not outside.startswith("127."):
                assert probe.connect_ex((outside, port)) != 0

