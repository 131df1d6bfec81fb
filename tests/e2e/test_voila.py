"""A trainee completes the orientation module in Voila (no code visible), by clicking alone.

Every kind of question is answered through its widget in the browser: radio buttons, a
number, a text box, tick boxes, Up buttons, radio buttons per matching row and a case. The
page loads nothing from any host but the Voila server. The answers must land
in the progress database, and JupyterLab, opened afterwards on the same database, must show
the module as finished.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import servers
from .orientation import DEFER, NOTEBOOK, POINTS, PROMPTS, QUESTIONS, SKINCARE, fill_right_answer
from .pages import Runner, attempts

pytestmark = pytest.mark.e2e

TRAINEE = "Dr Voila Clicker"


def answer_and_check(runner: Runner, artifacts: Path, name: str, expected_feedback: str) -> None:
    runner.screenshot(artifacts / f"{name}-before-submit.png")
    runner.submit()
    expect(runner.root.locator(".meso-body .meso-feedback").last).to_contain_text(expected_feedback)
    runner.screenshot(artifacts / f"{name}-after-submit.png")


def test_trainee_completes_orientation_in_voila_by_clicking(workspace: servers.Workspace, page: Page,
                                                            artifacts: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    elsewhere: list[str] = []  # every request to a host but ours (a CDN fails offline)
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    with servers.voila(workspace, NOTEBOOK, artifacts / "voila.log") as server:
        page.goto(server.url("/"), timeout=120_000)
        runner = Runner(page)
        runner.wait_ready()
        expect(page.get_by_text("show_module(")).to_have_count(0)  # no code shown
        expect(page.locator(".cm-editor, .CodeMirror")).to_have_count(0)
        expect(runner.progress_text).to_have_text("0 of 7 items done")
        assert elsewhere == []  # the course's Voila template links no CDN (Voila's lab one does)

        runner.root.locator(".meso-name input").fill(TRAINEE)
        runner.root.locator(".meso-save-name").click()
        expect(runner.root.locator(".meso-header")).to_contain_text(f"Answering as {TRAINEE}")

        feedback = ["Right.", "1950s", "Correct.", "Correct.", "That is the safe order.", "All three sorted safely."]
        for item, expected in enumerate(feedback):
            fill_right_answer(runner, item)
            answer_and_check(runner, artifacts, f"{item + 1}-{QUESTIONS[item]}", expected)
            runner.next(PROMPTS[item + 1])

        expect(runner.case.locator(".meso-case-position")).to_have_text("Step 1 of 2")
        runner.choose(DEFER)
        runner.screenshot(artifacts / "7-case-step-1-before-submit.png")
        runner.submit()
        expect(runner.case.locator(".meso-case-history")).to_contain_text("Right. Defer")
        expect(runner.case.locator(".meso-case-position")).to_have_text("Step 2 of 2")
        runner.screenshot(artifacts / "7-case-step-1-after-submit.png")
        runner.choose(SKINCARE)
        runner.submit()
        expect(runner.case.locator(".meso-outcome")).to_contain_text("Case complete.")

        expect(runner.progress_text).to_have_text("7 of 7 items done")
        expect(runner.score).to_have_text(f"Score so far: {POINTS} of {POINTS} points (100%)")
        summary = runner.root.locator(".meso-summary")
        expect(summary).to_contain_text("Passed")
        summary.scroll_into_view_if_needed()
        summary.screenshot(path=artifacts / "8-summary.png")

    rows = {question: attempts(workspace.db, question) for question in QUESTIONS}
    assert {question: len(found) for question, found in rows.items()} == dict.fromkeys(QUESTIONS, 1)
    assert all(found[0]["correct"] == 1 and found[0]["trainee"] == TRAINEE for found in rows.values())
    assert sum(found[0]["points"] for found in rows.values()) == POINTS

    # The same database seen from JupyterLab: the module is finished, with its summary.
    with servers.jupyterlab(workspace, artifacts / "jupyterlab.log") as lab:
        servers.open_in_lab(page, lab, NOTEBOOK)
        servers.run_all_cells(page)
        reopened = Runner(page)
        expect(reopened.progress_text).to_have_text("7 of 7 items done", timeout=60_000)
        expect(reopened.root.locator(".meso-header")).to_contain_text(f"Answering as {TRAINEE}")
        expect(reopened.root.locator(".meso-summary")).to_contain_text("Passed")
