"""An assessment taken in a real JupyterLab: no feedback until the end, then the summary and
a certificate the trainee downloads from the browser.

The notebook is written into the temporary course copy, as an instructor would add one:
the orientation module in assessment mode, so the scenario stays short.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import servers
from .orientation import DEFER, POINTS, PROMPTS, QUESTIONS, SKINCARE, fill_right_answer
from .pages import Runner, attempts

pytestmark = pytest.mark.e2e

TRAINEE = "Dr Grace Assessed"
NOTEBOOK = "orientation-assessment.ipynb"


def write_assessment_notebook(folder: Path) -> None:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": 'import meso_training\nmeso_training.show_module("orientation", mode="assessment")'}
    notebook = {"cells": [cell], "nbformat": 4, "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    (folder / NOTEBOOK).write_text(json.dumps(notebook), encoding="utf-8")


def test_assessment_releases_feedback_only_at_the_end_and_offers_a_certificate(
        workspace: servers.Workspace, lab: servers.Server, page: Page, artifacts: Path) -> None:
    write_assessment_notebook(workspace.notebooks)
    page.set_viewport_size({"width": 1280, "height": 1400})
    servers.open_in_lab(page, lab, NOTEBOOK)
    servers.run_all_cells(page)
    runner = Runner(page)
    runner.wait_ready()
    expect(runner.root.locator(".meso-header")).to_contain_text("Assessment: one answer per question")
    expect(runner.score).to_have_text("Scores are shown in the summary at the end.")
    runner.root.locator(".meso-name input").fill(TRAINEE)
    runner.root.locator(".meso-save-name").click()

    for item in range(6):
        fill_right_answer(runner, item)
        runner.submit()
        expect(runner.feedback).to_have_text("Answer recorded. Feedback comes with the summary at the end.")
        expect(runner.question.locator(".meso-submit")).to_be_disabled()  # one attempt only
        if item == 0:
            runner.screenshot(artifacts / "assessment-answer-recorded.png")
        runner.next(PROMPTS[item + 1])
    runner.choose(DEFER)
    runner.submit()
    expect(runner.case.locator(".meso-case-history")).to_contain_text("Answer recorded.")
    expect(runner.case.locator(".meso-case-history")).not_to_contain_text("Right.")
    runner.choose(SKINCARE)
    runner.submit()

    summary = runner.root.locator(".meso-summary")
    expect(summary).to_contain_text("Summary: Passed")
    expect(summary).to_contain_text(f"Score: {POINTS} of {POINTS} points (100%)")
    summary.scroll_into_view_if_needed()
    summary.screenshot(path=artifacts / "assessment-summary.png")

    with page.expect_download() as download_info:
        summary.get_by_role("link", name="Download your certificate (HTML, printable as PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "certificate-orientation.html"
    certificate = Path(download.path()).read_text(encoding="utf-8")
    for expected in (TRAINEE, "Mesotherapy in aesthetic practice", "Orientation: how the course asks questions",
                     f"{POINTS} of {POINTS} points", "Content version 2026.11",
                     "no choice that would have harmed a patient", "not a licence to practise and not medical advice"):
        assert expected in certificate
    code = re.search(r"MESO-\w{4}-\w{4}-\w{4}", certificate)
    assert code is not None
    expect(summary).to_contain_text(f"Verification code: {code[0]}")
    saved = list((workspace.db.parent / "certificates").glob("*.html"))
    assert [path.read_text(encoding="utf-8") for path in saved] == [certificate]

    rows = [row for question in QUESTIONS for row in attempts(workspace.db, question)]
    assert len(rows) == len(QUESTIONS)
    assert {(row["mode"], row["correct"], row["trainee"]) for row in rows} == {("assessment", 1, TRAINEE)}
