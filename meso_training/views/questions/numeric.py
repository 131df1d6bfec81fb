"""Numeric: one field for a number, labelled with the unit; it starts empty and Enter submits."""

from __future__ import annotations

import math
import re
from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import Numeric
from meso_training.views.questions.base import QuestionView

# 2.5, 2,5 (a decimal comma), -1, 1e3, with spaces around; not "1,000.5" or "five".
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


class NumericView(QuestionView):
    question: Numeric
    question_type = Numeric

    def _input_kwargs(self) -> dict[str, Any]:
        return {"kind": "number", "legend": "Your answer", "unit": self.question.unit, "value": "",
                "placeholder": "a number, e.g. 2.5"}

    def _redraw(self) -> None:
        pass

    def _blank(self) -> Any:
        return ""

    def _value_of(self, answer: Any) -> Any:
        return f"{answer:g}" if isinstance(answer, float | int) else str(answer)

    def answer(self) -> Any:
        typed = str(self.inputs.value or "").strip().replace(" ", "")
        if not typed:
            raise AnswerError(self.question.id, "type a number first")
        if not _NUMBER.match(typed):
            raise AnswerError(self.question.id, f"type a number, e.g. 2.5 (digits only), not {typed[:40]!r}")
        number = float(typed.replace(",", "."))
        if not math.isfinite(number):
            raise AnswerError(self.question.id, "type a number of ordinary size")
        return number
