"""The progress store on real SQLite files: round trips, filters, idempotency, settings,
many writer processes at once, and a writer killed mid-stream.

Faults (read-only, full, locked, corrupt, old and new schemas) are in test_store_faults.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from attempt_factory import T0, make_attempt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meso_training.errors import AttemptError, StoreError
from meso_training.model import Attempt
from meso_training.model.attempt import ATTEMPT_FIELDS
from meso_training.storage import PendingAttempts, default_db_path
from meso_training.storage.sqlite_store import SQLiteProgressStore

ROOT = Path(__file__).resolve().parents[1]



def start_python(code: str, *args: str) -> subprocess.Popen[str]:
    """Our interpreter in a child process, importing meso_training from this checkout."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# The attempt every child process writes; mirrors attempt_factory.make_attempt.
CHILD_PRELUDE = """
import datetime as dt, sys, uuid
from meso_training.errors import StoreError
from meso_training.model import Attempt
from meso_training.storage.sqlite_store import SQLiteProgressStore

def attempt(trainee, i):
    now = dt.datetime.now(dt.UTC)
    return Attempt(trainee=trainee, module_id="m", item_id=f"item-{i}", question_id="q",
                   content_hash="h", answer={"choice": i}, score=1.0, points=1.0,
                   max_points=1.0, correct=True, critical=False, mode="assessment", seed=i,
                   shown_at=now, submitted_at=now, attempt_uid=uuid.uuid4().hex)
"""


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with SQLiteProgressStore(tmp_path / "data" / "progress.sqlite3") as s:
        yield s


# --- the Attempt record -------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
names = st.text(min_size=1, max_size=30).filter(str.strip)
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.builds(
        dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23))
    ),
)
attempts = st.builds(
    Attempt,
    trainee=names,
    module_id=names,
    item_id=names,
    question_id=names,
    content_hash=names,
    answer=json_values,
    score=st.floats(min_value=0, max_value=1),
    points=st.floats(min_value=0, max_value=100),
    max_points=st.floats(min_value=0, max_value=100),
    correct=st.booleans(),
    critical=st.booleans(),
    mode=st.sampled_from(["practice", "assessment"]),
    seed=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    shown_at=moments,
    submitted_at=moments,
    attempt_uid=st.uuids().map(lambda u: u.hex),
)


def test_the_stored_form_has_every_attempt_field_in_order() -> None:
    assert tuple(f.name for f in dataclasses.fields(Attempt)) == ATTEMPT_FIELDS
    assert tuple(make_attempt().to_dict()) == ATTEMPT_FIELDS


@given(attempts)
def test_to_dict_from_dict_round_trip(attempt: Attempt) -> None:
    data = attempt.to_dict()
    assert json.loads(json.dumps(data)) == data  # JSON-ready as promised
    assert Attempt.from_dict(data) == attempt


# No deadline: each example is an fsynced write, and its time is the disk's, not ours.
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(attempt=attempts)
def test_database_round_trip(tmp_path: Path, attempt: Attempt) -> None:
    with SQLiteProgressStore(tmp_path / f"{uuid.uuid4().hex}.sqlite3") as s:
        s.record(attempt)
        assert s.attempts() == [attempt]


def test_datetimes_are_normalised_to_utc() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    a = make_attempt(shown_at=dt.datetime(2025, 3, 1, 10, 0, tzinfo=paris))
    assert a.shown_at == T0
    assert a.shown_at.tzinfo == dt.UTC
    assert a.to_dict()["shown_at"] == "2025-03-01T09:00:00.000000+00:00"


def test_answer_is_normalised_through_json() -> None:
    a = make_attempt(answer=("a", {1: "x"}))
    assert a.answer == ["a", {"1": "x"}]


def test_invalid_attempt_reports_every_problem() -> None:
    with pytest.raises(AttemptError) as info:
        make_attempt(trainee=" ", score=1.5, mode="exam", seed=2**64, shown_at=dt.datetime(2025, 1, 1), answer={1, 2})
    assert len(info.value.problems) == 6
    assert "trainee must be a non-empty string" in str(info.value)
    assert "score must be between 0 and 1, got 1.5" in str(info.value)
    assert "mode must be one of practice, assessment, got 'exam'" in str(info.value)


def test_from_dict_reports_missing_unknown_and_bad_keys() -> None:
    data = make_attempt().to_dict()
    del data["seed"]
    data["colour"] = "red"
    data["shown_at"] = "yesterday"
    with pytest.raises(AttemptError, match=re.escape("missing key 'seed'; unknown key 'colour'; shown_at is not")):
        Attempt.from_dict(data)


# --- reading and writing -------------------------------------------------------------


