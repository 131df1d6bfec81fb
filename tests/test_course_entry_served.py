"""``show_module`` in assessment mode with the records service as the store: no quiz file is read in the kernel.

The service's desk (over a real SQLite store) stands behind ``HubRecordsStore``'s assessment
calls; the course cache and the loader are replaced by functions that fail the test if the
kernel side ever asks for the course.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from assessment_wire import Wire

from meso_training import course_entry
from meso_training.engine.grading import keyed_answer
from meso_training.engine.service_session import ServiceSession
from meso_training.errors import StoreRefusedError, StoreUnreachableError
from meso_training.model import Course
from meso_training.records_service.assessment_sessions import AssessmentDesk
from meso_training.storage import open_store
from meso_training.storage.certificates import Certificate
from meso_training.storage.hub_store import HubRecordsStore
from meso_training.storage.interface import ProgressStore
from meso_training.views.shown import NOT_STARTED

SERVICE = "http://127.0.0.1:9/services/meso-records/"  # nothing listens: every call goes to the desk below
MODULE = "orientation"


@pytest.fixture
def cohort(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "cohort.sqlite3") as store:
        yield store


@pytest.fixture
def wire(cohort: ProgressStore, course: Course, monkeypatch: pytest.MonkeyPatch) -> Wire:
    """The service for the hub user ``ann``; the kernel's course loading fails the test."""
    def no_course(*_: Any, **__: Any) -> Course:
        pytest.fail("the kernel loaded the course for an assessment the service grades")

    wire = Wire(AssessmentDesk(cohort, course), "ann")
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "a-token")
    monkeypatch.setattr(course_entry, "cached_course", no_course)
    monkeypatch.setattr("meso_training.authoring.loader.load_course", no_course)
    for name in ("assessment_paper", "assessment_answer", "assessment_summary"):
        monkeypatch.setattr(HubRecordsStore, name, lambda _self, *args, _name=name: getattr(wire, _name)(*args))

    def issue(_self: HubRecordsStore, certificate: Certificate) -> Certificate:
        return cohort.issue_certificate(certificate)

    monkeypatch.setattr(HubRecordsStore, "issue_certificate", issue)
    return wire


def _answer_all(runner: Any, answers: dict[str, Any]) -> None:
    for index in range(len(runner.session.items)):
        while runner.current_view is not None:
            runner.answer(answers[runner.current_view.question.id])
        if index < len(runner.session.items) - 1:
            runner.next()


def test_an_assessment_on_the_service_is_shown_from_its_paper_without_loading_the_course(
        wire: Wire, course: Course, cohort: ProgressStore, tmp_path: Path) -> None:
    runner = course_entry.show_module(MODULE, mode="assessment", db=SERVICE, quizzes=[tmp_path / "no-such-folder"])
    assert runner is not None
    assert isinstance(runner.session, ServiceSession)
    assert runner.session.trainee == "ann"
    _answer_all(runner, {q.id: keyed_answer(q) for _, q in course.module(MODULE).questions()})
    assert "Summary: Passed" in runner.summary.value
    assert len(cohort.attempts(trainee="ann", module_id=MODULE)) == len(wire.replies)  # recorded once, by the desk


def test_an_assessment_opened_at_a_question_starts_at_its_item(wire: Wire, course: Course) -> None:
    runner = course_entry.show_module(MODULE, mode="assessment", db=SERVICE, start_at="ori-founder")
    assert runner is not None
    view = runner.current_view
    assert view is not None
    assert view.question.id == "ori-founder"


def test_a_refusal_of_the_service_at_the_start_is_a_message_not_a_traceback(
        wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_self: HubRecordsStore, module_id: str) -> dict[str, Any]:
        raise StoreRefusedError(SERVICE, 404, f"the course has no module {module_id!r}")

    monkeypatch.setattr(HubRecordsStore, "assessment_paper", refuse)
    assert course_entry.show_module("nope", mode="assessment", db=SERVICE) is None
    assert "The assessment could not be started" in NOT_STARTED[-1]
    assert "the course has no module 'nope'" in NOT_STARTED[-1]


def test_an_answer_the_service_did_not_receive_can_be_sent_again(
        wire: Wire, course: Course, cohort: ProgressStore, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = course_entry.show_module(MODULE, mode="assessment", db=SERVICE)
    assert runner is not None
    view = runner.current_view
    assert view is not None
    question = {q.id: q for _, q in course.module(MODULE).questions()}[view.question.id]

    def down(_self: HubRecordsStore, *_: Any) -> dict[str, Any]:
        raise StoreUnreachableError(SERVICE, "connection refused")

    with monkeypatch.context() as outage:
        outage.setattr(HubRecordsStore, "assessment_answer", down)
        runner.answer(keyed_answer(question))
    assert "connection refused" in view.feedback.value
    assert runner.session.can_answer()  # nothing was taken as answered
    assert cohort.attempts(trainee="ann", module_id=MODULE) == []
    runner.answer(keyed_answer(question))
    assert wire.replies == [{"recorded": True, "next": None}]
    assert not runner.session.can_answer()
    assert "Answer recorded" in view.feedback.value


def test_practice_on_the_service_still_grades_in_the_kernel(wire: Wire, monkeypatch: pytest.MonkeyPatch,
                                                            course: Course) -> None:
    monkeypatch.setattr(course_entry, "cached_course", lambda *_: course)
    monkeypatch.setattr(HubRecordsStore, "attempts", lambda _self, **_: [])
    runner = course_entry.show_module(MODULE, mode="practice", db=SERVICE)
    assert runner is not None
    assert not isinstance(runner.session, ServiceSession)
    assert wire.replies == []  # nothing went to the assessment routes
