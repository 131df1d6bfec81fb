"""A cohort played through the real ``ModuleSession``, for the analytics and report tests.

Each trainee answers a module in assessment mode, getting each question right with the
chance ``ability`` (a wrong answer is the engine's ``wrong_answer``, a harmful one where the
question has one), so the cohort has spread, harmful choices and cases left by a branch.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Attempt, Course, Mode
from meso_training.storage.sqlite_store import SQLiteProgressStore

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def play(course: Course, module_id: str, trainee: str, ability: float, rng: random.Random) -> list[Attempt]:
    s = ModuleSession(course.module(module_id), trainee=trainee, mode=Mode.ASSESSMENT, rng=random.Random(1),
                      now=START)
    out: list[Attempt] = []
    for position in range(len(s.items)):
        s.go_to(position, START)
        while (state := s.current_question()) is not None:
            q = state.question
            answer = keyed_answer(q) if rng.random() < ability else wrong_answer(q)
            out.append(s.submit(answer, START + dt.timedelta(seconds=len(out))).attempt)
            if s.current_question() is state:
                break
    return out


def cohort(course: Course, module_id: str, size: int, *, seed: int = 5) -> list[list[Attempt]]:
    """``size`` trainees from weak (35% right) to strong (95% right)."""
    rng = random.Random(seed)
    return [play(course, module_id, f"trainee-{i:02d}", 0.35 + 0.6 * i / max(size - 1, 1), rng) for i in range(size)]


def cohort_database(path: Path, course: Course, module_id: str, size: int) -> list[list[Attempt]]:
    played = cohort(course, module_id, size)
    with SQLiteProgressStore(path) as store:
        store.record_many(a for trainee in played for a in trainee)
    return played
