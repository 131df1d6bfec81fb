"""The cohort report opens offline in real Chromium with every section, sortable tables and its figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from cohort_factory import cohort_database
from playwright.sync_api import Page, Route, expect
from quiz_text import QUIZZES

from meso_training.cli import main
from meso_training.model import Course

pytestmark = pytest.mark.e2e


def test_the_report_opens_offline_with_every_section_and_sorts_by_a_column(
        course: Course, tmp_path: Path, page: Page, artifacts: Path) -> None:
    db = tmp_path / "cohort.sqlite3"
    cohort_database(db, course, "suitability", 24)
    report = tmp_path / "report.html"
    assert main(["report", str(db), "--output", str(report), "--course", str(QUIZZES)]) == 0
    elsewhere: list[str] = []

    def refuse(route: Route) -> None:
        elsewhere.append(route.request.url)
        route.abort()

    page.route("http*://**", refuse)  # offline: nothing may be fetched
    page.goto(report.as_uri())
    for heading in ("The module as a test", "Questions", "Options chosen, by thirds of the cohort",
                    "Harmful choices", "Cases", "Case paths"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("fewer than 30")  # 24 trainees
    assert page.locator("img").count() >= 3  # the question map, the totals, a flow per case
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 100)")
    items = page.locator("table.items")
    header = items.locator("th", has_text="facility").first
    header.click()
    values = [float(v) for v in items.locator("tbody tr td:nth-child(4)").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")]
    assert values == sorted(values)
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.press("Enter")  # sorting works from the keyboard too, the other way
    values = [float(v) for v in items.locator("tbody tr td:nth-child(4)").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")]
    assert values == sorted(values, reverse=True)
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    assert elsewhere == []
