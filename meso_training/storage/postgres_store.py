"""The hub-wide progress store: every trainee's attempts in one PostgreSQL database.

Same promises as the SQLite store, so views, sessions, reports and exports cannot tell
them apart: ``record`` is idempotent by ``attempt_uid`` and durable once it returns (the
server's commit, with ``fsync`` on); ``record_many`` is all or nothing; attempts come back
oldest first, exactly as recorded; a row that can no longer be read is set aside, not
allowed to hide the others. Connecting, the schema and errors are ``postgres_connection``'s,
certificates ``postgres_certificates``' (inherited).

**Settings are kept per scope, not per database.** On a trainee's own SQLite file a
setting such as the remembered trainee name belongs to that person; a hub database is
shared by the whole cohort, where one remembered name for everyone would sign one
trainee's answers with another's name. So each setting is keyed by ``settings_scope``:
by default the hub user (``$JUPYTERHUB_USER``), else the operating-system user, so a
trainee finds their own settings from any server the hub starts for them. Attempts and
certificates carry the trainee's name and stay shared: the cohort reports read them all.
"""

from __future__ import annotations

import getpass
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from meso_training.errors import StoreError
from meso_training.model.attempt import ATTEMPT_FIELDS, Attempt, answer_json
from meso_training.storage import postgres_tables as tables
from meso_training.storage.postgres_certificates import PostgresCertificates
from meso_training.storage.postgres_connection import new_engine, schema_exists, shown_url, translate, upgrade_schema
from meso_training.storage.postgres_tables import from_db_text, to_db_text
from meso_training.storage.sqlite_rows import decode_rows
from meso_training.storage.store_base import StoreBase

_T = TypeVar("_T")
log = logging.getLogger(__name__)
_TEXT_FIELDS = ("attempt_uid", "trainee", "module_id", "item_id", "question_id", "content_hash", "mode")
_BATCH = 1000  # rows per INSERT statement; all of them in one transaction


def default_settings_scope() -> str:
    """Whose settings these are: the hub user, else the operating-system user."""
    hub_user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub_user:
        return hub_user
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # a container user with no name: one scope for the whole machine
        return ""


