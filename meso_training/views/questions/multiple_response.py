"""Multiple response: one checkbox per option, in the session's shuffled order."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from meso_training.errors import AnswerError
from meso_training.model import MultipleResponse
from meso_training.views.questions.base import FULL, QuestionView
from meso_training.views.rendering import shared_style, vbox


class MultipleResponseView(QuestionView):
    question: MultipleResponse
    question_type = MultipleResponse
    hint = "Select all that apply."

    def _build_inputs(self) -> widgets.Widget:
        texts = {o.id: o.text for o in self.question.options}
        self.boxes = {i: widgets.Checkbox(value=False, description=texts[i], indent=False,
                                          style=shared_style("checkbox"),
                                          layout=FULL, _dom_classes=("meso-option",)) for i in self.order}
        self.box_list = vbox(self.boxes.values())
        return self.box_list

    def reorder(self, order: list[str]) -> None:
        super().reorder(order)
        self.boxes = {i: self.boxes[i] for i in self.order}
        for box in self.boxes.values():
            box.value = False
        self.box_list.children = list(self.boxes.values())

    def answer(self) -> Any:
        chosen = [i for i, box in self.boxes.items() if box.value]
        if not chosen:
            raise AnswerError(self.question.id, "tick at least one option first")
        return chosen

    def fill(self, answer: Any) -> None:
        for i, box in self.boxes.items():
            box.value = i in answer
