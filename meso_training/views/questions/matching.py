"""Matching: a row of category radio buttons per item."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from meso_training.errors import AnswerError
from meso_training.model import Matching
from meso_training.views.questions.base import FULL, QuestionView
from meso_training.views.rendering import shared_style, vbox


class MatchingView(QuestionView):
    """One row of categories per item.

    Radio buttons, not drop-downs: JupyterLab's command mode takes the arrow keys and
    letters from a focused drop-down, while each radio button is its own Tab stop that
    Space chooses.
    """

    question: Matching
    question_type = Matching

    def _build_inputs(self) -> widgets.Widget:
        texts = {i.id: i.text for i in self.question.items}
        categories = [(c.text, c.id) for c in self.question.categories]
        self.choices = {i: widgets.RadioButtons(options=categories, value=None, description=texts[i],
                                                orientation="horizontal",
                                                tooltip=f"Category for: {texts[i]}",
                                                style=shared_style("description", "45%"),
                                                layout=FULL, _dom_classes=("meso-match",)) for i in self.order}
        self.choice_list = vbox(self.choices.values())
        return self.choice_list

    def reorder(self, order: list[str]) -> None:
        super().reorder(order)
        self.choices = {i: self.choices[i] for i in self.order}
        for choice in self.choices.values():
            choice.value = None
        self.choice_list.children = list(self.choices.values())

    def answer(self) -> Any:
        missing = [c.description for c in self.choices.values() if c.value is None]
        if missing:
            raise AnswerError(self.question.id, f"choose a category for: {'; '.join(missing)}")
        return {i: c.value for i, c in self.choices.items()}

    def fill(self, answer: Any) -> None:
        for i, choice in self.choices.items():
            choice.value = answer[i]