def test_creates_parent_folders_and_reports_its_path(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "progress.sqlite3"
    with SQLiteProgressStore(path) as s:
        assert s.path == path
        assert not path.exists()  # opens lazily
        s.open()
        assert path.exists()
        assert s.recovered_from is None
        assert s.notice is None
        assert s.backup_path is None


def test_filters_and_order(store: SQLiteProgressStore) -> None:
    late = make_attempt(trainee="Ann", module_id="m2", submitted_at=T0 + dt.timedelta(hours=2))
    # 10:00 UTC, between the two others, but written as 13:00 in another time zone.
    early = make_attempt(
        trainee="Bob",
        module_id="m2",
        submitted_at=dt.datetime(2025, 3, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
    )
    first = make_attempt(trainee="Ann", module_id="m1", submitted_at=T0)
    same_time = make_attempt(trainee="Ann", module_id="m1", submitted_at=T0)
    store.record_many([late, early, first, same_time])

    assert store.attempts() == [first, same_time, early, late]
    assert store.attempts(trainee="Ann") == [first, same_time, late]
    assert store.attempts(module_id="m2") == [early, late]
    assert store.attempts(trainee="Ann", module_id="m2") == [late]
    assert store.attempts(trainee="Nobody") == []
    assert store.trainees() == ["Ann", "Bob"]


def test_record_is_idempotent_by_attempt_uid(store: SQLiteProgressStore) -> None:
    a = make_attempt()
    store.record(a)
    store.record(a)
    # The first write wins: a retry carrying different data does not overwrite it.
    store.record(make_attempt(attempt_uid=a.attempt_uid, score=1.0))
    assert store.attempts() == [a]


def test_record_many_counts_only_new_rows(store: SQLiteProgressStore) -> None:
    batch = [make_attempt() for _ in range(3)]
    assert store.record_many(batch) == 3
    assert store.record_many(batch) == 0
    assert store.record_many([*batch, make_attempt(), make_attempt()]) == 2
    assert store.record_many(iter([])) == 0
    assert len(store.attempts()) == 5


def test_settings(store: SQLiteProgressStore) -> None:
    assert store.get_setting("trainee") is None
    store.set_setting("trainee", "Ann")
    store.set_setting("trainee", "Anne-Marie")
    assert store.get_setting("trainee") == "Anne-Marie"


def test_data_outlives_the_store_object(tmp_path: Path) -> None:
    a = make_attempt()
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as s:
        s.record(a)
        s.set_setting("trainee", "Ann")
    with SQLiteProgressStore(str(tmp_path / "p.sqlite3")) as s:
        assert s.attempts() == [a]
        assert s.get_setting("trainee") == "Ann"


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    s = SQLiteProgressStore(tmp_path / "p.sqlite3")
    s.record(make_attempt())
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError, match=re.escape(f"The progress store for {tmp_path / 'p.sqlite3'} was closed.")):
        s.attempts()


def test_one_store_shared_by_threads(store: SQLiteProgressStore) -> None:
    def work(name: str) -> None:
        for i in range(50):
            store.record(make_attempt(trainee=name, item_id=str(i)))

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.attempts()) == 200
    assert store.trainees() == ["t0", "t1", "t2", "t3"]


def test_pending_attempts_write_through_when_the_store_works(store: SQLiteProgressStore) -> None:
    pending = PendingAttempts()
    a = make_attempt()
    pending.save(store, a)
    pending.save(store, a)  # a double click stores one row
    assert len(pending) == 0
    assert pending.retry(store) == 0
    assert store.attempts() == [a]


# --- where the file lives ---------------------------------------------------------------


def test_default_db_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MESO_TRAINING_DB", "~/courses/meso.sqlite3")
    assert default_db_path() == Path.home() / "courses" / "meso.sqlite3"

    monkeypatch.setenv("MESO_TRAINING_DB", str(tmp_path / "env.sqlite3"))
    with SQLiteProgressStore() as s:
        assert s.path == tmp_path / "env.sqlite3"


