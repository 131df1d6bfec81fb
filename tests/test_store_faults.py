"""The progress store when things go wrong, each fault produced for real where possible.

How each fault is made (and where it is only a simulation):

* read-only: ``chattr +i`` (immutable, refused even to root) or a read-only bind mount
  (EROFS), both genuine and both needing root; ``chmod`` only when not root, since root
  ignores permission bits. Cases whose mechanism is unavailable are skipped.
* disk full: a real tmpfs of 256 KiB (needs root), and everywhere a connection with
  ``PRAGMA max_page_count``: SQLite itself raises SQLITE_FULL, but the limit is a
  simulation of a full disk.
* locked: another process holds ``BEGIN EXCLUSIVE`` on the file.
* corrupt: random bytes, a text file, and a real database with pages overwritten.
* schemas: version 1 and 2 files written by hand with the DDL those releases used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attempt_factory import make_attempt

from meso_training.errors import (
    MesoTrainingError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreVersionError,
)
from meso_training.model import Attempt
from meso_training.storage import PendingAttempts
from meso_training.storage import sqlite_migrations as _migrations
from meso_training.storage.sqlite_file import SQLiteFile
from meso_training.storage.sqlite_store import SQLiteProgressStore

ROOT = Path(__file__).resolve().parents[1]
STAMP = r"\d{8}T\d{6}Z(-\d+)?"



def run(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True, check=False).returncode == 0


def stored_uids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT attempt_uid FROM attempts")}
    finally:
        conn.close()


def integrity(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


# --- read-only ------------------------------------------------------------------------


def _mechanism_available(mechanism: str, probe_dir: Path) -> str | None:
    """None if ``mechanism`` really makes files read-only here, else why not."""
    probe = probe_dir / "probe"
    probe.touch()
    if mechanism == "chmod":
        return "root ignores permission bits" if os.geteuid() == 0 else None
    if mechanism == "chattr":
        ok = run("chattr", "+i", str(probe)) and run("chattr", "-i", str(probe))
        return None if ok else "chattr +i not permitted here"
    ok = run("mount", "--bind", str(probe), str(probe))
    if ok:
        run("umount", str(probe))
    return None if ok else "mount not permitted here"


@contextlib.contextmanager
def read_only(mechanism: str, targets: list[Path]) -> Iterator[None]:
    """Make ``targets`` (files or folders) read-only for real; undo on exit."""
    done: list[Path] = []
    try:
        for target in targets:
            if mechanism == "chmod":
                target.chmod(0o555 if target.is_dir() else 0o444)
            elif mechanism == "chattr":
                assert run("chattr", "+i", str(target))
            else:
                assert run("mount", "--bind", str(target), str(target))
                done.append(target)  # mounted: must be unmounted even if the remount fails
                assert run("mount", "-o", "remount,bind,ro", str(target))
                continue
            done.append(target)
        yield
    finally:
        for target in reversed(done):
            if mechanism == "chmod":
                target.chmod(0o755 if target.is_dir() else 0o644)
            elif mechanism == "chattr":
                run("chattr", "-i", str(target))
            else:
                run("umount", str(target))


@pytest.mark.parametrize("mechanism", ["chattr", "mount", "chmod"])
@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_database_keeps_answers_in_memory(tmp_path: Path, mechanism: str, what: str) -> None:
    reason = _mechanism_available(mechanism, tmp_path)
    if reason:
        pytest.skip(reason)
    folder = tmp_path / "data"
    path = folder / "progress.sqlite3"
    earlier = make_attempt()
    with SQLiteProgressStore(path) as s:
        s.record(earlier)
    targets = [path] if what == "file" else [folder]

    pending = PendingAttempts()
    answer = make_attempt(item_id="case-2")
    with SQLiteProgressStore(path, timeout=0.5) as s:
        with read_only(mechanism, targets):
            with pytest.raises(StoreReadOnlyError) as info:
                pending.save(s, answer)
            assert str(info.value) == (
                f"Cannot save to the progress database {path}: the file or its folder is read-only. "
                "Your answers are kept in memory for this session; make the folder writable, or set "
                "MESO_TRAINING_DB to a file in a folder you can write to, then submit again."
            )
            assert info.value.path == path
            assert pending.attempts() == [answer]
            assert s.attempts() == [earlier]  # read in place, or (folder: no -shm possible) from a snapshot
            with pytest.raises(StoreReadOnlyError):  # still failing: still kept
                pending.retry(s)
            assert pending.attempts() == [answer]
        # Write access is back while the notebook (and this store) is still open.
        assert pending.retry(s) == 1
        assert len(pending) == 0
        assert s.attempts() == [earlier, answer]
    assert integrity(path) == [("ok",)]


@pytest.mark.parametrize("mechanism", ["chattr", "mount"])
def test_progress_in_a_read_only_folder_is_shown_with_one_notice(tmp_path: Path, mechanism: str) -> None:
    reason = _mechanism_available(mechanism, tmp_path)
    if reason:
        pytest.skip(reason)
    folder = tmp_path / "data"
    path = folder / "progress.sqlite3"
    earlier = [make_attempt(item_id=f"case-{i}") for i in range(5)]
    with SQLiteProgressStore(path) as s:
        s.record_many(earlier)
        s.set_setting("trainee", "Ann")
    original = path.read_bytes()
    with read_only(mechanism, [folder]), SQLiteProgressStore(path) as s:
        assert s.get_setting("trainee") == "Ann"
        assert s.attempts(trainee="Ann") == earlier
        assert s.startup_notice == (
            f"Your progress file {path} cannot be written (the file or its folder is read-only): your earlier "
            "answers are shown, and new answers are kept in memory until it can be written again.")
        with pytest.raises(StoreReadOnlyError):
            s.record(make_attempt())
        assert s.attempts(trainee="Ann") == earlier  # reading goes on after a failed save
    assert path.read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == ["progress.sqlite3"]


def test_a_read_only_folder_holding_an_unclosed_wal_still_shows_every_answer(tmp_path: Path) -> None:
    """A killed kernel leaves answers in the WAL; the snapshot copies it, so none is missed."""
    reason = _mechanism_available("chattr", tmp_path)
    if reason:
        pytest.skip(reason)
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "progress.sqlite3"
    code = ("import sys, os; sys.path.insert(0, sys.argv[2]); from attempt_factory import make_attempt;"
            "from meso_training.storage.sqlite_store import SQLiteProgressStore;"
            "s = SQLiteProgressStore(sys.argv[1]); s.record_many(make_attempt(item_id=f'case-{i}') for i in range(5));"
            "os._exit(0)")  # no close: the rows stay in the WAL
    subprocess.run([sys.executable, "-c", code, str(path), str(Path(__file__).parent)], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    with read_only("chattr", [folder]), SQLiteProgressStore(path) as s:
        assert len(s.attempts()) == 5


@pytest.mark.parametrize("mechanism", ["chattr", "mount", "chmod"])
def test_new_database_in_read_only_folder(tmp_path: Path, mechanism: str) -> None:
    reason = _mechanism_available(mechanism, tmp_path)
    if reason:
        pytest.skip(reason)
    folder = tmp_path / "course"
    folder.mkdir()
    for path in (folder / "progress.sqlite3", folder / "sub" / "progress.sqlite3"):
        with read_only(mechanism, [folder]), SQLiteProgressStore(path) as s:
            s.open()  # nothing to read yet: opening for reading is not an error
            assert s.attempts() == []
            assert s.get_setting("trainee") is None
            with pytest.raises(StoreReadOnlyError):
                s.record(make_attempt())
        assert not path.exists()


# --- disk full ----------------------------------------------------------------------------


class PageCappedFile(SQLiteFile):
    """A progress file whose connection may not grow it: SQLite's own SQLITE_FULL path.

    This is the simulation: ``max_page_count`` is a real SQLite limit, enforced by the
    pager exactly where a full disk would fail the write, but the disk is not full.
    """

    def _open_checked(self) -> sqlite3.Connection:
        conn = super()._open_checked()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 4}")
        return conn


class PageCappedStore(SQLiteProgressStore):
    """The SQLite store over a ``PageCappedFile``."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._file = PageCappedFile(self.path, timeout=5.0)


