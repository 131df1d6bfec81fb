"""The records service keeps the cohort in the store its ``--db`` names: an SQLite file works as PostgreSQL does."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from meso_training.model import Course
from meso_training.storage import open_store
from meso_training.storage.hub_store import HubRecordsStore

from .answers import answered
from .conftest import ARTIFACTS
from .hub_server import Hub, running_hub


@pytest.fixture(scope="module")
def sqlite_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, Path]]:
    db = tmp_path_factory.mktemp("cohort") / "cohort.sqlite3"
    folder = ARTIFACTS / f"sqlite-{tmp_path_factory.getbasetemp().name}"
    with running_hub(folder, str(db)) as hub:
        yield hub, db


def test_a_hub_whose_cohort_is_an_sqlite_file_records_regraded_answers_in_it(sqlite_hub: tuple[Hub, Path],
                                                                            course: Course) -> None:
    hub, db = sqlite_hub
    store = HubRecordsStore(hub.service_url, token=hub.token_for("trainee-a"))
    wrong = answered(course, "trainee-a", right=False)
    forged = dataclasses.replace(wrong, score=1.0, points=wrong.max_points, correct=True)

    store.record(forged)

    assert [a.score for a in store.attempts()] == [wrong.score]
    with open_store(db) as file:
        assert [(a.attempt_uid, a.score) for a in file.attempts()] == [(forged.attempt_uid, wrong.score)]
