"""Storage: where attempts and settings are kept, behind the ``ProgressStore`` interface.

``open_store`` is the one place that turns a location into a store; everything else is
written against the interface.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from meso_training.storage.interface import ProgressStore
from meso_training.storage.pending import PendingAttempts

__all__ = ["PendingAttempts", "ProgressStore", "default_db_path", "open_store"]

DB_ENV = "MESO_TRAINING_DB"


def default_db_path() -> Path:
    """``$MESO_TRAINING_DB`` if set, else ``progress.sqlite3`` in the user data folder."""
    configured = os.environ.get(DB_ENV, "")
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path("meso-training") / "progress.sqlite3"


def open_store(location: Path | str | None = None) -> ProgressStore:
    """The store at ``location`` (default: ``default_db_path()``); constructing touches nothing on disk.

    Only SQLite files for now; sqlite3 is imported here so commands that need no store never load it.
    """
    from meso_training.storage.sqlite_store import SQLiteProgressStore

    return SQLiteProgressStore(location)
