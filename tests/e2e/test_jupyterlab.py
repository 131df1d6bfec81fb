"""A trainee works through the orientation module in a real JupyterLab, in headless Chromium.

The scenario follows the trainee: run the notebook, give a name, answer a single-choice
question wrong and read why, retry with the keyboard alone, take the branching case down
its harmful branch and then the safe one, and see the progress bar and score move. The
SQLite file is then read directly: what the trainee saw must be what was recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import servers
from .orientation import DEFER, ITEMS, NOTEBOOK, POINTS, RIGHT_LAYER, SKINCARE
from .pages import Runner, attempts

pytestmark = pytest.mark.e2e

TRAINEE = "Dr Ada Keyboard"
WRONG_LAYER = "The outermost layer, the epidermis"
TREAT_TODAY = "Treat today with a vitamin cocktail, since the substances are nutrients"


def answer_by_keyboard(page: Page, runner: Runner, option_text: str) -> int:
    """Reach ``option_text``'s radio group with Tab, choose it with the arrow keys, Tab to Submit, Enter.

    Returns the key presses. The arrow keys stay in the group: the course's inputs keep
    JupyterLab's command-mode shortcuts (which move between cells) away.
    """
    target = runner.option(option_text)
    presses = runner.keyboard_choose(target)
    expect(target).to_be_checked()
    presses += 1 + runner.keyboard_to(runner.question.locator(".meso-submit"))
    page.keyboard.press("Enter")
    return presses + 1


def test_trainee_completes_orientation_in_jupyterlab(workspace: servers.Workspace, lab: servers.Server,
                                                     page: Page, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    servers.open_in_lab(page, lab, NOTEBOOK)
    servers.run_all_cells(page)
    runner = Runner(page)
    runner.wait_ready()
    expect(runner.progress_text).to_have_text(f"0 of {ITEMS} items done")
    expect(runner.score).to_have_text(f"Score so far: 0 of {POINTS} points (0%)")

    # No hub user here, so the runner asks for a name once.
    runner.root.locator(".meso-name input").fill(TRAINEE)
    runner.root.locator(".meso-save-name").click()
    expect(runner.root.locator(".meso-message")).to_contain_text(f"recorded as {TRAINEE}")
    expect(runner.root.locator(".meso-header")).to_contain_text(f"Answering as {TRAINEE}")

    # A wrong answer: its own feedback, the rationale and the sources, no points.
    expect(runner.question).to_contain_text("Which tissue layer")
    runner.screenshot(artifacts / "01-single-choice-before-submit.png")
    runner.choose(WRONG_LAYER)
    runner.submit()
    expect(runner.feedback).to_contain_text("Too shallow")
    expect(runner.feedback).to_contain_text("local, shallow delivery")  # the rationale
    expect(runner.feedback).to_contain_text("NAT-1")  # a cited source
    runner.screenshot(artifacts / "02-single-choice-after-wrong-submit.png")
    expect(runner.progress_text).to_have_text(f"0 of {ITEMS} items done")

    # The retry, by keyboard alone.
    runner.question.locator(".meso-prompt").click()  # where the trainee was reading
    presses = answer_by_keyboard(page, runner, RIGHT_LAYER)
    print(f"keyboard-only answer took {presses} key presses")
    expect(runner.feedback).to_contain_text("Right. The dermis is the target")
    runner.screenshot(artifacts / "03-single-choice-after-keyboard-retry.png")
    expect(runner.progress_text).to_have_text(f"1 of {ITEMS} items done")
    expect(runner.score).to_have_text(f"Score so far: 1 of {POINTS} points ({1 / POINTS:.0%})")
    assert runner.progress_percent() == pytest.approx(100 / ITEMS, abs=0.5)

    # The branching case: the harmful choice ends it with its consequence and a safety failure.
    runner.next_until("A new mother asks for a refresh")
    expect(runner.case.locator(".meso-patient-card")).to_contain_text("breastfeeding")
    expect(runner.case.locator(".meso-case-position")).to_have_text("Step 1 of 2")
    runner.screenshot(artifacts / "04-case-before-submit.png")
    runner.choose(TREAT_TODAY)
    runner.submit()
    outcome = runner.case.locator(".meso-outcome")
    expect(outcome).to_contain_text("Case failed for safety")
    expect(outcome).to_contain_text("You injected a breastfeeding patient")
    expect(runner.case.locator(".meso-case-position")).to_have_text("Case finished after 1 step.")
    runner.screenshot(artifacts / "05-case-ended-by-branch.png")

    # Restart and take the safe path through both steps.
    runner.case.locator(".meso-restart").click()
    expect(runner.case.locator(".meso-case-position")).to_have_text("Step 1 of 2")
    runner.choose(DEFER)
    runner.submit()
    expect(runner.case.locator(".meso-case-position")).to_have_text("Step 2 of 2")
    expect(runner.case.locator(".meso-case-history")).to_contain_text("Right. Defer")
    runner.choose(SKINCARE)
    runner.submit()
    expect(outcome).to_contain_text("Case complete.")
    expect(outcome).not_to_contain_text("failed")
    runner.screenshot(artifacts / "06-case-complete.png")
    expect(runner.progress_text).to_have_text(f"2 of {ITEMS} items done")
    earned = 1 + 3
    expect(runner.score).to_have_text(f"Score so far: {earned:g} of {POINTS} points ({earned / POINTS:.0%})")
    assert runner.progress_percent() == pytest.approx(200 / ITEMS, abs=0.5)

    # What the trainee saw is what the SQLite file holds.
    layer = attempts(workspace.db, "ori-layer")
    assert [(row["score"], row["correct"]) for row in layer] == [(0.0, 0), (1.0, 1)]
    assert {row["trainee"] for row in layer} == {TRAINEE}
    assert {row["mode"] for row in layer} == {"practice"}
    assert layer[0]["seed"] != layer[1]["seed"]  # the retry was reshuffled, with its seed recorded
    decision = attempts(workspace.db, "ori-bf-decision")
    assert [(row["correct"], row["critical"]) for row in decision] == [(0, 1), (1, 0)]
    assert '"treat-today"' in decision[0]["answer"]
    assert [row["points"] for row in attempts(workspace.db, "ori-bf-alternatives")] == [1.0]
    for row in [*layer, *decision]:
        assert row["module_id"] == "orientation"
        assert row["shown_at"] <= row["submitted_at"]
