"""Assessments graded by the service: answers in, "recorded" out, the feedback only at the end, one answer each.

The service's ``AssessmentDesk`` runs against a real SQLite store; the kernel's
``ServiceSession`` reaches it through a JSON round trip (as over HTTP), and the module runner
drives it as a trainee would.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from assessment_wire import Wire

from meso_training.engine.grading import grade, keyed_answer, wrong_answer
from meso_training.engine.service_session import ServiceSession
from meso_training.errors import RecordsRequestError
from meso_training.model import Case, Course, Mode, Module
from meso_training.records_service.assessment_sessions import AssessmentDesk
from meso_training.storage import open_store
from meso_training.storage.interface import ProgressStore
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.recorder import RecordedByService

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
MODULE = "orientation"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "cohort.sqlite3") as opened:
        yield opened


@pytest.fixture
def desk(store: ProgressStore, course: Course) -> AssessmentDesk:
    return AssessmentDesk(store, course)


def _module(course: Course) -> Module:
    return course.module(MODULE)


def _refused(call: Any, *args: Any) -> RecordsRequestError:
    with pytest.raises(RecordsRequestError) as refused:
        call(*args)
    return refused.value


def _runner(desk: AssessmentDesk, store: ProgressStore, trainee: str = "ann") -> tuple[ModuleRunner, Wire]:
    wire = Wire(desk, trainee)
    session = ServiceSession(wire, MODULE, trainee=trainee, now=T0)
    return ModuleRunner(session, session.registry, RecordedByService(store)), wire


def _answer_all(runner: ModuleRunner, answers: dict[str, Any]) -> None:
    for index in range(len(runner.session.items)):
        while runner.current_view is not None:
            runner.answer(answers[runner.current_view.question.id])
        if index < len(runner.session.items) - 1:
            runner.next()


def test_each_answer_is_stored_with_the_services_grade_and_the_reply_only_says_recorded(
        desk: AssessmentDesk, store: ProgressStore, course: Course) -> None:
    module = _module(course)
    first = module.items[0]
    assert not isinstance(first, Case)
    reply = desk.answer("ann", MODULE, {"question_id": first.id, "answer": wrong_answer(first)})
    assert reply == {"recorded": True, "next": None}
    [stored] = store.attempts(trainee="ann", module_id=MODULE)
    expected = grade(first, wrong_answer(first))
    assert (stored.mode, stored.score, stored.correct) == (Mode.ASSESSMENT, expected.score, expected.correct)


def test_a_second_answer_to_the_same_question_is_refused_with_409(desk: AssessmentDesk, course: Course) -> None:
    first = _module(course).items[0]
    assert not isinstance(first, Case)
    desk.answer("ann", MODULE, {"question_id": first.id, "answer": wrong_answer(first)})
    refused = _refused(desk.answer, "ann", MODULE, {"question_id": first.id, "answer": keyed_answer(first)})
    assert refused.status == 409
    assert "already answered" in str(refused)


def test_the_same_answer_sent_again_after_a_lost_reply_gets_the_same_reply_and_is_stored_once(
        desk: AssessmentDesk, store: ProgressStore, course: Course) -> None:
    module = _module(course)
    first = module.items[0]
    assert not isinstance(first, Case)
    sent = {"question_id": first.id, "answer": wrong_answer(first)}
    assert desk.answer("ann", MODULE, sent) == desk.answer("ann", MODULE, sent) == {"recorded": True, "next": None}
    case = next(i for i in module.items if isinstance(i, Case))
    step = case.steps[0]
    step_sent = {"question_id": step.id, "answer": keyed_answer(step)}
    replies = [desk.answer("ann", MODULE, step_sent) for _ in range(2)]
    assert replies[0] == replies[1]
    assert replies[0]["next"] == case.steps[1].id  # the keyed answer goes on to the second step, both times
    assert len(store.attempts(trainee="ann", module_id=MODULE)) == 2


def test_an_unknown_module_or_question_or_a_malformed_answer_is_refused(desk: AssessmentDesk) -> None:
    assert _refused(desk.paper, "ann", "no-such-module").status == 404
    assert _refused(desk.answer, "ann", MODULE, {"question_id": "nope", "answer": "x"}).status == 404
    assert _refused(desk.answer, "ann", MODULE, {"answer": "x"}).status == 400
    assert _refused(desk.answer, "ann", MODULE, {"question_id": "ori-layer", "answer": "x",
                                                 "shown_at": "yesterday"}).status == 400
    assert _refused(desk.answer, "ann", MODULE, {"question_id": "ori-layer", "answer": ["not", "one"]}).status == 400


def test_a_case_step_that_is_not_the_current_one_is_refused_with_409(desk: AssessmentDesk, course: Course) -> None:
    [case] = [i for i in _module(course).items if isinstance(i, Case)]
    later = case.steps[1]
    refused = _refused(desk.answer, "ann", MODULE, {"question_id": later.id, "answer": keyed_answer(later)})
    assert refused.status == 409
    assert "not the current step" in str(refused)


def test_a_case_answer_reveals_only_the_next_step_and_its_key_free_paper(desk: AssessmentDesk, course: Course) -> None:
    [case] = [i for i in _module(course).items if isinstance(i, Case)]
    first, second = case.steps[0], case.steps[1]
    reply = desk.answer("ann", MODULE, {"question_id": first.id, "answer": keyed_answer(first)})
    assert set(reply) == {"recorded", "next", "step", "steps_left"}
    assert (reply["recorded"], reply["next"], reply["step"]["id"]) == (True, second.id, second.id)
    assert second.rationale not in json.dumps(reply)
    ended = _refused(desk.answer, "bob", MODULE, {"question_id": second.id, "answer": keyed_answer(second)})
    assert ended.status == 409  # bob has not reached it
    harmful = desk.answer("bob", MODULE, {"question_id": first.id, "answer": wrong_answer(first)})
    assert harmful == {"recorded": True, "next": None}  # the case ended; its outcome waits for the summary


def test_the_summary_is_refused_until_every_item_is_answered(desk: AssessmentDesk) -> None:
    refused = _refused(desk.summary, "ann", MODULE)
    assert refused.status == 409
    assert "still to answer" in str(refused)


def test_the_paper_keeps_its_order_and_says_where_the_trainee_stands_after_a_service_restart(
        store: ProgressStore, course: Course) -> None:
    before = AssessmentDesk(store, course).paper("ann", MODULE)
    first = _module(course).items[0]
    assert not isinstance(first, Case)
    AssessmentDesk(store, course).answer("ann", MODULE, {"question_id": first.id, "answer": keyed_answer(first)})
    after = AssessmentDesk(store, course).paper("ann", MODULE)
    assert after["items"] == before["items"]
    standing = after["standing"]["items"][0]
    assert standing == {"id": first.id, "current": None, "steps_left": None,
                        "answered": [{"question_id": first.id, "answer": grade(first, keyed_answer(first)).answer}]}
    assert after["standing"]["position"] == 1


def test_a_trainee_answers_through_the_runner_and_gets_the_feedback_and_one_certificate_at_the_end(
        desk: AssessmentDesk, store: ProgressStore, course: Course) -> None:
    module = _module(course)
    runner, wire = _runner(desk, store)
    assert runner.summary.value == ""
    runner.show_summary()
    assert "still to answer" in runner.summary.value
    _answer_all(runner, {q.id: keyed_answer(q) for _, q in module.questions()})

    assert all(set(r) <= {"recorded", "next", "step", "steps_left"} and r["recorded"] for r in wire.replies)
    assert runner.alert is None
    assert "Summary: Passed" in runner.summary.value
    assert all(q.rationale.split()[0] in runner.summary.value for _, q in module.questions())
    assert runner.certificate_offered
    [certificate] = store.certificates(trainee="ann")
    assert certificate.shown_code in runner.summary.value  # the kernel's issue found the service's certificate
    stored = store.attempts(trainee="ann", module_id=MODULE)
    assert len(stored) == len(wire.replies)
    assert all(a.correct and a.mode == Mode.ASSESSMENT for a in stored)
    assert set(certificate.attempt_uids) == {a.attempt_uid for a in stored}


def test_a_harmful_decision_in_a_case_ends_it_and_the_summary_says_not_passed(
        desk: AssessmentDesk, store: ProgressStore, course: Course) -> None:
    module = _module(course)
    answers = {q.id: keyed_answer(q) for _, q in module.questions()}
    [case] = [i for i in module.items if isinstance(i, Case)]
    answers[case.steps[0].id] = wrong_answer(case.steps[0])
    runner, _ = _runner(desk, store, "bob")
    _answer_all(runner, answers)
    assert "Summary: Not passed" in runner.summary.value
    assert "harmed" in runner.summary.value
    assert store.certificates(trainee="bob") == []
    summary = desk.summary("bob", MODULE)["summary"]
    assert (summary["passed"], summary["critical_errors"]) == (False, [case.steps[0].id])


def test_the_released_sources_are_only_those_the_module_cites(desk: AssessmentDesk, course: Course) -> None:
    module = _module(course)
    while (state := desk.session("ann", MODULE).current_question()) is not None:
        desk.answer("ann", MODULE, {"question_id": state.question.id, "answer": keyed_answer(state.question)})
    released = desk.summary("ann", MODULE)
    cited = {s for _, q in module.questions() for s in q.sources}
    assert set(released["registry"]["facts"]) | set(released["registry"]["references"]) <= cited
    assert len(course.registry.facts) > len(released["registry"]["facts"])


def test_a_finished_assessment_opened_again_shows_its_summary_at_once(
        desk: AssessmentDesk, store: ProgressStore, course: Course) -> None:
    first, _ = _runner(desk, store)
    _answer_all(first, {q.id: keyed_answer(q) for _, q in _module(course).questions()})
    again, wire = _runner(desk, store)
    assert "Summary: Passed" in again.summary.value
    assert again.current_view is None
    assert wire.replies == []
    assert len(store.certificates(trainee="ann")) == 1


def test_an_answered_question_shown_again_holds_the_trainees_answer_and_only_says_recorded(
        desk: AssessmentDesk, store: ProgressStore, course: Course) -> None:
    assert _module(course).items[0].id == "ori-layer"
    desk.answer("ann", MODULE, {"question_id": "ori-layer", "answer": "muscle"})
    runner, _ = _runner(desk, store)
    assert runner.session.position == 1  # the first unanswered item
    runner.previous()
    view = runner.item_view
    assert view is not None
    assert view.answer() == "muscle"
    assert "Answer recorded" in view.feedback.value
    assert runner.current_view is None
