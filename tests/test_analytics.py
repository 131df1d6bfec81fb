"""Progress read from stored attempts: mastery per topic, weak objectives, what to review, the plots."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from meso_training import course_entry
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Course
from meso_training.reports.progress import progress_report
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.progress_view import ProgressView, progress_png

DAY1 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def attempts(course: Course) -> list:
    s = ModuleSession(course.module("orientation"), trainee="ana", mode="practice", rng=random.Random(1), now=DAY1)
    out = []
    for position in range(4):
        s.go_to(position, DAY1)
        state = s.current_question()
        assert state is not None
        right = state.question.topic.value == "foundations"
        answer = keyed_answer(state.question) if right else wrong_answer(state.question)
        out.append(s.submit(answer, DAY1 + dt.timedelta(days=position)).attempt)
    return out


def test_mastery_per_topic_counts_the_latest_answer_to_each_question(course: Course) -> None:
    report = progress_report(course, attempts(course))
    topics = {t.topic: t for t in report.topics}
    assert topics["foundations"].answered == 4
    assert topics["foundations"].mastery == 1.0
    assert topics["suitability"].answered == 0


def test_weakest_objectives_and_review_list_come_from_wrong_answers(course: Course) -> None:
    history = attempts(course)
    wrong = replace(history[0], score=0.0, correct=False, attempt_uid="x" * 32,
                    submitted_at=DAY1 + dt.timedelta(days=9))
    report = progress_report(course, [*history, wrong])
    assert report.review_next[0][1].id == history[0].question_id
    assert report.weakest_objectives[0].objective_id == "ori-basics"
    assert [d for d, _, _ in report.daily_scores][-1] == (DAY1 + dt.timedelta(days=9)).date()


def test_an_edited_question_no_longer_counts_as_mastered(course: Course) -> None:
    stale = [replace(a, content_hash="0" * 16) for a in attempts(course)]
    topics = {t.topic: t for t in progress_report(course, stale).topics}
    assert topics["foundations"].answered == 0


def test_dashboard_renders_plots_as_png_and_lists(course: Course) -> None:
    report = progress_report(course, attempts(course))
    png = progress_png(report)
    assert png.startswith(b"\x89PNG")
    view = ProgressView(course, "ana", attempts(course))
    texts = [child.value for child in view.children if isinstance(getattr(child, "value", None), str)]
    html = "".join(texts)
    assert "Progress of ana" in html
    assert "Weakest learning objectives" in html
    assert bytes(view.plot.value).startswith(b"\x89PNG")


def test_empty_history_still_renders(course: Course) -> None:
    assert progress_png(progress_report(course, [])).startswith(b"\x89PNG")


def test_drawing_the_dashboard_leaves_pyplot_alone() -> None:
    code = ("import sys\nfrom meso_training.authoring.loader import load_course\n"
            "from meso_training.reports.progress import progress_report\n"
            "from meso_training.views.progress_view import progress_png\n"
            "progress_png(progress_report(load_course(), []))\n"
            "print('matplotlib.pyplot' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "False"


def test_show_progress_reads_the_trainees_attempts_and_returns_the_dashboard(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    db = tmp_path / "p.sqlite3"
    with SQLiteProgressStore(db) as store:
        store.record_many(attempts(course))
    view = course_entry.show_progress(db=db, trainee="ana")
    assert isinstance(view, ProgressView)
    assert view.report.attempts == 4
    assert course_entry._shown[-1] is view


def test_show_progress_of_an_unreadable_database_is_a_message(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    db = tmp_path / "p.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    assert course_entry.show_progress(db=db, trainee="ana") is None
    assert "newer meso-training" in course_entry._shown[-1].value
