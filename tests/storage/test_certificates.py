"""Certificates in the SQLite store: codes people can type back, one code per pass, and schema version 5."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from attempt_factory import make_attempt

from meso_training.errors import CertificateCodeError
from meso_training.storage import sqlite_migrations as migrations
from meso_training.storage.certificates import ALPHABET, Certificate, display_code, new_code, parse_code
from meso_training.storage.sqlite_file import SQLiteFile
from meso_training.storage.sqlite_salvage import salvage
from meso_training.storage.sqlite_store import SQLiteProgressStore

ISSUED = dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)


def certificate(uids: tuple[str, ...], **changes: object) -> Certificate:
    c = Certificate(new_code(), "Ann", "Mesotherapy in aesthetic practice", "suitability", "Patient suitability",
                    "2026.11", 0.85, 17.0, 20.0, 0.8, ISSUED, uids)
    return dataclasses.replace(c, **changes)  # type: ignore[arg-type]


def test_a_new_code_is_twelve_characters_people_cannot_confuse() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 12 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("ILOU") & set(ALPHABET)
    assert re.fullmatch(r"MESO-\w{4}-\w{4}-\w{4}", display_code(codes.pop()))


@pytest.mark.parametrize("typed", ["MESO-7KQ2-9XRT-4DFA", "meso-7kq2-9xrt-4dfa", "MESO7KQ29XRT4DFA", "7KQ29XRT4DFA",
                                   " meso 7kq2 9xrt 4dfa ", "MES0-7KQ2-9XRT-4DFA", "7kq2-9xrt-4dfa"])
def test_a_code_is_read_whatever_its_case_dashes_spaces_and_prefix(typed: str) -> None:
    assert parse_code(typed) == "7KQ29XRT4DFA"


def test_o_is_read_as_zero_and_i_or_l_as_one() -> None:
    assert parse_code("MESO-O1I0-LLOO-AB12") == parse_code("meso-o1i0-lloo-ab12") == "01101100AB12"


@pytest.mark.parametrize("typed", ["", "MESO", "MESO-7KQ2-9XRT", "MESO-7KQ2-9XRT-4DFA-9", "MESO-7KQ2-9XRT-4DFU",
                                   "banana"])
def test_text_that_cannot_be_a_code_is_refused_saying_what_a_code_looks_like(typed: str) -> None:
    with pytest.raises(CertificateCodeError) as info:
        parse_code(typed)
    assert "like MESO-7KQ2-9XRT-4DFA" in str(info.value)


def test_issuing_again_for_the_same_attempts_gives_back_the_first_certificate(tmp_path: Path) -> None:
    uids = (uuid.uuid4().hex, uuid.uuid4().hex)
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        first = store.issue_certificate(certificate(uids))
        again = store.issue_certificate(certificate(tuple(reversed(uids)), issued_at=ISSUED + dt.timedelta(days=3)))
        assert again == first
        assert store.certificate(first.code) == first
    with sqlite3.connect(tmp_path / "p.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM certificates").fetchone() == (1,)
    conn.close()


def test_another_pass_or_another_trainee_gets_its_own_code(tmp_path: Path) -> None:
    uids = (uuid.uuid4().hex,)
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        first = store.issue_certificate(certificate(uids))
        retaken = store.issue_certificate(certificate((uuid.uuid4().hex,)))
        other = store.issue_certificate(certificate(uids, trainee="Bea"))
        assert len({first.code, retaken.code, other.code}) == 3


def test_a_code_already_taken_is_drawn_again(tmp_path: Path) -> None:
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        first = store.issue_certificate(certificate((uuid.uuid4().hex,)))
        clash = store.issue_certificate(certificate((uuid.uuid4().hex,), code=first.code))
        assert clash.code != first.code
        assert store.certificate(first.code) == first


def test_an_unknown_code_finds_nothing(tmp_path: Path) -> None:
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        store.issue_certificate(certificate((uuid.uuid4().hex,)))
        assert store.certificate(new_code()) is None


# A file as release 4 left it, written out here rather than taken from sqlite_migrations,
# so a later edit of a released step shows up as a failing test.
V4_DDL = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    attempt_uid TEXT NOT NULL UNIQUE CHECK (length(attempt_uid) > 0),
    trainee TEXT NOT NULL, module_id TEXT NOT NULL,
    item_id TEXT NOT NULL, question_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    answer TEXT NOT NULL, score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
    points REAL NOT NULL, max_points REAL NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    seed INTEGER, shown_at TEXT NOT NULL, submitted_at TEXT NOT NULL);
CREATE INDEX attempts_by_trainee ON attempts (trainee, module_id);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX attempts_by_time ON attempts (submitted_at, id);
CREATE TABLE quarantined_attempts (
    id INTEGER PRIMARY KEY, attempt_id INTEGER NOT NULL, reason TEXT NOT NULL, quarantined_at TEXT NOT NULL,
    attempt_uid, trainee, module_id, item_id, question_id, content_hash, answer, score,
    points, max_points, correct, critical, mode, seed, shown_at, submitted_at);
PRAGMA user_version = 4;
"""
V4_INSERT = """
INSERT INTO attempts (attempt_uid, trainee, module_id, item_id, question_id, content_hash, answer, score, points,
                      max_points, correct, critical, mode, seed, shown_at, submitted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def test_a_version_4_file_is_backed_up_and_migrated_keeping_every_attempt_and_setting(tmp_path: Path) -> None:
    assert migrations.CURRENT_VERSION == 5
    path = tmp_path / "progress.sqlite3"
    kept = [make_attempt(trainee=name, question_id=f"q{n}", seed=n) for n, name in enumerate(["Ann", "Ann", "Bea"])]
    conn = sqlite3.connect(path)
    conn.executescript(V4_DDL)
    with conn:
        conn.executemany(V4_INSERT, [
            (a.attempt_uid, a.trainee, a.module_id, a.item_id, a.question_id, a.content_hash, '["b", "d"]', a.score,
             a.points, a.max_points, int(a.correct), int(a.critical), a.mode.value, a.seed,
             a.shown_at.isoformat(timespec="microseconds"), a.submitted_at.isoformat(timespec="microseconds"))
            for a in kept])
        conn.execute("INSERT INTO settings (key, value) VALUES ('trainee', 'Ann')")
    conn.close()

    with SQLiteProgressStore(path) as store:
        assert store.attempts() == kept
        assert store.get_setting("trainee") == "Ann"
        backup = store.backup_path
        assert backup is not None
        assert backup.name.startswith("progress.sqlite3.backup-v4-")
        issued = store.issue_certificate(certificate(tuple(a.attempt_uid for a in kept[:2])))
        assert store.certificate(issued.code) == issued
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (5,)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_the_certificates_of_a_damaged_file_are_copied_into_the_new_one(tmp_path: Path) -> None:
    damaged, fresh = tmp_path / "old.sqlite3", tmp_path / "new.sqlite3"
    with SQLiteProgressStore(damaged) as store:
        issued = store.issue_certificate(certificate((uuid.uuid4().hex,)))
    conn = SQLiteFile(fresh, 1.0).connect()
    try:
        assert salvage(damaged, conn).certificates == 1
    finally:
        conn.close()
    with SQLiteProgressStore(fresh) as store:
        assert store.certificate(issued.code) == issued


def test_certificates_are_listed_oldest_first_and_by_trainee(tmp_path: Path) -> None:
    later = ISSUED + dt.timedelta(days=2)
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        assert store.certificates() == []
        second = store.issue_certificate(certificate(("b",), issued_at=later))
        first = store.issue_certificate(certificate(("a",)))
        other = store.issue_certificate(certificate(("c",), trainee="Bea"))
        assert store.certificates(trainee="Ann") == [first, second]
        assert store.certificates(trainee="Bea") == [other]
        assert store.certificates(trainee="Cy") == []
        assert len(store.certificates()) == 3
