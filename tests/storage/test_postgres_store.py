"""The PostgreSQL store's own promises, on a real server the tests start: the schema, many
processes opening at once, a server restarted mid-run, an unreachable one, and choosing it by URL.

What it shares with the SQLite store is proved in test_store_contract.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from attempt_factory import make_attempt
from postgres_server import PostgresServer, free_port
from sqlalchemy import create_engine

from meso_training.cli import main
from meso_training.errors import StoreError, StoreUnreachableError, StoreVersionError
from meso_training.storage import default_db_path, default_location, open_store, store_location
from meso_training.storage.postgres_store import PostgresProgressStore
from meso_training.storage.postgres_tables import VERSION_TABLE, metadata

ROOT = Path(__file__).resolve().parents[2]


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return list(conn.execute(sql.encode()).fetchall())


def test_migrations_build_exactly_the_tables_the_store_uses(postgres_url: str) -> None:
    with PostgresProgressStore(postgres_url) as store:
        assert not store.exists()  # an empty database has no schema yet
        store.open()
        assert store.exists()
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert [d for d in differences if d[0] != "remove_table" or d[1].name != VERSION_TABLE] == []
    assert query(postgres_url, f"SELECT version_num FROM {VERSION_TABLE}") == [("0001",)]  # noqa: S608


def test_reopening_keeps_the_schema_and_the_data(postgres_url: str) -> None:
    a = make_attempt()
    with PostgresProgressStore(postgres_url) as store:
        store.record(a)
    tables = query(postgres_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    for _ in range(2):
        with PostgresProgressStore(postgres_url) as store:
            store.open()
            assert store.attempts() == [a]
    assert query(postgres_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == tables
    assert query(postgres_url, f"SELECT version_num FROM {VERSION_TABLE}") == [("0001",)]  # noqa: S608


OPENER = """
import os, sys, time
sys.path.insert(0, sys.argv[3])
from attempt_factory import make_attempt
from meso_training.storage import open_store
url, go = sys.argv[1], sys.argv[2]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
with open_store(url) as store:
    store.open()
    store.record(make_attempt(trainee=f"p{os.getpid()}"))
