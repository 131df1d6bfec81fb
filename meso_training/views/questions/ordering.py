"""Ordering: a numbered list of steps, each moved up and down with its own buttons (keyboard usable)."""

from __future__ import annotations

from typing import Any

from meso_training.model import Ordering
from meso_training.views.questions.base import QuestionView


class OrderingView(QuestionView):
    """The input's value is the order shown; a move sends the new order, and the focus follows the step."""

    question: Ordering
    question_type = Ordering
    legend = "Put the steps in order: first at the top"

    def _texts(self) -> dict[str, str]:
        return {s.id: s.text for s in self.question.steps}

    def _input_kwargs(self) -> dict[str, Any]:
        return {"kind": "ordering", "legend": self.legend, "value": self._blank(),
                "options": self._shown_options()}

    def _blank(self) -> Any:
        return [self.option_keys.key[i] for i in self.order]

    def _value_of(self, answer: Any) -> Any:
        return [self.option_keys.key[i] for i in answer]

    @property
    def current(self) -> list[str]:
        """The steps' ids in the order shown now."""
        shown = self.option_keys.ids(self.inputs.value or [])
        return shown if sorted(shown) == sorted(self.order) else list(self.order)

    def answer(self) -> Any:
        return self.current

    def fill(self, answer: Any) -> None:
        if sorted(answer) == sorted(self.order):
            self.inputs.value = self._value_of(answer)

    def move(self, index: int, delta: int) -> None:
        """Move the step at ``index`` by ``delta`` rows, as its Up or Down button does."""
        order, target = self.current, index + delta
        if 0 <= target < len(order) and delta:
            order[index], order[target] = order[target], order[index]
            self.inputs.value = self._value_of(order)
