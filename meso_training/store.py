"""The durable record of every quiz submission: one SQLite file per trainee machine.

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
* **Failures have names.** Every failure is a ``StoreError`` subclass whose message
  names the file and says what to do; none is a raw ``sqlite3`` traceback. The UI hands
  answers to ``PendingAttempts.save`` so one that cannot be written stays in memory and
  is written with the next submission.
* **A damaged file never stops a trainee.** Opening a file that is not a database, or
  fails ``PRAGMA quick_check``, moves it aside to ``<name>.corrupt-<UTC time>`` (never
  deleted), starts a fresh database, and records the moved path in
  ``ProgressStore.recovered_from`` and ``ProgressStore.notice`` for the UI to show.
  Opening succeeds rather than raising, so the trainee keeps going. The check runs on a
  read-only connection so the file and its WAL are moved exactly as found.
* **The file at the path is the file written.** A store notices when its file was
  renamed or deleted while open (SQLite would keep committing to the old WAL without
  complaint) and reopens at the path.
* **Schema upgrades keep a copy.** An older file is first backed up to
  ``<name>.backup-v<N>-<UTC time>`` with the SQLite backup API, then migrated in one
  transaction (see ``_migrations``). A file from a newer release is left untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import platformdirs

from meso_training import _migrations
from meso_training.attempt import Attempt, _answer_json, _iso
from meso_training.errors import (
    AttemptError,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreVersionError,
)

__all__ = [
    "Attempt",
    "AttemptError",
    "PendingAttempts",
    "ProgressStore",
    "StoreCorruptError",
    "StoreError",
    "StoreFullError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreVersionError",
    "default_db_path",
]

_T = TypeVar("_T")


_COLUMNS = tuple(f.name for f in fields(Attempt))
# S608: the SQL is built from the dataclass's own field names, never from input.
_INSERT = (
    f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "  # noqa: S608
    "ON CONFLICT (attempt_uid) DO NOTHING"
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM attempts"  # noqa: S608


def _to_row(a: Attempt) -> tuple[Any, ...]:
    converted = {
        "answer": _answer_json(a.answer),
        "correct": int(a.correct),
        "critical": int(a.critical),
        "shown_at": _iso(a.shown_at),
        "submitted_at": _iso(a.submitted_at),
    }
    return tuple(converted.get(name, getattr(a, name)) for name in _COLUMNS)


def _from_row(row: tuple[Any, ...]) -> Attempt:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["answer"] = json.loads(values["answer"])
    values["correct"], values["critical"] = bool(values["correct"]), bool(values["critical"])
    values["shown_at"] = dt.datetime.fromisoformat(values["shown_at"])
    values["submitted_at"] = dt.datetime.fromisoformat(values["submitted_at"])
    return Attempt(**values)


def default_db_path() -> Path:
    """``$MESO_TRAINING_DB`` if set, else ``progress.sqlite3`` in the user data folder."""
    configured = os.environ.get("MESO_TRAINING_DB", "")
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path("meso-training") / "progress.sqlite3"


# --- the store ------------------------------------------------------------------

_SQLITE_HEADER = b"SQLite format 3\x00"
_READ_ONLY_CODES = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN}
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


class ProgressStore:
    """Reads and writes attempts and settings in one SQLite file.

    Opens lazily: constructing never touches the disk, and every method opens the file
    if needed, so a store whose folder was read-only at startup starts working once it
    is fixed. Call ``open()`` at startup to surface problems early, then show
    ``notice`` if it is set. Safe to share between threads; one connection per store.
    """

    def __init__(self, path: Path | str | None = None, *, timeout: float = 5.0) -> None:
        self._path = Path(path if path is not None else default_db_path()).expanduser().absolute()
        self._timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None  # of the file self._conn has open
        self._closed = False
        self._lock = threading.RLock()
        self.recovered_from: Path | None = None
        """Where a damaged database found at ``path`` was moved to, if one was."""
        self.notice: StoreCorruptError | None = None
        """The message to show a trainee after such a recovery."""
        self.backup_path: Path | None = None
        """The copy made before migrating an older schema, if one was made."""

    @property
    def path(self) -> Path:
        """The database file, absolute, so messages name it unambiguously."""
        return self._path

    def open(self) -> None:
        """Open (creating, recovering or migrating the file as needed); idempotent."""
        self._run("open", lambda conn: None, write=False)

    def close(self) -> None:
        """Close the connection (SQLite then folds the WAL back into the file); idempotent."""
        with self._lock:
            self._closed = True
            self._drop_connection()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
                    error = self._translate(exc, action)
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
        if self._conn is not None and _file_identity(self._path) != self._identity:
            # The file was renamed or deleted under us (by a person, or by another process
            # moving a damaged file aside). SQLite would go on committing to the old file's
            # WAL without an error, so reopen at the path instead.
            self._drop_connection()
        if self._conn is None:
            self._conn = self._open()
            self._identity = _file_identity(self._path)
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

    def _open(self) -> sqlite3.Connection:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._translate(exc, "create the folder of") from exc
        identity = _file_identity(self._path)
        try:
            self._inspect()
        except StoreCorruptError:
            if _file_identity(self._path) == identity:  # else another process recovered it
                try:
                    self.recovered_from = _migrations.move_aside(self._path)
                except OSError as exc:
                    raise StoreCorruptError(self._path, None, str(exc)) from exc
                self.notice = StoreCorruptError(self._path, self.recovered_from)
        return self._open_checked()

    def _inspect(self) -> None:
        """Check an existing file through a read-only connection before writing to it.

        Read-only, because a read-write connection to a damaged file would, on closing,
        checkpoint or delete the WAL beside it: the file and its WAL must reach
        ``move_aside`` exactly as they were. A newer or foreign file is refused untouched.
        """
        try:
            with self._path.open("rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self._translate(exc, "read") from exc
        if not header:
            return  # an empty file is an empty database
        if header != _SQLITE_HEADER:
            raise StoreCorruptError(self._path, None, "it is not an SQLite database")
        conn = sqlite3.connect(f"{self._path.as_uri()}?mode=ro", uri=True, timeout=self._timeout)
        try:
            version, has_tables = _migrations.inspect(conn)
            if version > _migrations.CURRENT_VERSION:
                raise StoreVersionError(self._path, version, _migrations.CURRENT_VERSION)
            if version == 0 and has_tables:
                raise StoreError(
                    self._path,
                    f"{self._path} is not a meso-training progress database (it holds other "
                    "tables). Set MESO_TRAINING_DB to another file name.",
                )
            check = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
            if check != ["ok"]:
                raise StoreCorruptError(self._path, None, "; ".join(check[:3]))
        except sqlite3.Error as exc:
            raise self._translate(exc, "open") from exc
        finally:
            conn.close()

    def _open_checked(self) -> sqlite3.Connection:
        """The read-write connection, in WAL mode, with the schema brought up to date."""
        conn = sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            version, _ = _migrations.inspect(conn)
            if version < _migrations.CURRENT_VERSION:
                self._upgrade(conn, version)
        except sqlite3.Error as exc:
            conn.close()
            raise self._translate(exc, "open") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _upgrade(self, conn: sqlite3.Connection, version: int) -> None:
        """Back up an existing file, then migrate it in one transaction."""
        backup = _migrations.backup(conn, self._path, version) if version > 0 else None
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _migrations.schema_version(conn)  # another process may have won
            if current < _migrations.CURRENT_VERSION:
                _migrations.migrate(conn, current)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # keep the original error
                    conn.execute("ROLLBACK")
            raise
        self.backup_path = backup

    def _translate(self, exc: sqlite3.Error | OSError, action: str) -> StoreError:
        """Name the failure so the trainee (and ``PendingAttempts``) can act on it."""
        if isinstance(exc, OSError):
            if exc.errno in _READ_ONLY_ERRNOS:
                return StoreReadOnlyError(self._path)
            if exc.errno in _FULL_ERRNOS:
                return StoreFullError(self._path)
            return StoreError(self._path, f"Could not {action} the progress database {self._path}: {exc}.")
        code = getattr(exc, "sqlite_errorcode", -1) & 0xFF
        if code in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}:
            return StoreLockedError(self._path, self._timeout)
        if code in _READ_ONLY_CODES and not self._path.is_dir():
            return StoreReadOnlyError(self._path)
        if code == sqlite3.SQLITE_FULL:
            return StoreFullError(self._path)
        if code in {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}:
            return StoreCorruptError(self._path, None, str(exc))
        return StoreError(self._path, f"Could not {action} the progress database {self._path}: {exc}.")


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


class PendingAttempts:
    """Answers not yet written, kept in memory so a store failure never loses one.

    The UI submits through ``save``: the answer joins the pending ones, and all of them
    are written in one transaction (idempotent by ``attempt_uid``). If that fails the
    ``StoreError`` propagates for the UI to show, and every answer stays pending for the
    next ``save`` or ``retry``. Memory only: a kernel restart loses what is still pending.
    """

    def __init__(self) -> None:
        self._items: dict[str, Attempt] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def attempts(self) -> list[Attempt]:
        """The pending attempts, oldest first (a snapshot)."""
        with self._lock:
            return list(self._items.values())

    def add(self, attempt: Attempt) -> None:
        with self._lock:
            self._items.setdefault(attempt.attempt_uid, attempt)

    def save(self, store: ProgressStore, attempt: Attempt) -> None:
        """Keep ``attempt``, then write it with every earlier pending one; may raise StoreError."""
        self.add(attempt)
        self.retry(store)

    def retry(self, store: ProgressStore) -> int:
        """Write every pending attempt; returns how many are now safely stored.

        Raises the ``StoreError`` if the write fails; nothing is dropped then.
        """
        batch = self.attempts()
        if not batch:
            return 0
        store.record_many(batch)
        with self._lock:
            for attempt in batch:
                self._items.pop(attempt.attempt_uid, None)
        return len(batch)
