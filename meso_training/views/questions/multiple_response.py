"""Multiple response: one tick box per option, in the session's shuffled order."""

from __future__ import annotations

import re
from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import MultipleResponse
from meso_training.views.questions.base import QuestionView

_SAYS_SO = re.compile(r"all that apply|every (option|answer|one) that", re.IGNORECASE)


class MultipleResponseView(QuestionView):
    question: MultipleResponse
    question_type = MultipleResponse

    @property
    def legend(self) -> str:  # type: ignore[override]
        """Said once: a prompt that already asks for all that apply gets a plain label."""
        return "Your answer: tick each that applies" if _SAYS_SO.search(self.question.prompt) \
            else "Select all that apply"

    def _texts(self) -> dict[str, str]:
        return {o.id: o.text for o in self.question.options}

    def _input_kwargs(self) -> dict[str, Any]:
        return {"kind": "multiple", "legend": self.legend, "value": [],
                "options": self._shown_options()}

    def _blank(self) -> Any:
        return []

    def _value_of(self, answer: Any) -> Any:
        return [self.option_keys.key[i] for i in self.order if i in set(answer)]

    def answer(self) -> Any:
        chosen = set(self.option_keys.ids(self.inputs.value or []))
        if not chosen:
            raise AnswerError(self.question.id, "tick at least one option first")
        return [i for i in self.order if i in chosen]
