"""The records service's API through a real hub: who may read and write what, and what the service stores."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import secrets

import pytest
from cohort_factory import play

from meso_training.errors import StoreRefusedError
from meso_training.model import Course, Mode
from meso_training.records_service.validation import MAX_BODY_BYTES
from meso_training.storage import open_store
from meso_training.storage.certificates import Certificate, new_code
from meso_training.storage.hub_store import HubRecordsStore
from meso_training.storage.hub_wire import ATTEMPTS, COHORT_ATTEMPTS
from meso_training.storage.interface import ProgressStore

from .answers import answered
from .hub_server import INSTRUCTOR, Hub


@pytest.fixture(scope="module")
def tokens(hub: Hub) -> dict[str, str]:
    return {name: hub.token_for(name) for name in ("trainee-a", "trainee-b", INSTRUCTOR)}


def _store(hub: Hub, token: str) -> HubRecordsStore:
    store = open_store(hub.service_url)
    assert isinstance(store, HubRecordsStore)  # open_store chose the hub store for the service's URL
    return HubRecordsStore(hub.service_url, token=token)


def test_a_trainee_records_and_reads_back_their_own_attempts(hub: Hub, tokens: dict[str, str], course: Course,
                                                             cohort: ProgressStore) -> None:
    store = _store(hub, tokens["trainee-a"])
    first, second = answered(course, "trainee-a", index=0), answered(course, "trainee-a", index=1, right=False)

    assert store.record_many([first, second]) == 2
    assert store.record_many([first]) == 0  # the same attempt sent again is kept once

    mine = {a.attempt_uid: a for a in store.attempts(module_id=first.module_id)}
    assert mine[first.attempt_uid] == first
    assert mine[second.attempt_uid] == second
    assert {a.trainee for a in store.attempts()} == {"trainee-a"}
    kept = [a for a in cohort.attempts(trainee="trainee-a") if a.attempt_uid in {first.attempt_uid,
                                                                                second.attempt_uid}]
    assert sorted(a.attempt_uid for a in kept) == sorted([first.attempt_uid, second.attempt_uid])


def test_a_trainee_cannot_write_another_trainees_attempts(hub: Hub, tokens: dict[str, str], course: Course,
                                                          cohort: ProgressStore) -> None:
    forged = answered(course, "trainee-b")
    status, reply = hub.request("POST", hub.service_url + ATTEMPTS, token=tokens["trainee-a"],
                                body={"attempts": [forged.to_dict()]})

    assert status == 403
    assert reply == {"error": "trainee-a may record only their own answers, not those of trainee-b"}
    assert forged.attempt_uid not in {a.attempt_uid for a in cohort.attempts()}


def test_a_trainee_cannot_read_another_trainees_attempts_nor_the_cohort(hub: Hub, tokens: dict[str, str],
                                                                       course: Course) -> None:
    HubRecordsStore(hub.service_url, token=tokens["trainee-b"]).record(answered(course, "trainee-b"))
    a_token = tokens["trainee-a"]

    status, reply = hub.request("GET", hub.service_url + ATTEMPTS + "?trainee=trainee-b", token=a_token)
    assert (status, reply) == (403, {"error": "trainee-a may read only their own records, not those of trainee-b"})
    status, reply = hub.request("GET", hub.service_url + COHORT_ATTEMPTS, token=a_token)
    assert status == 403
    assert "custom:meso-training:cohort:read" in reply["error"]
    with pytest.raises(StoreRefusedError, match="may read only their own records") as refused:
        HubRecordsStore(hub.service_url, token=a_token).attempts(trainee="trainee-b")
    assert refused.value.status == 403
    assert not refused.value.retryable  # asking again will not help: the UI offers no retry
    assert HubRecordsStore(hub.service_url, token=a_token).trainees() in (["trainee-a"], [])


def test_the_instructor_reads_the_whole_cohort(hub: Hub, tokens: dict[str, str], course: Course) -> None:
    a, b = answered(course, "trainee-a"), answered(course, "trainee-b")
    HubRecordsStore(hub.service_url, token=tokens["trainee-a"]).record(a)
    HubRecordsStore(hub.service_url, token=tokens["trainee-b"]).record(b)

    status, reply = hub.request("GET", hub.service_url + COHORT_ATTEMPTS, token=tokens[INSTRUCTOR])
    assert status == 200
    assert {a.attempt_uid, b.attempt_uid} <= {item["attempt_uid"] for item in reply["attempts"]}
    instructor = HubRecordsStore(hub.service_url, token=tokens[INSTRUCTOR])
    assert {"trainee-a", "trainee-b"} <= set(instructor.trainees())
    assert b.attempt_uid in {x.attempt_uid for x in instructor.attempts(trainee="trainee-b")}
    assert {a.attempt_uid, b.attempt_uid} <= {x.attempt_uid for x in instructor.attempts()}  # all they may read


def test_a_forged_score_is_stored_with_the_services_grade(hub: Hub, tokens: dict[str, str], course: Course,
                                                          cohort: ProgressStore) -> None:
    wrong = answered(course, "trainee-a", index=2, right=False)
    assert wrong.score < 1
    forged = dataclasses.replace(wrong, score=1.0, points=wrong.max_points, correct=True)

    HubRecordsStore(hub.service_url, token=tokens["trainee-a"]).record(forged)

    stored = next(a for a in cohort.attempts(trainee="trainee-a") if a.attempt_uid == forged.attempt_uid)
    assert (stored.score, stored.points, stored.correct) == (wrong.score, wrong.points, wrong.correct)
    assert stored.answer == forged.answer


def test_an_unknown_question_is_refused_with_a_plain_message(hub: Hub, tokens: dict[str, str],
                                                             course: Course) -> None:
    unknown = answered(course, "trainee-a", question_id="no-such-question")

    with pytest.raises(StoreRefusedError) as refused:
        HubRecordsStore(hub.service_url, token=tokens["trainee-a"]).record(unknown)

    assert refused.value.status == 400
    assert refused.value.reason == (
        f"attempt 1: question 'no-such-question' is not in item {unknown.item_id!r}; ask your course team whether "
        "the notebook and the records service use the same course")


def test_a_malformed_attempt_is_refused_naming_the_problem(hub: Hub, tokens: dict[str, str], course: Course) -> None:
    bad = {**answered(course, "trainee-a").to_dict(), "score": "full marks"}

    status, reply = hub.request("POST", hub.service_url + ATTEMPTS, token=tokens["trainee-a"],
                                body={"attempts": [bad]})

    assert status == 400
    assert re.fullmatch(r"attempt 1 \(question '[\w-]+'\): attempt not valid: score must be a finite number, "
                        r"got 'full marks'", reply["error"])


def test_an_oversized_request_is_refused_before_anything_is_stored(hub: Hub, tokens: dict[str, str]) -> None:
    body = b'{"attempts": [' + b" " * (MAX_BODY_BYTES + 1) + b"]}"

    status, reply = hub.request("POST", hub.service_url + ATTEMPTS, token=tokens["trainee-a"], raw=body)

    assert status == 413
    assert reply == {"error": f"the request is larger than {MAX_BODY_BYTES:,} bytes; send fewer answers at a time"}


def test_a_request_without_a_valid_token_is_refused(hub: Hub, course: Course) -> None:
    with pytest.raises(StoreRefusedError, match="JupyterHub did not accept this request's token") as refused:
        HubRecordsStore(hub.service_url, token=secrets.token_hex(16)).record(answered(course, "trainee-a"))
    assert refused.value.status == 403


def test_settings_are_kept_per_user(hub: Hub, tokens: dict[str, str]) -> None:
    a = HubRecordsStore(hub.service_url, token=tokens["trainee-a"])
    b = HubRecordsStore(hub.service_url, token=tokens["trainee-b"])

    a.set_setting("theme", "dark")

    assert a.get_setting("theme") == "dark"
    assert b.get_setting("theme") is None


def test_a_certificate_is_issued_once_and_read_only_by_its_trainee_and_the_instructor(
        hub: Hub, tokens: dict[str, str], course: Course, cohort: ProgressStore) -> None:
    a = HubRecordsStore(hub.service_url, token=tokens["trainee-a"])
    module = course.modules[2]  # no other test takes this module's assessment
    passed = play(course, module.id, "trainee-a", 1.0, random.Random(2))  # every answer right, through the engine
    cohort.record_many(passed)  # as the assessment's own routes store them
    certificate = Certificate(code=new_code(), trainee="trainee-a", course_title="Mesotherapy",
                              module_id=module.id, module_title=module.title, content_version=module.version,
                              score=1.0, points=1.0, max_points=1.0, pass_mark=0.8,
                              issued_at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC),
                              attempt_uids=tuple(x.attempt_uid for x in passed))

    issued = a.issue_certificate(certificate)
    again = a.issue_certificate(dataclasses.replace(certificate, code=new_code()))

    assert issued == certificate
    assert again.code == certificate.code  # the same pass keeps its one code
    assert a.certificate(certificate.code) == certificate
    assert certificate in a.certificates()
    assert HubRecordsStore(hub.service_url, token=tokens["trainee-b"]).certificate(certificate.code) is None
    assert HubRecordsStore(hub.service_url, token=tokens[INSTRUCTOR]).certificate(certificate.code) == certificate


def test_a_certificate_for_answers_the_service_does_not_have_is_refused(hub: Hub, tokens: dict[str, str],
                                                                       course: Course) -> None:
    certificate = Certificate(code=new_code(), trainee="trainee-a", course_title="Mesotherapy",
                              module_id="foundations", module_title="Foundations",
                              content_version=course.module("foundations").version,
                              score=1.0, points=1.0, max_points=1.0, pass_mark=0.8,
                              issued_at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC), attempt_uids=("never-sent",))

    with pytest.raises(StoreRefusedError, match="rests on 1 answer") as refused:
        HubRecordsStore(hub.service_url, token=tokens["trainee-a"]).issue_certificate(certificate)
    assert refused.value.status == 400


def test_a_trainee_reads_back_no_grade_of_an_assessment_under_way_and_the_instructor_sees_them(
        hub: Hub, tokens: dict[str, str], course: Course, cohort: ProgressStore) -> None:
    a = HubRecordsStore(hub.service_url, token=tokens["trainee-a"])
    module = course.modules[3]  # no other test takes this module's assessment
    sitting = play(course, module.id, "trainee-a", 1.0, random.Random(5))
    cohort.record_many(sitting[:2])  # as the assessment's own routes store them
    assert [x for x in a.attempts(module_id=module.id) if x.mode == Mode.ASSESSMENT] == []
    instructor = HubRecordsStore(hub.service_url, token=tokens[INSTRUCTOR])
    seen = {x.attempt_uid for x in instructor.attempts(trainee="trainee-a", module_id=module.id)}
    assert {x.attempt_uid for x in sitting[:2]} <= seen
    cohort.record_many(sitting[2:])  # the sitting finished: every answer, with its grade, is readable
    mine = {x.attempt_uid: x for x in a.attempts(module_id=module.id) if x.mode == Mode.ASSESSMENT}
    assert set(mine) == {x.attempt_uid for x in sitting}
    assert all(x.score == 1.0 for x in mine.values())


def test_assessment_answers_posted_to_the_attempts_route_are_refused(hub: Hub, tokens: dict[str, str],
                                                                     course: Course) -> None:
    a = HubRecordsStore(hub.service_url, token=tokens["trainee-a"])
    early = dataclasses.replace(answered(course, "trainee-a"), mode=Mode.ASSESSMENT,
                                submitted_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))  # a backdated "first" answer
    with pytest.raises(StoreRefusedError) as refused:
        a.record(early)
    assert refused.value.status == 409
    assert "recorded by the assessment itself" in str(refused.value)