def fill_until_full(store: SQLiteProgressStore, pending: PendingAttempts) -> list[Attempt]:
    """Save 4 KB answers until one fails; returns those that were acknowledged."""
    saved: list[Attempt] = []
    error: StoreFullError | None = None
    for i in range(2000):
        a = make_attempt(item_id=f"case-{i}", answer={"notes": "x" * 4000})
        try:
            pending.save(store, a)
        except StoreFullError as exc:
            error = exc
            break
        saved.append(a)
    assert error is not None, "the store never filled up"
    assert str(error) == (
        f"Cannot save to the progress database {store.path}: the disk is full. Your answers "
        "are kept in memory for this session; free some disk space, then submit again."
    )
    assert len(pending) == 1  # the answer that did not fit
    return saved


def test_full_database_keeps_answers_and_the_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    pending = PendingAttempts()
    with PageCappedStore(path) as capped:
        capped.open()
        saved = fill_until_full(capped, pending)
        with pytest.raises(StoreFullError):  # a retry while still full keeps the answer
            pending.retry(capped)
        assert capped.attempts() == saved  # reading still works
    assert integrity(path) == [("ok",)]
    assert stored_uids(path) == {a.attempt_uid for a in saved}

    with SQLiteProgressStore(path) as roomy:  # "space was freed"
        assert pending.retry(roomy) == 1
        assert len(roomy.attempts()) == len(saved) + 1


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB tmpfs mounted for the test (root only)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if not run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)):
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        yield mount_point
    finally:
        assert run("umount", str(mount_point))


