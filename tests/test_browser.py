"""Every lesson in a real JupyterLab, in headless Chromium: it opens, every cell runs without
an error output, each of its widgets is moved and its output changes as it should, and a
screenshot lands in build/screenshots/. Also ``vpclab present`` (Voilà) in the browser.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.browser import (
    CHROMIUM_ARGS,
    ROOT,
    SCREENSHOTS,
    browser_actions,
    chromium,
    drive_widget,
    free_port,
    jupyter_env,
    server,
)
from tests.conftest import vpclab_command

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ACTIONS = browser_actions()
WIDGET_MODULES = sorted(p.stem for p in (ROOT / "vpclab" / "widgets").glob("*.py")
                        if p.stem not in ("__init__", "shell"))

pytestmark = pytest.mark.browser

# How the page says the notebook is busy or broken.
_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return {ready: false};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  return {ready: !!kernel, status: kernel ? kernel.status : 'none',
          pending: cells.filter(c => !c.model.executionCount).length,
          errors: Array.from(document.querySelectorAll(
              '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .vpclab-exception'))
              .map(e => e.innerText.slice(0, 2000)),
          broken: Array.from(document.querySelectorAll('.jp-OutputArea-output'))
              .filter(e => e.innerText.includes('Error displaying widget')).length};
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab on 127.0.0.1 serving a copy of the lessons (autosave must not touch the kit)."""
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    news = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false"}', encoding="utf-8")  # no "Jupyter news?" popup in screenshots
    port = free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", f"--ServerApp.root_dir={home}", "--IdentityProvider.token=", "--ServerApp.password=",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=True"]
    with server(command, f"http://127.0.0.1:{port}/api/status", cwd=home, env=jupyter_env(home)):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    with playwright_api.sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium")), executable_path=executable, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()


def run_all_cells(page: Any, name: str, timeout: float = 240) -> None:
    """Run > Run All Cells once the kernel is idle; fail on the first error output."""
    deadline = time.monotonic() + timeout
    while not (state := page.evaluate(_STATE))["ready"] or state["status"] != "idle":
        assert time.monotonic() < deadline, f"{name}: the kernel did not start ({state})"
        time.sleep(0.3)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    while True:
        state = page.evaluate(_STATE)
        assert not state["errors"], f"{name}: a cell shows an error:\n" + "\n---\n".join(state["errors"])
        assert not state["broken"], f"{name}: a widget could not be displayed"
        if state["pending"] == 0 and state["status"] == "idle":
            return
        assert time.monotonic() < deadline, f"{name}: cells still running after {timeout} s ({state})"
        time.sleep(0.3)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_in_jupyterlab_and_its_widgets_respond(lab: str, browser: Any, lesson: Path) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{lab}/lab/tree/notebooks/{lesson.name}?reset", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                               "&& window.jupyterapp.shell.currentWidget.content", timeout=90_000)
        run_all_cells(page, lesson.stem)
        mine = [a for a in ACTIONS if a["lesson"] == lesson.stem]
        for action in mine:
            frame = page.locator(f".vpclab-{action['widget']}").first
            frame.wait_for(state="attached", timeout=30_000)
            drive_widget(frame, action)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{lesson.stem}.png"))
        assert (SCREENSHOTS / f"{lesson.stem}.png").stat().st_size > 10_000
        page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    finally:
        page.close()


def test_vpclab_present_shows_the_lesson_as_an_app(browser: Any, tmp_path: Path) -> None:
    """Voilà: the CIDR lesson's widget works, and no code is shown."""
    action = next(a for a in ACTIONS if a["widget"] == "cidr-explorer")
    port = free_port()
    env = jupyter_env(tmp_path)
    env["VPCLAB_HOME"] = str(ROOT)
    with server([*vpclab_command(), "present", action["lesson"][:2], "--no-browser", "--port", str(port)],
                f"http://127.0.0.1:{port}/voila/static/", cwd=tmp_path, env=env):
        page = browser.new_page()
        try:
            page.goto(f"http://127.0.0.1:{port}/", timeout=180_000)
            frame = page.locator(f".vpclab-{action['widget']}").first
            frame.wait_for(state="visible", timeout=180_000)
            drive_widget(frame, action)
            shown = page.inner_text("body")
            assert "from vpclab import" not in shown and "cidr_explorer(" not in shown, "code is hidden"
            assert "Traceback" not in shown and "CIDR" in shown
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "present-02.png"))
        finally:
            page.close()


# Which widgets and actions exist is checked without a browser.

@pytest.mark.parametrize("module", WIDGET_MODULES)
def test_every_widget_has_a_browser_action(module: str) -> None:
    css = module.replace("_", "-")
    assert any(a["widget"] == css for a in ACTIONS), f"tests/browser_actions/{css}.json is missing"


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a["file"])
def test_every_browser_action_names_a_lesson_that_uses_its_widget(action: dict[str, Any]) -> None:
    lesson = ROOT / "notebooks" / f"{action['lesson']}.ipynb"
    assert lesson.exists(), f"{action['file']}: no lesson {action['lesson']}"
    code = "\n".join(c.source for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "code")
    function = action["widget"].replace("-", "_")
    assert function in code, f"{action['file']}: lesson {action['lesson']} does not use the {function} widget"
    assert action["steps"] and action["expect"]
