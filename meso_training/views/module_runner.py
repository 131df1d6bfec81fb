"""A whole module in one widget: progress, navigation, score so far, and the summary.

The runner wires the session (rules), the recorder (saving) and the item views. Every
callback catches errors and shows them in the widget: nothing reaches the notebook as a
traceback. Its buttons are ordinary widgets, so tests and play-throughs click them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import ipywidgets as widgets

from meso_training.engine.session import ModuleSession
from meso_training.errors import MesoTrainingError
from meso_training.model import Mode, SourceRegistry
from meso_training.views.case_view import CaseView
from meso_training.views.questions import QuestionView, question_view
from meso_training.views.recorder import AttemptRecorder
from meso_training.views.rendering import ShownOncePerCell, button, escape, html_widget
from meso_training.views.summary import summary_html
from meso_training.views.theme import state_html, stylesheet_widget

log = logging.getLogger(__name__)
_T = TypeVar("_T")
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ModuleRunner(ShownOncePerCell, widgets.VBox):
    def __init__(self, session: ModuleSession, registry: SourceRegistry, recorder: AttemptRecorder, *,
                 clock: Clock = utc_now, certificate_dir: Path | None = None, notice: str = "",
                 ask_name: bool = False) -> None:
        self.session, self.registry, self.recorder, self.clock = session, registry, recorder, clock
        self.certificate_dir = certificate_dir
        self.asking_name = ask_name
        """Whether the name form is shown (no name saved yet): the header does not guess one."""
        self.header = html_widget(self._header_html(), _dom_classes=("meso-header",))
        self.progress = widgets.IntProgress(value=0, min=0, max=len(session.items), description="Progress",
                                            bar_style="info", _dom_classes=("meso-progress",))
        # Items done, score so far and the item list change together after every answer: one
        # widget (one message) for the three, each keeping its own CSS class inside.
        self.status = html_widget(_dom_classes=("meso-status",))
        self.alert: str | None = notice or None
        """The problem the trainee is being shown now, if any (the message line's text)."""
        self.message = html_widget(self._message_html(notice) if notice else "", _dom_classes=("meso-message",))
        self.retry_button = button(description="Retry saving", tooltip="Save answers kept in memory",
                                           layout=widgets.Layout(display="none"), _dom_classes=("meso-retry",))
        self.body = widgets.VBox(_dom_classes=("meso-body",))
        self.prev_button = button(description="← Previous",
                                          tooltip="Previous item", _dom_classes=("meso-prev",))
        self.next_button = button(description="Next →",
                                          tooltip="Next item", _dom_classes=("meso-next",))
        self.finish_button = button(description="Show summary", tooltip="Score and what to review",
                                            button_style="info", _dom_classes=("meso-finish",))
        self.summary = html_widget(_dom_classes=("meso-summary",))
        self.prev_button.on_click(lambda _: self._guarded(self.previous))
        self.next_button.on_click(lambda _: self._guarded(self.next))
        self.finish_button.on_click(lambda _: self._guarded(self.show_summary))
        self.retry_button.on_click(lambda _: self._guarded(self._retry_saving))
        nav = widgets.HBox([self.prev_button, self.next_button, self.finish_button])
        self.name_text = widgets.Text(value="", placeholder="Your name as it should appear on certificates",
                                      description="Your name", style={"description_width": "initial"},
                                      layout=widgets.Layout(width="28em", max_width="100%"),
                                      _dom_classes=("meso-name",))
        self.name_button = button(description="Save name", tooltip="Remember this name for your answers",
                                  _dom_classes=("meso-save-name",))
        self.name_button.on_click(lambda _: self._guarded(self._save_name))
        name_form = widgets.HBox([self.name_text, self.name_button],
                                 layout=widgets.Layout(display="" if ask_name else "none"))
        self.name_form = name_form
        super().__init__([stylesheet_widget(), self.header, name_form, self.progress, self.status, self.message,
                          self.retry_button, self.body, nav, self.summary], _dom_classes=("meso-runner",))
        self.item_view: QuestionView | CaseView | None = None
        self.certificate_offered = False
        """Whether the summary shown offers a certificate (a passed assessment)."""
        self._show_item()
        if all(item.done for item in session.items):
            self.show_summary()

    def _header_html(self) -> str:
        module, session = self.session.module, self.session
        objectives = "".join(f"<li>{escape(o.text)}</li>" for o in module.objectives)
        mode = "Practice: feedback at once, retries allowed" if session.mode == Mode.PRACTICE else \
            f"Assessment: one answer per question, feedback at the end, pass mark {module.pass_mark:.0%}"
        who = ("Type your name below: it is recorded with your answers and printed on certificates."
               if self.asking_name else f"Answering as <strong>{escape(session.trainee)}</strong>.")
        return (f"<h2>{escape(module.title)}</h2><p><em>{escape(mode)}</em>. {who}</p>"
                f"<details open><summary>Learning objectives</summary><ul>{objectives}</ul></details>")

    @property
    def current_view(self) -> QuestionView | None:
        """The question the trainee can answer now, if any."""
        if not self.session.can_answer():
            return None
        if isinstance(self.item_view, CaseView):
            return self.item_view.current_view
        return self.item_view

    def answer(self, answer: Any) -> None:
        """Set the current question's widgets to ``answer`` and press Submit, as a trainee would."""
        view = self.current_view
        if view is None:
            msg = "no question to answer here: this item is finished"
            raise MesoTrainingError(msg)
        view.fill(answer)
        view.submit.click()

    def _guarded(self, action: Callable[[], _T]) -> _T | None:
        """Run a callback's action; an error is shown on the message line (None returned), never raised."""
        try:
            return action()
        except MesoTrainingError as exc:
            self._show_alert(str(exc))
        except Exception:
            log.exception("unexpected error in the module runner")
            self._show_alert(
                "Something went wrong on our side; your answers so far are kept. Please reload the notebook.")
        return None

    def _show_alert(self, text: str | None, otherwise: str = "") -> None:
        """Show ``text`` as a problem on the message line, or clear it (showing ``otherwise``)."""
        self.alert = text or None
        self.message.value = self._message_html(text) if text else otherwise

    @staticmethod
    def _message_html(text: str) -> str:
        return state_html("incorrect", "!", escape(text), role="alert", extra_class="meso-alert")

    def _save_name(self) -> None:
        name = self.name_text.value.strip()
        if not name:
            self._show_alert("Type your name first.")
            return
        self.session.trainee = name
        self.asking_name = False
        self.header.value = self._header_html()
        self.name_form.layout.display = "none"
        try:
            self.recorder.store.set_setting("trainee", name)
        except MesoTrainingError as exc:
            log.warning("name not remembered: %s", exc)
            self._show_alert(
                f"Your answers in this module are recorded as {name}, but the name could not be "
                f"remembered for next time: {exc}")
            return
        self._show_alert(None, f"<div role='status'>Saved: your answers from now on are recorded as "
                               f"<strong>{escape(name)}</strong>, here and in every module.</div>")

    def next(self) -> None:
        self.session.go_to(self.session.position + 1, self.clock())
        self._show_item()

    def previous(self) -> None:
        self.session.go_to(self.session.position - 1, self.clock())
        self._show_item()

    def _show_item(self) -> None:
        item = self.session.item
        if item.case is not None:
            self.item_view = CaseView(item, self.session, self.registry, self._submitted,
                                      lambda: self._guarded(self._restart))
        else:
            state = next(iter(item.steps.values()))
            view = question_view(state.question, self.session.option_order(state), self.registry, self._submitted)
            if state.result is None:
                view.lock(not self.session.can_answer())
            else:
                retry = self.session.can_answer()  # a practice retry, as right after the answer
                if not retry:
                    view.fill(state.result.answer)
                view.show_graded(state.result, show_feedback=self.session.mode == Mode.PRACTICE,
                                 retry_order=view.order if retry else None)
            self.item_view = view
        self.body.children = [self.item_view]
        self.prev_button.disabled = self.session.position == 0
        self.next_button.disabled = self.session.position == len(self.session.items) - 1
        self._refresh_status()

    def _submitted(self, question_id: str, answer: Any) -> str | None:
        """What a view's Submit calls; returns the message that view should show, if any."""
        return self._guarded(lambda: self._submit(question_id, answer))

    def _submit(self, question_id: str, answer: Any) -> str | None:
        state = self.session.current_question()
        if state is None or state.question.id != question_id:
            return "This question is no longer the current one; use Next or Previous to continue."
        try:
            submission = self.session.submit(answer, self.clock())
        except MesoTrainingError as exc:
            return str(exc)
        problem = self.recorder.record(submission.attempt)
        self._show_alert(problem)
        self.retry_button.layout.display = "" if problem and self.recorder.can_retry else "none"
        view = self.item_view
        if isinstance(view, CaseView):
            view.refresh()
        elif view is not None:
            # A practice retry gets a new shuffle and keeps what was right.
            view.show_graded(submission.result, show_feedback=submission.show_feedback,
                             retry_order=self.session.option_order(state) if self.session.can_answer() else None)
        self._refresh_status()
        if all(item.done for item in self.session.items):
            self.show_summary()
        return None

    def _restart(self) -> None:
        self.session.restart_case(self.clock())
        self._show_item()

    def _retry_saving(self) -> None:
        problem = self.recorder.retry()
        self._show_alert(problem, "<div role='status'>All answers saved.</div>")
        self.retry_button.layout.display = "" if problem and self.recorder.can_retry else "none"

    def _refresh_status(self) -> None:
        items = self.session.items
        done = sum(1 for i in items if i.done)
        self.progress.value = done
        progress = f"<span class='meso-progress-text' role='status'>{done} of {len(items)} items done</span>"
        earned, total = self.session.score()
        if self.session.mode == Mode.PRACTICE:
            score = (f"<div class='meso-score' role='status'>Score so far: {earned:g} of {total:g} points "
                     f"({earned / total if total else 0:.0%})</div>")
        else:
            score = "<div class='meso-score' role='status'>Scores are shown in the summary at the end.</div>"
        marks = []
        for index, item in enumerate(items):
            label = f"{index + 1}{' ✓' if item.done else ''}"
            style = "font-weight:bold;text-decoration:underline" if index == self.session.position else ""
            marks.append(f"<span style='{style};margin-right:0.6em'>{label}</span>")
        item_list = f"<div class='meso-item-list' aria-label='Items, done ones ticked'>Items: {''.join(marks)}</div>"
        self.status.value = f"{progress}{score}{item_list}"

    def show_summary(self) -> None:
        shown = summary_html(self.session, self.registry, self.clock(), self.certificate_dir, self.recorder.store)
        self.summary.value, self.certificate_offered = shown.html, shown.certificate_offered
