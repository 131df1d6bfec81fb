"""The certificate methods of the PostgreSQL store, kept apart so ``postgres_store`` stays readable.

Same promises as ``sqlite_certificates``: one code per trainee, module and set of
attempts, even when two kernels show the same summary at once. Here the unique index
``certificates_one_per_pass`` decides that race: the loser's insert does nothing and it
reads back the winner's certificate in the same transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Row, func, select
from sqlalchemy.dialects.postgresql import insert

from meso_training.errors import StoreError
from meso_training.storage import postgres_tables as tables
from meso_training.storage.certificates import Certificate, attempts_key, new_code
from meso_training.storage.postgres_tables import from_db_text, to_db_text

_T = TypeVar("_T")
_FRESH_CODE_TRIES = 8
_TEXT = ("code", "trainee", "course_title", "module_id", "module_title", "content_version", "attempt_uids")
_NAMES = tuple(c.name for c in tables.certificates.columns)


class PostgresCertificates:
    """Issue and look up certificates in the ``certificates`` table."""

    if TYPE_CHECKING:  # provided by PostgresProgressStore
        @property
        def location(self) -> str: ...

        def _run(self, action: str, fn: Callable[[Connection], _T], *, retry: bool = True) -> _T: ...

    def issue_certificate(self, certificate: Certificate) -> Certificate:
        """Keep ``certificate``, or return the one already issued for its trainee, module and attempts."""
        c = tables.certificates
        same_pass = select(c).where(
            c.c.trainee == to_db_text(certificate.trainee), c.c.module_id == to_db_text(certificate.module_id),
            func.md5(c.c.attempt_uids) == func.md5(attempts_key(certificate.attempt_uids)),
            c.c.attempt_uids == attempts_key(certificate.attempt_uids))

        def write(conn: Connection) -> Certificate:
            draft = certificate
            for _ in range(_FRESH_CODE_TRIES):
                found = conn.execute(same_pass).first()
                if found is not None:
                    return self._certificate_of(found)
                inserted = conn.execute(insert(c).values(_values(draft)).on_conflict_do_nothing()
                                        .returning(c.c.code)).first()
                if inserted is not None:
                    return draft
                draft = dataclasses.replace(draft, code=new_code())  # the code was taken (or a rival won: read again)
            msg = (f"No unused certificate code could be drawn in {self.location}; show the summary again, "
                   "and tell your course team if this keeps happening.")
            raise StoreError(self.location, msg)

        return self._run("save the certificate", write)

    def certificates(self, *, trainee: str | None = None) -> list[Certificate]:
        """Issued certificates, oldest first (one trainee's, if given); a damaged row raises ``StoreError``."""
        c = tables.certificates
        query = select(c).order_by(c.c.issued_at, c.c.code)
        if trainee is not None:
            query = query.where(c.c.trainee == to_db_text(trainee))
        rows = self._run("read the certificates", lambda conn: list(conn.execute(query)))
        return [self._certificate_of(row) for row in rows]

    def certificate(self, code: str) -> Certificate | None:
        """The certificate issued with ``code`` (its stored form, see ``parse_code``), or None."""
        c = tables.certificates
        query = select(c).where(c.c.code == to_db_text(code))
        row = self._run("read the certificates", lambda conn: conn.execute(query).first())
        return None if row is None else self._certificate_of(row)

    def _certificate_of(self, row: Row[Any]) -> Certificate:
        values = dict(zip(_NAMES, row, strict=True))
        for name in _TEXT:
            values[name] = from_db_text(values[name])
        values["issued_at"] = values["issued_at"].isoformat()
        try:
            return Certificate.from_row(tuple(values[name] for name in _NAMES))
        except (ValueError, TypeError) as exc:  # edited by hand: say so, never a traceback
            msg = (f"The record of certificate {values['code']} in {self.location} is damaged and cannot be read "
                   f"({exc}); tell your course team.")
            raise StoreError(self.location, msg) from exc


def _values(certificate: Certificate) -> dict[str, Any]:
    values = dict(zip(_NAMES, certificate.to_row(), strict=True))
    for name in _TEXT:
        values[name] = to_db_text(values[name])
    values["issued_at"] = dt.datetime.fromisoformat(values["issued_at"])
    return values
