"""Drive a module runner in a browser page through its CSS classes and labels, as a trainee would.

The classes are the views' stable hooks (``meso-runner``, ``meso-question``, ``meso-option``,
``meso-submit``, ``meso-feedback``, ``meso-next``, ...); options are found by their visible
text, because their order is shuffled.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# Submitting a practice question re-renders its inputs; a slow shared machine needs headroom.
TIMEOUT_MS = 20_000
# Focusable elements between the cell JupyterLab focuses on a click and the runner's own controls.
MAX_TABS = 60


class Runner:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.locator(".meso-runner")

    def wait_ready(self) -> None:
        self.question.wait_for(timeout=60_000)

    @property
    def question(self) -> Locator:
        """The question that can be answered now (in a case, only the current step is a question)."""
        return self.root.locator(".meso-body .meso-question")

    @property
    def feedback(self) -> Locator:
        return self.question.locator(".meso-feedback")

    @property
    def progress_text(self) -> Locator:
        return self.root.locator(".meso-progress-text")

    @property
    def score(self) -> Locator:
        return self.root.locator(".meso-score")

    @property
    def case(self) -> Locator:
        return self.root.locator(".meso-body .meso-case")

    def progress_percent(self) -> float:
        """How full the progress bar is drawn, from its bar's CSS width."""
        width = self.root.locator(".meso-progress .progress-bar").evaluate("bar => bar.style.width")
        return float(str(width).rstrip("%") or 0)

    def option(self, text: str) -> Locator:
        """The radio button or tick box whose label is ``text``."""
        options = self.question.locator(".meso-option")
        return options.get_by_role("radio", name=text, exact=True).or_(
            options.get_by_role("checkbox", name=text, exact=True))

    def choose(self, *texts: str) -> None:
        for text in texts:
            self.option(text).check()

    def submit(self) -> None:
        self.question.locator(".meso-submit").click()

    def type_answer(self, text: str) -> None:
        """Type into a short-text or number answer and leave the field, so the kernel gets the value."""
        field = self.question.locator(".meso-text input, .meso-number input")
        field.fill(text)
        field.press("Tab")

    def put_in_order(self, texts: list[str]) -> None:
        """Move ordering steps with their Up buttons until the rows read ``texts`` from the top."""
        rows = self.question.locator(".meso-order-row")
        for target, text in enumerate(texts):
            labels = [rows.nth(i).locator(".meso-step-text").inner_text() for i in range(rows.count())]
            here = next(i for i, label in enumerate(labels) if label == text)
            for row in range(here, target, -1):
                rows.nth(row).locator(".meso-up").click()
                rows.nth(row - 1).get_by_text(text, exact=False).wait_for(timeout=TIMEOUT_MS)

    def category(self, item: str, category: str) -> Locator:
        """The radio button of ``category`` in the row of the matching item whose text starts ``item``."""
        row = self.question.locator(".meso-match").filter(has_text=item)
        return row.get_by_role("radio", name=category, exact=True)

    def match(self, pairs: dict[str, str]) -> None:
        """Choose a category (value) in the row of each item (key)."""
        for item, category in pairs.items():
            self.category(item, category).check()

    def position(self) -> int:
        """The current item's number, as the item list underlines it (1-based)."""
        marker = self.root.locator(".meso-item-list span[style*='underline']").inner_text()
        return int(marker.split()[0])

    def next(self, showing: str) -> None:
        """Press Next and wait until the item showing ``showing`` has replaced the current one."""
        self.root.locator(".meso-next").click()
        self.root.locator(".meso-body").get_by_text(showing, exact=False).first.wait_for(timeout=TIMEOUT_MS)

    def next_until(self, text: str) -> None:
        """Press Next, one item at a time, until the current item shows ``text``."""
        body = self.root.locator(".meso-body")
        for _ in range(40):
            if body.get_by_text(text, exact=False).count():
                return
            here = self.position()
            self.root.locator(".meso-next").click()
            self.root.locator(".meso-item-list span[style*='underline']").filter(
                has_text=re.compile(rf"^{here + 1}\b")).wait_for(timeout=TIMEOUT_MS)
        msg = f"no item showing {text!r} after pressing Next 40 times"
        raise AssertionError(msg)

    def keyboard_to(self, target: Locator) -> int:
        """Press Tab, or Shift+Tab if ``target`` comes before the focus, until it has the focus.

        Returns the presses it took.
        """
        backwards = target.evaluate("element => !!(document.activeElement.compareDocumentPosition(element)"
                                    " & Node.DOCUMENT_POSITION_PRECEDING)")
        key = "Shift+Tab" if backwards else "Tab"
        for presses in range(1, MAX_TABS + 1):
            self.page.keyboard.press(key)
            if target.evaluate("element => element === document.activeElement"):
                return presses
        msg = f"{key} did not reach {target} in {MAX_TABS} presses"
        raise AssertionError(msg)

    def keyboard_choose(self, target: Locator) -> int:
        """Choose the radio button or tick box ``target`` with the keyboard alone; returns the key presses.

        A tick box is a Tab stop of its own and Space ticks it. A group of radio buttons is
        one Tab stop, as in any web form: Tab reaches the group, the arrow keys move the
        choice within it (the course's inputs keep JupyterLab's command-mode keys away).
        """
        if target.evaluate("element => element.type") == "checkbox":
            presses = self.keyboard_to(target)
            self.page.keyboard.press("Space")
            return presses + 1
        group = target.locator("xpath=ancestor::fieldset[1]")
        inside = "group => group.contains(document.activeElement)"
        backwards = group.evaluate("group => !!(document.activeElement.compareDocumentPosition(group)"
                                   " & Node.DOCUMENT_POSITION_PRECEDING)")
        presses = 0
        while not group.evaluate(inside):
            presses += 1
            assert presses <= MAX_TABS, f"Tab did not reach the group of {target} in {MAX_TABS} presses"
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        count = group.locator("input").count()
        for _ in range(count):
            if target.evaluate("element => element === document.activeElement"):
                break
            self.page.keyboard.press("ArrowDown")
            presses += 1
        if not target.is_checked():
            self.page.keyboard.press("Space")
            presses += 1
        return presses

    def screenshot(self, path: Path) -> None:
        self.root.screenshot(path=path)


def attempts(db: Path, question_id: str) -> list[sqlite3.Row]:
    """Stored attempts at ``question_id``, oldest first, read from the course's SQLite file."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM attempts WHERE question_id = ? ORDER BY id", (question_id,)).fetchall()
    finally:
        conn.close()
