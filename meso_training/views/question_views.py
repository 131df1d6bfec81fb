"""One view per question type: the input, a Submit button, and the feedback after grading.

A view knows how to read its widgets into an answer (``answer``) and how to set them from
one (``fill``, used by play-throughs and tests exactly as a trainee's clicks would), and
renders a grade it is given. It never grades: the runner asks the session to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from meso_training.errors import AnswerError
from meso_training.grading import GradeResult
from meso_training.model import (
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    QuestionType,
    ShortText,
    SingleChoice,
    SourceRegistry,
)
from meso_training.views.rendering import (
    button,
    escape,
    hbox,
    html_widget,
    markdown_html,
    shared_style,
    sources_html,
    vbox,
)

_FULL = widgets.Layout(width="100%")
_NARROW = widgets.Layout(width="80px")


class QuestionView(widgets.VBox):
    """Shared frame: prompt, the type's input, Submit, feedback."""

    hint = ""  # how to answer this type, shown under the prompt

    def __init__(self, question: QuestionType, order: list[str], registry: SourceRegistry,
                 on_submit: Callable[[QuestionView], None]) -> None:
        self.question, self.order, self.registry = question, order, registry
        # The hint is part of the prompt's HTML: a widget of its own is one more message per question.
        hint = f"<p class='meso-hint'><em>{self.hint}</em></p>" if self.hint else ""
        self.prompt = html_widget(markdown_html(question.prompt) + hint, layout=_FULL, _dom_classes=("meso-prompt",))
        self.submit = button(description="Submit", button_style="primary",
                                     tooltip="Submit your answer", _dom_classes=("meso-submit",))
        self.feedback = html_widget("", layout=_FULL, _dom_classes=("meso-feedback",))
        self.submit.on_click(lambda _: on_submit(self))
        self.inputs = self._build_inputs()
        super().__init__([self.prompt, self.inputs, self.submit, self.feedback], layout=_FULL,
                         _dom_classes=("meso-question", f"meso-{question.type.replace('_', '-')}"))

    def _build_inputs(self) -> widgets.Widget:
        raise NotImplementedError

    def answer(self) -> Any:
        raise NotImplementedError

    def fill(self, answer: Any) -> None:
        raise NotImplementedError

    def lock(self, locked: bool) -> None:
        self.submit.disabled = locked

    def reorder(self, order: list[str]) -> None:
        """Show a fresh shuffle for the next attempt and clear the inputs (practice retries)."""
        self.order = list(order)

    def show_result(self, result: GradeResult, *, show_feedback: bool) -> None:
        if not show_feedback:
            self.feedback.value = ('<div class="meso-recorded" role="status">Answer recorded. '
                                   "Feedback comes with the summary at the end.</div>")
            return
        self.feedback.value = result_html(result, self.question, self.registry)

    def show_message(self, text: str) -> None:
        self.feedback.value = f'<div class="meso-message" role="alert">{escape(text)}</div>'


def result_html(result: GradeResult, question: QuestionType, registry: SourceRegistry) -> str:
    if result.correct:
        verdict = '<div class="meso-verdict meso-correct" role="status"><strong>Correct.</strong></div>'
    elif result.score > 0:
        verdict = (f'<div class="meso-verdict meso-partial" role="status"><strong>Partly right</strong> '
                   f"({result.score:.0%}).</div>")
    else:
        verdict = '<div class="meso-verdict meso-incorrect" role="status"><strong>Not right.</strong></div>'
    if result.critical:
        verdict += ('<div class="meso-critical" role="alert"><strong>Safety: this choice would harm the '
                    "patient.</strong> It fails the case whatever the points.</div>")
    lines = "".join(f'<li class="{"meso-fb-right" if f.correct else "meso-fb-wrong"}">'
                    f"<em>{escape(f.about)}</em>: {escape(f.text)}</li>" for f in result.feedback)
    return (f"{verdict}<ul class='meso-feedback-list'>{lines}</ul>"
            f"<div class='meso-rationale'><strong>Why:</strong> {markdown_html(result.rationale)}</div>"
            f"{sources_html(question, registry)}")