def test_really_full_disk(tiny_disk: Path) -> None:
    path = tiny_disk / "progress.sqlite3"
    pending = PendingAttempts()
    with SQLiteProgressStore(path) as s:
        saved = fill_until_full(s, pending)
        assert saved  # some answers fitted before the disk filled
        assert s.attempts() == saved
        assert integrity(path) == [("ok",)]

        assert run("mount", "-o", "remount,size=4m", str(tiny_disk))  # space is freed
        assert pending.retry(s) == 1
        assert len(s.attempts()) == len(saved) + 1
    assert integrity(path) == [("ok",)]


# --- locked -------------------------------------------------------------------------------

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO settings (key, value) VALUES ('locker', 'was here')")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until the test says so
conn.execute("COMMIT")
conn.close()
"""


class Locker:
    """Another process holding ``BEGIN EXCLUSIVE`` on the database until released."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line != "locked\n":
            self.release()
            pytest.fail(f"the locking process failed: {line}")

    def release(self) -> None:
        if self.proc.returncode is None:
            _out, err = self.proc.communicate("release\n", timeout=30)
            assert self.proc.returncode == 0, err


@contextlib.contextmanager
def lock_held_by_another_process(path: Path) -> Iterator[Locker]:
    locker = Locker(path)
    try:
        yield locker
    finally:
        locker.release()


