"""binder/ (repo2docker: Binder, JupyterHub images) installs the same pinned environment as `make`.

repo2docker ignores configuration outside binder/ when that folder exists, and runs
``pip install -r binder/requirements.txt`` from the repository's root. So binder/ must pin with
the very constraints.txt the Makefile uses, install the kit itself, ask apt for graphviz, and
name a Python that pyproject.toml, the Makefile and the lock file all accept. Everything here
runs offline: pip is asked with ``--no-index``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

BINDER = ROOT / "binder"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lines(path: Path) -> list[str]:
    """A pip or apt file's entries, without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def _options(path: Path) -> dict[str, list[str]]:
    """binder/requirements.txt by kind: constraints (paths as pip resolves them: relative to the
    file), editable and local installs (relative to the root, where repo2docker runs pip), named
    requirements."""
    found: dict[str, list[str]] = {"constraints": [], "editable": [], "local": [], "named": []}
    for line in _lines(path):
        words = shlex.split(line)
        flag, value = words[0], " ".join(words[1:])
        if flag.startswith("--") and "=" in flag:
            flag, value = flag.split("=", 1)
        if flag in ("-c", "--constraint"):
            found["constraints"].append(str((path.parent / value).resolve()))
        elif flag in ("-e", "--editable"):
            found["editable"].append(str((ROOT / value).resolve()))
        elif line.startswith((".", "/")):
            found["local"].append(str((ROOT / line).resolve()))
        elif flag.startswith("-"):
            raise AssertionError(f"{path.name}: unexpected option {line!r}")
        else:
            found["named"].append(line)
    return found


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in _lines(ROOT / "constraints.txt"):
        name, _, version = line.partition("==")
        assert version, f"constraints.txt: {line!r} is not pinned with =="
        pins[canonicalize_name(name)] = Version(version)
    return pins


def _runtime_python() -> Version:
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()  # as repo2docker reads it
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    assert match, f"binder/runtime.txt must read python-X.Y for repo2docker, not {runtime!r}"
    return Version(match.group(1))


def _makefile_pip_installs() -> list[list[str]]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return [shlex.split(line.split("pip install", 1)[1]) for line in makefile.splitlines()
            if "$(PY) -m pip install" in line]


def test_binder_pins_with_the_constraints_file_make_uses() -> None:
    installs = _makefile_pip_installs()
    assert len(installs) == 2, "the Makefile's setup installs pip/setuptools, then the kit"
    make_constraints = {str((ROOT / words[words.index("-c") + 1]).resolve()) for words in installs}
    assert make_constraints == {str(ROOT / "constraints.txt")}
    assert _options(BINDER / "requirements.txt")["constraints"] == [str(ROOT / "constraints.txt")]


def test_binder_installs_the_kit_itself_and_nothing_unpinned() -> None:
    found = _options(BINDER / "requirements.txt")
    assert found["editable"] + found["local"] == [str(ROOT)], "binder must install this repository"
    assert PYPROJECT["project"]["name"] == "vpclab"
    # installed, not editable: a hub's persistent home folder may be mounted over the repository
    assert found["local"] == [str(ROOT)]
    pins = _pins()
    unpinned = [line for line in found["named"] if canonicalize_name(Requirement(line).name) not in pins]
    assert not unpinned, f"pin these in constraints.txt (make lock): {unpinned}"


def test_the_python_version_is_the_one_everything_else_expects() -> None:
    python = _runtime_python()
    assert python in SpecifierSet(PYPROJECT["project"]["requires-python"])
    makefile_minimum = re.search(r"sys\.version_info >= \((\d+), (\d+)\)", (ROOT / "Makefile").read_text())
    assert makefile_minimum, "the Makefile's Python check moved; update this test"
    assert python >= Version(".".join(makefile_minimum.groups()))
    locked = re.search(r"\(Python (\d+\.\d+)\)", (ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert locked, "constraints.txt's first line should say which Python it was locked with"
    assert python == Version(locked.group(1)), "Binder must run the Python constraints.txt was locked with"


def test_apt_installs_graphviz_and_nothing_a_learner_does_not_need() -> None:
    # Chromium and CJK fonts are for the browser tests of `make test`, not for learners.
    assert _lines(BINDER / "apt.txt") == ["graphviz"]


def _binder_environment() -> dict[str, str]:
    """Marker values on Binder: 64-bit Linux, CPython of binder/runtime.txt."""
    python = str(_runtime_python())
    here = {key: str(value) for key, value in default_environment().items()}
    return {**here, "python_version": python, "python_full_version": f"{python}.0",
            "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
            "platform_machine": "x86_64", "implementation_name": "cpython",
            "platform_python_implementation": "CPython"}


def _walk(pins: dict[str, Version], environment: dict[str, str]) -> tuple[list[str], set[str]]:
    """Follow vpclab's runtime dependencies (no dev extra) through the installed metadata, with
    Binder's markers: what is wrong with the pins, and every package reached."""
    todo = [(Requirement(text), "vpclab") for text in PYPROJECT["project"]["dependencies"]]
    seen: dict[str, set[str]] = {}
    problems: list[str] = []
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{name} (wanted by {wanted_by}) is not in constraints.txt")
            continue
        if not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{name}=={pins[name]} does not satisfy {wanted_by}'s {requirement}")
        extras = set(requirement.extras) | {""}
        if extras <= seen.setdefault(name, set()):
            continue
        seen[name] |= extras
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # not installed here (another platform's dependency): its pin was checked
        for text in requires:
            nested = Requirement(text)
            if nested.marker is None or any(nested.marker.evaluate({**environment, "extra": extra})
                                            for extra in extras):
                todo.append((nested, name))
    return problems, set(seen)


def test_every_package_a_binder_install_pulls_in_is_pinned() -> None:
    """Each package a Binder install brings in is pinned in constraints.txt, at a version its
    dependents accept. The direct ones are what a lesson imports: jupyterlab, ipywidgets, …"""
    direct = {canonicalize_name(Requirement(text).name) for text in PYPROJECT["project"]["dependencies"]}
    assert direct >= {"jupyterlab", "ipywidgets", "netaddr", "graphviz", "nbformat", "nbclient", "voila"}
    problems, reached = _walk(_pins(), _binder_environment())
    assert not problems, "\n".join(problems)
    assert reached >= direct | {"jupyter-server", "tornado", "ipykernel"}  # the walk went deep
    assert "pytest" not in reached and "playwright" not in reached  # no developer tools on Binder


def test_pip_reads_binder_requirements_from_the_root_as_repo2docker_does() -> None:
    """pip itself, offline, in the pinned .venv: the -c path resolves, the kit is installed
    from the root, and the pins agree with vpclab's dependencies (a conflict or a pin
    that differs from what is installed would need the index, which is off)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--no-build-isolation",
         "--disable-pip-version-check", "--quiet", "--report", "-", "-r", "binder/requirements.txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INPUT": "1"})
    assert result.returncode == 0, f"{result.stderr}\n(is .venv the pinned environment? run make)"
    installs = json.loads(result.stdout)["install"]
    assert [item["metadata"]["name"] for item in installs] == ["vpclab"], "run make: .venv is not the pinned set"
    (kit,) = installs
    assert not kit["download_info"]["dir_info"].get("editable", False)
    assert Path(kit["download_info"]["url"].removeprefix("file://")).resolve() == ROOT
