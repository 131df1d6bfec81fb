"""Check a stored attempt against the course: is it one of ours, and is its grade the one its answer earns?

An imported file is a claim, not a fact: a hand-edited row can say ``score 1.0`` beside a
wrong option, and reports believe the score. So every imported attempt is looked up by
module, item and question, and when it was graded against the question as it is now (same
``content_hash``), its answer is graded again with the engine's own grader:

* not in the course → ``UNKNOWN`` (the import leaves it out unless told to keep it);
* same version, the grader refuses the answer → ``REFUSED`` (a damaged or forged row);
* same version, another grade → ``CORRECTED``, holding the grader's score, points, maximum,
  ``correct`` and ``critical`` (answer, times and uid as they were);
* same version, the same grade → ``CONFIRMED``;
* another version (the question was edited since) → ``CHANGED``, kept as it was: the grader
  of today cannot say what the older wording earned, and reports already count only attempts
  at the current version as mastery.

Grading is pure, so results are remembered per question and answer: a large export repeats
the same few answers to each question thousands of times.
"""

from __future__ import annotations

import dataclasses
import math

from meso_training.engine.grading import grade
from meso_training.errors import AnswerError
from meso_training.model import Course, QuestionType, Standing, Verdict
from meso_training.model.attempt import Attempt, answer_json

_Key = tuple[str, str, str]  # module id, item id, question id
_Grade = tuple[float, float, float, bool, bool]  # score, points, max_points, correct, critical
_REMEMBERED = 10_000  # distinct (question, answer) grades kept; a real course has a few per question


class Regrader:
    """``regrader(attempt) -> Verdict`` for one course; build it once per import (it indexes the course)."""

    def __init__(self, course: Course) -> None:
        self._modules = {m.id for m in course.modules}
        self._items = {(m.id, item_id) for m in course.modules for item_id, _ in m.questions()}
        self._questions: dict[_Key, tuple[QuestionType, str]] = {
            (m.id, item_id, q.id): (q, q.content_hash()) for m in course.modules for item_id, q in m.questions()
        }
        self._grades: dict[tuple[_Key, str], _Grade | str] = {}

    def __call__(self, attempt: Attempt) -> Verdict:
        key = (attempt.module_id, attempt.item_id, attempt.question_id)
        known = self._questions.get(key)
        if known is None:
            return Verdict(Standing.UNKNOWN, attempt, self._unknown(key))
        question, current_hash = known
        if attempt.content_hash != current_hash:
            return Verdict(Standing.CHANGED, attempt,
                           f"question {attempt.question_id!r} has changed since this answer was graded")
        result = self._grade(key, question, attempt)
        if isinstance(result, str):
            return Verdict(Standing.REFUSED, attempt, result)
        claimed = (attempt.score, attempt.points, attempt.max_points, attempt.correct, attempt.critical)
        if _same(claimed, result):
            return Verdict(Standing.CONFIRMED, attempt)
        score, points, max_points, correct, critical = result
        fixed = dataclasses.replace(attempt, score=score, points=points, max_points=max_points,
                                    correct=correct, critical=critical)
        return Verdict(Standing.CORRECTED, fixed, f"its answer earns score {score!r}, not {attempt.score!r}")

    def _grade(self, key: _Key, question: QuestionType, attempt: Attempt) -> _Grade | str:
        memo = (key, answer_json(attempt.answer))
        remembered = self._grades.get(memo)
        if remembered is not None:
            return remembered
        outcome: _Grade | str
        try:
            r = grade(question, attempt.answer)
            outcome = (r.score, r.points, r.max_points, r.correct, r.critical)
        except AnswerError as exc:
            outcome = f"the answer does not fit question {attempt.question_id!r} as it is now ({exc})"
        if len(self._grades) >= _REMEMBERED:
            self._grades.clear()  # bounded memory; the common answers come back at once
        self._grades[memo] = outcome
        return outcome

    def _unknown(self, key: _Key) -> str:
        module_id, item_id, question_id = key
        if module_id not in self._modules:
            return f"module {module_id!r} is not in this course"
        if (module_id, item_id) not in self._items:
            return f"item {item_id!r} is not in module {module_id!r}"
        return f"question {question_id!r} is not in item {item_id!r}"


def regrade(course: Course, attempt: Attempt) -> Verdict:
    """One attempt's verdict; for many, build a ``Regrader`` once."""
    return Regrader(course)(attempt)


def _same(claimed: _Grade, actual: _Grade) -> bool:
    numbers_match = all(math.isclose(c, a, rel_tol=1e-9, abs_tol=1e-12)
                        for c, a in zip(claimed[:3], actual[:3], strict=True))
    return numbers_match and claimed[3:] == actual[3:]
