"""``meso-training report``: one self-contained HTML file with every section, from a real cohort."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from cohort_factory import cohort_database
from quiz_text import QUIZZES

from meso_training.analytics.case_paths import case_paths
from meso_training.analytics.responses import first_responses
from meso_training.cli import main
from meso_training.model import Case, Course, Mode
from meso_training.storage import open_store

MODULE = "suitability"
SECTIONS = ("The module as a test", "Questions", "Options chosen, by thirds of the cohort", "Harmful choices", "Cases",
            "Case paths")


def write_report(course: Course, tmp_path: Path, size: int,
                 capsys: pytest.CaptureFixture[str]) -> tuple[str, set[str]]:
    """The report's HTML, and the questions the cohort answered."""
    db = tmp_path / "cohort.sqlite3"
    played = cohort_database(db, course, MODULE, size)
    output = tmp_path / "report.html"
    assert main(["report", str(db), "--output", str(output), "--course", str(QUIZZES)]) == 0
    assert f"Wrote the report (1 module, {size} trainees) to {output}" in capsys.readouterr().out
    return output.read_text(encoding="utf-8"), {a.question_id for trainee in played for a in trainee}


def test_the_report_holds_every_section_its_figures_and_a_reading_line_for_each(
        course: Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, answered = write_report(course, tmp_path, 36, capsys)
    for section in SECTIONS:
        assert f"<h3>{section}</h3>" in html
    started = len({c.id for c in course.module(MODULE).items if isinstance(c, Case)})
    # the question map, the spread of totals, and one flow figure per case (every case was started)
    assert html.count("data:image/png;base64,") == 2 + started
    assert "Discrimination below 0: stronger trainees get this wrong more often; check the key." in html
    assert "harmful" in html  # the harmful options are named in the options tables
    assert "class='warning'" not in html  # 36 trainees: no small-cohort note
    assert len(answered) > 20
    for question_id in answered:  # every question the cohort answered has its row
        assert f"<td>{question_id}</td>" in html


def test_the_report_loads_nothing_from_elsewhere(course: Course, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    html, _ = write_report(course, tmp_path, 12, capsys)
    assert not re.search(r"""(src|href)=['"](https?:)?//""", html)
    assert "@import" not in html
    assert "fewer than 30, discrimination and efficiency swing" in html  # a small cohort is warned


def test_text_from_the_quiz_files_is_escaped(course: Course, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    html, _ = write_report(course, tmp_path, 6, capsys)
    body = re.sub(r"<(script|style)>.*?</\1>", "", html, flags=re.S)
    tags = set(re.findall(r"<([a-z0-9]+)[\s>]", body))
    assert tags <= {"html", "head", "meta", "title", "body", "h1", "h2", "h3", "p", "nav", "ul", "li", "a", "section",
                    "table", "thead", "tbody", "tr", "th", "td", "figure", "img", "figcaption", "details", "summary",
                    "h4"}


def test_the_cases_table_counts_starters_and_safety_failures_as_the_case_paths_do(
        course: Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, _ = write_report(course, tmp_path, 18, capsys)
    with open_store(tmp_path / "cohort.sqlite3") as store:
        responses = first_responses(store.attempts(), Mode.ASSESSMENT)
    table = html.split("<table class='sortable cases'>", 1)[1].split("</table>", 1)[0]
    paths = case_paths(course.module(MODULE), responses)
    assert paths
    assert any(p.failed_for_safety for p in paths)
    for p in paths:
        row = next(r for r in table.split("<tr>") if r.startswith(f"<td class='text'>{escape(p.title)}</td>"))
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
        assert cells[1:3] == [str(p.started), str(p.failed_for_safety)]
