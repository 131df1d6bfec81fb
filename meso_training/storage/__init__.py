"""Storage: where attempts and settings are kept, behind the ``ProgressStore`` interface.

``open_store`` is the one place that turns a location into a store; everything else is
written against the interface.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeGuard

import platformdirs

from meso_training.errors import StoreError
from meso_training.storage.interface import ProgressStore
from meso_training.storage.pending import PendingAttempts

__all__ = ["PendingAttempts", "ProgressStore", "default_db_path", "default_location", "is_database_url",
           "is_service_url", "open_store", "store_location"]

DB_ENV = "MESO_TRAINING_DB"


SERVICE_URL_SCHEMES = ("http://", "https://")  # the course's records service on JupyterHub (hub_store)
DATABASE_URL_SCHEMES = ("postgresql://", "postgresql+psycopg://", *SERVICE_URL_SCHEMES)


def is_service_url(location: object) -> TypeGuard[str]:
    """Whether ``location`` is the records service's address (``HubRecordsStore``), not a database or a file."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVICE_URL_SCHEMES)


def is_database_url(location: object) -> bool:
    """Whether ``location`` names a database server (a PostgreSQL URL, a records service's) rather than a file."""
    return isinstance(location, str) and location.strip().lower().startswith(DATABASE_URL_SCHEMES)


def default_db_path() -> Path:
    """``$MESO_TRAINING_DB`` if it names a file, else ``progress.sqlite3`` in the user data folder.

    Always a local file, even when ``$MESO_TRAINING_DB`` is a database URL (then this is where
    files kept beside the records, such as certificates, go); ``default_location`` is the store's.
    """
    configured = os.environ.get(DB_ENV, "")
    if configured and not is_database_url(configured):
        return Path(configured).expanduser()
    return platformdirs.user_data_path("meso-training") / "progress.sqlite3"


def default_location() -> Path | str:
    """Where the store is by default: ``$MESO_TRAINING_DB``'s URL if it is one, else ``default_db_path()``."""
    configured = os.environ.get(DB_ENV, "").strip()
    return configured if is_database_url(configured) else default_db_path()


def store_location(given: Path | str | None) -> Path | str:
    """A location as typed (``--db``, a notebook's ``db=``): a URL stays text, a file becomes a ``Path``."""
    if given is None or given == "":
        return default_location()
    if is_database_url(given):
        return str(given).strip()
    return Path(given).expanduser()


def open_store(location: Path | str | None = None) -> ProgressStore:
    """The store at ``location`` (default: ``default_location()``); constructing touches nothing on disk or server.

    A ``postgresql://`` URL gives the PostgreSQL store, anything else the SQLite file. Each
    backend is imported here, so commands that need no store never load sqlite3, and
    nothing but a hub-wide store loads SQLAlchemy and psycopg.
    """
    chosen = store_location(location)
    if is_service_url(chosen):
        from meso_training.storage.hub_store import HubRecordsStore

        return HubRecordsStore(chosen)
    if isinstance(chosen, str):
        try:
            from meso_training.storage.postgres_store import PostgresProgressStore
        except ImportError as exc:  # installed without the hub extra
            msg = (f"this installation cannot use a PostgreSQL database ({exc.name} is not installed); "
                   "install it with: pip install 'meso-training[hub]'")
            raise StoreError("a PostgreSQL database", msg) from exc
        return PostgresProgressStore(chosen)
    from meso_training.storage.sqlite_store import SQLiteProgressStore

    return SQLiteProgressStore(chosen)
