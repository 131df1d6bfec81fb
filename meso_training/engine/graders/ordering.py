"""Ordering: the share of pairs of steps left in the right relative order.

Only the exact order scores 1 and the reversed order 0; one swap of neighbours in four
steps scores 5/6.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from meso_training.engine.graders.base import Grader
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.errors import AnswerError
from meso_training.model import Ordering


class OrderingGrader(Grader[Ordering]):
    question_type = Ordering
    avoid_keyed_order = True

    def grade(self, q: Ordering, answer: Any) -> GradeResult:
        if isinstance(answer, str) or not isinstance(answer, Sequence):
            raise AnswerError(q.id, f"expected the list of step ids in order, got {type(answer).__name__}")
        keyed = [s.id for s in q.steps]
        if sorted(map(str, answer)) != sorted(keyed) or not all(isinstance(x, str) for x in answer):
            raise AnswerError(q.id, f"expected each of the steps {', '.join(keyed)} exactly once")
        position = {step: i for i, step in enumerate(answer)}
        pairs = list(combinations(keyed, 2))
        in_order = sum(1 for first, second in pairs if position[first] < position[second])
        score = in_order / len(pairs)
        ok = math.isclose(score, 1.0)
        return graded(q, list(answer), score,
                      [Feedback("Order", ok, q.feedback.correct if ok else q.feedback.incorrect)])

    def keyed_answer(self, q: Ordering) -> Any:
        return [s.id for s in q.steps]

    def wrong_answer(self, q: Ordering) -> Any:
        return [s.id for s in reversed(q.steps)]

    def row_marks(self, q: Ordering, result: GradeResult) -> dict[str, bool]:
        """A step is right where it stands in the keyed order."""
        return {step: step == q.steps[index].id for index, step in enumerate(result.answer)}

    def kept_for_retry(self, q: Ordering, result: GradeResult) -> Any:
        return list(result.answer)  # the trainee's own order, to mend rather than redo

    def display_ids(self, q: Ordering) -> list[str]:
        return [s.id for s in q.steps]
