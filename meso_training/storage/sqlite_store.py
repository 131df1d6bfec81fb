"""The embedded progress store: every quiz submission in one SQLite file per trainee machine.

Why these choices:

* **SQLite in WAL mode.** Several notebooks (kernels) may write one file at once; WAL
  lets them read while one writes, and every write is a short ``BEGIN IMMEDIATE``
  transaction, so waiting writers queue on the lock (``busy_timeout``) instead of
  failing. A writer that still finds the file busy retries until ``timeout`` is spent.
* **``synchronous = FULL``.** ``record`` returns only after the row is fsynced, so an
  acknowledged answer survives the kernel being killed *and* a power cut. ``NORMAL``
  would survive a killed process but could lose the last commits on power loss; at one
  answer every few seconds the fsync costs nothing a trainee notices
  (``bench/bench_store.py`` measures it).
* **Idempotent writes.** Each ``Attempt`` carries a caller-made ``attempt_uid``
  (``uuid4().hex``), unique in the table, so a retry or a re-import never duplicates.
* **The file at the path is the file written.** A store notices when its file was
  renamed or deleted while open (SQLite would keep committing to the old WAL without
  complaint) and reopens at the path.
* Opening, recovery of a damaged file and upgrades are ``sqlite_file``'s; the schema
  history is ``sqlite_migrations``'.
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from meso_training.errors import StoreCorruptError, StoreError, StoreLockedError, StoreReadOnlyError
from meso_training.model.attempt import ATTEMPT_FIELDS, Attempt, answer_json
from meso_training.storage import default_db_path
from meso_training.storage.sqlite_file import SQLiteFile, file_identity

_T = TypeVar("_T")

# S608: the SQL is built from the stored form's own field names, never from input.
_INSERT = (
    f"INSERT INTO attempts ({', '.join(ATTEMPT_FIELDS)}) VALUES ({', '.join('?' * len(ATTEMPT_FIELDS))}) "  # noqa: S608
    "ON CONFLICT (attempt_uid) DO NOTHING"
)
_SELECT = f"SELECT {', '.join(ATTEMPT_FIELDS)} FROM attempts"  # noqa: S608


def _to_row(a: Attempt) -> tuple[Any, ...]:
    """The stored form, with the answer as JSON text and the flags as 0/1 (SQLite has no JSON or bool type)."""
    stored: dict[str, Any] = dict(a.to_dict())
    stored["answer"] = answer_json(a.answer)
    stored["correct"], stored["critical"] = int(a.correct), int(a.critical)
    return tuple(stored[name] for name in ATTEMPT_FIELDS)


def _from_row(row: tuple[Any, ...]) -> Attempt:
    stored = dict(zip(ATTEMPT_FIELDS, row, strict=True))
    stored["answer"] = json.loads(stored["answer"])
    stored["correct"], stored["critical"] = bool(stored["correct"]), bool(stored["critical"])
    return Attempt.from_dict(stored)


class SQLiteProgressStore:
    """Reads and writes attempts and settings in one SQLite file (a ``ProgressStore``).

    Opens lazily: constructing never touches the disk, and every method opens the file
    if needed, so a store whose folder was read-only at startup starts working once it
    is fixed. Call ``open()`` at startup to surface problems early, then show
    ``startup_notice`` if it is set. Safe to share between threads; one connection per store.
    """

    def __init__(self, path: Path | str | None = None, *, timeout: float = 5.0) -> None:
        self._path = Path(path if path is not None else default_db_path()).expanduser().absolute()
        self._timeout = timeout
        self._file = SQLiteFile(self._path, timeout)
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None  # of the file self._conn has open
        self._closed = False
        self._lock = threading.RLock()

    @property
    def path(self) -> Path:
        """The database file, absolute, so messages name it unambiguously."""
        return self._path

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def recovered_from(self) -> Path | None:
        """Where a damaged database found at ``path`` was moved to, if one was."""
        return self._file.recovered_from

    @property
    def notice(self) -> StoreCorruptError | None:
        """The error describing such a recovery, if there was one."""
        return self._file.notice

    @property
    def backup_path(self) -> Path | None:
        """The copy made before migrating an older schema, if one was made."""
        return self._file.backup_path

    @property
    def startup_notice(self) -> str | None:
        if self.recovered_from is None:
            return None
        return (f"Your progress file was damaged and was moved aside to {self.recovered_from}; "
                "a new one was started. Keep the old file for your instructor.")

    def exists(self) -> bool:
        return self._path.exists()

    def open(self) -> None:
        """Open (creating, recovering or migrating the file as needed); idempotent."""
        self._run("open", lambda conn: None, write=False)

    def close(self) -> None:
        """Close the connection (SQLite then folds the WAL back into the file); idempotent."""
        with self._lock:
            self._closed = True
            self._drop_connection()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- public operations

    def record(self, attempt: Attempt) -> None:
        """Write one attempt in its own transaction; a known ``attempt_uid`` is a no-op."""
        self.record_many([attempt])

    def record_many(self, attempts: Iterable[Attempt]) -> int:
        """Write attempts in one transaction; returns how many were new."""
        rows = [_to_row(a) for a in attempts]

        def write(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany(_INSERT, rows)
            return conn.total_changes - before

        return self._run("save answers to", write, write=True)

    def attempts(self, *, trainee: str | None = None, module_id: str | None = None) -> list[Attempt]:
        """Stored attempts, oldest first, optionally for one trainee and/or module."""
        clauses, params = [], []
        for column, value in (("trainee", trainee), ("module_id", module_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"{_SELECT}{where} ORDER BY submitted_at, id"
        rows = self._run("read", lambda conn: conn.execute(sql, params).fetchall(), write=False)
        return [_from_row(row) for row in rows]

    def trainees(self) -> list[str]:
        """Names that have at least one attempt, sorted."""
        sql = "SELECT DISTINCT trainee FROM attempts ORDER BY trainee"
        rows = self._run("read", lambda conn: conn.execute(sql).fetchall(), write=False)
        return [str(row[0]) for row in rows]

    def set_setting(self, key: str, value: str) -> None:
        """Remember a small value (such as the trainee's name) across sessions."""
        sql = "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        self._run("save settings to", lambda conn: conn.execute(sql, (key, value)), write=True)

    def get_setting(self, key: str) -> str | None:
        """A value stored with ``set_setting``, or None if it was never set."""
        sql = "SELECT value FROM settings WHERE key = ?"
        row = self._run("read", lambda conn: conn.execute(sql, (key,)).fetchone(), write=False)
        return None if row is None else str(row[0])

    # -- machinery

    def _run(self, action: str, fn: Callable[[sqlite3.Connection], _T], *, write: bool) -> _T:
        """Run ``fn`` (in a ``BEGIN IMMEDIATE`` transaction if ``write``), retrying while busy.

        SQLite's busy handler already waits up to ``timeout`` for a lock; this loop covers
        the cases where SQLite reports BUSY without waiting (e.g. WAL recovery).
        """
        with self._lock:
            if self._closed:
                raise StoreError(self._path, f"The progress store for {self._path} was closed.")
            deadline = time.monotonic() + self._timeout
            while True:
                try:
                    return self._attempt(fn, write=write)
                except sqlite3.Error as exc:
                    error = self._file.translate(exc, action)
                    if isinstance(error, StoreCorruptError | StoreReadOnlyError):
                        # Reopen on the next call: that recovers a damaged file, and a
                        # connection SQLite opened read-only stays read-only after the
                        # file becomes writable again.
                        self._drop_connection()
                    if not isinstance(error, StoreLockedError) or time.monotonic() >= deadline:
                        raise error from exc
                except StoreLockedError:
                    if time.monotonic() >= deadline:
                        raise
                time.sleep(random.uniform(0.005, 0.05))

    def _attempt(self, fn: Callable[[sqlite3.Connection], _T], *, write: bool) -> _T:
        if self._conn is not None and file_identity(self._path) != self._identity:
            # The file was renamed or deleted under us (by a person, or by another process
            # moving a damaged file aside). SQLite would go on committing to the old file's
            # WAL without an error, so reopen at the path instead.
            self._drop_connection()
        if self._conn is None:
            self._conn = self._file.connect()
            self._identity = file_identity(self._path)
        conn = self._conn
        if not write:
            return fn(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                # The original error matters; a failed rollback is reported by SQLite
                # on the next statement anyway.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        return result

    def _drop_connection(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()
