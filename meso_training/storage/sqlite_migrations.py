"""Schema history of the progress database, and the file moves that guard it.

Kept apart from ``store`` so the history reads top to bottom: each step turns schema
version N into N + 1 and is never edited once released, because trainees' databases
in the wild are at every version. A new column means a new step, not a changed one.

Nothing here knows about ``StoreError``: functions raise ``sqlite3.Error`` or
``OSError`` and ``store`` turns those into messages a trainee can act on.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

# Version 1: the first release. Answers only; no shuffle seed and no uid, so a retried
# write could be stored twice.
_V1 = (
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        trainee TEXT NOT NULL,
        module_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        answer TEXT NOT NULL,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
        mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
        shown_at TEXT NOT NULL,
        submitted_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX attempts_by_trainee ON attempts (trainee, module_id)",
)

# Version 2: the shuffle seed, and a caller-made uid that makes every write idempotent.
# SQLite cannot add a NOT NULL UNIQUE column in place, so the table is rebuilt; rows
# from version 1 get a random uid of the same shape as ``uuid4().hex``.
_V2 = (
    """
    CREATE TABLE attempts_v2 (
        id INTEGER PRIMARY KEY,
        attempt_uid TEXT NOT NULL UNIQUE CHECK (length(attempt_uid) > 0),
        trainee TEXT NOT NULL,
        module_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        answer TEXT NOT NULL,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
        mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
        seed INTEGER,
        shown_at TEXT NOT NULL,
        submitted_at TEXT NOT NULL
    )
    """,
    """
    INSERT INTO attempts_v2 (
        id, attempt_uid, trainee, module_id, item_id, question_id, content_hash, answer,
        score, points, max_points, correct, critical, mode, seed, shown_at, submitted_at)
    SELECT
        id, lower(hex(randomblob(16))), trainee, module_id, item_id, question_id,
        content_hash, answer, score, points, max_points, correct, critical, mode, NULL,
        shown_at, submitted_at
    FROM attempts
    """,
    "DROP TABLE attempts",
    "ALTER TABLE attempts_v2 RENAME TO attempts",
    "CREATE INDEX attempts_by_trainee ON attempts (trainee, module_id)",
)

# Version 3: settings (such as the remembered trainee name) and an index for the
# chronological listing every progress view asks for.
_V3 = (
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE INDEX attempts_by_time ON attempts (submitted_at, id)",
)

# Version 4: a place for rows that can no longer be read (a changed byte, text that is not
# UTF-8, an answer nested too deep), so that one bad row never hides the others. The
# copied columns have no declared type: SQLite keeps each value exactly as it was.
_V4 = (
    """
    CREATE TABLE quarantined_attempts (
        id INTEGER PRIMARY KEY,
        attempt_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        quarantined_at TEXT NOT NULL,
        attempt_uid, trainee, module_id, item_id, question_id, content_hash, answer, score,
        points, max_points, correct, critical, mode, seed, shown_at, submitted_at
    )
    """,
)

# Version 5: certificates issued for passed assessments, so the code printed on one can be
# checked (``meso-training verify-certificate``). One row per trainee, module and set of
# attempts (``attempt_uids``, a sorted JSON list): showing a summary twice issues one code.
# No foreign key to ``attempts``: a certificate outlives a file that lost its answers, and
# verification says so.
_V5 = (
    """
    CREATE TABLE certificates (
        code TEXT PRIMARY KEY CHECK (length(code) = 12),
        trainee TEXT NOT NULL,
        course_title TEXT NOT NULL,
        module_id TEXT NOT NULL,
        module_title TEXT NOT NULL,
        content_version TEXT NOT NULL,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        pass_mark REAL NOT NULL CHECK (pass_mark BETWEEN 0 AND 1),
        issued_at TEXT NOT NULL,
        attempt_uids TEXT NOT NULL,
        UNIQUE (trainee, module_id, attempt_uids)
    ) WITHOUT ROWID
    """,
)

# STEPS[n] turns version n into n + 1; version 0 is an empty file.
STEPS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4, _V5)
CURRENT_VERSION = len(STEPS)


def schema_version(conn: sqlite3.Connection) -> int:
    """Read ``PRAGMA user_version``: the first read of a file, so it also detects garbage."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def inspect(conn: sqlite3.Connection) -> tuple[int, bool]:
    """The schema version, and whether the file holds any table, read in one snapshot.

    One statement, so a file another process migrates meanwhile is never seen as
    "version 0 but with tables", which would look like some other program's database.
    """
    row = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')"
    ).fetchone()
    return int(row[0]), bool(row[1])


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Run every step after ``from_version`` inside the caller's open transaction.

    Statements go one by one through ``execute`` because ``executescript`` would commit
    the transaction first, and a half-migrated file must never be visible.
    """
    for statements in STEPS[from_version:]:
        for sql in statements:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION:d}")


def utc_stamp(now: dt.datetime | None = None) -> str:
    """A compact UTC timestamp for file names; sorts in time order."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _free_name(base: Path) -> Path:
    """``base``, or ``base-1``, ``base-2``...: two events in one second must not collide."""
    candidate, n = base, 0
    while candidate.exists() or Path(f"{candidate}-wal").exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def backup(conn: sqlite3.Connection, db_path: Path, version: int) -> Path:
    """Copy the database before migrating it, with SQLite's online backup API.

    The backup API copies a consistent snapshot even while other processes write,
    which a plain file copy of a WAL database would not.
    """
    target = _free_name(db_path.with_name(f"{db_path.name}.backup-v{version}-{utc_stamp()}"))
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def move_aside(db_path: Path) -> Path:
    """Rename an unreadable database (and its WAL and shared-memory files) out of the way.

    Never deletes: the file may hold a trainee's only record, and someone may be able to
    salvage it. The WAL file moves with it because a stale WAL beside a fresh database
    would be replayed into it.
    """
    target = _free_name(db_path.with_name(f"{db_path.name}.corrupt-{utc_stamp()}"))
    db_path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            side.rename(Path(f"{target}{suffix}"))
    return target
