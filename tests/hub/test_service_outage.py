"""Answers survive the records service or PostgreSQL going away: kept in the kernel, saved once when it is back."""

from __future__ import annotations

import os
import signal
import time

import pytest
from postgres_server import PostgresServer

from meso_training.errors import StoreUnreachableError
from meso_training.model import Course
from meso_training.storage import PendingAttempts
from meso_training.storage.hub_store import HubRecordsStore
from meso_training.storage.interface import ProgressStore

from .answers import answered
from .hub_server import Hub

_TRIES = 40


def _uids_of(store: ProgressStore, trainee: str) -> list[str]:
    return [a.attempt_uid for a in store.attempts(trainee=trainee)]


def test_answers_given_while_the_service_is_down_are_saved_once_when_the_hub_restarts_it(
        hub: Hub, course: Course, cohort: ProgressStore) -> None:
    store = HubRecordsStore(hub.service_url, token=hub.token_for("trainee-b"))
    pending = PendingAttempts()
    before = [answered(course, "trainee-b", index=i) for i in range(2)]
    during = [answered(course, "trainee-b", index=i, right=False) for i in range(2, 5)]
    for attempt in before:
        pending.save(store, attempt)

    old_pid = hub.wait_for_service()
    os.kill(old_pid, signal.SIGKILL)
    for attempt in during:
        with pytest.raises(StoreUnreachableError) as down:
            pending.save(store, attempt)
        assert down.value.retryable
    assert [a.attempt_uid for a in pending.attempts()] == [a.attempt_uid for a in during]

    assert hub.wait_for_service(not_pid=old_pid) != old_pid  # the hub started the service again
    assert pending.retry(store) == 3

    assert len(pending) == 0
    stored = _uids_of(cohort, "trainee-b")
    for attempt in before + during:
        assert stored.count(attempt.attempt_uid) == 1  # none lost, none twice


def test_postgres_restarted_mid_run_loses_nothing_acknowledged(hub: Hub, course: Course, cohort: ProgressStore,
                                                               postgres_server: PostgresServer) -> None:
    store = HubRecordsStore(hub.service_url, token=hub.token_for("trainee-a"))
    pending = PendingAttempts()
    acknowledged = []
    for index in range(3):
        attempt = answered(course, "trainee-a", index=index)
        pending.save(store, attempt)
        acknowledged.append(attempt)

    postgres_server.restart("immediate")  # as a crash would: no checkpoint
    after = answered(course, "trainee-a", index=3)
    pending.add(after)
    for _ in range(_TRIES):  # the service's pool may reconnect at once, or answer 503 while it does
        try:
            pending.retry(store)
            break
        except StoreUnreachableError:
            time.sleep(0.25)

    assert len(pending) == 0
    stored = _uids_of(cohort, "trainee-a")
    for attempt in [*acknowledged, after]:
        assert stored.count(attempt.attempt_uid) == 1
