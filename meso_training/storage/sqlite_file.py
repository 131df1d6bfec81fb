"""Opening one SQLite progress file safely: checked before use, moved aside when damaged, upgraded with a backup.

The file policy of the SQLite store, apart from its reads and writes:

* **A damaged file never stops a trainee.** A file that is not a database, or fails
  ``PRAGMA quick_check``, is moved aside to ``<name>.corrupt-<UTC time>`` (never deleted)
  and a fresh database is started with every answer SQLite can still read from it
  (``sqlite_salvage``); ``recovered_from`` and ``notice`` say so for the UI. The check
  runs on a read-only connection so the file and its WAL move exactly as found.
* **A read-only file or folder still shows progress.** ``connect_read_only`` reads it
  in place, or a private snapshot of it when WAL's ``-shm`` file cannot be made there.
* **Schema upgrades keep a copy.** An older file is first backed up to
  ``<name>.backup-v<N>-<UTC time>`` with the SQLite backup API, then migrated in one
  transaction (see ``sqlite_migrations``). A file from a newer release is left untouched.
* **Failures have names.** ``translate`` turns ``sqlite3`` and ``OSError`` failures into
  ``StoreError`` subclasses whose messages name the file and say what to do.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
import tempfile
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
from meso_training.storage.sqlite_lock_holders import lock_holders
from meso_training.storage.sqlite_rows import decode_text
from meso_training.storage.sqlite_salvage import salvage

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


def _connect(target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    """Every connection of the store: autocommit (transactions are explicit), rows decoded one by one."""
    conn = sqlite3.connect(target, timeout=timeout, uri=uri, isolation_level=None, check_same_thread=False)
    conn.text_factory = decode_text
    return conn


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
        self._snapshot_dir: tempfile.TemporaryDirectory[str] | None = None

    def connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self.translate(exc, "create the folder of") from exc
        identity = file_identity(self.path)
        moved: Path | None = None
        try:
            self._inspect()
        except StoreCorruptError:
            if file_identity(self.path) == identity:  # else another process recovered it
                try:
                    moved = migrations.move_aside(self.path)
                except OSError as exc:
                    raise StoreCorruptError(self.path, None, str(exc)) from exc
        conn = self._open_checked()
        if moved is not None:
            try:
                saved = salvage(moved, conn)
            except sqlite3.Error as exc:  # the new file could not take them: say so, keep going
                conn.close()
                raise self.translate(exc, "copy the readable answers into") from exc
            self.recovered_from = moved
            self.notice = StoreCorruptError(self.path, moved, "", saved.recovered, saved.found)
        return conn

    def connect_read_only(self) -> sqlite3.Connection | None:
        """A connection that only reads, for a file or folder that cannot be written; None if there is no file.

        First the file itself with ``mode=ro``, which sees what others write. In WAL mode
        reading needs the ``-shm`` file, which a read-only folder cannot hold: then a
        private snapshot (the file and its WAL copied to a temporary folder) is read
        instead, migrated there if it is from an older release. The file is never written.
        """
        self.release_snapshot()
        if not self.path.exists():
            return None
        try:
            self._inspect()
            conn = _connect(f"{self.path.as_uri()}?mode=ro", self.timeout, uri=True)
            try:
                version, _ = migrations.inspect(conn)
                if version == migrations.CURRENT_VERSION:
                    return conn
            except sqlite3.Error:
                pass
            conn.close()
        except StoreReadOnlyError:
            pass
        return self._snapshot()

    def _snapshot(self) -> sqlite3.Connection:
        self._snapshot_dir = tempfile.TemporaryDirectory(prefix="meso-training-readonly-")
        copy = Path(self._snapshot_dir.name) / self.path.name
        try:
            for suffix in ("", "-wal"):
                source = Path(f"{self.path}{suffix}")
                if source.exists():
                    shutil.copyfile(source, Path(f"{copy}{suffix}"))
        except OSError as exc:
            self.release_snapshot()
            raise self.translate(exc, "read") from exc
        snapshot = SQLiteFile(copy, self.timeout)
        try:
            return snapshot.connect()
        except StoreError as exc:
            self.release_snapshot()
            raise StoreError(self.path, str(exc).replace(str(copy), str(self.path))) from exc

    def release_snapshot(self) -> None:
        """Remove the snapshot copy a read-only connection read (call after closing it)."""
        if self._snapshot_dir is not None:
            folder, self._snapshot_dir = self._snapshot_dir, None
            folder.cleanup()

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
        conn = _connect(f"{self.path.as_uri()}?mode=ro", self.timeout, uri=True)
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
        try:
            conn = _connect(str(self.path), self.timeout)
        except sqlite3.Error as exc:
            raise self.translate(exc, "open") from exc
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
            return StoreLockedError(self.path, self.timeout, tuple(lock_holders(self.path)))
        if code in _READ_ONLY_CODES and not self.path.is_dir():
            return StoreReadOnlyError(self.path)
        if code == sqlite3.SQLITE_FULL:
            return StoreFullError(self.path)
        if code in {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}:
            return StoreCorruptError(self.path, None, str(exc))
        return StoreError(self.path, f"Could not {action} the progress database {self.path}: {exc}.")
