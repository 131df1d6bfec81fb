"""The frame every question view shares: prompt, the type's inputs, Submit, feedback.

A view knows how to read its widgets into an answer (``answer``) and how to set them from
one (``fill``, used by play-throughs and tests exactly as a trainee's clicks would), and
renders a grade it is given. It never grades: Submit hands ``(question id, answer)`` to
the runner, which asks the session, and shows any message the runner hands back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from meso_training.engine.grading import GradeResult
from meso_training.errors import AnswerError
from meso_training.model import QuestionBase, QuestionType, SourceRegistry
from meso_training.views.rendering import button, escape, html_widget, markdown_html, sources_html

SubmitAnswer = Callable[[str, Any], "str | None"]
"""What Submit calls: ``(question id, answer)`` in, a message for the trainee (or None) out."""

FULL = widgets.Layout(width="100%")
NARROW = widgets.Layout(width="80px")


class QuestionView(widgets.VBox):
    """Shared frame: prompt, the type's input, Submit, feedback."""

    question_type: type[QuestionBase]
    """The model class this view shows; the key of its entry in ``VIEWS``."""
    hint = ""  # how to answer this type, shown under the prompt

    def __init__(self, question: QuestionType, order: list[str], registry: SourceRegistry,
                 on_submit: SubmitAnswer) -> None:
        self.question, self.order, self.registry = question, order, registry
        # The hint is part of the prompt's HTML: a widget of its own is one more message per question.
        hint = f"<p class='meso-hint'><em>{self.hint}</em></p>" if self.hint else ""
        self.prompt = html_widget(markdown_html(question.prompt) + hint, layout=FULL, _dom_classes=("meso-prompt",))
        self.submit = button(description="Submit", button_style="primary",
                                     tooltip="Submit your answer", _dom_classes=("meso-submit",))
        self.feedback = html_widget("", layout=FULL, _dom_classes=("meso-feedback",))
        self._on_submit = on_submit
        self.submit.on_click(lambda _: self._submit_clicked())
        self.inputs = self._build_inputs()
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
