"""A click made while the kernel is busy still counts, and counts before the Submit that follows it.

ipywidgets sends a widget's changed values one message at a time: while the kernel has not
answered the last one (it is busy, or the hub is slow), later changes wait in the browser,
but a button's click is sent at once. An answer widget that synced its value that way let
Submit overtake the last ticks: the kernel graded the answer as it was a few clicks
earlier. This test makes the kernel busy (a cell sleeping), ticks every box and presses
Submit while it sleeps, and checks that the kernel saw every tick when Submit ran.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

from . import servers

pytestmark = pytest.mark.e2e

WIDGETS = """\
import json
import ipywidgets as widgets
from meso_training.views.answer_input import AnswerInput

answer = AnswerInput(kind="multiple", legend="Tick every option",
                     options=[{"key": f"o{n}", "text": f"Option number {n}"} for n in range(1, 7)])
submit = widgets.Button(description="Submit now")
seen = widgets.HTML(layout=widgets.Layout(min_height="1em"))
seen.add_class("seen")
submit.on_click(lambda _: setattr(seen, "value", json.dumps(sorted(answer.value or []))))
widgets.VBox([answer, submit, seen])
"""


def _notebook(folder: Path) -> str:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(WIDGETS), nbformat.v4.new_code_cell("import time\ntime.sleep(6)")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (folder / "busy.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
    return "busy.ipynb"


def test_ticks_made_while_the_kernel_is_busy_reach_it_before_submit(
        workspace: servers.Workspace, lab: servers.Server, page: Page) -> None:
    servers.open_in_lab(page, lab, _notebook(workspace.notebooks))
    run_first = "async () => { await window.jupyterapp.commands.execute('notebook:run-cell-and-select-next'); }"
    page.evaluate(run_first)  # the widgets' cell; the sleeping cell is then the active one
    page.get_by_text("Option number 6", exact=True).wait_for()
    page.wait_for_function(servers.KERNEL_IDLE)
    # Run the sleeping cell without waiting for it, then answer while the kernel sleeps.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
                           " === 'busy'")
    for n in range(1, 7):
        page.locator(".meso-input label").get_by_text(f"Option number {n}", exact=True).click()
    page.get_by_role("button", name="Submit now").click()
    expect(page.locator(".seen")).to_have_text(json.dumps([f"o{n}" for n in range(1, 7)]), timeout=60_000)
