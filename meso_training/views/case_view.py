"""A case scenario: the vignette, the patient card, then the steps one at a time.

Answered steps stay visible above the current one (with their feedback in practice), so
the trainee sees the path their decisions took; a branch that ends the case shows its
outcome in place of the next step.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from meso_training.engine.session import ItemState, ModuleSession
from meso_training.model import Case, Mode, Patient, SourceRegistry
from meso_training.views.questions import QuestionView, SubmitAnswer, question_view, result_html
from meso_training.views.rendering import (
    button,
    escape,
    hidden_layout,
    html_widget,
    markdown_html,
    plain_layout,
    vbox,
)
from meso_training.views.theme import state_html


def patient_card_html(patient: Patient) -> str:
    def row(label: str, values: tuple[str, ...] | str) -> str:
        text = ", ".join(values) if isinstance(values, tuple) else values
        return f"<tr><th scope='row'>{escape(label)}</th><td>{escape(text or 'not recorded')}</td></tr>"

    status = []
    if patient.pregnant:
        status.append("pregnant")
    if patient.breastfeeding:
        status.append("breastfeeding")
    rows = [row("Age", str(patient.age)), row("Sex", patient.sex.value)]
    if status:
        rows.append(row("Pregnancy / breastfeeding", tuple(status)))
    if patient.skin_type:
        rows.append(row("Skin type", patient.skin_type))
    rows += [row("Conditions", patient.conditions), row("Medications", patient.medications),
             row("Allergies", patient.allergies)]
    if patient.history:
        rows.append(row("History", patient.history))
    rows.append(row("Goals", patient.goals))
    return ("<table class='meso-patient-card'>"
            f"<caption><strong>Patient</strong></caption>{''.join(rows)}</table>")


class CaseView(widgets.VBox):
    def __init__(self, item: ItemState, session: ModuleSession, registry: SourceRegistry,
                 on_submit: SubmitAnswer, on_restart: Callable[[], None]) -> None:
        case = item.case
        assert isinstance(case, Case)
        assert item.route is not None
        self.route = item.route
        self.case, self.item, self.session, self.registry = case, item, session, registry
        self._on_submit = on_submit
        header = html_widget(f"<h3>Case: {escape(case.title)}</h3>{markdown_html(case.vignette)}"
                              f"{patient_card_html(case.patient)}", _dom_classes=("meso-case-header",))
        self.position = html_widget(_dom_classes=("meso-case-position",))
        self.history = vbox(_dom_classes=("meso-case-history",))
        self.step_area = vbox()
        self.outcome = html_widget(_dom_classes=("meso-outcome",))
        self.restart = button(description="Restart case", tooltip="Run this case again from the start",
                              layout=hidden_layout(), _dom_classes=("meso-restart",))
        self.restart.on_click(lambda _: on_restart())
        self.current_view: QuestionView | None = None
        super().__init__([header, self.position, self.history, self.step_area, self.outcome, self.restart],
                         layout=plain_layout(), _dom_classes=("meso-case",))
        self.refresh()

    def refresh(self) -> None:
        item, practice = self.item, self.session.mode == Mode.PRACTICE
        answered = [item.steps[s] for s in item.answered]
        blocks = list(self.history.children[: len(answered)])
        for number, state in enumerate(answered[len(blocks):], start=len(blocks) + 1):
            body = (result_html(state.result, state.question, self.registry) if practice and state.result
                    else "<em>Answer recorded.</em>")
            blocks.append(html_widget(f"<div class='meso-case-step-done'><strong>Step {number}.</strong> "
                                      f"{markdown_html(state.question.prompt)}{body}</div>"))
        self.history.children = blocks
        current = self.session.current_question() if self.session.item is item else None
        if item.current is not None and current is not None:
            # Counted along the path right answers take from here: the same whatever the
            # trainee is about to choose, so it gives nothing away.
            total = len(answered) + len(self.route.path(item.current))
            self.position.value = f"<div role='status'>Step {len(answered) + 1} of {total}</div>"
            self.current_view = question_view(current.question, self.session.option_order(current), self.registry,
                                              self._on_submit)
            self.current_view.lock(not self.session.can_answer())
            self.step_area.children = [self.current_view]
        else:
            self.current_view = None
            self.step_area.children = []
            steps = f"{len(answered)} step{'s' if len(answered) != 1 else ''}"
            self.position.value = f"<div role='status'>Case finished after {steps}.</div>"
        self.outcome.value = self._outcome_html()
        self.restart.layout = plain_layout() if item.done and practice else hidden_layout()

    def _outcome_html(self) -> str:
        item = self.item
        if not item.done:
            return ""
        if self.session.mode == Mode.ASSESSMENT:
            return state_html("recorded", "✓", "Case finished; results come with the summary.",
                              extra_class="meso-case-outcome")
        parts = []
        if item.critical:
            parts.append(state_html("critical", "⚠", "<strong>Case failed for safety.</strong> A decision in "
                                    "this case would have harmed the patient; this fails the case whatever "
                                    "the points.", role="alert"))
        if item.outcome:
            state = "incorrect" if item.critical else "info"
            parts.append(state_html(state, "i", f"<strong>Outcome:</strong> {escape(item.outcome)}",
                                    extra_class="meso-case-outcome"))
        elif not item.critical:
            parts.append(state_html("correct", "✓", "Case complete.", extra_class="meso-case-outcome"))
        return "".join(parts)
