"""Numeric: one number box labelled with the unit."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from meso_training.model import Numeric
from meso_training.views.questions.base import QuestionView
from meso_training.views.rendering import shared_style


class NumericView(QuestionView):
    question: Numeric
    question_type = Numeric

    def _build_inputs(self) -> widgets.Widget:
        self.number = widgets.FloatText(value=0.0, description=f"Answer ({self.question.unit})",
                                        style=shared_style("description", "initial"), _dom_classes=("meso-number",))
        return self.number

    def answer(self) -> Any:
        return float(self.number.value)

    def fill(self, answer: Any) -> None:
        self.number.value = float(answer)
