"""The PostgreSQL store's tables as SQLAlchemy Core sees them, and how text crosses into them.

These describe the schema the migrations (``postgres_migrations/versions``) build; a test
compares the two, so a migration that forgets a column fails before a trainee meets it.

Text columns use the ``"C"`` collation: comparisons and ``ORDER BY`` go by code point,
as SQLite's default does, so both stores list trainees in the same order whatever the
server's locale. PostgreSQL text cannot hold the NUL character, which SQLite (and a
Python ``str``) can; ``to_db_text`` escapes it in a way that keeps that order, so an
attempt comes back exactly as it was recorded on either store.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    Identity,
    Index,
    MetaData,
    Table,
    Text,
    func,
)

VERSION_TABLE = "meso_training_schema"
"""Alembic's bookkeeping table; named for us, so a database shared with another Alembic user keeps both."""

metadata = MetaData()


def _text(name: str, **kwargs: object) -> Column[str]:
    return Column(name, Text(collation="C"), nullable=False, **kwargs)  # type: ignore[arg-type]


attempts = Table(
    "attempts", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    _text("attempt_uid", unique=True),
    _text("trainee"), _text("module_id"), _text("item_id"), _text("question_id"), _text("content_hash"),
    _text("answer"),  # answer_json's text, byte for byte: jsonb would reorder keys and refuse \u0000
    Column("score", Float(precision=53), nullable=False),
    Column("points", Float(precision=53), nullable=False),
    Column("max_points", Float(precision=53), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("critical", Boolean, nullable=False),
    _text("mode"),
    Column("seed", BigInteger, nullable=True),
    Column("shown_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("length(attempt_uid) > 0", name="attempts_uid_not_empty"),
    CheckConstraint("score BETWEEN 0 AND 1", name="attempts_score_fraction"),
    CheckConstraint("mode IN ('practice', 'assessment')", name="attempts_mode_known"),
)
Index("attempts_by_trainee", attempts.c.trainee, attempts.c.module_id)
Index("attempts_by_module", attempts.c.module_id)
Index("attempts_by_time", attempts.c.submitted_at, attempts.c.id)

quarantined_attempts = Table(
    "quarantined_attempts", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("attempt_id", BigInteger, nullable=False),
    _text("reason"),
    Column("quarantined_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    *(Column(c.name, c.type, nullable=True) for c in attempts.columns if c.name != "id"),
)

settings = Table(
    "settings", metadata,
    _text("scope", primary_key=True),
    _text("key", primary_key=True),
    _text("value"),
)

certificates = Table(
    "certificates", metadata,
    _text("code", primary_key=True),
    _text("trainee"), _text("course_title"), _text("module_id"), _text("module_title"), _text("content_version"),
    Column("score", Float(precision=53), nullable=False),
    Column("points", Float(precision=53), nullable=False),
    Column("max_points", Float(precision=53), nullable=False),
    Column("pass_mark", Float(precision=53), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    _text("attempt_uids"),
    CheckConstraint("length(code) = 12", name="certificates_code_length"),
    CheckConstraint("score BETWEEN 0 AND 1", name="certificates_score_fraction"),
    CheckConstraint("pass_mark BETWEEN 0 AND 1", name="certificates_pass_mark_fraction"),
)
# md5 of the uid list, not the list: a long list would pass btree's ~2.7 kB limit on an index entry.
Index("certificates_one_per_pass", certificates.c.trainee, certificates.c.module_id,
      func.md5(certificates.c.attempt_uids), unique=True)

_ESCAPES = str.maketrans({"\x00": "\x01\x01", "\x01": "\x01\x02"})


def to_db_text(value: str) -> str:
    """``value`` without NUL characters, reversibly, keeping code-point order (``\\x01`` is the escape)."""
    return value.translate(_ESCAPES) if ("\x00" in value or "\x01" in value) else value


def from_db_text(value: str) -> str:
    """Inverse of ``to_db_text``."""
    if "\x01" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        out.append({"\x01": "\x00", "\x02": "\x01"}.get(next(chars, ""), "") if char == "\x01" else char)
    return "".join(out)
