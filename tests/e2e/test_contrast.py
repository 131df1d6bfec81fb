"""Every result state, mark, button and dashboard text of the course reads at WCAG AA, light and dark.

A showcase notebook puts each result state (``state_html``), a graded matching input with its
row marks, the orientation module's runner and the progress dashboard on one page; the page
is measured in JupyterLab's light and dark themes (``contrast.BELOW_AA``).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page

from . import servers
from .contrast import BELOW_AA, ROOTS
from .pages import Runner
from .test_every_module import set_theme

pytestmark = pytest.mark.e2e

SHOWCASE = """\
import ipywidgets as widgets
from IPython.display import display

import meso_training
from meso_training.views.answer_input import AnswerInput
from meso_training.views.rendering import html_widget
from meso_training.views.theme import state_html, stylesheet_widget

STATES = [("correct", "✓", "<strong>Correct.</strong> The dermis is the target."),
          ("partial", "!", "<strong>Partly right</strong>: 3 of 4 rows."),
          ("incorrect", "✗", "<strong>Not right.</strong> Defer the treatment."),
          ("critical", "✗", "<strong>Safety: this choice would harm the patient.</strong>"),
          ("recorded", "i", "<strong>Answer recorded.</strong> Results come at the end."),
          ("info", "i", "Case finished: 3 steps.")]
matching = AnswerInput(kind="matching", legend="Match each request to a decision",
                       options=[{"key": "i1", "text": "A patient who is pregnant"},
                                {"key": "i2", "text": "A healthy adult, evaluated"}],
                       categories=[{"key": "c1", "text": "Defer treatment"}, {"key": "c2", "text": "Proceed"}],
                       value={"i1": "c1", "i2": "c1"}, marks={"i1": "right", "i2": "wrong"})
box = widgets.VBox([stylesheet_widget(), *(html_widget(state_html(*s)) for s in STATES), matching])
box.add_class("meso-runner")
box.add_class("meso-showcase")
display(box)
meso_training.show_module("orientation")
meso_training.show_progress(trainee="Ann")
"""


def _showcase(workspace: servers.Workspace) -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SHOWCASE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (workspace.notebooks / "contrast.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
    return "contrast.ipynb"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_state_mark_and_dashboard_text_meets_wcag_aa(theme: str, workspace: servers.Workspace,
                                                           lab: servers.Server, page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    servers.open_in_lab(page, lab, _showcase(workspace))
    set_theme(page, theme)
    servers.run_all_cells(page)
    Runner(page).wait_ready()
    page.locator(".meso-showcase .meso-mark-wrong").wait_for()
    page.locator(".meso-progress-view .meso-module-status").first.wait_for()
    page.screenshot(path=str(artifacts / f"showcase-{theme}.png"), full_page=True)
    checked = page.evaluate(f"() => document.querySelectorAll({json.dumps(ROOTS)}).length")
    assert checked >= 3  # the showcase, the runner and the dashboard were all there to measure
    misses = page.evaluate(BELOW_AA, ROOTS)
    print(f"{theme}: {len(misses)} text or icon colours below WCAG AA")
    assert misses == [], "\n".join(f"{m['what']} {m['text']!r}: {m['ratio']}:1, needs {m['need']}:1"
                                   for m in misses)