print("done", flush=True)
"""


def test_processes_opening_a_fresh_database_at_once_all_succeed(postgres_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, postgres_url, str(go), str(ROOT / "tests")], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    for p in procs:  # every interpreter up before any opens, so they race for the empty database
        assert p.stdout is not None
        assert p.stdout.readline() == "ready\n", p.communicate()[1]
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert (p.returncode, out) == (0, "done\n"), err
    assert query(postgres_url, f"SELECT count(*) FROM {VERSION_TABLE}") == [(1,)]  # noqa: S608
    assert query(postgres_url, "SELECT count(DISTINCT trainee) FROM attempts") == [(6,)]


def test_a_server_restarted_mid_run_loses_nothing_acknowledged(postgres_server: PostgresServer,
                                                                postgres_url: str) -> None:
    store = PostgresProgressStore(postgres_url)
    acknowledged: list[str] = []
    failures: list[StoreError] = []
    restarted, enough = threading.Event(), threading.Event()

    def write() -> None:
        after = 0
        while after < 50:
            a = make_attempt()
            try:
                store.record(a)
            except StoreError as exc:  # the server is away: the UI keeps the answer pending
                failures.append(exc)
                continue
            acknowledged.append(a.attempt_uid)
            if len(acknowledged) == 50:
                enough.set()
            after += restarted.is_set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        enough.wait()
        postgres_server.restart(mode="immediate")  # no checkpoint: only what was fsynced comes back
        restarted.set()
    finally:
        writer.join()
    stored = {a.attempt_uid for a in store.attempts()}
    assert set(acknowledged) <= stored
    assert len(stored) - len(acknowledged) <= 1  # at most the one committed as the server stopped
    assert all(isinstance(f, StoreUnreachableError) and "Cannot reach" in str(f) for f in failures)
    late = make_attempt()
    store.record(late)  # the same object goes on working
    assert store.attempts()[-1] == late
    store.close()


def test_an_unreachable_server_is_named_with_its_password_masked(postgres_url: str) -> None:
    port = free_port()  # nothing listens there
    store = open_store(f"postgresql://meso:s3cret-pw@127.0.0.1:{port}/meso")
    assert store.location == f"postgresql://meso:***@127.0.0.1:{port}/meso"
    with pytest.raises(StoreUnreachableError) as info:
        store.record(make_attempt())
    message = str(info.value)
    assert "s3cret-pw" not in message
    assert message.startswith(f"Cannot reach the progress database server {store.location} (")
    assert "Your answers are kept in memory" in message
    assert "Traceback" not in message
    assert info.value.retryable
    with pytest.raises(StoreUnreachableError, match=re.escape(store.location)):
        store.exists()
    store.close()
    missing = postgres_url.rsplit("/", 1)[0] + "/no_such_database"
    with PostgresProgressStore(missing) as gone:
        assert not gone.exists()
        with pytest.raises(StoreUnreachableError, match='database "no_such_database" does not exist'):
            gone.attempts()


def test_a_url_that_cannot_be_read_is_refused_without_echoing_its_password() -> None:
    store = open_store("postgresql://meso:s3cret-pw@db.example:fivefourthreetwo/meso")
    with pytest.raises(StoreError) as info:
        store.open()
    assert str(info.value) == (
        "The progress database URL in MESO_TRAINING_DB (or --db) cannot be read: "
        "postgresql://meso:***@db.example:fivefourthreetwo/meso. Write it as "
        "postgresql://user:password@host:5432/database.")


def test_a_failing_statement_is_a_plain_store_error_and_the_store_recovers(postgres_url: str) -> None:
    with PostgresProgressStore(postgres_url) as store:
        store.record(make_attempt())
        with psycopg.connect(postgres_url) as conn:
            conn.execute(b"ALTER TABLE attempts RENAME TO attempts_elsewhere")
        with pytest.raises(StoreError) as info:
            store.attempts()
        assert not isinstance(info.value, StoreUnreachableError)
        assert str(info.value).startswith(f"The progress database server {store.location} could not read the "
                                          'records (relation "attempts" does not exist')
        with psycopg.connect(postgres_url) as conn:
            conn.execute(b"ALTER TABLE attempts_elsewhere RENAME TO attempts")
        assert len(store.attempts()) == 1


def test_a_database_from_a_newer_release_is_left_untouched(postgres_url: str) -> None:
    with PostgresProgressStore(postgres_url) as store:
        store.open()
    with psycopg.connect(postgres_url) as conn:
        conn.execute(f"UPDATE {VERSION_TABLE} SET version_num = '0007'".encode())  # noqa: S608
    with (PostgresProgressStore(postgres_url) as store,
          pytest.raises(StoreVersionError, match="schema version 7") as newer):
        store.open()
    assert "the database was left untouched" in str(newer.value)
    assert query(postgres_url, f"SELECT version_num FROM {VERSION_TABLE}") == [("0007",)]  # noqa: S608


def test_a_row_edited_into_nonsense_is_set_aside_and_the_others_still_read(postgres_url: str) -> None:
    good, bad = make_attempt(), make_attempt()
    with PostgresProgressStore(postgres_url) as store:
        store.record_many([good, bad])
    with psycopg.connect(postgres_url) as conn:
        conn.execute(b"UPDATE attempts SET answer = '[\"b\", ' WHERE attempt_uid = %s", (bad.attempt_uid,))
    with PostgresProgressStore(postgres_url) as store:
        assert store.attempts() == [good]
        assert store.set_aside_count() == 1
        notice = store.startup_notice or ""
        assert "1 saved answer in the progress database" in notice
        assert "its answer is not readable JSON" in notice
    assert query(postgres_url, "SELECT attempt_uid, answer FROM quarantined_attempts") == [(bad.attempt_uid, '["b", ')]


def test_settings_belong_to_one_hub_user_and_answers_to_the_cohort(postgres_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    with PostgresProgressStore(postgres_url) as ann:
        assert ann.settings_scope == "ann"
        ann.set_setting("trainee", "Ann Smith")
        ann.record(make_attempt(trainee="Ann Smith"))
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")
    with PostgresProgressStore(postgres_url) as bob:
        assert bob.get_setting("trainee") is None  # not Ann's name
        bob.set_setting("trainee", "Bob Jones")
        bob.record(make_attempt(trainee="Bob Jones"))
        assert bob.trainees() == ["Ann Smith", "Bob Jones"]
    with PostgresProgressStore(postgres_url, settings_scope="ann") as ann_again:
        assert ann_again.get_setting("trainee") == "Ann Smith"


def test_the_url_in_meso_training_db_chooses_the_postgresql_store(postgres_url: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MESO_TRAINING_DB", postgres_url)
    assert default_location() == postgres_url
    assert isinstance(default_db_path(), Path)  # files kept beside the records still get a local folder
    assert store_location(None) == postgres_url
    a = make_attempt()
    with open_store() as store:
        assert isinstance(store, PostgresProgressStore)
        store.record(a)
    assert query(postgres_url, "SELECT attempt_uid FROM attempts") == [(a.attempt_uid,)]

    monkeypatch.delenv("MESO_TRAINING_DB")
    driver_url = postgres_url.replace("postgresql://", "postgresql+psycopg://")
    output = tmp_path / "out.json"
    assert main(["export-progress", "--db", driver_url, "--output", str(output)]) == 0
    assert [row["attempt_uid"] for row in json.loads(output.read_text())["attempts"]] == [a.attempt_uid]
    assert "Exported 1 attempt to" in capsys.readouterr().out
