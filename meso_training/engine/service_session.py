"""An assessment graded by the records service, seen from the trainee's kernel: the session the runner drives.

On JupyterHub the kernel runs the trainee's own code, so it must not hold an assessment's
key before the answers are in. This session is built from the service's paper (sealed
questions, ``model.paper``) and has the ``ModuleSession`` interface the module runner, the
case view and the summary use; ``submit`` sends the answer for the service to grade and
store, and learns only that it was recorded (and, in a case, the next step). Once every item
is answered, ``summary`` asks the service for the release (the module with its keys, the
graded attempts, the sources it cites): from then on this session holds a real
``ModuleSession`` resumed from those attempts, and the summary, feedback and certificate are
shown exactly as elsewhere.

It subclasses ``ModuleSession`` so that every view taking a session takes this one; it
never grades, and its results before the release are receipts (``receipt``), not grades.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any, Protocol

from meso_training.engine.case_flow import KeyedRoute, NextStep
from meso_training.engine.result import GradeResult
from meso_training.engine.session import ItemState, ModuleSession, ModuleSummary, QuestionState, Submission
from meso_training.errors import SessionError
from meso_training.model import Case, Mode, Module, QuestionType, SourceRegistry
from meso_training.model.attempt import Attempt
from meso_training.model.paper import Paper, sealed_case, sealed_module, sealed_question


class AssessmentService(Protocol):
    """What the session needs of the records service (``storage.hub_store.HubRecordsStore`` has it)."""

    def assessment_paper(self, module_id: str) -> dict[str, Any]: ...

    def assessment_answer(self, module_id: str, question_id: str, answer: Any,
                          shown_at: dt.datetime) -> dict[str, Any]: ...

    def assessment_summary(self, module_id: str) -> dict[str, Any]: ...


def receipt(question: QuestionType, answer: Any) -> GradeResult:
    """What the kernel knows of an answer the service graded: the answer itself, no grade at all."""
    return GradeResult(question.id, answer, 0.0, 0.0, question.points, correct=False, critical=False,
                       critical_choices=(), feedback=(), rationale="")


class _PaperItem(ItemState):
    """An item of the paper: its case's route is not worked out from keys (there are none), but reported."""

    def __post_init__(self) -> None:
        self.route = None


def _reported_route(current: str | None, left: int | None) -> KeyedRoute:
    """A route as long as the service says the right path from ``current`` is: the case view counts its steps.

    Only its length is real; the ids after ``current`` are placeholders, never shown.
    """
    first = current or ""
    chain = [first, *(f"{first}#{n}" for n in range(1, max(left or 0, 1)))]
    return KeyedRoute(first, dict(zip(chain, [*chain[1:], None], strict=True)))


