"""The runner and its views driven as a trainee would: set widget values, click, read what is shown.

Each test checks both the widgets and the SQLite file the answers went to.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest

from meso_training.grading import keyed_answer, wrong_answer
from meso_training.model import Course
from meso_training.session import ModuleSession
from meso_training.store import ProgressStore
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.question_views import VIEWS, QuestionView
from meso_training.views.recorder import AttemptRecorder

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=10)
        return self.now


def make_runner(course: Course, db: Path, mode: str = "practice", module: str = "orientation",
                seed: int = 3, resume: bool = True) -> tuple[ModuleRunner, ProgressStore]:
    store = ProgressStore(db)
    session = ModuleSession(course.module(module), trainee="ana", mode=mode,  # type: ignore[arg-type]
                            rng=random.Random(seed), now=T0)
    if resume:
        session.resume(store.attempts(trainee="ana", module_id=module))
    return ModuleRunner(session, course.registry, AttemptRecorder(store), clock=Clock(),
                        certificate_dir=db.parent), store


def rows(db: Path) -> list[tuple[str, float, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT question_id, score, critical FROM attempts ORDER BY id").fetchall()


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


def test_every_question_type_has_a_view_in_the_module(course: Course, tmp_path: Path) -> None:
    runner, store = make_runner(course, tmp_path / "p.sqlite3")
    seen = set()
    for position in range(len(runner.session.items)):
        while runner.session.position < position:
            runner.next_button.click()
        while runner.current_view is not None:
            view = current(runner)
            seen.add(type(view))
            runner.answer(keyed_answer(view.question))
    store.close()
    assert seen == set(VIEWS.values())


def test_wrong_then_right_shows_feedback_rationale_and_records_both(course: Course, tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    runner, store = make_runner(course, db)
    view = current(runner)
    runner.answer(wrong_answer(view.question))
    assert "Not right." in view.feedback.value
    assert "Why:" in view.feedback.value
    assert "Sources" in view.feedback.value
    assert not view.submit.disabled  # practice: retry allowed
    runner.answer(keyed_answer(view.question))
    assert "Correct." in view.feedback.value
    assert view.submit.disabled
    assert "1 of 7 items done" in runner.progress_text.value
    assert runner.progress.value == 1
    store.close()
    assert rows(db) == [("ori-layer", 0.0, 0), ("ori-layer", 1.0, 0)]


def test_submit_with_nothing_chosen_asks_for_a_choice_and_records_nothing(course: Course, tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    runner, store = make_runner(course, db)
    view = current(runner)
    view.submit.click()
    assert "choose one option first" in view.feedback.value
    store.close()
    assert rows(db) == []


def test_ordering_view_moves_steps_with_up_and_down_buttons(course: Course, tmp_path: Path) -> None:
    runner, store = make_runner(course, tmp_path / "p.sqlite3")
    while current(runner).question.type != "ordering":
        runner.next_button.click()
    view = current(runner)
    before = view.answer()
    first_row_down = view.downs[0]
    first_row_down.click()
    assert view.answer() == [before[1], before[0], *before[2:]]
    store.close()


def test_branching_case_ends_with_its_outcome_and_a_safety_message(course: Course, tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    runner, store = make_runner(course, db)
    while runner.session.item.case is None:
        runner.next_button.click()
    runner.answer("treat-today")
    case_view = runner.item_view
    assert "Outcome:" in case_view.outcome.value
    assert "Case failed for safety" in case_view.outcome.value
    assert runner.current_view is None
    case_view.restart.click()
    assert runner.current_view is not None
    store.close()
    assert rows(db) == [("ori-bf-decision", 0.0, 1)]


def test_assessment_hides_feedback_until_the_summary_and_offers_a_certificate(course: Course,
                                                                             tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    runner, store = make_runner(course, db, mode="assessment")
    view = current(runner)
    runner.answer(keyed_answer(view.question))
    assert "Answer recorded" in view.feedback.value
    assert "Correct" not in view.feedback.value
    walk(runner)
    summary = runner.summary.value
    assert "Summary: Passed" in summary
    assert "Download your certificate of completion" in summary
    certificates = list((tmp_path / "certificates").glob("ana-orientation-*.html"))
    assert len(certificates) == 1
    text = certificates[0].read_text(encoding="utf-8")
    assert "ana" in text
    assert "content version 2026.11" in text
    store.close()


def test_assessment_with_a_critical_error_fails_whatever_the_points(course: Course, tmp_path: Path) -> None:
    runner, store = make_runner(course, tmp_path / "p.sqlite3", mode="assessment")
    for position in range(len(runner.session.items)):
        while runner.session.position < position:
            runner.next_button.click()
        while runner.current_view is not None:
            q = current(runner).question
            runner.answer("treat-today" if q.id == "ori-bf-decision" else keyed_answer(q))
    summary = runner.summary.value
    assert "Summary: Not passed" in summary
    assert "Critical errors: 1" in summary
    assert "certificate" not in summary
    store.close()


@pytest.mark.skipif(__import__("os").geteuid() != 0, reason="needs root to make the file immutable")
def test_unwritable_store_keeps_the_answer_in_memory_and_saves_it_on_retry(course: Course, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    folder = tmp_path / "progress"
    folder.mkdir()
    db = folder / "p.sqlite3"
    runner, _ = make_runner(course, db, resume=False)  # the store has not opened its file yet
    if subprocess.run(["chattr", "+i", str(folder)], check=False).returncode != 0:
        pytest.skip("this file system does not support immutable folders")
    try:
        runner.answer(keyed_answer(current(runner).question))
        assert "not saved yet" in runner.message.value
        assert runner.retry_button.layout.display == ""
        assert len(runner.recorder.pending) == 1
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    runner.retry_button.click()
    assert "All answers saved" in runner.message.value
    runner.recorder.store.close()
    assert rows(db) == [("ori-layer", 1.0, 0)]


def test_reopening_resumes_at_the_first_unfinished_item_with_done_ones_ticked(course: Course,
                                                                             tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    runner, store = make_runner(course, db)
    for _ in range(3):
        runner.answer(keyed_answer(current(runner).question))
        runner.next_button.click()
    store.close()
    again, store2 = make_runner(course, db, seed=11)
    assert again.session.position == 3
    assert "3 of 7 items done" in again.progress_text.value
    assert "1 ✓" in again.item_list.value
    store2.close()


def test_a_name_entered_once_is_remembered_and_used_for_answers(course: Course, tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    store = ProgressStore(db)
    session = ModuleSession(course.module("orientation"), trainee="os-user", mode="practice",
                            rng=random.Random(1), now=T0)
    runner = ModuleRunner(session, course.registry, AttemptRecorder(store), clock=Clock(), ask_name=True)
    assert runner.name_form.layout.display == ""
    runner.name_text.value = "Dr Ana Silva"
    runner.name_button.click()
    assert runner.name_form.layout.display == "none"
    runner.answer(keyed_answer(current(runner).question))
    assert store.get_setting("trainee") == "Dr Ana Silva"
    assert [a.trainee for a in store.attempts()] == ["Dr Ana Silva"]
    store.close()
