"""Every module notebook played through in real Chromium by clicking the words on screen.

Each module is played in JupyterLab and in Voila; the (width, theme) pairs below cover both
widths (1280 px, and 768 px: in JupyterLab with its file browser open, which leaves the course
about 340 px) and both themes in each server. On every question no two labels, inputs or
buttons overlap and no button is cut off, every option's words choose exactly that option,
and the whole module is then answered right. The assessment notebook is played in Voila, as
a cohort takes it, through to its summary and certificate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meso_training.authoring.loader import load_course

from . import servers
from .course_play import longest_option_text, play_module
from .pages import Runner

pytestmark = pytest.mark.e2e

MODULES = [
    ("10-foundations.ipynb", "foundations", 1280, "light"),
    ("20-suitability.ipynb", "suitability", 768, "dark"),
    ("30-formulation.ipynb", "formulation", 1280, "dark"),
    ("40-side-effects.ipynb", "side-effects", 768, "light"),
    ("44-emergencies.ipynb", "emergencies", 1280, "dark"),
    ("46-safe-practice.ipynb", "safe-practice", 768, "light"),
    ("50-planning.ipynb", "planning", 768, "dark"),
]
VOILA = [
    ("10-foundations.ipynb", "foundations", 768, "dark"),
    ("20-suitability.ipynb", "suitability", 1280, "light"),
    ("30-formulation.ipynb", "formulation", 768, "light"),
    ("40-side-effects.ipynb", "side-effects", 1280, "dark"),
    ("44-emergencies.ipynb", "emergencies", 768, "light"),
    ("46-safe-practice.ipynb", "safe-practice", 1280, "dark"),
    ("50-planning.ipynb", "planning", 1280, "light"),
]
CLICKED: set[str] = set()


def set_theme(page: Page, theme: str) -> None:
    name = "JupyterLab Dark" if theme == "dark" else "JupyterLab Light"
    page.evaluate(f"async () => {{ await window.jupyterapp.commands.execute('apputils:change-theme', "
                  f"{{theme: '{name}'}}); }}")
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{str(theme == 'light').lower()}'")


@pytest.mark.parametrize(("notebook", "module_id", "width", "theme"), MODULES,
                         ids=[f"{m}-{w}px-{t}" for _, m, w, t in MODULES])
def test_a_module_is_answered_by_clicking_its_words_at_any_width_and_theme(
        notebook: str, module_id: str, width: int, theme: str, lab: servers.Server, page: Page,
        artifacts: Path) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    servers.open_in_lab(page, lab, notebook)
    set_theme(page, theme)
    if width < 1000:  # the file browser open beside the notebook, as a trainee has it
        page.evaluate("async () => { await window.jupyterapp.commands.execute('filebrowser:activate'); }")
    servers.run_all_cells(page)
    runner = Runner(page)
    runner.wait_ready()
    runner.screenshot(artifacts / "first-question.png")
    answered = play_module(page, runner, module_id, clicked=CLICKED)
    runner.root.locator(".meso-progress-text").get_by_text("items done").wait_for()
    done = load_course().module(module_id).items
    assert runner.progress_text.inner_text() == f"{len(done)} of {len(done)} items done", answered


@pytest.mark.parametrize(("notebook", "module_id", "width", "theme"), VOILA,
                         ids=[f"{m}-{w}px-{t}" for _, m, w, t in VOILA])
def test_a_module_is_answered_by_clicking_its_words_in_voila(
        notebook: str, module_id: str, width: int, theme: str, workspace: servers.Workspace, page: Page,
        artifacts: Path) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    with servers.voila(workspace, notebook, artifacts / "voila.log", theme=theme) as server:
        page.goto(server.url("/"), timeout=120_000)
        page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{str(theme == 'light').lower()}'")
        runner = Runner(page)
        runner.wait_ready()
        play_module(page, runner, module_id, clicked=CLICKED)
        runner.root.locator(".meso-progress-text").get_by_text("items done").wait_for()
        done = load_course().module(module_id).items
        assert runner.progress_text.inner_text() == f"{len(done)} of {len(done)} items done"


def test_the_assessment_notebook_is_taken_in_voila_through_to_its_certificate(
        workspace: servers.Workspace, page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 768, "height": 1000})
    with servers.voila(workspace, "60-assessment.ipynb", artifacts / "voila.log") as server:
        page.goto(server.url("/"), timeout=120_000)
        runner = Runner(page)
        runner.wait_ready()
        runner.root.locator(".meso-name input").fill("Dr Voila Assessed")
        runner.root.locator(".meso-save-name").click()
        expect(runner.root.locator(".meso-header")).to_contain_text("Answering as Dr Voila Assessed")
        play_module(page, runner, "suitability", clicked=CLICKED, assessment=True)
        runner.root.locator(".meso-finish").click()
        summary = runner.root.locator(".meso-summary")
        expect(summary).to_contain_text("Summary: Passed")
        expect(summary).to_contain_text("Verification code: MESO-")
        runner.screenshot(artifacts / "assessment-summary.png")


def test_the_longest_option_in_the_course_is_among_those_clicked() -> None:
    """Runs after the modules above (same worker or not, the text must be in one of their modules)."""
    longest = longest_option_text()
    modules = {m for _, m, _, _ in MODULES} & {m for _, m, _, _ in VOILA}
    holder = next(m.id for m in load_course().modules
                  if any(longest in [o.text for o in getattr(q, "options", ())] for _, q in m.questions()))
    assert holder in modules, f"the longest option ({len(longest)} characters) is in {holder}, not played here"
