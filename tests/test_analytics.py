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
from meso_training.model import Course, Mode, Topic
from meso_training.reports.progress import progress_report
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.progress_plots import DARK, LIGHT, history_figure, png, time_range
from meso_training.views.progress_view import ProgressView

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
    topics = {t.topic.value: t for t in report.topics}
    assert topics["foundations"].answered == 4
    assert topics["foundations"].mastery == 1.0
    assert topics["suitability"].answered == 0


def test_weakest_objectives_and_review_list_come_from_wrong_answers(course: Course) -> None:
    history = attempts(course)
    wrong = replace(history[0], score=0.0, correct=False, attempt_uid="x" * 32,
                    submitted_at=DAY1 + dt.timedelta(days=9))
    report = progress_report(course, [*history, wrong])
    assert report.review_next[0].question.id == history[0].question_id
    assert report.weakest_objectives[0].objective_id == "ori-basics"
    assert report.practice_days[-1].day == (DAY1 + dt.timedelta(days=9)).date()


def test_an_edited_question_no_longer_counts_as_mastered(course: Course) -> None:
    stale = [replace(a, content_hash="0" * 16) for a in attempts(course)]
    topics = {t.topic.value: t for t in progress_report(course, stale).topics}
    assert topics["foundations"].answered == 0


def test_dashboard_shows_module_titles_topic_words_and_a_light_and_a_dark_plot(course: Course) -> None:
    view = ProgressView(course, "ana", attempts(course), links={("orientation", Mode.PRACTICE): "00-start-here.ipynb"})
    html = "".join(child.value for child in view.children if isinstance(getattr(child, "value", None), str))
    assert "Progress of ana" in html
    assert "Weakest learning objectives" in html
    assert all(module.title in html for module in course.modules)
    assert "href='00-start-here.ipynb'" in html or 'href="00-start-here.ipynb"' in html
    for topic in Topic:  # topics in words, never their ids alone
        assert topic.label in html
    plots = view.plots.value
    assert plots.count("meso-plot-light") == 2  # mastery and history, drawn for each theme
    assert plots.count("meso-plot-dark") == 2
    assert plots.count("data:image/png;base64,") == 4


def test_practice_and_assessment_are_counted_apart(course: Course) -> None:
    practice = attempts(course)
    exam = [replace(a, mode=Mode.ASSESSMENT, attempt_uid=f"e{i:031d}") for i, a in enumerate(practice)]
    report = progress_report(course, [*practice, *exam])
    assert report.practice_attempts == len(practice)
    assert report.assessment_attempts == len(exam)
    assert sum(d.answers for d in report.practice_days) == len(practice)  # the history plots practice only


def test_a_one_day_history_gets_an_axis_of_days_not_years(course: Course) -> None:
    one_day = [a for a in attempts(course) if a.submitted_at.date() == DAY1.date()]
    report = progress_report(course, one_day)
    moments = [a.submitted_at for a in one_day]
    first, last = time_range(moments)
    assert dt.timedelta(days=2) < last - first < dt.timedelta(days=5)
    fig = history_figure(report, LIGHT)
    left, right = fig.axes[0].get_xlim()
    assert right - left < 5  # matplotlib dates are days


def test_both_palettes_draw_every_figure_even_with_no_history(course: Course) -> None:
    empty = progress_report(course, [])
    for palette in (LIGHT, DARK):
        assert png(history_figure(empty, palette)).startswith(b"\x89PNG")


def test_review_items_name_their_case_and_module(course: Course) -> None:
    history = attempts(course)
    wrong = [replace(a, score=0.0, correct=False, attempt_uid=f"w{i:031d}") for i, a in enumerate(history)]
    report = progress_report(course, wrong)
    assert report.review_next
    for item in report.review_next:
        assert item.module_title == course.module(item.module_id).title
        in_case = [i for i in course.module(item.module_id).items if any(
            getattr(s, "id", None) == item.question.id for s in getattr(i, "steps", ()))]
        assert item.case_title == (in_case[0].title if in_case else None)


def test_drawing_the_dashboard_leaves_pyplot_alone() -> None:
    code = ("import sys\nfrom meso_training.authoring.loader import load_course\n"
            "from meso_training.views.progress_view import ProgressView\n"
            "ProgressView(load_course(), 'ana', [])\n"
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
