"""The course's JupyterLab extension in a real JupyterLab: launcher cards, the side panel, Continue.

The figures the panel shows are checked against what ``show_progress`` writes for the same
progress file (its ``module_html``), so the two can never drift apart unnoticed.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from meso_training.authoring.course_notebooks import module_notebooks
from meso_training.authoring.loader import load_course
from meso_training.model import Course, Mode
from meso_training.reports.module_status import ModuleStatus, continue_point, module_status
from meso_training.server_extension.notebook_copies import COPIES_FOLDER
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.progress_view import module_html

from . import servers
from .orientation import NOTEBOOK, RIGHT_LAYER
from .pages import Runner

pytestmark = pytest.mark.e2e

TRAINEE = "Dr Lena Launcher"
CATEGORY = "Mesotherapy course"
IMAGES = servers.ROOT / "docs" / "images"  # the README's screenshots
# The panel reads the progress once a kernel settles (or every 15 s): room for a slow machine.
REFRESH_MS = 30_000

BACKGROUND = "element => getComputedStyle(element).backgroundColor"
# What the theme's --jp-layout-color1 resolves to now, read from a probe painted with it.
THEME_LAYOUT_COLOUR = """() => {
  const probe = document.createElement("div");
  probe.style.background = "var(--jp-layout-color1)";
  document.body.append(probe);
  const colour = getComputedStyle(probe).backgroundColor;
  probe.remove();
  return colour;
}"""

CURRENT_PATH = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  return widget && widget.context ? widget.context.path : null;
}"""


def keep_for_docs(screenshot: Path) -> None:
    """Copy a screenshot to docs/images/ (the README's) when asked: MESO_DOCS_SCREENSHOTS=1 pytest ..."""
    if os.environ.get("MESO_DOCS_SCREENSHOTS") == "1":
        shutil.copy(screenshot, IMAGES / screenshot.name)


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(servers.ROOT / "quizzes")


def ordered_titles(course: Course) -> list[str]:
    return [m.title for m in sorted(course.modules, key=lambda m: m.order)]


def launcher_section(page: Page) -> Locator:
    return page.locator(".jp-Launcher-section").filter(
        has=page.locator(".jp-Launcher-sectionTitle", has_text=CATEGORY))


def open_panel(page: Page) -> Locator:
    page.locator(".jp-SideBar li[data-id='meso-training-panel']").click()
    panel = page.locator("#meso-training-panel")
    expect(panel).to_be_visible()
    return panel


def panel_row(panel: Locator, module_id: str) -> Locator:
    return panel.locator(f".meso-panel-module[data-module='{module_id}']")


def dashboard_practice_words(db: Path, course: Course, module_id: str) -> str:
    """The practice line ``show_progress`` shows for the module, read from the same progress file."""
    status = statuses(db, course)[module_id]
    shown = module_html(status, {})
    found = re.search(r"<p class='meso-(?:practice|muted)'>(.*?)</p>", shown)
    assert found, shown
    return html.unescape(found.group(1))


def statuses(db: Path, course: Course) -> dict[str, ModuleStatus]:
    with SQLiteProgressStore(db) as store:
        attempts = store.attempts(trainee=TRAINEE)
        certificates = store.certificates(trainee=TRAINEE)
    return {m.id: module_status(m, attempts, certificates) for m in course.modules}


def wait_for_notebook(page: Page, path: str) -> None:
    page.wait_for_function(f"() => ({CURRENT_PATH})() === {path!r}", timeout=60_000)
    page.wait_for_function(servers.KERNEL_IDLE, timeout=60_000)


def test_the_launcher_shows_a_card_per_module_that_opens_its_notebook(lab: servers.Server, page: Page,
                                                                      course: Course, artifacts: Path) -> None:
    page.goto(lab.url("lab?reset"))
    section = launcher_section(page)
    cards = section.locator(".jp-LauncherCard")
    expect(cards).to_have_count(len(course.modules))
    assert cards.locator(".jp-LauncherCard-label").all_inner_texts() == ordered_titles(course)
    expect(cards.first.locator("svg")).to_contain_text("0%")  # the progress ring, before any answer
    section.screenshot(path=artifacts / "launcher.png")
    page.screenshot(path=artifacts / "lab-launcher.png")
    keep_for_docs(artifacts / "lab-launcher.png")

    first = min(course.modules, key=lambda m: m.order)
    cards.filter(has_text=first.title).first.click()
    wait_for_notebook(page, NOTEBOOK)