def test_lock_held_longer_than_timeout(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    earlier = make_attempt()
    pending = PendingAttempts()
    answer = make_attempt(item_id="case-2")
    with SQLiteProgressStore(path, timeout=0.5) as s:
        s.record(earlier)
        with lock_held_by_another_process(path) as locker:
            started = time.monotonic()
            with pytest.raises(StoreLockedError) as info:
                pending.save(s, answer)
            waited = time.monotonic() - started
            assert waited >= 0.45
            (holder,) = info.value.holders  # the locking process is named, by pid and command line
            assert holder.startswith(f"pid {locker.proc.pid} (")
            assert str(info.value) == (
                f"The progress database {path} stayed locked by {holder} for more than 0.5 s. Your answers "
                "are kept in memory and saved with your next submission; close the other notebook or program "
                "if this keeps happening."
            )
            assert pending.attempts() == [answer]
            assert s.attempts() == [earlier]  # WAL: reading goes on while another writes
        assert pending.retry(s) == 1
        assert s.attempts() == [earlier, answer]
        assert s.get_setting("locker") == "was here"


def test_lock_shorter_than_timeout_is_waited_out(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    answer = make_attempt()
    with SQLiteProgressStore(path, timeout=10) as s:
        s.open()
        with lock_held_by_another_process(path) as locker:
            releaser = threading.Timer(0.3, locker.release)
            releaser.start()
            started = time.monotonic()
            s.record(answer)  # blocks until the other process commits
            waited = time.monotonic() - started
            releaser.join()
        assert 0.25 <= waited < 5
        assert s.attempts() == [answer]


# --- corrupted files ------------------------------------------------------------------------


PAGE = 4096


def filled_database(path: Path, rows: int = 200) -> list[Attempt]:
    """A real database of ``rows`` answers, each carrying a marker (``row-007-``) findable in the file's bytes."""
    attempts = [make_attempt(item_id=f"case-{i}", answer=f"row-{i:03d}-" + "x" * 490) for i in range(rows)]
    with SQLiteProgressStore(path) as s:
        s.record_many(attempts)
    return attempts


def overwrite_pages(path: Path, pages: set[int]) -> None:
    data = bytearray(path.read_bytes())
    for page in pages:
        data[page * PAGE : (page + 1) * PAGE] = b"\xab" * PAGE
    path.write_bytes(bytes(data))


def damaged_database(path: Path) -> None:
    """A real database whose root pages were overwritten: valid header, nothing reachable by SQL."""
    filled_database(path)
    overwrite_pages(path, {3, 4, 5})


CORRUPTIONS = {
    "random bytes": lambda path: path.write_bytes(os.urandom(8192)),
    "text file": lambda path: path.write_text("these are my notes, not a database\n" * 50),
    "damaged pages": damaged_database,
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupt_file_is_moved_aside_and_a_new_one_started(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "progress.sqlite3"
    CORRUPTIONS[kind](path)
    original = path.read_bytes()

    with SQLiteProgressStore(path) as s:
        s.open()  # succeeds: the trainee keeps going
        moved = s.recovered_from
        assert moved is not None
        assert re.fullmatch(rf"progress\.sqlite3\.corrupt-{STAMP}", moved.name)
        assert moved.parent == tmp_path
        assert moved.read_bytes() == original  # moved, byte for byte; never deleted
        assert isinstance(s.notice, StoreCorruptError)
        assert s.notice.moved_to == moved
        assert str(s.notice) == (
            f"The progress database {path} was damaged. It was moved aside to {moved} (nothing was deleted) "
            "and a new, empty database was started (no answers could be read from the damaged one); send the "
            "moved file to your course team if your earlier answers matter."
        )
        a = make_attempt()
        s.record(a)
        assert s.attempts() == [a]
    assert integrity(path) == [("ok",)]
    assert moved.read_bytes() == original


def page_of(path: Path, marker: bytes, *, skip: int | None = None) -> int:
    """The page holding ``marker`` (the first one other than ``skip``)."""
    data = path.read_bytes()
    start = 0
    while (at := data.find(marker, start)) >= 0:
        if at // PAGE != skip:
            return at // PAGE
        start = at + 1
    pytest.fail(f"{marker!r} is not in {path}")


def test_answers_on_intact_pages_of_a_damaged_table_are_copied_into_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    attempts = filled_database(path)
    overwrite_pages(path, {page_of(path, b"row-100-")})  # one leaf page of the table, as a bad sector would
    with SQLiteProgressStore(path) as s:
        recovered = s.attempts()
        assert s.recovered_from is not None
        lost = [a for a in attempts if a not in recovered]
        assert 0 < len(lost) < 10  # a page holds a handful of these answers
        assert attempts[100] in lost
        assert [a for a in attempts if a not in lost] == recovered  # every other one, exactly
        assert s.startup_notice == (
            f"Your progress file was damaged and was moved aside to {s.recovered_from} (nothing was deleted); "
            f"{len(recovered)} of the 200 answers it held were copied into a new file. Keep the old file for "
            "your course team.")
    assert integrity(path) == [("ok",)]


def test_a_damaged_index_loses_no_answer(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    attempts = filled_database(path)
    uid = attempts[100].attempt_uid.encode()
    overwrite_pages(path, {page_of(path, uid, skip=page_of(path, b"row-100-"))})  # the uid index's page
    with SQLiteProgressStore(path) as s:
        assert s.attempts() == attempts
        assert s.recovered_from is not None  # quick_check failed: the file was moved aside
        assert s.notice is not None
        assert "with all 200 answers it still held" in str(s.notice)
    assert integrity(path) == [("ok",)]


def test_the_trainee_name_is_copied_from_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    filled_database(path)
    with SQLiteProgressStore(path) as s:
        s.set_setting("trainee", "Dr Ana Ruiz")
    overwrite_pages(path, {page_of(path, b"row-150-")})
    with SQLiteProgressStore(path) as s:
        assert s.get_setting("trainee") == "Dr Ana Ruiz"
        assert s.recovered_from is not None


def test_stale_wal_moves_with_the_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(os.urandom(4096))
    wal = tmp_path / "progress.sqlite3-wal"
    wal.write_bytes(b"old frames")
    with SQLiteProgressStore(path) as s:
        s.open()
        assert s.recovered_from is not None
        assert Path(f"{s.recovered_from}-wal").read_bytes() == b"old frames"
        s.record(make_attempt())
    assert integrity(path) == [("ok",)]


def test_two_recoveries_in_one_second_keep_both_files(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    moved = []
    for content in (b"first garbage" * 100, b"second garbage" * 100):
        path.write_bytes(content)
        with SQLiteProgressStore(path) as s:
            s.open()
            assert s.recovered_from is not None
            moved.append(s.recovered_from)
    assert moved[0] != moved[1]
    assert moved[0].read_bytes() == b"first garbage" * 100
    assert moved[1].read_bytes() == b"second garbage" * 100


def test_corrupt_file_that_cannot_be_moved(tmp_path: Path) -> None:
    if _mechanism_available("chattr", tmp_path):
        pytest.skip("needs chattr +i to make the folder unchangeable")
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "progress.sqlite3"
    path.write_text("not a database\n")
    with read_only("chattr", [folder]), SQLiteProgressStore(path) as s:
        with pytest.raises(StoreCorruptError) as info:
            s.open()
        assert info.value.moved_to is None
        assert str(info.value).startswith(f"The progress database {path} is damaged and could not be read: ")
        assert "Your answers are kept in memory" in str(info.value)
    assert path.read_text() == "not a database\n"


# --- schema versions --------------------------------------------------------------------------

# The DDL as releases 1 and 2 wrote it, copied here rather than taken from _migrations,
# so a later edit to a released step shows up as a failing test.
V1_DDL = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY, trainee TEXT NOT NULL, module_id TEXT NOT NULL,
    item_id TEXT NOT NULL, question_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    answer TEXT NOT NULL, score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
    points REAL NOT NULL, max_points REAL NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    shown_at TEXT NOT NULL, submitted_at TEXT NOT NULL);
CREATE INDEX attempts_by_trainee ON attempts (trainee, module_id);
PRAGMA user_version = 1;
"""
V2_DDL = """
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
PRAGMA user_version = 2;
"""
V1_ROWS = [
    (
        "Ann",
        "m1",
        "case-1",
        "q1",
        "h1",
        '["b"]',
        1.0,
        2.0,
        2.0,
        1,
        0,
        "practice",
        "2024-05-01T10:00:00.000000+00:00",
        "2024-05-01T10:01:00.000000+00:00",
    ),
    (
        "Ann",
        "m1",
        "case-2",
        "q1",
        "h1",
        '{"dose": 0.5}',
        0.0,
        0.0,
        2.0,
        0,
        1,
        "assessment",
        "2024-05-01T10:02:00.000000+00:00",
        "2024-05-01T10:03:00.000000+00:00",
    ),
    (
        "Bob",
        "m2",
        "case-1",
        "q9",
        "h2",
        '"free text"',
        0.5,
        1.0,
        2.0,
        0,
        0,
        "practice",
        "2024-05-02T08:00:00.000000+00:00",
        "2024-05-02T08:00:30.000000+00:00",
    ),
]
V1_INSERT = """
INSERT INTO attempts (trainee, module_id, item_id, question_id, content_hash, answer, score, points,
                      max_points, correct, critical, mode, shown_at, submitted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
V2_INSERT = """
INSERT INTO attempts (trainee, module_id, item_id, question_id, content_hash, answer, score, points,
                      max_points, correct, critical, mode, shown_at, submitted_at, seed, attempt_uid)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def write_old_database(path: Path, version: int) -> list[str]:
    """A file as release ``version`` left it, with rows; returns their uids (v2 only)."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(V1_DDL if version == 1 else V2_DDL)
        uids = [uuid.uuid4().hex for _ in V1_ROWS] if version == 2 else []
        with conn:
            if version == 1:
                conn.executemany(V1_INSERT, V1_ROWS)
            else:
                rows = [(*row, 1000 + n, uid) for n, (row, uid) in enumerate(zip(V1_ROWS, uids, strict=True))]
                conn.executemany(V2_INSERT, rows)
    finally:
        conn.close()
    return uids


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("version", [1, 2])
def test_older_schema_is_backed_up_then_migrated(tmp_path: Path, version: int) -> None:
    assert _migrations.CURRENT_VERSION == 5
    path = tmp_path / "progress.sqlite3"
    old_uids = write_old_database(path, version)

    with SQLiteProgressStore(path) as s:
        rows = s.attempts()
        backup = s.backup_path
        assert backup is not None
        assert re.fullmatch(rf"progress\.sqlite3\.backup-v{version}-{STAMP}", backup.name)
        assert user_version(backup) == version
        assert integrity(backup) == [("ok",)]
        assert user_version(path) == 5

        # Every row survives, field by field.
        assert [(a.trainee, a.item_id, a.answer, a.score, a.correct, a.critical, a.mode) for a in rows] == [
            ("Ann", "case-1", ["b"], 1.0, True, False, "practice"),
            ("Ann", "case-2", {"dose": 0.5}, 0.0, False, True, "assessment"),
            ("Bob", "case-1", "free text", 0.5, False, False, "practice"),
        ]
        assert rows[0].submitted_at == dt.datetime(2024, 5, 1, 10, 1, tzinfo=dt.UTC)
        if version == 1:  # rows from before uids got fresh, distinct ones, and no seed
            assert all(re.fullmatch(r"[0-9a-f]{32}", a.attempt_uid) for a in rows)
            assert len({a.attempt_uid for a in rows}) == 3
            assert [a.seed for a in rows] == [None, None, None]
        else:
            assert [a.attempt_uid for a in rows] == old_uids
            assert [a.seed for a in rows] == [1000, 1001, 1002]

        # The new columns and table work, uniqueness included.
        new = make_attempt(seed=123)
        s.record(new)
        s.record(new)
        assert s.attempts(trainee="Ann")[-1] == new
        s.set_setting("trainee", "Ann")
        assert s.get_setting("trainee") == "Ann"
        assert len(s.attempts()) == 4
    assert integrity(path) == [("ok",)]

    with SQLiteProgressStore(path) as s:  # a second open neither migrates nor backs up again
        assert s.backup_path is None
        assert len(s.attempts()) == 4


def test_fresh_file_needs_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.touch()  # an empty file is an empty database at version 0
    with SQLiteProgressStore(path) as s:
        s.open()
        assert s.backup_path is None
    assert user_version(path) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


MIGRATOR = """
import sys
from meso_training.storage.sqlite_store import SQLiteProgressStore
with SQLiteProgressStore(sys.argv[1], timeout=30) as s:
    print(len(s.attempts()))
"""


@pytest.mark.slow
def test_processes_opening_an_old_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    write_old_database(path, 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [(p.returncode, out) for p, (out, _) in zip(procs, outputs, strict=True)] == [(0, "3\n")] * 4, outputs
    assert user_version(path) == 5
    assert len(stored_uids(path)) == 3


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE attempts_v9 (x); PRAGMA user_version = 9;")
    conn.close()
    before = path.read_bytes()
    with SQLiteProgressStore(path) as s:
        with pytest.raises(StoreVersionError) as info:
            s.record(make_attempt())
        assert str(info.value) == (
            f"The progress database {path} was written by a newer meso-training (schema version 9; this one "
            "understands up to 5). Upgrade meso-training (pip install --upgrade meso-training); the file was "
            "left untouched."
        )
        assert isinstance(info.value, StoreError)
        assert isinstance(info.value, MesoTrainingError)
        assert (info.value.found, info.value.supported) == (9, 5)
        assert s.recovered_from is None
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


def test_some_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('cat.jpg');")
    conn.close()
    before = path.read_bytes()
    with (
        SQLiteProgressStore(path) as s,
        pytest.raises(StoreError, match=re.escape(f"{path} is not a meso-training progress database")),
    ):
        s.open()
    assert path.read_bytes() == before
