"""What every ``ProgressStore`` promises, proved on each backend: a SQLite file and a real PostgreSQL server.

Backend-specific faults stay with their backend: SQLite's killed writers, moved files and
many processes in tests/test_store.py and tests/test_store_faults.py; PostgreSQL's
migrations, restarts and unreachable servers in test_postgres_store.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import uuid
from collections.abc import Iterator

import pytest
from attempt_factory import T0, make_attempt
from attempt_strategies import attempts
from hypothesis import given, settings
from store_backends import Backend

from meso_training.errors import StoreError
from meso_training.model import Attempt
from meso_training.storage import PendingAttempts, ProgressStore
from meso_training.storage.certificates import Certificate, new_code

ISSUED = dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)


def certificate(uids: tuple[str, ...], **changes: object) -> Certificate:
    c = Certificate(new_code(), "Ann", "Mesotherapy in aesthetic practice", "suitability", "Patient suitability",
                    "2026.11", 0.85, 17.0, 20.0, 0.8, ISSUED, uids)
    return dataclasses.replace(c, **changes)  # type: ignore[arg-type]


def test_every_backend_is_a_progress_store(any_store: ProgressStore) -> None:
    assert isinstance(any_store, ProgressStore)


def test_filters_and_order(any_store: ProgressStore) -> None:
    late = make_attempt(trainee="Ann", module_id="m2", submitted_at=T0 + dt.timedelta(hours=2))
    # 10:00 UTC, between the two others, but written as 13:00 in another time zone.
    early = make_attempt(
        trainee="Bob",
        module_id="m2",
        submitted_at=dt.datetime(2025, 3, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
    )
    first = make_attempt(trainee="Ann", module_id="m1", submitted_at=T0)
    same_time = make_attempt(trainee="Ann", module_id="m1", submitted_at=T0)
    any_store.record_many([late, early, first, same_time])

    assert any_store.attempts() == [first, same_time, early, late]
    assert any_store.attempts(trainee="Ann") == [first, same_time, late]
    assert any_store.attempts(module_id="m2") == [early, late]
    assert any_store.attempts(trainee="Ann", module_id="m2") == [late]
    assert any_store.attempts(trainee="Nobody") == []
    assert any_store.trainees() == ["Ann", "Bob"]


def test_trainees_sort_by_code_point_whatever_the_locale(any_store: ProgressStore) -> None:
    names = ["zoë", "Zoe", "Ánh", "anh", "Ann", "Ann\x00x", "Ann\x01", "李"]
    any_store.record_many([make_attempt(trainee=name) for name in names])
    assert any_store.trainees() == sorted(names)
    assert [a.trainee for a in any_store.attempts(trainee="Ann\x00x")] == ["Ann\x00x"]


def test_record_is_idempotent_by_attempt_uid(any_store: ProgressStore) -> None:
    a = make_attempt()
    any_store.record(a)
    any_store.record(a)
    # The first write wins: a retry carrying different data does not overwrite it.
    any_store.record(make_attempt(attempt_uid=a.attempt_uid, score=1.0))
    assert any_store.attempts() == [a]


def test_record_many_counts_only_new_rows(any_store: ProgressStore) -> None:
    batch = [make_attempt() for _ in range(3)]
    assert any_store.record_many(batch) == 3
    assert any_store.record_many(batch) == 0
    assert any_store.record_many([*batch, make_attempt(), make_attempt()]) == 2
    assert any_store.record_many(iter([])) == 0
    repeated = make_attempt()
    assert any_store.record_many([repeated, repeated]) == 1
    assert len(any_store.attempts()) == 6


def test_record_many_keeps_all_or_nothing(any_store: ProgressStore) -> None:
    kept = make_attempt()
    any_store.record(kept)

    def interrupted() -> Iterator[Attempt]:
        yield make_attempt()
        yield make_attempt()
        msg = "the import file ended mid-row"
        raise ValueError(msg)

    with pytest.raises(ValueError, match="ended mid-row"):
        any_store.record_many(interrupted())
    assert any_store.attempts() == [kept]
    assert any_store.record_many(make_attempt() for _ in range(2500)) == 2500  # more than one statement's worth
    assert len(any_store.attempts()) == 2501


def test_settings(any_store: ProgressStore) -> None:
    assert any_store.get_setting("trainee") is None
    any_store.set_setting("trainee", "Ann")
    any_store.set_setting("trainee", "Anne-Marie")
    any_store.set_setting("theme", "dark")
    assert any_store.get_setting("trainee") == "Anne-Marie"
    assert any_store.get_setting("theme") == "dark"


def test_data_outlives_the_store_object(backend: Backend) -> None:
    a = make_attempt()
    with backend.new() as first:
        first.record(a)
        first.set_setting("trainee", "Ann")
        issued = first.issue_certificate(certificate((a.attempt_uid,)))
    with backend.reopen(first) as again:
        assert again.exists()
        assert again.attempts() == [a]
        assert again.get_setting("trainee") == "Ann"
        assert again.certificate(issued.code) == issued


def test_closed_store_refuses_work(any_store: ProgressStore) -> None:
    any_store.record(make_attempt())
    any_store.close()
    any_store.close()  # idempotent
    with pytest.raises(StoreError, match=re.escape(f"The progress store for {any_store.location} was closed.")):
        any_store.attempts()
    with pytest.raises(StoreError, match="was closed"):
        any_store.record(make_attempt())


def test_one_store_shared_by_threads(any_store: ProgressStore) -> None:
    def work(name: str) -> None:
        for i in range(50):
            any_store.record(make_attempt(trainee=name, item_id=str(i)))

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(any_store.attempts()) == 200
    assert any_store.trainees() == ["t0", "t1", "t2", "t3"]


def test_pending_attempts_write_through_when_the_store_works(any_store: ProgressStore) -> None:
    pending = PendingAttempts()
    a = make_attempt()
    pending.save(any_store, a)
    pending.save(any_store, a)  # a double click stores one row
    assert len(pending) == 0
    assert pending.retry(any_store) == 0
    assert any_store.attempts() == [a]


def test_nothing_is_set_aside_in_a_healthy_store(any_store: ProgressStore) -> None:
    any_store.record(make_attempt())
    assert any_store.attempts() != []
    assert any_store.set_aside_count() == 0
    assert any_store.startup_notice is None


def test_issuing_again_for_the_same_attempts_gives_back_the_first_certificate(any_store: ProgressStore) -> None:
    uids = (uuid.uuid4().hex, uuid.uuid4().hex)
    first = any_store.issue_certificate(certificate(uids))
    again = any_store.issue_certificate(certificate(tuple(reversed(uids)), issued_at=ISSUED + dt.timedelta(days=1)))
    assert again == first
    assert any_store.certificates() == [first]


def test_another_pass_or_another_trainee_gets_its_own_code(any_store: ProgressStore) -> None:
    uids = (uuid.uuid4().hex,)
    ann = any_store.issue_certificate(certificate(uids))
    retake = any_store.issue_certificate(certificate((*uids, uuid.uuid4().hex), issued_at=ISSUED + dt.timedelta(1)))
    bob = any_store.issue_certificate(certificate(uids, trainee="Bob", issued_at=ISSUED + dt.timedelta(2)))
    assert len({ann.code, retake.code, bob.code}) == 3
    assert any_store.certificates() == [ann, retake, bob]
    assert any_store.certificates(trainee="Ann") == [ann, retake]
    assert any_store.certificates(trainee="Nobody") == []


def test_a_code_already_taken_is_drawn_again(any_store: ProgressStore) -> None:
    taken = any_store.issue_certificate(certificate((uuid.uuid4().hex,)))
    second = any_store.issue_certificate(certificate((uuid.uuid4().hex,), code=taken.code))
    assert second.code != taken.code
    assert any_store.certificate(second.code) == second


def test_a_certificate_is_found_by_its_code_and_an_unknown_code_finds_nothing(any_store: ProgressStore) -> None:
    issued = any_store.issue_certificate(certificate(tuple(uuid.uuid4().hex for _ in range(200))))  # a long module
    assert any_store.certificate(issued.code) == issued
    assert any_store.certificate(new_code()) is None


def test_database_round_trip(backend: Backend) -> None:
    """Any valid attempt comes back equal; a new server database costs more than a file, so fewer examples there."""

    # No deadline: each example is an fsynced write, and its time is the disk's, not ours.
    @settings(max_examples=60 if backend.name == "sqlite" else 20, deadline=None)
    @given(attempt=attempts)
    def round_trip(attempt: Attempt) -> None:
        with backend.new() as store:
            store.record(attempt)
            assert store.attempts() == [attempt]
            assert store.trainees() == [attempt.trainee]

    round_trip()
