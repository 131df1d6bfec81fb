"""``show_module(preview=True)``: the author's look at a module records nothing a trainee keeps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from meso_training import course_entry
from meso_training.authoring.course_starter import CourseFolder, new_course, new_module
from meso_training.engine.case_flow import branch_answer
from meso_training.engine.grading import keyed_answer
from meso_training.model import Case
from meso_training.views.case_view import CaseView


@pytest.fixture
def module_file(tmp_path: Path) -> Path:
    new_course(tmp_path / "course")
    return new_module(CourseFolder(tmp_path / "course"), "alpha", today=dt.date(2026, 12, 4))[0]


def test_a_preview_records_nothing_in_the_given_or_the_configured_progress_database(
        module_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configured, given = tmp_path / "configured.sqlite3", tmp_path / "given.sqlite3"
    monkeypatch.setenv("MESO_TRAINING_DB", str(configured))
    runner = course_entry.show_module("alpha", quizzes=[module_file], db=given, preview=True)
    assert runner is not None
    for position in range(len(runner.session.items)):
        runner.session.go_to(position, course_entry.utc_now())
        runner._show_item()
        while (view := runner.current_view) is not None:
            runner.answer(keyed_answer(view.question))
    assert all(item.done for item in runner.session.items)
    assert runner.alert is None
    stored = runner.recorder.store.attempts()
    assert len(stored) == len(runner.session.module.questions())  # kept, but only in the preview's scratch store
    assert Path(str(runner.recorder.store.location)).parent.name.startswith("meso-preview-")
    assert not configured.exists()
    assert not given.exists()
    assert runner.session.trainee == "Instructor preview"
    assert not runner.asking_name


def test_a_preview_shows_a_notice_that_answers_are_not_recorded(module_file: Path) -> None:
    before = len(course_entry._shown)
    course_entry.show_module("alpha", quizzes=[module_file], preview=True)
    notice = course_entry._shown[before]
    assert "meso-preview-notice" in notice.value
    assert "not recorded in anyone's progress" in notice.value


def test_a_preview_opens_at_the_item_holding_the_chosen_question(module_file: Path) -> None:
    runner = course_entry.show_module("alpha", quizzes=[module_file], preview=True, start_at="alpha-where-written")
    assert runner is not None
    assert runner.session.item.item_id == "alpha-where-written"
    runner = course_entry.show_module("alpha", quizzes=[module_file], preview=True, start_at="alpha-case-plan")
    assert runner is not None
    assert runner.session.item.item_id == "alpha-case"  # a case opens at its first step


def test_a_preview_at_an_unknown_question_says_which_questions_there_are(module_file: Path) -> None:
    before = len(course_entry._shown)
    assert course_entry.show_module("alpha", quizzes=[module_file], preview=True, start_at="nope") is None
    text = course_entry._shown[-1].value
    assert len(course_entry._shown) == before + 1
    assert "module &#x27;alpha&#x27; has no question &#x27;nope&#x27;; it has: alpha-consent-timing" in text


def test_every_branch_of_the_case_can_be_taken_in_one_preview(module_file: Path) -> None:
    runner = course_entry.show_module("alpha", quizzes=[module_file], preview=True, start_at="alpha-case")
    assert runner is not None
    case = runner.session.item.case
    assert isinstance(case, Case)
    first = case.steps[0]
    ending = next(b for b in first.branches if b.end is not None)
    runner.answer(branch_answer(first, ending))
    assert runner.session.item.done
    assert runner.session.item.outcome == ending.end
    view = runner.item_view
    assert isinstance(view, CaseView)
    view.restart.click()  # practice: the case again, this time down the keyed path to its last step
    while (current := runner.current_view) is not None:
        runner.answer(keyed_answer(current.question))
    assert runner.session.item.done
    assert {s for s, state in runner.session.item.steps.items() if state.result is not None} == {
        s.id for s in case.steps}
