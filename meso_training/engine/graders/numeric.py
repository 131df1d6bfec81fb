"""Numeric: a value within its tolerance, or inside an inclusive range; all or nothing."""

from __future__ import annotations

import math
from typing import Any

from meso_training.engine.graders.base import Grader
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.errors import AnswerError
from meso_training.model import Numeric


class NumericGrader(Grader[Numeric]):
    question_type = Numeric

    def grade(self, q: Numeric, answer: Any) -> GradeResult:
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            raise AnswerError(q.id, f"expected a number in {q.unit}, got {type(answer).__name__}")
        try:
            number = float(answer)  # an int beyond 1e308 overflows here rather than inside the comparison
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise AnswerError(q.id, "expected a finite number")
        a = q.answer
        if a.value is not None:
            ok = abs(number - a.value) <= (a.tolerance or 0.0) + 1e-9
        else:
            ok = a.min is not None and a.max is not None and a.min - 1e-9 <= number <= a.max + 1e-9
        text = q.feedback.correct if ok else q.feedback.incorrect
        return graded(q, answer, 1.0 if ok else 0.0, [Feedback(f"{number:g} {q.unit}", ok, text)])

    def keyed_answer(self, q: Numeric) -> Any:
        a = q.answer
        return a.value if a.value is not None else ((a.min or 0.0) + (a.max or 0.0)) / 2

    def wrong_answer(self, q: Numeric) -> Any:
        a = q.answer
        high = a.value + (a.tolerance or 0.0) if a.value is not None else (a.max or 0.0)
        return high + max(1.0, abs(high))
