"""The first PostgreSQL schema: attempts, answers set aside, settings per scope, certificates.

It matches SQLite's schema version 5 in what it keeps; the differences are PostgreSQL's
own: real booleans and timestamps, and settings kept per scope (one hub user's remembered
name is not another's).

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text(name: str, **kwargs: object) -> sa.Column[str]:
    return sa.Column(name, sa.Text(collation="C"), nullable=False, **kwargs)  # type: ignore[arg-type]


def _attempt_columns(*, nullable: bool) -> list[sa.Column[object]]:
    def text(name: str) -> sa.Column[object]:
        return sa.Column(name, sa.Text(collation="C"), nullable=nullable)

    def number(name: str) -> sa.Column[object]:
        return sa.Column(name, sa.Float(precision=53), nullable=nullable)

    return [
        text("trainee"), text("module_id"), text("item_id"), text("question_id"), text("content_hash"),
        text("answer"), number("score"), number("points"), number("max_points"),
        sa.Column("correct", sa.Boolean, nullable=nullable), sa.Column("critical", sa.Boolean, nullable=nullable),
        text("mode"), sa.Column("seed", sa.BigInteger, nullable=True),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=nullable),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=nullable),
    ]


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        _text("attempt_uid"),
        *_attempt_columns(nullable=False),
        sa.UniqueConstraint("attempt_uid", name="attempts_attempt_uid_key"),
        sa.CheckConstraint("length(attempt_uid) > 0", name="attempts_uid_not_empty"),
        sa.CheckConstraint("score BETWEEN 0 AND 1", name="attempts_score_fraction"),
        sa.CheckConstraint("mode IN ('practice', 'assessment')", name="attempts_mode_known"),
    )
    op.create_index("attempts_by_trainee", "attempts", ["trainee", "module_id"])
    op.create_index("attempts_by_module", "attempts", ["module_id"])
    op.create_index("attempts_by_time", "attempts", ["submitted_at", "id"])
    op.create_table(
        "quarantined_attempts",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("attempt_id", sa.BigInteger, nullable=False),
        _text("reason"),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("attempt_uid", sa.Text(collation="C"), nullable=True),
        *_attempt_columns(nullable=True),
    )
    op.create_table(
        "settings",
        _text("scope"), _text("key"), _text("value"),
        sa.PrimaryKeyConstraint("scope", "key", name="settings_pkey"),
    )
    op.create_table(
        "certificates",
        _text("code"), _text("trainee"), _text("course_title"), _text("module_id"), _text("module_title"),
        _text("content_version"),
        sa.Column("score", sa.Float(precision=53), nullable=False),
        sa.Column("points", sa.Float(precision=53), nullable=False),
        sa.Column("max_points", sa.Float(precision=53), nullable=False),
        sa.Column("pass_mark", sa.Float(precision=53), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        _text("attempt_uids"),
        sa.PrimaryKeyConstraint("code", name="certificates_pkey"),
        sa.CheckConstraint("length(code) = 12", name="certificates_code_length"),
        sa.CheckConstraint("score BETWEEN 0 AND 1", name="certificates_score_fraction"),
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 1", name="certificates_pass_mark_fraction"),
    )
    op.create_index("certificates_one_per_pass", "certificates",
                    ["trainee", "module_id", sa.text("md5(attempt_uids)")], unique=True)


def downgrade() -> None:
    for table in ("certificates", "settings", "quarantined_attempts", "attempts"):
        op.drop_table(table)
