"""Every kind of question can be answered with the keyboard alone in JupyterLab.

JupyterLab's command mode takes arrow keys and letters for itself (move between cells,
delete a cell), so each control must work with Tab, Shift+Tab, Space, Enter and typing
into text fields; within a group of radio buttons the arrow keys move the choice, as in
any web form, and must not reach JupyterLab. Only the first click, to put the focus in the notebook, uses the mouse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from . import servers
from .orientation import CLASSES, CONSULTATION_ORDER, NOTEBOOK, RIGHT_LAYER, TRIAGE
from .pages import Runner, attempts

pytestmark = pytest.mark.e2e

CELL_COUNT = "() => window.jupyterapp.shell.currentWidget.content.model.cells.length"


class Keyboard:
    def __init__(self, page: Page, runner: Runner) -> None:
        self.page, self.runner = page, runner

    def press(self, target: Locator, key: str) -> None:
        self.runner.keyboard_to(target)
        self.page.keyboard.press(key)

    def type_into(self, field: Locator, text: str) -> None:
        self.runner.keyboard_to(field)
        self.page.keyboard.type(text)

    def submit_and_next(self, feedback: str, next_prompt: str) -> None:
        self.press(self.runner.question.locator(".meso-submit"), "Enter")
        expect(self.runner.feedback).to_contain_text(feedback)
        self.press(self.runner.root.locator(".meso-next"), "Enter")
        expect(self.runner.question).to_contain_text(next_prompt)

    def put_in_order(self, texts: list[str]) -> None:
        """Bubble each step up with its row's Up button, reached by Shift+Tab and pressed with Enter."""
        rows = self.runner.question.locator(".meso-order-row")
        # The prompt can show before the rows are all drawn: read labels only once every step is there.
        expect(rows).to_have_count(len(texts))
        for target, text in enumerate(texts):
            labels = [rows.nth(i).inner_text() for i in range(rows.count())]
            here = next((i for i, label in enumerate(labels) if text in label), None)
            assert here is not None, f"step {text!r} is not among the rows {labels}"
            if here == target:
                continue
            for row in range(here, target, -1):
                self.press(rows.nth(row).locator(".meso-up"), "Enter")
                expect(rows.nth(row - 1)).to_contain_text(text)


def test_every_question_type_can_be_answered_by_keyboard_in_jupyterlab(
        workspace: servers.Workspace, lab: servers.Server, page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    servers.open_in_lab(page, lab, NOTEBOOK)
    servers.run_all_cells(page)
    runner = Runner(page)
    runner.wait_ready()
    keys = Keyboard(page, runner)
    cells = page.evaluate(CELL_COUNT)
    option = runner.option

    runner.question.locator(".meso-prompt").click()  # the one mouse click: focus into the notebook
    runner.keyboard_choose(option(RIGHT_LAYER))
    keys.submit_and_next("Right.", "In which decade")

    keys.type_into(runner.question.locator(".meso-number input"), "1950")
    keys.submit_and_next("1950s", "Give the family name")

    keys.type_into(runner.question.locator(".meso-text input"), "Pistor")
    keys.submit_and_next("Correct.", "Select every pairing")

    for text in CLASSES:
        runner.keyboard_choose(option(text))
    keys.submit_and_next("Correct.", "Put these parts of a first consultation")

    keys.put_in_order(CONSULTATION_ORDER)
    runner.screenshot(artifacts / "ordering-by-keyboard.png")
    keys.submit_and_next("That is the safe order.", "Sort each request")

    for item, category in TRIAGE.items():
        runner.keyboard_choose(runner.category(item, category))
    runner.screenshot(artifacts / "matching-by-keyboard.png")
    keys.press(runner.question.locator(".meso-submit"), "Enter")
    expect(runner.feedback).to_contain_text("All three sorted safely.")

    expect(runner.progress_text).to_have_text("6 of 7 items done")
    assert page.evaluate(CELL_COUNT) == cells  # no key press reached JupyterLab's cell commands
    stored = {q: attempts(workspace.db, q) for q in
              ["ori-layer", "ori-decade", "ori-founder", "ori-classes", "ori-consult-order", "ori-triage"]}
    assert {q: [row["correct"] for row in rows] for q, rows in stored.items()} == {q: [1] for q in stored}
