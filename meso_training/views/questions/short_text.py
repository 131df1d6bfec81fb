"""Short text: one text field; Enter submits."""

from __future__ import annotations

from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import ShortText
from meso_training.views.questions.base import QuestionView


class ShortTextView(QuestionView):
    question: ShortText
    question_type = ShortText

    def _input_kwargs(self) -> dict[str, Any]:
        return {"kind": "text", "legend": "Your answer", "value": "", "placeholder": "Type your answer"}

    def _redraw(self) -> None:
        pass

    def _blank(self) -> Any:
        return ""

    def _value_of(self, answer: Any) -> Any:
        return str(answer)

    def answer(self) -> Any:
        text = str(self.inputs.value or "")
        if not text.strip():
            raise AnswerError(self.question.id, "type an answer first")
        return text
