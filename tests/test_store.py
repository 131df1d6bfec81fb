"""The Attempt record, and the progress store on real SQLite files: where the file lives,
many writer processes at once, and a writer killed mid-stream.

What every backend promises (round trips, filters, idempotency, settings, threads) is
proved on SQLite and PostgreSQL alike in tests/storage/test_store_contract.py. Faults
(read-only, full, locked, corrupt, old and new schemas) are in test_store_faults.py.
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
import time
from pathlib import Path

import platformdirs
import pytest
from attempt_factory import T0, make_attempt
from attempt_strategies import attempts
from hypothesis import given

from meso_training.errors import AttemptError
from meso_training.model import Attempt
from meso_training.model.attempt import ATTEMPT_FIELDS
from meso_training.storage import default_db_path
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


# --- the Attempt record -------------------------------------------------------------

def test_the_stored_form_has_every_attempt_field_in_order() -> None:
    assert tuple(f.name for f in dataclasses.fields(Attempt)) == ATTEMPT_FIELDS
    assert tuple(make_attempt().to_dict()) == ATTEMPT_FIELDS


@given(attempts)
def test_to_dict_from_dict_round_trip(attempt: Attempt) -> None:
    data = attempt.to_dict()
    assert json.loads(json.dumps(data)) == data  # JSON-ready as promised
    assert Attempt.from_dict(data) == attempt


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
