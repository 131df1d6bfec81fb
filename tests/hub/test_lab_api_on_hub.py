"""The JupyterLab extension's course API on a hub: a trainee's own server reads their progress through the service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meso_training.authoring.loader import load_course
from meso_training.model import Course
from meso_training.reports.module_status import module_status
from meso_training.storage.hub_store import HubRecordsStore
from meso_training.storage.interface import ProgressStore

from .answers import answered
from .hub_server import QUIZZES, Hub

USER = "trainee-lab"  # a user of this test's own, so no other test's answers or server meet it


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course([QUIZZES])


@pytest.fixture(scope="module")
def server(hub: Hub) -> Iterator[str]:
    hub.api("POST", "users", {"usernames": [USER]})
    url = hub.start_server(USER)
    try:
        yield url
    finally:
        hub.stop_server(USER)


def test_the_panels_progress_on_a_hub_is_the_trainees_own_read_through_the_records_service(
        hub: Hub, server: str, course: Course, cohort: ProgressStore) -> None:
    token = hub.token_for(USER)
    module = course.modules[1]
    with HubRecordsStore(hub.service_url, token=token) as mine:  # what the trainee's kernel does
        mine.record_many([answered(course, USER, index=i) for i in range(2)])
    cohort.record(answered(course, "someone-else", index=0))  # another trainee's answer, in the same database

    status, body = hub.request("GET", server + "meso-training/api/progress", token=token)
    assert status == 200, body
    assert body["trainee"] == USER
    shown = next(m for m in body["modules"] if m["id"] == module.id)
    expected = module_status(module, cohort.attempts(trainee=USER))
    assert shown["practice"]["answered"] == expected.practice.answered == 2
    assert shown["practice"]["mastery"] == pytest.approx(expected.practice.mastery)

    status, _ = hub.request("GET", server + "meso-training/api/progress", token=hub.token_for("trainee-b"))
    assert status == 403  # another trainee cannot read this server's API
