"""The embedded progress store: every quiz submission in one SQLite file per trainee machine.

Why these choices:

* **SQLite in WAL mode.** Several notebooks (kernels) may write one file at once; WAL
  lets them read while one writes, and every write is a short ``BEGIN IMMEDIATE``
  transaction; a writer that finds the lock taken tries again within 10 ms until
  ``timeout`` (20 s) is spent, so normal contention never fails a save (see ``_run``).
* **One bad row hides nothing.** Rows are decoded one by one; a damaged one is set aside
  (``sqlite_rows``) and named once in ``startup_notice``.
* **Read-only still reads.** A file or folder that cannot be written is read read-only,
  and saving fails with ``StoreReadOnlyError`` (the UI keeps the answers pending).
* **``synchronous = FULL``.** ``record`` returns only after the row is fsynced, so an
  acknowledged answer survives the kernel being killed *and* a power cut. ``NORMAL``
  would survive a killed process but could lose the last commits on power loss; at one
  answer every few seconds the fsync costs nothing a trainee notices
  (``bench/bench_store.py`` measures it).
* **Idempotent writes.** Each ``Attempt`` carries a caller-made, unique ``attempt_uid``: no retry or re-import doubles.
* **The file at the path is the file written.** A store notices when its file was
  renamed or deleted while open (SQLite would keep committing to the old WAL without
  complaint) and reopens at the path.
* Opening, recovery (and salvage) of a damaged file and upgrades are ``sqlite_file``'s; the
  schema history ``sqlite_migrations``'; certificates ``sqlite_certificates``' (inherited).
"""

from __future__ import annotations

import contextlib
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from meso_training.errors import StoreCorruptError, StoreError, StoreLockedError, StoreReadOnlyError
from meso_training.model.attempt import Attempt
from meso_training.storage import default_db_path
from meso_training.storage.sqlite_certificates import SQLiteCertificates
from meso_training.storage.sqlite_file import SQLiteFile, file_identity
from meso_training.storage.sqlite_lock_holders import lock_holders
from meso_training.storage.sqlite_rows import (
    INSERT,
    SELECT,
    damaged_notice,
    decode_rows,
    quarantine,
    quarantined_count,
    readable_text,
    to_row,
)
from meso_training.storage.store_base import StoreBase

_T = TypeVar("_T")
log = logging.getLogger(__name__)
_MAX_PAUSE = 0.01  # seconds between tries for a busy lock: short, so a waiter is never starved for long


