"""Ordering: rows of steps moved up and down with buttons (keyboard usable)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from meso_training.model import Ordering
from meso_training.views.questions.base import NARROW, QuestionView
from meso_training.views.rendering import button, escape, hbox, html_widget, vbox


class OrderingView(QuestionView):
    """Rows stay in place; moving a step swaps the texts, so keyboard focus stays on the row."""

    question: Ordering
    question_type = Ordering
    hint = "Put the steps in order: first at the top."

    def _build_inputs(self) -> widgets.Widget:
        self.texts = {s.id: s.text for s in self.question.steps}
        self.current = list(self.order)
        self.labels, self.ups, self.downs, rows = [], [], [], []
        for index, step_id in enumerate(self.current):
            label_html, up_tip, down_tip = self._row_texts(index, step_id)
            # Built with their text, not filled in afterwards: each later change is one more message.
            up = button(description="Up", icon="arrow-up", disabled=index == 0, tooltip=up_tip,
                        layout=NARROW, _dom_classes=("meso-up",))
            down = button(description="Down", icon="arrow-down", disabled=index == len(self.current) - 1,
                          tooltip=down_tip, layout=NARROW, _dom_classes=("meso-down",))
            up.on_click(lambda _, i=index: self.move(i, -1))
            down.on_click(lambda _, i=index: self.move(i, +1))
            label = html_widget(label_html)
            self.ups.append(up)
            self.downs.append(down)
            self.labels.append(label)
            rows.append(hbox([up, down, label], _dom_classes=("meso-order-row",)))
        return vbox(rows, _dom_classes=("meso-ordering",))

    def _row_texts(self, index: int, step_id: str) -> tuple[str, str, str]:
        """Row ``index`` showing ``step_id``: its label, and its Up and Down tooltips."""
        text = self.texts[step_id]
        return f"<strong>{index + 1}.</strong> {escape(text)}", f"Move up: {text}", f"Move down: {text}"

    def _render(self) -> None:
        for index, step_id in enumerate(self.current):
            self.labels[index].value, self.ups[index].tooltip, self.downs[index].tooltip = \
                self._row_texts(index, step_id)

    def reorder(self, order: list[str]) -> None:
        super().reorder(order)
        self.current = list(self.order)
        self._render()

    def move(self, index: int, delta: int) -> None:
        target = index + delta
        if 0 <= target < len(self.current) and delta:
            self.current[index], self.current[target] = self.current[target], self.current[index]
            self._render()

    def answer(self) -> Any:
        return list(self.current)

    def fill(self, answer: Any) -> None:
        if list(answer) != self.current and sorted(answer) == sorted(self.current):
            self.current = list(answer)
            self._render()