class PostgresProgressStore(PostgresCertificates, StoreBase):
    """Reads and writes attempts, settings and certificates in a PostgreSQL database (a ``ProgressStore``).

    ``url``: ``postgresql://user:password@host:port/database`` (``postgresql+psycopg://`` too).
    Constructing touches no server; the first call connects and creates or upgrades the
    schema. Safe to share between threads (each call takes a pooled connection).
    """

    def __init__(self, url: str, *, settings_scope: str | None = None) -> None:
        self._url = url
        self._location = shown_url(url)
        self._scope = default_settings_scope() if settings_scope is None else settings_scope
        self._engine: Engine | None = None
        self._migrated = False
        self._closed = False
        self._notices: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        """The server and database, password masked."""
        return self._location

    @property
    def settings_scope(self) -> str:
        return self._scope

    @property
    def startup_notice(self) -> str | None:
        return " ".join(self._notices.values()) or None

    def exists(self) -> bool:
        with self._lock:
            self._refuse_if_closed()
            return self._migrated or schema_exists(self._connect(), self._location)

    def open(self) -> None:
        """Connect and bring the schema to this release's head; idempotent."""
        self._ready()

    def close(self) -> None:
        """Close every pooled connection; idempotent."""
        with self._lock:
            self._closed = True
            if self._engine is not None:
                engine, self._engine = self._engine, None
                engine.dispose()

    # -- attempts

    def record_many(self, attempts: Iterable[Attempt]) -> int:
        """Write attempts in one transaction; returns how many were new.

        ``attempts`` is read to the end before anything is sent, so an exception from a
        generator writes nothing, and a write cut off by a lost connection can be sent again
        in full (every row is idempotent by its uid).
        """
        rows = [_to_row(a) for a in attempts]
        if not rows:
            return 0
        t = tables.attempts
        statement = upsert(t).on_conflict_do_nothing(index_elements=[t.c.attempt_uid]).returning(t.c.id)

        def write(conn: Connection) -> int:
            return sum(len(conn.execute(statement, rows[i:i + _BATCH]).all()) for i in range(0, len(rows), _BATCH))

        return self._run("save the answers", write)

    def attempts(self, *, trainee: str | None = None, module_id: str | None = None) -> list[Attempt]:
        """Stored attempts, oldest first, optionally for one trainee and/or module.

        A row that cannot be read (written by hand or by another program) is left out, set
        aside in ``quarantined_attempts`` and named in ``startup_notice``.
        """
        t = tables.attempts
        query = select(t.c.id, *(t.c[name] for name in ATTEMPT_FIELDS)).order_by(t.c.submitted_at, t.c.id)
        if trainee is not None:
            query = query.where(t.c.trainee == to_db_text(trainee))
        if module_id is not None:
            query = query.where(t.c.module_id == to_db_text(module_id))
        rows = self._run("read the records", lambda conn: [_from_row(row) for row in conn.execute(query)])
        readable, damaged = decode_rows(rows)
        if damaged:
            self._set_aside(damaged, len(readable))
        return readable

    def trainees(self) -> list[str]:
        """Names that have at least one attempt, sorted by code point (as SQLite sorts them)."""
        t = tables.attempts
        query = select(t.c.trainee).distinct().order_by(t.c.trainee)
        names = self._run("read the records", lambda conn: list(conn.scalars(query)))
        return [from_db_text(name) for name in names]

    def set_aside_count(self) -> int:
        """How many stored answers could not be read and are kept aside, unchanged."""
        query = select(func.count()).select_from(tables.quarantined_attempts)
        return int(self._run("read the records", lambda conn: conn.execute(query).scalar_one()))

    # -- settings, one scope's

    def set_setting(self, key: str, value: str) -> None:
        """Remember a small value (such as the trainee's name) for this scope across sessions."""
        s = tables.settings
        statement = upsert(s).values(scope=to_db_text(self._scope), key=to_db_text(key), value=to_db_text(value))
        statement = statement.on_conflict_do_update(index_elements=[s.c.scope, s.c.key],
                                                    set_={"value": statement.excluded.value})
        self._run("save the setting", lambda conn: conn.execute(statement))

    def get_setting(self, key: str) -> str | None:
        """A value this scope stored with ``set_setting``, or None if it never did."""
        s = tables.settings
        query = select(s.c.value).where(s.c.scope == to_db_text(self._scope), s.c.key == to_db_text(key))
        value = self._run("read the records", lambda conn: conn.execute(query).scalar())
        return None if value is None else from_db_text(value)

    # -- machinery

    def _set_aside(self, damaged: list[tuple[int, str]], readable: int) -> None:
        t, q = tables.attempts, tables.quarantined_attempts

        def move(conn: Connection) -> None:
            for row_id, reason in damaged:
                copied = [c.name for c in q.columns if c.name in t.c and c.name != "id"]
                source = select(t.c.id, literal(reason), *(t.c[name] for name in copied)).where(t.c.id == row_id)
                conn.execute(insert(q).from_select(["attempt_id", "reason", *copied], source))
                conn.execute(delete(t).where(t.c.id == row_id))

        try:
            self._run("set aside the damaged answers", move)
            where = "set aside, unchanged, in the database's quarantined_attempts table"
        except StoreError as exc:
            log.warning("damaged rows not set aside: %s", exc)
            where = "skipped, and left in the database unchanged"
        count = len(damaged)
        self._notices["damaged"] = (
            f"{count} saved answer{'s' if count != 1 else ''} in the progress database {self._location} could not be "
            f"read ({damaged[0][1]}{' and others' if count > 1 else ''}) and {'were' if count != 1 else 'was'} "
            f"{where}. The other {readable} answer{'s are' if readable != 1 else ' is'} all here; your course "
            "team can look at the damaged one there.")

    def _refuse_if_closed(self) -> None:
        if self._closed:
            raise StoreError(self._location, f"The progress store for {self._location} was closed.")

    def _connect(self) -> Engine:
        if self._engine is None:
            self._engine = new_engine(self._url)
        return self._engine

    def _ready(self) -> Engine:
        """The engine, with the schema at head (upgraded on first use; again after a failed try)."""
        with self._lock:
            self._refuse_if_closed()
            engine = self._connect()
            if not self._migrated:
                try:
                    upgrade_schema(engine, self._location)
                except DBAPIError as exc:
                    raise translate(exc, self._location, "open the records") from exc
                self._migrated = True
            return engine

    def _run(self, action: str, fn: Callable[[Connection], _T], *, retry: bool = True) -> _T:
        """Run ``fn`` in one transaction; once more on a fresh connection if the first one died under it.

        Sending again is safe: every write here is idempotent (by uid, key or certificate).
        """
        engine = self._ready()
        try:
            with engine.begin() as conn:
                return fn(conn)
        except DBAPIError as exc:
            if not (retry and exc.connection_invalidated):
                raise translate(exc, self._location, action) from exc
            log.info("connection to %s lost; trying again on a new one", self._location)
        except SQLAlchemyError as exc:  # e.g. every pooled connection busy for the pool's 30 s
            log.warning("%s: %s", self._location, exc)
            msg = (f"The progress database server {self._location} could not {action} in time "
                   f"({type(exc).__name__}). Your answers are kept in memory for this session; submit again in "
                   "a moment.")
            raise StoreError(self._location, msg) from exc
        return self._run(action, fn, retry=False)


def _to_row(a: Attempt) -> dict[str, Any]:
    stored: dict[str, Any] = dict(a.to_dict())
    for name in _TEXT_FIELDS:
        stored[name] = to_db_text(stored[name])
    stored["answer"] = answer_json(a.answer)
    stored["shown_at"], stored["submitted_at"] = a.shown_at, a.submitted_at
    return stored


def _from_row(row: Sequence[Any]) -> tuple[Any, ...]:
    """A row as ``decode_rows`` reads it (its id, then ``ATTEMPT_FIELDS``), with text unescaped."""
    values = list(row)
    for index, name in enumerate(ATTEMPT_FIELDS, start=1):
        if name in _TEXT_FIELDS:
            values[index] = from_db_text(values[index])
    return tuple(values)
