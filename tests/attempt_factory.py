"""One valid attempt to start from, for the store tests (a module, not conftest: another
conftest.py in tests/views would shadow an import from conftest)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from meso_training.model.attempt import Attempt

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def make_attempt(**changes: Any) -> Attempt:
    """A valid attempt with a fresh uid; ``changes`` override any field."""
    values: dict[str, Any] = {
        "trainee": "Ann",
        "module_id": "10-foundations",
        "item_id": "case-1",
        "question_id": "q1",
        "content_hash": "c0ffee",
        "answer": ["b", "d"],
        "score": 0.5,
        "points": 1.0,
        "max_points": 2.0,
        "correct": False,
        "critical": False,
        "mode": "practice",
        "seed": 42,
        "shown_at": T0,
        "submitted_at": T0 + dt.timedelta(seconds=30),
        "attempt_uid": uuid.uuid4().hex,
    }
    values.update(changes)
    return Attempt(**values)