class SQLiteProgressStore(SQLiteCertificates, StoreBase):
    """Reads and writes attempts and settings in one SQLite file (a ``ProgressStore``).

    Opens lazily (constructing never touches the disk) and every method opens the file if
    needed, so a store whose folder was read-only at startup starts working once it is
    fixed. Show ``startup_notice`` after the first read. Safe to share between threads.
    ``timeout``: how long a save may wait for the write lock; ``read_timeout`` (default:
    the smaller of ``timeout`` and 5 s): how long a read or an open may wait.
    """

    def __init__(self, path: Path | str | None = None, *, timeout: float = 20.0,
                 read_timeout: float | None = None) -> None:
        self._path = Path(path if path is not None else default_db_path()).expanduser().absolute()
        self._timeout = timeout
        self._read_timeout = min(timeout, 5.0) if read_timeout is None else read_timeout
        self._file = SQLiteFile(self._path, self._read_timeout)
        self._conn: sqlite3.Connection | None = None
        self._read_only = False  # self._conn only reads (the file or its folder cannot be written)
        self._identity: tuple[int, int] | None = None  # of the file self._conn has open
        self._closed = False
        self._notices: dict[str, str] = {}
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
        notices = dict(self._notices)
        recovered = self._file.notice
        if recovered is not None:
            found, got = recovered.found or 0, recovered.recovered or 0
            what = (f"{got} of the {found} answers it held were copied into a new file"
                    if got else "a new file was started (no answers could be read from it)")
            notices = {"recovered": (
                f"Your progress file was damaged and was moved aside to {recovered.moved_to} (nothing was "
                f"deleted); {what}. Keep the old file for your course team."), **notices}
        return " ".join(notices.values()) or None

    def exists(self) -> bool:
        return self._path.exists()
    def open(self) -> None:
        """Open (creating, recovering or migrating the file as needed; read-only if it must be); idempotent."""
        self._read("open", lambda conn: None, None)

    def close(self) -> None:
        """Close the connection (SQLite then folds the WAL back into the file); idempotent."""
        with self._lock:
            self._closed = True
            self._drop_connection()

    # -- public operations

    def record_many(self, attempts: Iterable[Attempt]) -> int:
        """Write attempts in one transaction; returns how many were new.

        ``attempts`` may be a generator: rows stream into the transaction, and an exception
        from the generator rolls all of them back.
        """
        def write(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany(INSERT, (to_row(a) for a in attempts))
            return conn.total_changes - before

        return self._write("save answers to", write, self._timeout)

    def attempts(self, *, trainee: str | None = None, module_id: str | None = None) -> list[Attempt]:
        """Stored attempts, oldest first, optionally for one trainee and/or module.

        A row that cannot be read is left out, set aside and named in ``startup_notice``;
        the others are all returned.
        """
        clauses, params = [], []
        for column, value in (("trainee", trainee), ("module_id", module_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"{SELECT}{where} ORDER BY submitted_at, id"
        rows: list[tuple[Any, ...]] = self._read("read", lambda conn: conn.execute(sql, params).fetchall(), [])
        readable, damaged = decode_rows(rows)
        if damaged:
            self._set_aside(damaged, len(readable))
        return readable

    def trainees(self) -> list[str]:
        """Names that have at least one attempt, sorted."""
        sql = "SELECT DISTINCT trainee FROM attempts ORDER BY trainee"
        rows: list[tuple[Any, ...]] = self._read("read", lambda conn: conn.execute(sql).fetchall(), [])
        return [name for (value,) in rows if (name := readable_text(value)) is not None]  # unreadable: set aside

    def set_aside_count(self) -> int:
        """How many stored answers could not be read and are kept aside, unchanged."""
        return self._read("read", quarantined_count, 0)

    def set_setting(self, key: str, value: str) -> None:
        """Remember a small value (such as the trainee's name) across sessions."""
        sql = "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        self._write("save settings to", lambda conn: conn.execute(sql, (key, value)), self._timeout)

    def get_setting(self, key: str) -> str | None:
        """A value stored with ``set_setting``, or None if it was never set (or cannot be read)."""
        sql = "SELECT value FROM settings WHERE key = ?"
        row = self._read("read", lambda conn: conn.execute(sql, (key,)).fetchone(), None)
        return None if row is None else readable_text(row[0])

    # -- machinery

    def _set_aside(self, damaged: list[tuple[int, str]], readable: int) -> None:
        try:
            self._write("set aside damaged answers in", lambda conn: quarantine(conn, damaged), self._read_timeout)
            where = "set aside, unchanged, in the file's quarantined_attempts table"
        except StoreError as exc:
            log.warning("damaged rows not set aside: %s", exc)
            where = "skipped, and left in the file unchanged"
        log.warning("%d unreadable rows in %s: %s", len(damaged), self._path, damaged[:5])
        self._notices["damaged"] = damaged_notice(self._path, damaged, readable, where)

    def _read(self, action: str, fn: Callable[[sqlite3.Connection], _T], empty: _T) -> _T:
        """Run ``fn`` on a connection, read-only if the file cannot be written; ``empty`` if there is no file."""
        return self._run(action, fn, write=False, budget=self._read_timeout, empty=empty)

    def _write(self, action: str, fn: Callable[[sqlite3.Connection], _T], budget: float) -> _T:
        """Run ``fn`` in a ``BEGIN IMMEDIATE`` transaction, waiting up to ``budget`` s for the lock."""
        return self._run(action, fn, write=True, budget=budget, empty=None)

    def _run(self, action: str, fn: Callable[[sqlite3.Connection], _T], *, write: bool, budget: float,
             empty: _T | None) -> _T:
        """Retry while the file is busy, with short random pauses, until ``budget`` is spent.

        Not SQLite's busy handler: it sleeps longer and longer (up to 100 ms a time) while
        newcomers take the lock at once, so under load one waiter could lose for seconds.
        Here every waiter tries again within ``_MAX_PAUSE``: a fair, short wait."""
        with self._lock:
            if self._closed:
                raise StoreError(self._path, f"The progress store for {self._path} was closed.")
            deadline = time.monotonic() + budget
            pause = 0.0005
            while True:
                try:
                    conn = self._connection(write=write)
                    if conn is None:
                        return empty  # type: ignore[return-value]  # reads only: no file yet, nothing to read
                    return self._attempt(conn, fn, write=write)
                except sqlite3.Error as exc:
                    error = self._file.translate(exc, action)
                    if isinstance(error, StoreCorruptError | StoreReadOnlyError):
                        # Reopen on the next call: that recovers a damaged file, and a
                        # connection SQLite opened read-only stays read-only after the
                        # file becomes writable again.
                        self._drop_connection()
                    if not isinstance(error, StoreLockedError):
                        raise error from exc
                except StoreLockedError:
                    pass
                if time.monotonic() >= deadline:
                    raise StoreLockedError(self._path, budget, tuple(lock_holders(self._path)))
                time.sleep(random.uniform(0, pause))
                pause = min(pause * 2, _MAX_PAUSE)

    def _connection(self, *, write: bool) -> sqlite3.Connection | None:
        if self._conn is not None and (file_identity(self._path) != self._identity or (write and self._read_only)):
            # The file was renamed or deleted under us (SQLite would go on committing to the
            # old file's WAL), or a write is tried again on a read-only connection.
            self._drop_connection()
        if self._conn is None:
            try:
                self._conn = self._file.connect()
                self._read_only = False
            except StoreReadOnlyError:
                if write:
                    raise
                self._conn = self._file.connect_read_only()
                self._read_only = self._conn is not None
                self._notices["read-only"] = (
                    f"Your progress file {self._path} cannot be written (the file or its folder is read-only): "
                    "your earlier answers are shown, and new answers are kept in memory until it can be "
                    "written again.")
            if self._conn is None:
                return None
            self._conn.execute("PRAGMA busy_timeout = 0")  # _run does the waiting
            self._identity = file_identity(self._path)
            if not self._read_only:
                self._notices.pop("read-only", None)
        return self._conn

    def _attempt(self, conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection], _T], *, write: bool) -> _T:
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
        self._file.release_snapshot()
        self._read_only = False
