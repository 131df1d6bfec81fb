"""The records service's own grade, never the client's, and the certificates it will stand behind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

import pytest
from attempt_factory import make_attempt
from cohort_factory import play
from hub.answers import answered

from meso_training.errors import RecordsRequestError
from meso_training.model import Attempt, Course
from meso_training.records_service.grading_check import ServerGrading
from meso_training.storage.certificates import Certificate, new_code


def _refusal(call: Any, *args: object) -> RecordsRequestError:
    with pytest.raises(RecordsRequestError) as refused:
        call(*args)
    return refused.value


def test_the_service_stores_its_own_grade_not_the_clients(course: Course) -> None:
    wrong = answered(course, "Ann", right=False)
    forged = dataclasses.replace(wrong, score=1.0, points=wrong.max_points, correct=True)
    [graded] = ServerGrading(course).graded([forged])
    assert (graded.score, graded.points, graded.correct) == (wrong.score, wrong.points, wrong.correct)


def test_an_attempt_at_a_question_not_in_the_course_is_refused_with_400(course: Course) -> None:
    refused = _refusal(ServerGrading(course).graded, [make_attempt(module_id="no-such-module")])
    assert refused.status == 400
    assert str(refused).startswith("attempt 1: module 'no-such-module' is not in this course; ")


def test_an_attempt_at_an_older_version_of_a_question_is_refused_with_409(course: Course) -> None:
    old = answered(course, "Ann", content_hash="an-older-version")
    refused = _refusal(ServerGrading(course).graded, [old])
    assert refused.status == 409
    assert "reload the notebook" in str(refused)


def _assessment(course: Course, ability: float) -> list[Attempt]:
    """Ann's assessment of the module, played through the engine: every answer right (1.0) or wrong (0.0)."""
    return play(course, course.modules[1].id, "Ann", ability, random.Random(3))


def _certificate(course: Course, attempts: list[Attempt], **changes: object) -> Certificate:
    module = course.modules[1]
    values: dict[str, Any] = {
        "code": new_code(), "trainee": "Ann", "course_title": "Mesotherapy", "module_id": module.id,
        "module_title": module.title, "content_version": module.version, "score": 1.0, "points": 1.0,
        "max_points": 1.0, "pass_mark": 0.8, "issued_at": dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        "attempt_uids": tuple(a.attempt_uid for a in attempts),
    }
    values.update(changes)
    return Certificate(**values)


def test_a_certificate_the_trainees_stored_answers_earn_is_accepted(course: Course) -> None:
    passed = _assessment(course, 1.0)
    ServerGrading(course).certificate_refusal(_certificate(course, passed), passed)


@pytest.mark.parametrize(("changes", "status", "start"), [
    ({"module_id": "no-such-module"}, 400, "module 'no-such-module' is not in this course"),
    ({"content_version": "an-old-one"}, 409, "the certificate is for version 'an-old-one' of module"),
    ({"attempt_uids": ("u9",)}, 400, "the certificate rests on 1 answer(s) the records service does not have"),
    ({"score": 0.5}, 400, "the certificate says 50.0% but your stored answers score 100.0%"),
])
def test_a_certificate_the_service_cannot_stand_behind_is_refused(course: Course, changes: dict[str, object],
                                                                  status: int, start: str) -> None:
    passed = _assessment(course, 1.0)
    refused = _refusal(ServerGrading(course).certificate_refusal, _certificate(course, passed, **changes), passed)
    assert refused.status == status
    assert str(refused).startswith(start)


def test_a_certificate_claimed_for_a_failed_assessment_is_refused(course: Course) -> None:
    failed = _assessment(course, 0.0)
    refused = _refusal(ServerGrading(course).certificate_refusal, _certificate(course, failed), failed)
    assert refused.status == 409
    assert "do not pass module" in str(refused)
    assert "no certificate is issued" in str(refused)


def test_an_assessment_under_way_is_read_back_without_its_grades_until_it_is_finished(course: Course) -> None:
    grading = ServerGrading(course)
    finished = _assessment(course, 1.0)
    sitting = play(course, course.modules[2].id, "Ann", 1.0, random.Random(4))
    practice = [answered(course, "Ann")]
    assert grading.released([*finished, *sitting[:2], *practice]) == [*finished, *practice]
    assert grading.released(sitting) == sitting  # the same sitting, finished: all of it
