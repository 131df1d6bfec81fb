"""Attempts at real questions of the course, graded by the engine, for the hub tests to send."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from meso_training.engine.grading import grade, keyed_answer, wrong_answer
from meso_training.model import Course, Mode
from meso_training.model.attempt import Attempt

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def answered(course: Course, trainee: str, *, index: int = 0, right: bool = True, module: int = 1,
             **changes: Any) -> Attempt:
    """An attempt of ``trainee`` at the ``index``-th question of the course's ``module``-th module, graded honestly."""
    chosen = course.modules[module]
    item_id, question = chosen.questions()[index]
    answer = keyed_answer(question) if right else wrong_answer(question)
    result = grade(question, answer)
    attempt = Attempt(
        trainee=trainee, module_id=chosen.id, item_id=item_id, question_id=question.id,
        content_hash=question.content_hash(), answer=result.answer if result.answer is not None else answer,
        score=result.score, points=result.points, max_points=result.max_points, correct=result.correct,
        critical=result.critical, mode=Mode.PRACTICE, seed=7, shown_at=T0, submitted_at=T0 + dt.timedelta(seconds=20),
        attempt_uid=uuid.uuid4().hex,
    )
    return dataclasses.replace(attempt, **changes) if changes else attempt