class SingleChoiceView(QuestionView):
    question: SingleChoice

    def _build_inputs(self) -> widgets.Widget:
        texts = {o.id: o.text for o in self.question.options}
        self.choice = widgets.RadioButtons(options=[(texts[i], i) for i in self.order], value=None,
                                           style=shared_style("description", "initial"),
                                           description="Your answer", tooltip="Choose one option",
                                           layout=_FULL, _dom_classes=("meso-option",))
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


class MultipleResponseView(QuestionView):
    question: MultipleResponse
    hint = "Select all that apply."

    def _build_inputs(self) -> widgets.Widget:
        texts = {o.id: o.text for o in self.question.options}
        self.boxes = {i: widgets.Checkbox(value=False, description=texts[i], indent=False,
                                          style=shared_style("checkbox"),
                                          layout=_FULL, _dom_classes=("meso-option",)) for i in self.order}
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


class NumericView(QuestionView):
    question: Numeric

    def _build_inputs(self) -> widgets.Widget:
        self.number = widgets.FloatText(value=0.0, description=f"Answer ({self.question.unit})",
                                        style=shared_style("description", "initial"), _dom_classes=("meso-number",))
        return self.number

    def answer(self) -> Any:
        return float(self.number.value)

    def fill(self, answer: Any) -> None:
        self.number.value = float(answer)


class OrderingView(QuestionView):
    """Rows stay in place; moving a step swaps the texts, so keyboard focus stays on the row."""

    question: Ordering
    hint = "Put the steps in order: first at the top."

    def _build_inputs(self) -> widgets.Widget:
        self.texts = {s.id: s.text for s in self.question.steps}
        self.current = list(self.order)
        self.labels, self.ups, self.downs, rows = [], [], [], []
        for index, step_id in enumerate(self.current):
            label_html, up_tip, down_tip = self._row_texts(index, step_id)
            # Built with their text, not filled in afterwards: each later change is one more message.
            up = button(description="Up", icon="arrow-up", disabled=index == 0, tooltip=up_tip,
                        layout=_NARROW, _dom_classes=("meso-up",))
            down = button(description="Down", icon="arrow-down", disabled=index == len(self.current) - 1,
                          tooltip=down_tip, layout=_NARROW, _dom_classes=("meso-down",))
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


class MatchingView(QuestionView):
    """One row of categories per item.

    Radio buttons, not drop-downs: JupyterLab's command mode takes the arrow keys and
    letters from a focused drop-down, while each radio button is its own Tab stop that
    Space chooses.
    """

    question: Matching

    def _build_inputs(self) -> widgets.Widget:
        texts = {i.id: i.text for i in self.question.items}
        categories = [(c.text, c.id) for c in self.question.categories]
        self.choices = {i: widgets.RadioButtons(options=categories, value=None, description=texts[i],
                                                orientation="horizontal",
                                                tooltip=f"Category for: {texts[i]}",
                                                style=shared_style("description", "45%"),
                                                layout=_FULL, _dom_classes=("meso-match",)) for i in self.order}
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


class ShortTextView(QuestionView):
    question: ShortText

    def _build_inputs(self) -> widgets.Widget:
        self.text = widgets.Text(value="", placeholder="Type your answer", description="Answer",
                                 style=shared_style("text"), continuous_update=False,
                                 layout=_FULL, _dom_classes=("meso-text",))
        return self.text

    def answer(self) -> Any:
        if not self.text.value.strip():
            raise AnswerError(self.question.id, "type an answer first")
        return self.text.value

    def fill(self, answer: Any) -> None:
        self.text.value = str(answer)


VIEWS: dict[str, type[QuestionView]] = {
    "single_choice": SingleChoiceView, "multiple_response": MultipleResponseView, "numeric": NumericView,
    "ordering": OrderingView, "matching": MatchingView, "short_text": ShortTextView,
}


def question_view(question: QuestionType, order: list[str], registry: SourceRegistry,
                  on_submit: Callable[[QuestionView], None]) -> QuestionView:
    return VIEWS[question.type](question, order, registry, on_submit)
