"""Single choice: one radio button per option, in the session's shuffled order."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from meso_training.errors import AnswerError
from meso_training.model import SingleChoice
from meso_training.views.questions.base import FULL, QuestionView
from meso_training.views.rendering import shared_style


class SingleChoiceView(QuestionView):
    question: SingleChoice
    question_type = SingleChoice

    def _build_inputs(self) -> widgets.Widget:
        texts = {o.id: o.text for o in self.question.options}
        self.choice = widgets.RadioButtons(options=[(texts[i], i) for i in self.order], value=None,
                                           style=shared_style("description", "initial"),
                                           description="Your answer", tooltip="Choose one option",
                                           layout=FULL, _dom_classes=("meso-option",))
        return self.choice

    def reorder(self, order: list[str]) -> None:
        super().reorder(order)
        texts = {o.id: o.text for o in self.question.options}
        self.choice.options = [(texts[i], i) for i in self.order]
        self.choice.value = None

    def answer(self) -> Any:
        if self.choice.value is None:
            raise AnswerError(self.question.id, "choose one option first")
        return self.choice.value

    def fill(self, answer: Any) -> None:
        self.choice.value = answer
