"""Reaching the PostgreSQL server: the URL as given and as shown, the engine, the schema upgrade, errors in words.

Why these choices:

* **psycopg 3 through SQLAlchemy's engine**, whatever driver the URL names: ``postgresql://``
  (what hub admins write) is rewritten to ``postgresql+psycopg://``.
* **``pool_pre_ping``**: a pooled connection is checked before use, so after the server
  restarts the first call reconnects instead of failing on a dead socket.
* **Migrations under an advisory lock, in one transaction.** Many kernels open the store
  at once when a cohort starts; ``pg_advisory_xact_lock`` lets one upgrade while the
  others wait and then find the schema at head. PostgreSQL's DDL is transactional, so a
  failed upgrade leaves the old schema, never half of the new one.
* **The password never reaches a message**: every message names ``shown_url``.
"""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from meso_training.errors import StoreError, StoreUnreachableError, StoreVersionError
from meso_training.storage.postgres_tables import VERSION_TABLE

MIGRATIONS = Path(__file__).with_name("postgres_migrations")
_LOCK_KEY = 0x6D65736F_0001  # any fixed bigint; "meso" and the lock's purpose, so it is recognisable in pg_locks
_UNREACHABLE_STATES = {"57P01", "57P02", "57P03", "28P01", "28000", "3D000", "53300"}
"""Server shutting down or starting up, login refused, no such database, too many connections."""
_NO_DATABASE = re.compile(r'database ".*" does not exist')
"""How a login to a missing database fails: libpq reports it with no SQLSTATE, only this (English) text."""
CONNECT_TIMEOUT = 10  # seconds: a trainee waits this long at most before being told the server is away


def engine_url(url: str) -> URL:
    """``url`` with psycopg 3 as its driver; a URL that cannot be read raises ``StoreError`` without echoing it."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        msg = (f"The progress database URL in MESO_TRAINING_DB (or --db) cannot be read: {_without_secrets(url)}. "
               "Write it as postgresql://user:password@host:5432/database.")
        raise StoreError(_without_secrets(url), msg) from exc
    return parsed.set(drivername="postgresql+psycopg")


def shown_url(url: str) -> str:
    """The URL as messages and ``location`` show it: as given, with the password as ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _without_secrets(url)


def _without_secrets(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{host}"


def new_engine(url: str) -> Engine:
    """An engine that connects lazily: creating it touches no server."""
    return create_engine(engine_url(url), pool_pre_ping=True,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT, "application_name": "meso-training"})


def schema_exists(engine: Engine, location: str) -> bool:
    """Whether the database holds our schema; a database that does not exist has none."""
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table(VERSION_TABLE)
    except DBAPIError as exc:
        if _state(exc) == "3D000" or _NO_DATABASE.search(str(exc.orig)):
            return False
        raise translate(exc, location, "read the records") from exc


def upgrade_schema(engine: Engine, location: str) -> None:
    """Create or upgrade the schema to this release's head, one process at a time."""
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
        if encoding != "UTF8":
            msg = (f"The progress database {location} uses the {encoding} encoding, which cannot hold every "
                   "trainee's name. Ask your course team to create it with ENCODING 'UTF8'.")
            raise StoreError(location, msg)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:  # a revision this release does not know: written by a newer one
            raise _newer_schema(conn, config, location) from exc


def _newer_schema(conn: Connection, config: Config, location: str) -> StoreError:
    head = ScriptDirectory.from_config(config).get_current_head() or "0"
    found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # noqa: S608 - our constant
    if str(found).isdigit() and head.isdigit():
        return StoreVersionError(location, int(str(found)), int(head))
    msg = (f"The progress database {location} has schema version {found!r}, which this meso-training does not "
           "know. Upgrade meso-training (pip install --upgrade meso-training); the database was left untouched.")
    return StoreError(location, msg)


def _state(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def translate(exc: DBAPIError, location: str, action: str) -> StoreError:
    """The driver's error as a ``StoreError`` a trainee can act on (the reason kept, the password not)."""
    reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
    state = _state(exc)
    lost = exc.connection_invalidated or state is None or state.startswith("08")  # 08: connection exceptions
    if lost or state in _UNREACHABLE_STATES:
        return StoreUnreachableError(location, reason[:300])
    msg = (f"The progress database server {location} could not {action} ({reason[:300]}). "
           "Your answers are kept in memory for this session; submit again in a moment, and tell your "
           "course team if this keeps happening.")
    return StoreError(location, msg)
