"""Copy what SQLite can still read from a damaged progress file into the new one.

A file that fails ``quick_check`` is moved aside, never deleted, but a trainee should not
start from nothing when most of it is readable: a damaged table page usually costs the
rows on that page only, and a damaged index page costs nothing (the table is intact).
Plain SQL gets at all of that, without the ``sqlite3`` command-line tool:

* scan the table from both ends without any index, each scan stopping at a damaged page;
* list row ids from every index, and fetch each row not yet seen on its own, so rows
  behind a damaged page are still found through an index that reaches them.

The damaged file is only ever opened read-only. Rows are copied as stored, so a row
damaged inside (not UTF-8, an answer that is not JSON) is set aside later by the store's
row check, exactly as it would be in a healthy file.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meso_training.model.attempt import ATTEMPT_FIELDS
from meso_training.storage.certificates import COLUMNS as CERTIFICATE_COLUMNS
from meso_training.storage.certificates import PLACEHOLDERS as CERTIFICATE_PLACEHOLDERS
from meso_training.storage.sqlite_rows import INSERT, decode_text

_HEADER = b"SQLite format 3\x00"
_CERTIFICATE_INSERT = (f"INSERT INTO certificates ({CERTIFICATE_COLUMNS}) "  # noqa: S608 - the table's own columns
                       f"VALUES ({CERTIFICATE_PLACEHOLDERS}) ON CONFLICT DO NOTHING")


@dataclass(frozen=True)
class Salvage:
    """What came across: ``recovered`` answers, of at least ``found`` the damaged file still listed."""

    recovered: int
    found: int
    settings: int
    certificates: int = 0


def salvage(damaged: Path, into: sqlite3.Connection) -> Salvage:
    """Copy the readable attempts, settings and certificates of ``damaged`` into ``into`` (in one transaction).

    Certificates too, because a code printed on paper must still verify after a recovery.
    """
    try:
        with damaged.open("rb") as file:
            if file.read(len(_HEADER)) != _HEADER:
                return Salvage(0, 0, 0)
        source = sqlite3.connect(f"{damaged.as_uri()}?mode=ro", uri=True, timeout=1.0)
    except (OSError, sqlite3.Error):
        return Salvage(0, 0, 0)
    source.text_factory = decode_text
    try:
        rows, found = _readable_rows(source)
        settings = _readable_settings(source)
        certificates = list(_until_damaged(source, f"SELECT {CERTIFICATE_COLUMNS} FROM certificates"))  # noqa: S608
    finally:
        source.close()
    recovered = 0
    into.execute("BEGIN IMMEDIATE")
    try:
        for _, values in sorted(rows.items()):  # in their old order
            with contextlib.suppress(sqlite3.IntegrityError):  # a damaged value breaking a CHECK: lost
                recovered += into.execute(INSERT, values).rowcount
        for key, value in settings:
            into.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", (key, value))
        kept = 0
        for row in certificates:  # a file from before version 5 has none: the scan yields nothing
            with contextlib.suppress(sqlite3.IntegrityError):
                kept += into.execute(_CERTIFICATE_INSERT, row).rowcount
        into.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            into.execute("ROLLBACK")
        raise
    return Salvage(recovered, max(found, recovered), len(settings), kept)


def _readable_rows(source: sqlite3.Connection) -> tuple[dict[int, tuple[Any, ...]], int]:
    """Readable rows by row id, and how many row ids the file still lists anywhere."""
    try:
        columns = {str(row[1]) for row in source.execute("PRAGMA table_info(attempts)")}
        indexes = [str(row[0]) for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts'")]
    except sqlite3.Error:
        return {}, 0
    # Older files lack the seed and the uid: fill them as the migrations do.
    chosen = ", ".join(name if name in columns else "NULL" for name in ATTEMPT_FIELDS)
    select = f"SELECT rowid, {chosen} FROM attempts"  # noqa: S608 - names from ATTEMPT_FIELDS
    rows: dict[int, tuple[Any, ...]] = {}
    for order in ("ASC", "DESC"):
        for row in _until_damaged(source, f"{select} NOT INDEXED ORDER BY rowid {order}"):
            rows.setdefault(int(row[0]), _complete(row[1:]))
    listed = set(rows)
    for index in indexes:
        quoted = index.replace('"', '""')
        for (row_id,) in _until_damaged(source, f'SELECT rowid FROM attempts INDEXED BY "{quoted}"'):  # noqa: S608
            listed.add(int(row_id))
    for row_id in sorted(listed - set(rows)):
        found = _one(source, f"{select} WHERE rowid = ?", row_id)
        if found is not None:
            rows[row_id] = _complete(found[1:])
    return rows, len(listed)


def _complete(values: tuple[Any, ...]) -> tuple[Any, ...]:
    stored = dict(zip(ATTEMPT_FIELDS, values, strict=True))
    if not stored["attempt_uid"]:
        stored["attempt_uid"] = uuid.uuid4().hex
    return tuple(stored[name] for name in ATTEMPT_FIELDS)


def _until_damaged(source: sqlite3.Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows ``sql`` yields before the first error (a damaged page ends a scan)."""
    try:
        cursor = source.execute(sql)
        while (row := cursor.fetchone()) is not None:
            yield tuple(row)
    except sqlite3.Error:
        return


def _one(source: sqlite3.Connection, sql: str, row_id: int) -> tuple[Any, ...] | None:
    try:
        row = source.execute(sql, (row_id,)).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else tuple(row)


def _readable_settings(source: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(key, value) for key, value in _until_damaged(source, "SELECT key, value FROM settings")
            if isinstance(key, str) and isinstance(value, str)]
