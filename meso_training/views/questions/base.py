"""The frame every question view shares: prompt, the type's inputs, Submit, feedback.

A view knows how to read its input into an answer (``answer``) and how to set it from
one (``fill``, used by play-throughs and tests: it sets the same value a trainee's clicks
set), and renders a grade it is given. It never grades: Submit hands ``(question id, answer)`` to
the runner, which asks the session, and shows any message the runner hands back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from meso_training.engine.grading import GradeResult, kept_for_retry, row_marks
from meso_training.errors import AnswerError
from meso_training.model import QuestionBase, QuestionType, SourceRegistry
from meso_training.views.answer_input import AnswerInput, Keys
from meso_training.views.rendering import button, escape, html_widget, markdown_html, sources_html
from meso_training.views.theme import state_html

SubmitAnswer = Callable[[str, Any], "str | None"]
"""What Submit calls: ``(question id, answer)`` in, a message for the trainee (or None) out."""

FULL = widgets.Layout(width="100%")


class QuestionView(widgets.VBox):
    """Shared frame: prompt, the type's inputs (one ``AnswerInput``), Submit, feedback.

    A type's view says how to draw its input (``_input_kwargs``), how to read it into an
    answer (``answer``) and how an answer is the input's value (``_value_of``, which ``fill``
    sets). Shown rows are named by opaque keys
    (``self.option_keys``), so the page never holds a question's ids, let alone its key.
    """

    question_type: type[QuestionBase]
    """The model class this view shows; the key of its entry in ``VIEWS``."""
    legend = "Your answer"
    """How to answer this type, in words: the input group's visible name."""

    def __init__(self, question: QuestionType, order: list[str], registry: SourceRegistry,
                 on_submit: SubmitAnswer) -> None:
        self.question, self.order, self.registry = question, list(order), registry
        self.option_keys = Keys(self.order)
        self.prompt = html_widget(markdown_html(question.prompt), layout=FULL, _dom_classes=("meso-prompt",))
        self.submit = button(description="Submit", button_style="primary",
                             tooltip="Submit your answer", _dom_classes=("meso-submit",))
        self.feedback = html_widget("", layout=FULL, _dom_classes=("meso-feedback",))
        self._on_submit = on_submit
        self.submit.on_click(lambda _: self._submit_clicked())
        self.inputs = AnswerInput(**self._input_kwargs())
        self.inputs.on_enter(self._enter_pressed)
        super().__init__([self.prompt, self.inputs, self.submit, self.feedback], layout=FULL,
                         _dom_classes=("meso-question", f"meso-{question.type.replace('_', '-')}"))

    def _submit_clicked(self) -> None:
        """Read the widgets into an answer and hand it up with the question id; show what comes back."""
        try:
            answer = self.answer()
        except AnswerError as exc:
            self.show_message(str(exc))
            return
        problem = self._on_submit(self.question.id, answer)
        if problem:
            self.show_message(problem)

    def _enter_pressed(self) -> None:
        """Enter in a number or text field submits, as in any form, unless Submit is locked."""
        if not self.submit.disabled:
            self._submit_clicked()

    def _input_kwargs(self) -> dict[str, Any]:
        raise NotImplementedError

    def answer(self) -> Any:
        raise NotImplementedError

    def fill(self, answer: Any) -> None:
        """Set the input to ``answer`` (ids), as the trainee's clicks or typing would."""
        self.inputs.value = self._value_of(answer)

    def lock(self, locked: bool) -> None:
        self.submit.disabled = locked
        self.inputs.disabled = locked

    def retry(self, order: list[str], kept: Any) -> None:
        """A practice retry: the fresh shuffle ``order``, keeping ``kept`` (the right part) and its marks."""
        self.order = list(order)
        right = {k: v for k, v in self.inputs.marks.items() if v == "right"}
        with self.inputs.hold_sync():
            self._redraw()
            self.inputs.value = self._blank() if kept is None else self._value_of(kept)
            self.inputs.marks = right if kept is not None else {}

    def _redraw(self) -> None:
        """Show ``self.order``; by default the options keep their keys in the new order."""
        self.inputs.options = self._shown_options()

    def _shown_options(self) -> list[dict[str, str]]:
        """The options (steps, items) in ``self.order`` under their keys, as the input lists them."""
        return self.option_keys.entries(self.order, self._texts())

    def _texts(self) -> dict[str, str]:
        return {}

    def _blank(self) -> Any:
        return None

    def _value_of(self, answer: Any) -> Any:
        """``answer`` (ids) as the input's value (keys)."""
        raise NotImplementedError

    def show_graded(self, result: GradeResult, *, show_feedback: bool, retry_order: list[str] | None) -> None:
        """Show a graded answer; with ``retry_order`` (a practice retry) start the next attempt, else lock.

        One sync: the marks, the lock and the retry reach the browser as one message.
        """
        with self.inputs.hold_sync():
            self.show_result(result, show_feedback=show_feedback)
            self.lock(retry_order is None)
            if retry_order is not None:
                self.retry(retry_order, kept_for_retry(self.question, result))

    def show_result(self, result: GradeResult, *, show_feedback: bool) -> None:
        if not show_feedback:
            self.feedback.value = state_html("recorded", "✓", "Answer recorded. Feedback comes with the "
                                             "summary at the end.", extra_class="meso-recorded")
            return
        self.inputs.marks = {self.option_keys.key[i]: "right" if ok else "wrong"
                             for i, ok in row_marks(self.question, result).items() if i in self.option_keys.key}
        self.feedback.value = result_html(result, self.question, self.registry)

    def show_message(self, text: str) -> None:
        self.feedback.value = state_html("info", "!", escape(text), role="alert", extra_class="meso-message")


def result_html(result: GradeResult, question: QuestionType, registry: SourceRegistry) -> str:
    """The graded answer: verdict (colour, icon and words), harm warning, feedback, why, sources."""
    if result.correct:
        verdict = state_html("correct", "✓", "<strong>Correct.</strong>", extra_class="meso-verdict")
    elif result.score > 0:
        verdict = state_html("partial", "½", f"<strong>Partly right</strong> ({result.score:.0%}).",
                             extra_class="meso-verdict")
    else:
        verdict = state_html("incorrect", "✗", "<strong>Not right.</strong>", extra_class="meso-verdict")
    if result.critical:
        verdict += state_html("critical", "⚠", "<strong>Safety: this choice would harm the patient.</strong> "
                              "It fails the case whatever the points.", role="alert")
    lines = "".join(f'<li class="{"meso-fb-right" if f.correct else "meso-fb-wrong"}">'
                    f"<em>{escape(f.about)}</em>: {escape(f.text)}</li>" for f in result.feedback)
    return (f"{verdict}<ul class='meso-feedback-list'>{lines}</ul>"
            f"<div class='meso-rationale'><strong>Why:</strong> {markdown_html(result.rationale)}</div>"
            f"{sources_html(question, registry)}")
