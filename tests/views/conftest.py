"""Runners over a real SQLiteProgressStore on tmp_path, a stepping clock, and the rows the file holds."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from meso_training.engine.session import ModuleSession
from meso_training.model import Course
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.recorder import AttemptRecorder

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class Clock:
    """Ten seconds pass between any two readings, so shown_at < submitted_at is visible."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=10)
        return self.now


@pytest.fixture
def open_runner(course: Course, tmp_path: Path) -> Iterator[Callable[..., ModuleRunner]]:
    """Build a runner as show_module does (resumed from the file); every store is closed afterwards."""
    stores: list[SQLiteProgressStore] = []

    def make(mode: str = "practice", *, module: str = "orientation", seed: int = 3, db: Path | None = None,
             of: Course | None = None, timeout: float = 5.0, resume: bool = True) -> ModuleRunner:
        source = of or course
        store = SQLiteProgressStore(db or tmp_path / "p.sqlite3", timeout=timeout)
        stores.append(store)
        session = ModuleSession(source.module(module), trainee="ana", mode=mode,  # type: ignore[arg-type]
                                rng=random.Random(seed), now=T0)
        if resume:
            session.resume(store.attempts(trainee="ana", module_id=module))
        return ModuleRunner(session, source.registry, AttemptRecorder(store), clock=Clock(),
                            certificate_dir=store.path.parent)

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def db_rows(tmp_path: Path) -> Callable[..., list[tuple[Any, ...]]]:
    """(question_id, score, critical) of every stored attempt, read with plain sqlite3."""

    def read(db: Path | None = None, columns: str = "question_id, score, critical") -> list[tuple[Any, ...]]:
        with sqlite3.connect(db or tmp_path / "p.sqlite3") as conn:
            found = conn.execute(f"SELECT {columns} FROM attempts ORDER BY id").fetchall()  # noqa: S608
        conn.close()
        return found

    return read


def _go_to_type(runner: ModuleRunner, question_type: str) -> Any:
    while runner.current_view is None or runner.current_view.question.type != question_type:
        if runner.next_button.disabled:
            msg = f"no {question_type} question in the module"
            raise AssertionError(msg)
        runner.next_button.click()
    return runner.current_view


@pytest.fixture
def go_to_type() -> Callable[[ModuleRunner, str], Any]:
    """Click Next until the current question is of a type; returns its view."""
    return _go_to_type
