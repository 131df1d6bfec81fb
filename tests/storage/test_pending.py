"""Answers kept in memory while the store cannot take them: a refusal for good sinks no other answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from attempt_factory import make_attempt

from meso_training.errors import StoreRefusedError, StoreUnreachableError
from meso_training.model import Attempt
from meso_training.storage import PendingAttempts
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.recorder import AttemptRecorder


class RefusingStore(SQLiteProgressStore):
    """A real SQLite store behind a gate that refuses some answers for good, or is down for a while."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.refuse: set[str] = set()
        self.down = False

    def record_many(self, attempts: object) -> int:
        batch: list[Attempt] = list(attempts)  # type: ignore[call-overload]
        if self.down:
            raise StoreUnreachableError("http://records.example/", "the service is restarting")
        if any(a.attempt_uid in self.refuse for a in batch):
            raise StoreRefusedError("http://records.example/", 409, "this question changed since it was shown")
        return super().record_many(batch)


@pytest.fixture
def store(tmp_path: Path) -> RefusingStore:
    return RefusingStore(tmp_path / "progress.sqlite3")


def test_a_refused_answer_is_set_aside_and_the_answers_after_it_are_saved(store: RefusingStore) -> None:
    pending = PendingAttempts()
    refused, later = make_attempt(attempt_uid="refused"), make_attempt(attempt_uid="later")
    store.refuse.add("refused")
    with pytest.raises(StoreRefusedError):
        pending.save(store, refused)
    pending.save(store, later)  # not sunk by the refused one
    assert [a.attempt_uid for a in store.attempts()] == ["later"]
    assert [a.attempt_uid for a in pending.refused()] == ["refused"]
    assert (len(pending), pending.kept) == (0, 1)


def test_a_refusal_in_a_batch_saves_the_others_and_keeps_the_refused_one(store: RefusingStore) -> None:
    pending = PendingAttempts()
    first, bad, last = (make_attempt(attempt_uid=uid) for uid in ("first", "bad", "last"))
    store.down = True
    for attempt in (first, bad):
        with pytest.raises(StoreUnreachableError):
            pending.save(store, attempt)
    assert len(pending) == 2  # the service is down: both wait
    store.down = False
    store.refuse.add("bad")
    with pytest.raises(StoreRefusedError):
        pending.save(store, last)
    assert sorted(a.attempt_uid for a in store.attempts()) == ["first", "last"]
    assert [a.attempt_uid for a in pending.refused()] == ["bad"]
    assert len(pending) == 0


def test_the_trainee_is_told_of_a_refusal_and_the_next_answer_saves_again(store: RefusingStore) -> None:
    recorder = AttemptRecorder(store)
    store.refuse.add("refused")
    message = recorder.record(make_attempt(attempt_uid="refused"))
    assert message is not None
    assert "this question changed since it was shown" in message
    assert "1 answer is kept in memory" in message
    assert not recorder.can_retry
    assert recorder.record(make_attempt(attempt_uid="next")) is None
    assert recorder.can_retry
    assert [a.attempt_uid for a in store.attempts()] == ["next"]
