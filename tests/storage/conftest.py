"""The store backends the contract tests run against: SQLite files and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_backends import Backend

from meso_training.storage import ProgressStore


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    server = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    made = Backend(request.param, tmp_path, server)
    try:
        yield made
    finally:
        made.clean_up()


@pytest.fixture
def any_store(backend: Backend) -> ProgressStore:
    """A fresh, empty store of each kind."""
    return backend.new()
