"""The runner and its views driven as a trainee would: set widget values, click, read what is shown.

Each test checks both the widgets and the SQLite file the answers went to.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from meso_training import course_entry
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Course
from meso_training.storage.certificates import parse_code
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.questions import VIEWS, QuestionView
from meso_training.views.recorder import AttemptRecorder

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)

Rows = Callable[..., list[Any]]
Opener = Callable[..., ModuleRunner]


def current(runner: ModuleRunner) -> QuestionView:
    view = runner.current_view
    assert view is not None
    return view


def walk(runner: ModuleRunner, right: bool = True) -> None:
    for position in range(len(runner.session.items)):
        while runner.session.position < position:
            runner.next_button.click()
        while runner.current_view is not None:
            view = current(runner)
            runner.answer(keyed_answer(view.question) if right else wrong_answer(view.question))
            if not right and runner.session.item.case is None:
                break


def test_every_question_type_has_a_view_in_the_module(open_runner: Opener) -> None:
    runner = open_runner()
    seen = set()
    for position in range(len(runner.session.items)):
        while runner.session.position < position:
            runner.next_button.click()
        while runner.current_view is not None:
            view = current(runner)
            seen.add(type(view))
            runner.answer(keyed_answer(view.question))
    assert seen == set(VIEWS.values())


def test_wrong_then_right_shows_feedback_rationale_and_records_both(open_runner: Opener, db_rows: Rows) -> None:
    runner = open_runner()
    view = current(runner)
    runner.answer(wrong_answer(view.question))
    assert "Not right." in view.feedback.value
    assert "Why:" in view.feedback.value
    assert "Sources" in view.feedback.value
    assert not view.submit.disabled  # practice: retry allowed
    assert "Score so far: 0 of" in runner.status.value
    runner.answer(keyed_answer(view.question))
    assert "Correct." in view.feedback.value
    assert view.submit.disabled
    assert "1 of 7 items done" in runner.status.value
    assert runner.progress.value == 1
    assert "Score so far: 1 of" in runner.status.value
    runner.recorder.store.close()
    assert db_rows() == [("ori-layer", 0.0, 0), ("ori-layer", 1.0, 0)]


def test_the_runner_exposes_its_parts_by_stable_css_classes(open_runner: Opener) -> None:
    runner = open_runner()
    parts = {"meso-runner": runner, "meso-progress": runner.progress, "meso-status": runner.status,
             "meso-prev": runner.prev_button, "meso-next": runner.next_button, "meso-finish": runner.finish_button,
             "meso-summary": runner.summary, "meso-message": runner.message, "meso-retry": runner.retry_button}
    for css_class, widget in parts.items():
        assert css_class in widget._dom_classes
    for inner in ("meso-progress-text", "meso-score", "meso-item-list"):  # inside the one status widget
        assert f"class='{inner}'" in runner.status.value
    assert runner.prev_button.disabled  # first item
    runner.next_button.click()
    assert not runner.prev_button.disabled
    runner.prev_button.click()
    assert runner.session.position == 0


def test_previous_and_next_keep_what_was_answered(open_runner: Opener) -> None:
    runner = open_runner()
    runner.answer(keyed_answer(current(runner).question))
    runner.next_button.click()
    runner.prev_button.click()
    view = runner.item_view
    assert runner.current_view is None  # answered right: locked
    assert view.submit.disabled
    assert "Correct." in view.feedback.value
    assert view.answer() == keyed_answer(view.question)


def test_submit_with_nothing_chosen_asks_for_a_choice_and_records_nothing(open_runner: Opener,
                                                                         db_rows: Rows) -> None:
    runner = open_runner()
    view = current(runner)
    view.submit.click()
    assert "choose one option first" in view.feedback.value
    runner.recorder.store.close()
    assert db_rows() == []


def test_assessment_hides_feedback_until_the_summary_and_offers_a_certificate(open_runner: Opener,
                                                                             tmp_path: Path) -> None:
    runner = open_runner("assessment")
    view = current(runner)
    runner.answer(wrong_answer(view.question))
    assert "Answer recorded" in view.feedback.value
    assert "Not right" not in view.feedback.value
    assert view.submit.disabled  # one answer per question
    assert "Scores are shown in the summary" in runner.status.value
    runner.finish_button.click()
    early = runner.summary.value
    assert "6 items still to answer" in early
    assert "Why:" not in early
    assert "Critical errors" not in early
    walk(runner)
    summary = runner.summary.value
    assert "Summary: Passed" in summary
    assert "Score: 12 of 13 points (92%); pass mark 60%." in summary
    assert "Feedback on every answer" in summary
    assert "Download your certificate (HTML, printable as PDF)</a>" in summary
    assert "class='meso-action-link'" in summary
    assert "href='data:text/html;base64," in summary
    certificates = list((tmp_path / "certificates").glob("ana-orientation-*.html"))
    assert len(certificates) == 1
    text = certificates[0].read_text(encoding="utf-8")
    assert "<p class=\"name\">ana</p>" in text
    assert "Orientation: how the course asks questions" in text
    assert "Content version 2026.11" in text
    assert "25 November 2026" in text
    shown = re.search(r"MESO-\w{4}-\w{4}-\w{4}", text)
    assert shown is not None
    assert shown[0] in summary  # the code on the page is the one the summary shows
    assert runner.recorder.store.certificate(parse_code(shown[0])) is not None  # and it is on record


def test_assessment_with_a_critical_error_fails_whatever_the_points(open_runner: Opener) -> None:
    runner = open_runner("assessment")
    for position in range(len(runner.session.items)):
        while runner.session.position < position:
            runner.next_button.click()
        while runner.current_view is not None:
            q = current(runner).question
            runner.answer("treat-today" if q.id == "ori-bf-decision" else keyed_answer(q))
    summary = runner.summary.value
    assert "Summary: Not passed" in summary
    assert "Critical errors: 1" in summary
    assert "meso-critical" in summary
    assert "ori-bf-decision" not in summary
    assert "treat-today" not in summary
    assert "certificate" not in summary


def test_practice_summary_lists_what_to_review(open_runner: Opener) -> None:
    runner = open_runner()
    runner.answer(wrong_answer(current(runner).question))
    runner.finish_button.click()
    summary = runner.summary.value
    assert "Summary: Not finished yet" in summary
    layer = runner.session.items[0].steps["ori-layer"].question
    assert layer.prompt in summary
    assert "ori-layer" not in summary
    assert "Describe where mesotherapy places its injections" in summary  # the objective to work on


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make the folder immutable")
def test_unwritable_store_keeps_the_answer_in_memory_and_saves_it_on_retry(open_runner: Opener, tmp_path: Path,
                                                                          db_rows: Rows) -> None:
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    folder = tmp_path / "progress"
    folder.mkdir()
    db = folder / "p.sqlite3"
    runner = open_runner(db=db, resume=False)  # the store has not opened its file yet
    if subprocess.run(["chattr", "+i", str(folder)], check=False).returncode != 0:
        pytest.skip("this file system does not support immutable folders")
    try:
        runner.answer(keyed_answer(current(runner).question))
        assert "not saved yet" in runner.message.value
        assert runner.retry_button.layout.display == ""
        assert len(runner.recorder.pending) == 1
        runner.retry_button.click()
        assert "Still not saved" in runner.message.value
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    runner.retry_button.click()
    assert "All answers saved" in runner.message.value
    assert runner.retry_button.layout.display == "none"
    runner.recorder.store.close()
    assert db_rows(db) == [("ori-layer", 1.0, 0)]


def test_a_locked_store_keeps_the_answer_and_saves_it_with_the_next_one(open_runner: Opener, tmp_path: Path,
                                                                       db_rows: Rows) -> None:
    db = tmp_path / "p.sqlite3"
    runner = open_runner(db=db, timeout=0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another notebook holds the write lock
    try:
        runner.answer(keyed_answer(current(runner).question))
        assert "stayed busy for more than 0.2 s" in runner.message.value  # the lock holder is this process
        assert "kept in memory" in runner.message.value
        assert "Correct." in runner.item_view.feedback.value  # the trainee still gets the grade
        assert len(runner.recorder.pending) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    runner.next_button.click()
    runner.answer(keyed_answer(current(runner).question))
    assert runner.message.value == ""
    assert len(runner.recorder.pending) == 0
    runner.recorder.store.close()
    assert db_rows(db) == [("ori-layer", 1.0, 0), ("ori-decade", 1.0, 0)]


def test_a_damaged_database_is_moved_aside_and_the_trainee_told(tmp_path: Path, db_rows: Rows,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    db = tmp_path / "p.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    runner = course_entry.show_module("orientation", db=db, trainee="ana")
    assert isinstance(runner, ModuleRunner)
    try:
        assert "was damaged and was moved aside" in runner.message.value
        runner.answer(keyed_answer(current(runner).question))
    finally:
        runner.recorder.store.close()
    assert db_rows(db) == [("ori-layer", 1.0, 0)]
    assert list(tmp_path.glob("p.sqlite3.corrupt-*"))


def test_show_module_returns_the_runner_it_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    runner = course_entry.show_module("orientation", db=tmp_path / "p.sqlite3", trainee="ana")
    assert isinstance(runner, ModuleRunner)
    try:
        assert course_entry.shown_runners()[-1] is runner
        assert runner.session.trainee == "ana"
    finally:
        runner.recorder.store.close()


def test_an_unknown_mode_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    before = len(course_entry._shown)
    assert course_entry.show_module("orientation", mode="exam", db=tmp_path / "p.sqlite3") is None
    (shown,) = course_entry._shown[before:]
    assert "mode must be &#x27;practice&#x27; or &#x27;assessment&#x27;" in shown.value


def test_an_unexpected_error_in_a_callback_is_shown_and_logged(open_runner: Opener,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    runner = open_runner()

    def broken() -> None:
        msg = "boom"
        raise RuntimeError(msg)

    runner._guarded(broken)
    assert "Something went wrong on our side" in runner.message.value
    assert "boom" in caplog.text


def test_reopening_resumes_at_the_first_unfinished_item_with_done_ones_ticked(open_runner: Opener) -> None:
    runner = open_runner()
    for _ in range(3):
        runner.answer(keyed_answer(current(runner).question))
        runner.next_button.click()
    runner.recorder.store.close()
    again = open_runner(seed=11)
    assert again.session.position == 3
    assert "3 of 7 items done" in again.status.value
    assert "1 ✓" in again.status.value
    assert "4 ✓" not in again.status.value
    assert again.current_view is not None
    assert again.current_view.question.id == "ori-classes"


def test_reopening_a_finished_module_shows_its_summary(open_runner: Opener) -> None:
    walk(open_runner())
    again = open_runner(seed=5)
    assert "Summary: Passed" in again.summary.value
    assert "7 of 7 items done" in again.status.value


def test_a_name_entered_once_is_remembered_and_used_for_answers(course: Course, tmp_path: Path) -> None:
    import random

    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        session = ModuleSession(course.module("orientation"), trainee="os-user", mode="practice",
                                rng=random.Random(1), now=T0)
        runner = ModuleRunner(session, course.registry, AttemptRecorder(store), ask_name=True)
        assert runner.name_form.layout.display == ""
        assert "os-user" not in runner.header.value  # no guessed name before one is saved
        assert "Type your name below" in runner.header.value
        runner.name_button.click()
        assert "Type your name first." in runner.message.value
        runner.name_text.value = "Dr Ana Silva"
        runner.name_button.click()
        assert runner.name_form.layout.display == "none"
        assert "Answering as <strong>Dr Ana Silva</strong>" in runner.header.value
        runner.answer(keyed_answer(current(runner).question))
        assert store.get_setting("trainee") == "Dr Ana Silva"
        assert [a.trainee for a in store.attempts()] == ["Dr Ana Silva"]
