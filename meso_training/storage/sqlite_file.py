"""Opening one SQLite progress file safely: checked before use, moved aside when damaged, upgraded with a backup.

The file policy of the SQLite store, apart from its reads and writes:

* **A damaged file never stops a trainee.** A file that is not a database, or fails
  ``PRAGMA quick_check``, is moved aside to ``<name>.corrupt-<UTC time>`` (never deleted)
  and a fresh database is started; ``recovered_from`` and ``notice`` say so for the UI.
  The check runs on a read-only connection so the file and its WAL move exactly as found.
* **Schema upgrades keep a copy.** An older file is first backed up to
  ``<name>.backup-v<N>-<UTC time>`` with the SQLite backup API, then migrated in one
  transaction (see ``sqlite_migrations``). A file from a newer release is left untouched.
* **Failures have names.** ``translate`` turns ``sqlite3`` and ``OSError`` failures into
  ``StoreError`` subclasses whose messages name the file and say what to do.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from pathlib import Path

from meso_training.errors import (
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreVersionError,
)
from meso_training.storage import sqlite_migrations as migrations

_SQLITE_HEADER = b"SQLite format 3\x00"
_READ_ONLY_CODES = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN}
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def file_identity(path: Path) -> tuple[int, int] | None:
    """Device and inode: tells a file renamed or replaced under an open connection."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


class SQLiteFile:
    """One progress file: ``connect`` gives a checked, up-to-date, WAL-mode connection to it."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path, self.timeout = path, timeout
        self.recovered_from: Path | None = None
        """Where a damaged database found at ``path`` was moved to, if one was."""
        self.notice: StoreCorruptError | None = None
        """The message to show a trainee after such a recovery."""
        self.backup_path: Path | None = None
        """The copy made before migrating an older schema, if one was made."""

    def connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self.translate(exc, "create the folder of") from exc
        identity = file_identity(self.path)
        try:
            self._inspect()
        except StoreCorruptError:
            if file_identity(self.path) == identity:  # else another process recovered it
                try:
                    self.recovered_from = migrations.move_aside(self.path)
                except OSError as exc:
                    raise StoreCorruptError(self.path, None, str(exc)) from exc
                self.notice = StoreCorruptError(self.path, self.recovered_from)
        return self._open_checked()

    def _inspect(self) -> None:
        """Check an existing file through a read-only connection before writing to it.

        Read-only, because a read-write connection to a damaged file would, on closing,
        checkpoint or delete the WAL beside it: the file and its WAL must reach
        ``move_aside`` exactly as they were. A newer or foreign file is refused untouched.
        """
        try:
            with self.path.open("rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self.translate(exc, "read") from exc
        if not header:
            return  # an empty file is an empty database
        if header != _SQLITE_HEADER:
            raise StoreCorruptError(self.path, None, "it is not an SQLite database")
        conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=self.timeout)
        try:
            version, has_tables = migrations.inspect(conn)
            if version > migrations.CURRENT_VERSION:
                raise StoreVersionError(self.path, version, migrations.CURRENT_VERSION)
            if version == 0 and has_tables:
                raise StoreError(
                    self.path,
                    f"{self.path} is not a meso-training progress database (it holds other "
                    "tables). Set MESO_TRAINING_DB to another file name.",
                )
            check = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
            if check != ["ok"]:
                raise StoreCorruptError(self.path, None, "; ".join(check[:3]))
        except sqlite3.Error as exc:
            raise self.translate(exc, "open") from exc
        finally:
            conn.close()

    def _open_checked(self) -> sqlite3.Connection:
        """The read-write connection, in WAL mode, with the schema brought up to date."""
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            version, _ = migrations.inspect(conn)
            if version < migrations.CURRENT_VERSION:
                self._upgrade(conn, version)
        except sqlite3.Error as exc:
            conn.close()
            raise self.translate(exc, "open") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _upgrade(self, conn: sqlite3.Connection, version: int) -> None:
        """Back up an existing file, then migrate it in one transaction."""
        backup = migrations.backup(conn, self.path, version) if version > 0 else None
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = migrations.schema_version(conn)  # another process may have won
            if current < migrations.CURRENT_VERSION:
                migrations.migrate(conn, current)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # keep the original error
                    conn.execute("ROLLBACK")
            raise
        self.backup_path = backup

    def translate(self, exc: sqlite3.Error | OSError, action: str) -> StoreError:
        """Name the failure so the trainee (and ``PendingAttempts``) can act on it."""
        if isinstance(exc, OSError):
            if exc.errno in _READ_ONLY_ERRNOS:
                return StoreReadOnlyError(self.path)
            if exc.errno in _FULL_ERRNOS:
                return StoreFullError(self.path)
            return StoreError(self.path, f"Could not {action} the progress database {self.path}: {exc}.")
        code = getattr(exc, "sqlite_errorcode", -1) & 0xFF
        if code in {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}:
            return StoreLockedError(self.path, self.timeout)
        if code in _READ_ONLY_CODES and not self.path.is_dir():
            return StoreReadOnlyError(self.path)
        if code == sqlite3.SQLITE_FULL:
            return StoreFullError(self.path)
        if code in {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}:
            return StoreCorruptError(self.path, None, str(exc))
        return StoreError(self.path, f"Could not {action} the progress database {self.path}: {exc}.")
