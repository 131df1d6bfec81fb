"""The certificate methods of the SQLite store, kept apart so ``sqlite_store`` stays readable.

``SQLiteProgressStore`` inherits these; they run through its ``_read`` and ``_write``, so a
certificate is written under the same lock, retry and error policy as an answer (a
read-only, locked or full file raises the same ``StoreError`` subclasses).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from meso_training.errors import StoreError
from meso_training.storage.certificates import COLUMNS, PLACEHOLDERS, Certificate, attempts_key, new_code

_T = TypeVar("_T")
# S608: the SQL is built from the table's own column names, never from input.
_SELECT = f"SELECT {COLUMNS} FROM certificates"  # noqa: S608
_INSERT = f"INSERT INTO certificates ({COLUMNS}) VALUES ({PLACEHOLDERS})"  # noqa: S608
_FRESH_CODE_TRIES = 8  # 60 random bits: a second try is already a one-in-a-billion-billion event


class SQLiteCertificates:
    """Issue and look up certificates in the ``certificates`` table (schema version 5)."""

    if TYPE_CHECKING:  # provided by SQLiteProgressStore
        _timeout: float
        _path: Path

        def _read(self, action: str, fn: Callable[[sqlite3.Connection], _T], empty: _T) -> _T: ...

        def _write(self, action: str, fn: Callable[[sqlite3.Connection], _T], budget: float) -> _T: ...

    def issue_certificate(self, certificate: Certificate) -> Certificate:
        """Keep ``certificate``, or return the one already issued for its trainee, module and attempts.

        Looking up and inserting happen in one write transaction, so two kernels showing the
        same summary at once still issue one code. A new code that happens to be taken
        is drawn again.
        """
        key = (certificate.trainee, certificate.module_id, attempts_key(certificate.attempt_uids))

        def write(conn: sqlite3.Connection) -> Certificate:
            sql = f"{_SELECT} WHERE trainee = ? AND module_id = ? AND attempt_uids = ?"
            found: tuple[Any, ...] | None = conn.execute(sql, key).fetchone()
            if found is not None:
                return Certificate.from_row(found)
            draft = certificate
            for _ in range(_FRESH_CODE_TRIES):
                if conn.execute("SELECT 1 FROM certificates WHERE code = ?", (draft.code,)).fetchone() is None:
                    conn.execute(_INSERT, draft.to_row())
                    return draft
                draft = dataclasses.replace(draft, code=new_code())
            msg = "no unused certificate code found"
            raise sqlite3.IntegrityError(msg)

        return self._write("record the certificate in", write, self._timeout)

    def certificates(self, *, trainee: str | None = None) -> list[Certificate]:
        """Issued certificates, oldest first (one trainee's, if given); a damaged row raises ``StoreError``."""
        sql, args = (f"{_SELECT} WHERE trainee = ?", (trainee,)) if trainee is not None else (_SELECT, ())
        rows: list[tuple[Any, ...]] = self._read(
            "read", lambda conn: conn.execute(f"{sql} ORDER BY issued_at, code", args).fetchall(), [])
        return [self._certificate_of(row) for row in rows]

    def certificate(self, code: str) -> Certificate | None:
        """The certificate issued with ``code`` (its stored form, see ``parse_code``), or None."""
        sql = f"{_SELECT} WHERE code = ?"
        row: tuple[Any, ...] | None = self._read("read", lambda conn: conn.execute(sql, (code,)).fetchone(), None)
        return None if row is None else self._certificate_of(row)

    def _certificate_of(self, row: tuple[Any, ...]) -> Certificate:
        try:
            return Certificate.from_row(row)
        except (ValueError, TypeError) as exc:  # a changed byte in the file: say so, never a traceback
            msg = (f"The record of certificate {row[0]} in {self._path} is damaged and cannot be read ({exc}); "
                   "send the file to your course team.")
            raise StoreError(self._path, msg) from exc