def test_answering_updates_the_panel_without_a_reload_as_show_progress_counts(
        workspace: servers.Workspace, lab: servers.Server, page: Page, course: Course, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    servers.open_in_lab(page, lab, NOTEBOOK)
    panel = open_panel(page)
    row = panel_row(panel, "orientation")
    expect(row.locator(".meso-panel-practice")).to_have_text("Not started.")
    page.evaluate("() => { window.mesoNotReloaded = true; }")

    servers.run_all_cells(page)
    runner = Runner(page)
    runner.wait_ready()
    runner.root.locator(".meso-name input").fill(TRAINEE)
    runner.root.locator(".meso-save-name").click()
    expect(runner.root.locator(".meso-message")).to_contain_text(f"recorded as {TRAINEE}")
    runner.choose(RIGHT_LAYER)
    runner.submit()
    expect(runner.feedback).to_contain_text("Right.")

    expected = dashboard_practice_words(workspace.db, course, "orientation")
    assert expected.startswith("Practice: 1 of ")
    expect(row.locator(".meso-panel-practice")).to_have_text(expected, timeout=REFRESH_MS)
    expect(panel.locator(".meso-panel-trainee")).to_have_text(f"Answering as {TRAINEE}")
    assert page.evaluate("() => window.mesoNotReloaded === true"), "the page was reloaded"
    panel.screenshot(path=artifacts / "panel.png")
    page.screenshot(path=artifacts / "lab-panel.png")
    keep_for_docs(artifacts / "lab-panel.png")

    # The launcher's ring for the module shows the share of its items finished, as the panel does.
    done = statuses(workspace.db, course)["orientation"].practice
    assert done.items_done == 1  # so the ring has moved off its 0%
    ring = f"{round(100 * done.items_done / done.items)}%"
    page.evaluate("async () => { await window.jupyterapp.commands.execute('launcher:create'); }")
    card = launcher_section(page).locator(".jp-LauncherCard").filter(has_text=course.module("orientation").title)
    expect(card.first.locator("svg")).to_contain_text(ring)

    # Continue opens the module with the next unanswered item, as the course API and the dashboard agree.
    found = continue_point([statuses(workspace.db, course)[m.id]
                            for m in sorted(course.modules, key=lambda m: m.order)])
    assert found is not None
    notebook = module_notebooks(workspace.notebooks)[(found[0].module_id, Mode.PRACTICE)].name
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:open', "
                  "{path: '80-progress.ipynb'}); }")
    page.wait_for_function(f"() => ({CURRENT_PATH})() === '80-progress.ipynb'")
    panel.get_by_role("button", name="Continue the course where you left it").click()
    page.wait_for_function(f"() => ({CURRENT_PATH})() === {notebook!r}")


def test_the_palette_opens_a_module_by_keyboard_alone(lab: servers.Server, page: Page, course: Course) -> None:
    page.goto(lab.url("lab?reset"))
    expect(launcher_section(page)).to_be_visible()
    suitability = course.module("suitability")
    page.keyboard.press("Control+Shift+C")
    search = page.locator(".lm-CommandPalette-input")
    expect(search).to_be_focused()
    search.fill(f"{CATEGORY}: open {suitability.title}")
    expect(page.locator(".lm-CommandPalette-item.lm-mod-active")).to_contain_text(suitability.title)
    page.keyboard.press("Enter")
    wait_for_notebook(page, "20-suitability.ipynb")


def test_the_panel_follows_the_dark_theme_and_shows_focus(lab: servers.Server, page: Page) -> None:
    page.goto(lab.url("lab?reset"))
    panel = open_panel(page)
    expect(panel.locator(".meso-panel-module")).not_to_have_count(0)
    light = panel.evaluate(BACKGROUND)
    assert light == page.evaluate(THEME_LAYOUT_COLOUR)
    page.evaluate("async () => { await window.jupyterapp.commands.execute('apputils:change-theme', "
                  "{theme: 'JupyterLab Dark'}); }")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    page.wait_for_function(f"element => ({BACKGROUND})(element) !== {light!r}", arg=panel.element_handle())
    assert panel.evaluate(BACKGROUND) == page.evaluate(THEME_LAYOUT_COLOUR)  # the dark theme's own colour

    # Tab reaches the panel's buttons, and the focused one is outlined.
    continue_button = panel.get_by_role("button", name="Continue the course where you left it")
    panel.locator(".meso-panel-title").click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if continue_button.evaluate("element => element === document.activeElement"):
            break
    expect(continue_button).to_be_focused()
    assert continue_button.evaluate("element => getComputedStyle(element).outlineStyle") != "none"


def test_a_read_only_module_notebook_opens_as_a_writable_copy(workspace: servers.Workspace, lab: servers.Server,
                                                              page: Page, course: Course) -> None:
    shipped = workspace.notebooks / NOTEBOOK
    shipped.chmod(0o444)
    page.goto(lab.url("lab?reset"))
    first = min(course.modules, key=lambda m: m.order)
    launcher_section(page).locator(".jp-LauncherCard").filter(has_text=first.title).first.click()
    wait_for_notebook(page, f"{COPIES_FOLDER}/{NOTEBOOK}")
    copy = workspace.notebooks / COPIES_FOLDER / NOTEBOOK
    assert copy.read_bytes() == shipped.read_bytes()
    expect(page.locator(".jp-Notification-Toast, .Toastify__toast").first).to_contain_text("a copy was made")
