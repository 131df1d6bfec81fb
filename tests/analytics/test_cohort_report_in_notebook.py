"""``show_cohort_report``: the cohort report inside the instructor notebook, or a message saying why not."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from cohort_factory import cohort_database
from quiz_text import QUIZZES

from meso_training import course_entry
from meso_training.model import Course


def test_the_report_is_shown_in_a_frame_of_its_own(course: Course, tmp_path: Path) -> None:
    db = tmp_path / "cohort.sqlite3"
    cohort_database(db, course, "suitability", 8)
    frame = course_entry.show_cohort_report([db], quizzes=[QUIZZES])
    assert frame is not None
    assert frame.value.startswith("<iframe title='Cohort report'")
    inside = html.unescape(frame.value.split('srcdoc="', 1)[1].rsplit('"', 1)[0])
    assert "<h3>Harmful choices</h3>" in inside
    assert "<script>" in inside  # the tables sort inside the frame


def test_with_no_cohort_database_it_says_how_to_name_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESO_TRAINING_COHORT", str(tmp_path / "absent.sqlite3"))
    assert course_entry.show_cohort_report(quizzes=[QUIZZES]) is None
    shown = course_entry._shown[-1].value
    assert "No cohort to analyse yet" in shown
    assert "show_cohort_report(['cohort.sqlite3'])" in shown


def test_a_cohort_with_practice_answers_only_is_told_to_try_practice(course: Course, tmp_path: Path) -> None:
    db = tmp_path / "cohort.sqlite3"
    cohort_database(db, course, "suitability", 3)
    assert course_entry.show_cohort_report([db], mode="practice", quizzes=[QUIZZES]) is None
    assert "try <code>mode='assessment'</code>" in course_entry._shown[-1].value


def test_a_bad_source_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    table = tmp_path / "scores.csv"
    table.write_text("trainee,question_id,score,max_points\nann,q1,lots,1\n", encoding="utf-8")
    assert course_entry.show_cohort_report([table], quizzes=[QUIZZES]) is None
    shown = course_entry._shown[-1].value
    assert "The cohort report could not be made" in shown
    assert "row 2: score" in shown
