"""pytest-jupyter's server fixtures (``jp_fetch``, ``jp_server_config``) for these tests only.

Imported here rather than enabled for the whole suite: its event-loop fixture is autouse,
and the browser tests' Playwright loop must not meet it in other folders.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403


@pytest.fixture(autouse=True)
def _no_loop_left_running() -> Iterator[None]:
    """A browser test earlier in this worker may leave Playwright's loop marked as running in this thread.

    pytest-jupyter runs its own loop here, which asyncio refuses while the marker is set
    ("This event loop is already running"); the marker is put back afterwards, untouched.
    Runs before pytest-jupyter's autouse loop fixture: pytest sets up autouse fixtures of one
    scope in name order, and ``_`` sorts before ``j``.
    """
    left = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    yield
    asyncio.events._set_running_loop(left)
