"""Single choice: one radio button per option, in the session's shuffled order."""

from __future__ import annotations

from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import SingleChoice
from meso_training.views.questions.base import QuestionView


class SingleChoiceView(QuestionView):
    question: SingleChoice
    question_type = SingleChoice
    legend = "Choose one answer"

    def _texts(self) -> dict[str, str]:
        return {o.id: o.text for o in self.question.options}

    def _input_kwargs(self) -> dict[str, Any]:
        return {"kind": "single", "legend": self.legend, "options": self._shown_options()}

    def _value_of(self, answer: Any) -> Any:
        return self.option_keys.key.get(answer)

    def answer(self) -> Any:
        chosen = self.option_keys.ids([self.inputs.value])
        if not chosen:
            raise AnswerError(self.question.id, "choose one option first")
        return chosen[0]
