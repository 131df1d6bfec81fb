"""Matching: each item gets one of the categories (a group of radio buttons per item)."""

from __future__ import annotations

from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import Matching
from meso_training.views.answer_input import Keys
from meso_training.views.questions.base import QuestionView


class MatchingView(QuestionView):
    """One group of categories per item.

    Radio buttons, not drop-downs: JupyterLab's command mode takes the arrow keys and
    letters from a focused drop-down, while each radio button is its own Tab stop that
    Space chooses.
    """

    question: Matching
    question_type = Matching
    legend = "Choose a category for each"

    def _texts(self) -> dict[str, str]:
        return {i.id: i.text for i in self.question.items}

    def _input_kwargs(self) -> dict[str, Any]:
        self.category_keys = Keys([c.id for c in self.question.categories], prefix="c")
        categories = self.category_keys.entries([c.id for c in self.question.categories],
                                                {c.id: c.text for c in self.question.categories})
        return {"kind": "matching", "legend": self.legend, "value": {}, "categories": categories,
                "options": self._shown_options()}

    def _blank(self) -> Any:
        return {}

    def _value_of(self, answer: Any) -> Any:
        return {self.option_keys.key[i]: self.category_keys.key[c] for i, c in answer.items()
                if i in self.option_keys.key and c in self.category_keys.key}

    def answer(self) -> Any:
        value = self.inputs.value if isinstance(self.inputs.value, dict) else {}
        chosen = {self.option_keys.id[k]: self.category_keys.id[c] for k, c in value.items()
                  if k in self.option_keys.id and c in self.category_keys.id}
        texts = self._texts()
        missing = [texts[i] for i in self.order if i not in chosen]
        if missing:
            raise AnswerError(self.question.id, f"choose a category for: {'; '.join(missing)}")
        return {i: chosen[i] for i in self.order}