@pytest.mark.parametrize("value", [None, ""])
def test_default_db_path_falls_back_to_user_data_dir(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("MESO_TRAINING_DB", raising=False)
    else:
        monkeypatch.setenv("MESO_TRAINING_DB", value)
    assert default_db_path() == platformdirs.user_data_path("meso-training") / "progress.sqlite3"


# --- many processes, and a killed one -------------------------------------------------------

WRITER = (
    CHILD_PRELUDE
    + """
import json, os, time
path, name, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
errors, uids = [], []
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.002)
with SQLiteProgressStore(path) as store:
    for i in range(count):
        a = attempt(name, i)
        try:
            store.record(a)
            uids.append(a.attempt_uid)
        except StoreError as exc:
            errors.append(str(exc))
print(json.dumps({"uids": uids, "errors": errors}))
"""
)


BURNER = """
import os, sys, time
while not os.path.exists(sys.argv[1]):
    sum(range(10_000))
"""


@pytest.mark.slow
def test_eight_processes_write_one_file_at_once_on_a_busy_machine(tmp_path: Path) -> None:
    """Issue 13: beside CPU-burning neighbours, 1-4 of 4,000 saves used to fail after SQLite's 5 s busy wait."""
    path, go, done = tmp_path / "shared.sqlite3", tmp_path / "go", tmp_path / "done"
    burners = [subprocess.Popen([sys.executable, "-c", BURNER, str(done)]) for _ in range(2)]
    try:
        procs = [start_python(WRITER, str(path), f"p{n}", "500", str(go)) for n in range(8)]
        for p in procs:  # all interpreters up before anyone writes; the file does not exist yet
            assert p.stdout is not None
            assert p.stdout.readline() == "ready\n"
        started = time.monotonic()
        go.touch()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
            results.append(json.loads(out))
        elapsed = time.monotonic() - started
    finally:
        done.touch()
        for burner in burners:
            burner.wait(timeout=60)

    assert [r["errors"] for r in results] == [[]] * 8
    acknowledged = [uid for r in results for uid in r["uids"]]
    with sqlite3.connect(path) as conn:
        stored = [row[0] for row in conn.execute("SELECT attempt_uid FROM attempts")]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert len(stored) == 4000
    assert sorted(stored) == sorted(acknowledged)
    assert len(set(stored)) == 4000
    print(f"8 x 500 single-row transactions: {elapsed:.1f} s")


KILLED_WRITER = (
    CHILD_PRELUDE
    + """
with SQLiteProgressStore(sys.argv[1]) as store:
    i = 0
    while True:
        a = attempt("killed", i)
        store.record(a)
        print(a.attempt_uid, flush=True)  # acknowledged: record() has returned
        i += 1
"""
)


@pytest.mark.slow
@pytest.mark.parametrize("acks_before_kill", [1, 37, 250])
def test_acknowledged_attempts_survive_sigkill(tmp_path: Path, acks_before_kill: int) -> None:
    path = tmp_path / "progress.sqlite3"
    acknowledged: list[str] = []
    for _ in range(2):  # the second writer starts on the file the first one was killed over
        with start_python(KILLED_WRITER, str(path)) as proc:  # closes the pipes
            assert proc.stdout is not None
            for _ in range(acks_before_kill):
                line = proc.stdout.readline()
                assert line, proc.communicate()[1]
                acknowledged.append(line.strip())
            proc.send_signal(signal.SIGKILL)
            # Read the rest through the same buffered file: communicate() reads the raw pipe and
            # would skip lines readline() has already pulled into proc.stdout's buffer.
            out = proc.stdout.read()
            assert proc.wait(timeout=30) == -signal.SIGKILL
        acknowledged += [line for line in out.split("\n")[:-1] if len(line) == 32]  # complete lines only

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in conn.execute("SELECT attempt_uid FROM attempts")}
        nulls = conn.execute(
            "SELECT count(*) FROM attempts WHERE attempt_uid IS NULL OR trainee IS NULL OR module_id IS NULL"
            " OR item_id IS NULL OR question_id IS NULL OR content_hash IS NULL OR answer IS NULL"
            " OR score IS NULL OR points IS NULL OR max_points IS NULL OR correct IS NULL"
            " OR critical IS NULL OR mode IS NULL OR shown_at IS NULL OR submitted_at IS NULL"
        ).fetchone()
    conn.close()
    assert set(acknowledged) <= stored
    assert nulls == (0,)
    # At most one row per writer was committed but not yet acknowledged when it died.
    assert len(stored) - len(set(acknowledged)) <= 2
    with SQLiteProgressStore(path) as s:
        assert len(s.attempts(trainee="killed")) == len(stored)


def test_file_moved_away_while_open_is_not_written_to(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    first, second = make_attempt(), make_attempt()
    with SQLiteProgressStore(path) as s:
        s.record(first)
        path.rename(tmp_path / "elsewhere.sqlite3")  # e.g. another kernel moved it aside
        s.record(second)
        assert s.attempts() == [second]
    conn = sqlite3.connect(path)
    try:
        assert [row[0] for row in conn.execute("SELECT attempt_uid FROM attempts")] == [second.attempt_uid]
    finally:
        conn.close()


def test_attempts_are_hashable_even_with_list_answers() -> None:
    a = make_attempt(answer=["a", "b"])
    assert {a, Attempt.from_dict(a.to_dict())} == {a}
