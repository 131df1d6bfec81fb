"""Short text: one text box."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from meso_training.errors import AnswerError
from meso_training.model import ShortText
from meso_training.views.questions.base import FULL, QuestionView
from meso_training.views.rendering import shared_style


class ShortTextView(QuestionView):
    question: ShortText
    question_type = ShortText

    def _build_inputs(self) -> widgets.Widget:
        self.text = widgets.Text(value="", placeholder="Type your answer", description="Answer",
                                 style=shared_style("text"), continuous_update=False,
                                 layout=FULL, _dom_classes=("meso-text",))
        return self.text

    def answer(self) -> Any:
        if not self.text.value.strip():
            raise AnswerError(self.question.id, "type an answer first")
        return self.text.value

    def fill(self, answer: Any) -> None:
        self.text.value = str(answer)
