"""Rows of the SQLite ``attempts`` table to and from ``Attempt``, one row at a time.

A stored row can be damaged without SQLite noticing (``quick_check`` passes): one byte
changed inside an answer, text that is not UTF-8, an answer nested too deep to read. Such a
row must never hide the others, so every row is decoded on its own: a row that cannot be
read comes back as the reason why, and the store sets it aside (``quarantine``) byte for
byte in ``quarantined_attempts``, where the course team can look at it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from meso_training.model.attempt import ATTEMPT_FIELDS, Attempt, answer_json

# S608: the SQL is built from the stored form's own field names, never from input.
COLUMNS = ", ".join(ATTEMPT_FIELDS)
INSERT = (
    f"INSERT INTO attempts ({COLUMNS}) VALUES ({', '.join('?' * len(ATTEMPT_FIELDS))}) "  # noqa: S608
    "ON CONFLICT (attempt_uid) DO NOTHING"
)
SELECT = f"SELECT id, {COLUMNS} FROM attempts"  # noqa: S608
_QUARANTINE = (
    f"INSERT INTO quarantined_attempts (attempt_id, reason, quarantined_at, {COLUMNS}) "  # noqa: S608
    f"SELECT id, ?, ?, {COLUMNS} FROM attempts WHERE id = ?"
)


class Undecodable(bytes):
    """Text SQLite holds that is not UTF-8: kept as its bytes so the row can be named and set aside."""


def decode_text(raw: bytes) -> str:
    """The connection's ``text_factory``: a non-UTF-8 value no longer fails the whole query.

    Typed ``str`` for SQLite's sake; an ``Undecodable`` is a ``bytes``, caught by ``decode_row``.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Undecodable(raw)  # type: ignore[return-value]


def readable_text(value: object) -> str | None:
    """A TEXT value as ``str``, or None for an ``Undecodable`` one."""
    return value if isinstance(value, str) else None


def to_row(a: Attempt) -> tuple[Any, ...]:
    """The stored form, with the answer as JSON text and the flags as 0/1 (SQLite has no JSON or bool type)."""
    stored: dict[str, Any] = dict(a.to_dict())
    stored["answer"] = answer_json(a.answer)
    stored["correct"], stored["critical"] = int(a.correct), int(a.critical)
    return tuple(stored[name] for name in ATTEMPT_FIELDS)


def decode_row(row: Sequence[Any]) -> Attempt | str:
    """The attempt in ``row`` (its id first, then ``ATTEMPT_FIELDS``), or why it cannot be read."""
    stored = dict(zip(ATTEMPT_FIELDS, row[1:], strict=True))
    bad_text = [name for name, value in stored.items() if isinstance(value, bytes)]
    if bad_text:
        return f"its {', '.join(bad_text)} {'is' if len(bad_text) == 1 else 'are'} not readable text"
    try:
        stored["answer"] = json.loads(stored["answer"])
    except (TypeError, ValueError, RecursionError) as exc:
        return f"its answer is not readable JSON ({str(exc)[:80] or type(exc).__name__})"
    stored["correct"], stored["critical"] = bool(stored["correct"]), bool(stored["critical"])
    try:
        return Attempt.from_dict(stored)
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:  # AttemptError is a ValueError
        return f"it is not a valid answer record ({str(exc)[:160] or type(exc).__name__})"


def decode_rows(rows: Sequence[Sequence[Any]]) -> tuple[list[Attempt], list[tuple[int, str]]]:
    """The readable attempts, and the id and reason of every row that is not."""
    attempts: list[Attempt] = []
    damaged: list[tuple[int, str]] = []
    for row in rows:
        decoded = decode_row(row)
        if isinstance(decoded, Attempt):
            attempts.append(decoded)
        else:
            damaged.append((int(row[0]), decoded))
    return attempts, damaged


def quarantine(conn: sqlite3.Connection, damaged: Sequence[tuple[int, str]]) -> int:
    """Move ``damaged`` rows, exactly as stored, to ``quarantined_attempts``; inside the caller's transaction.

    The copy's columns have no declared type, so SQLite stores each value as it was
    (the same bytes, even text that is not UTF-8). Returns how many rows moved.
    """
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    moved = 0
    for row_id, reason in damaged:
        cursor = conn.execute(_QUARANTINE, (reason, when, row_id))
        if cursor.rowcount:
            conn.execute("DELETE FROM attempts WHERE id = ?", (row_id,))
            moved += 1
    return moved


def quarantined_count(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM quarantined_attempts").fetchone()
    return int(row[0])


def damaged_notice(path: Path, damaged: Sequence[tuple[int, str]], readable: int, where: str) -> str:
    """What the trainee is told once: which answers could not be read, where they are, that the rest are fine."""
    count = len(damaged)
    return (
        f"{count} saved answer{'s' if count != 1 else ''} in your progress file {path} could not be "
        f"read ({damaged[0][1]}{' and others' if count > 1 else ''}) and {'were' if count != 1 else 'was'} "
        f"{where}. Your other {readable} answer{'s are' if readable != 1 else ' is'} all here; nothing "
        "is needed from you, and your course team can look at the damaged one there.")
