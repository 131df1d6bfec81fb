"""One real JupyterHub per test session, its records service keeping the cohort in a real PostgreSQL database.

The hub takes a few seconds to start (proxy, hub, service), so every test of ``tests/hub``
shares it; each test uses fresh attempt ids, so they do not see each other's answers as
their own. Logs are kept in ``test-artifacts/hub/`` for a failure to be read.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_server import PostgresServer

from meso_training.storage import open_store
from meso_training.storage.interface import ProgressStore

from .hub_server import ROOT, Hub, running_hub

ARTIFACTS = ROOT / "test-artifacts" / "hub"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.hub)


@pytest.fixture(scope="session")
def cohort_db(postgres_server: PostgresServer) -> str:
    """The cohort's database, which only the records service is given."""
    return postgres_server.new_database()


@pytest.fixture(scope="session")
def hub(cohort_db: str) -> Iterator[Hub]:
    folder = ARTIFACTS / os.environ.get("PYTEST_XDIST_WORKER", "main")  # one hub per xdist worker
    shutil.rmtree(folder, ignore_errors=True)
    with running_hub(folder, cohort_db) as running:
        yield running


@pytest.fixture
def cohort(cohort_db: str) -> Iterator[ProgressStore]:
    """The cohort's database opened directly, as only the tests (and the service) may: to see what landed."""
    with open_store(cohort_db) as store:
        yield store