class ServiceSession(ModuleSession):
    """An assessment on a hub: the paper from ``service``, answers to it, the summary released by it."""

    def __init__(self, service: AssessmentService, module_id: str, *, trainee: str, now: dt.datetime) -> None:
        # ModuleSession.__init__ is not called: it builds its items from a module with keys.
        self.service, self.trainee, self.mode, self._rng = service, trainee, Mode.ASSESSMENT, random.Random()
        paper = service.assessment_paper(module_id)
        self.course_title = str(paper["module"].get("course_title", ""))
        self.registry = SourceRegistry.model_construct(course_title=self.course_title, facts={}, references={})
        """Empty until the release, then holding the sources the module cites (the summary cites them)."""
        self._orders: dict[str, list[str]] = {}
        standing = {s["id"]: s for s in paper["standing"]["items"]}
        self.items = [self._item(data, standing.get(data["id"], {}), now) for data in paper["items"]]
        self.module: Module = sealed_module(paper["module"], [i.case or next(iter(i.steps.values())).question
                                                             for i in self.items])
        self.position = max(0, min(int(paper["standing"].get("position", 0)), len(self.items) - 1))
        self.released: ModuleSession | None = None

    def _state(self, paper: Paper, item_id: str, now: dt.datetime) -> QuestionState:
        question = sealed_question(paper)
        rows = getattr(question, "options", None) or getattr(question, "steps", None) or \
            getattr(question, "items", None) or ()
        self._orders[question.id] = [row.id for row in rows]
        return QuestionState(question, item_id, 0, now, mode_is_assessment=True)

    def _item(self, data: Paper, standing: dict[str, Any], now: dt.datetime) -> ItemState:
        if data["kind"] == "case":
            case: Case | None = sealed_case(data)
            papers = list(data["steps"])
        else:
            case, papers = None, [data["question"]]
        steps = {p["id"]: self._state(p, data["id"], now) for p in papers}
        item = _PaperItem(data["id"], case, steps, standing.get("current", next(iter(steps))))
        for given in standing.get("answered", ()):
            state = steps[given["question_id"]]
            state.result, state.attempts = receipt(state.question, given["answer"]), 1
            item.answered.append(state.question.id)
        if case is not None:
            item.route = _reported_route(item.current, standing.get("steps_left"))
        return item

    def option_order(self, state: QuestionState) -> list[str]:
        if self.released is not None:
            return self.released.option_order(state)
        return list(self._orders.get(state.question.id, ()))

    def submit(self, answer: object, now: dt.datetime) -> Submission:
        """Send ``answer`` to the current question for the service to grade; raises ``StoreError`` if it cannot."""
        state = self.current_question()
        if state is None or not self.can_answer():
            msg = "this item is finished; move to the next one" if state is None else \
                "in assessment mode each question takes one answer"
            raise SessionError(msg)
        item = self.item
        reply = self.service.assessment_answer(self.module.id, state.question.id, answer, state.shown_at)
        result = receipt(state.question, answer)
        state.result, state.attempts = result, 1
        item.answered.append(state.question.id)
        step_id = reply.get("next") if item.case is not None else None
        if step_id is not None:
            item.steps[str(step_id)] = self._state(reply["step"], item.item_id, now)
            item.route = _reported_route(str(step_id), reply.get("steps_left"))
        item.current = None if step_id is None else str(step_id)
        return Submission(result, self._receipt_attempt(state, answer, now), NextStep(item.current),
                          show_feedback=False)

    def _receipt_attempt(self, state: QuestionState, answer: object, now: dt.datetime) -> Attempt:
        """The answer as sent, for the runner's recorder, which records nothing here: the service has it."""
        return Attempt(trainee=self.trainee, module_id=self.module.id, item_id=state.item_id,
                       question_id=state.question.id, content_hash="graded-by-the-records-service", answer=answer,
                       score=0.0, points=0.0, max_points=state.question.points, correct=False, critical=False,
                       mode=self.mode, seed=None, shown_at=min(state.shown_at, now), submitted_at=now,
                       attempt_uid=uuid.uuid4().hex)

    def resume(self, attempts: object) -> None:
        """Nothing to do: the paper already says where the trainee stands."""

    def score(self) -> tuple[float, float]:
        return self.released.score() if self.released is not None else (0.0, 0.0)

    def summary(self) -> ModuleSummary:
        """Before the end: "not finished", nothing else; at the end the service's release, then the real summary."""
        if self.released is None and all(i.done for i in self.items):
            self._release()
        if self.released is not None:
            return self.released.summary()
        return ModuleSummary(0.0, 0.0, 0.0, complete=False, passed=False, pass_mark=self.module.pass_mark,
                             critical_errors=(), to_review=(), weak_objectives=())

    def _release(self) -> None:
        released = self.service.assessment_summary(self.module.id)
        module = Module.model_validate(released["module"])
        registry = SourceRegistry.model_validate(released["registry"])
        real = ModuleSession(module, trainee=self.trainee, mode=Mode.ASSESSMENT, rng=random.Random(),
                             now=dt.datetime.now(dt.UTC))
        real.resume([Attempt.from_dict(a) for a in released["attempts"]])
        real.position = self.position
        self.registry.facts.update(registry.facts)
        self.registry.references.update(registry.references)
        self.module, self.items, self.released = module, real.items, real
