"""One trainee working through one module: attempt rules, case flow, score and summary.

Pure logic with no widgets and no database: views ask it what to show and hand it
answers; it returns grades, the ``Attempt`` to keep, and where a case goes next. The clock
and the shuffle seeds are inputs, so a test replays a session exactly.

Rules: in *practice* a standalone question may be answered again and the latest answer
counts, and a case may be restarted; in *assessment* every question takes one answer and
feedback waits for the summary. A critical choice fails its case, and in assessment the
module, whatever the points.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from meso_training.engine.case_flow import KeyedRoute, NextStep, case_max_points, next_step
from meso_training.engine.grading import GradeResult, grade, grader_for
from meso_training.errors import AnswerError, SessionError
from meso_training.model import Case, Mode, Module, QuestionType
from meso_training.model.attempt import Attempt


@dataclass
class QuestionState:
    question: QuestionType
    item_id: str
    seed: int
    shown_at: dt.datetime
    mode_is_assessment: bool
    result: GradeResult | None = None
    attempts: int = 0
    attempt_uid: str | None = None
    """The stored attempt ``result`` came from: a certificate names the attempts its score rests on."""


@dataclass
class ItemState:
    """A standalone question (one step, no flow) or a case and its current run."""

    item_id: str
    case: Case | None
    steps: dict[str, QuestionState]
    current: str | None
    answered: list[str] = field(default_factory=list)
    outcome: str | None = None
    route: KeyedRoute | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.case is not None:
            self.route = KeyedRoute.of(self.case)

    @property
    def done(self) -> bool:
        return self.current is None

    @property
    def critical(self) -> list[GradeResult]:
        return [r for s in self.answered if (r := self.steps[s].result) is not None and r.critical]

    @property
    def scored(self) -> list[str]:
        """Answered steps that count towards the score: those on the keyed route.

        A remediation step, reached only after a wrong decision, is graded and fed back
        like any other, but its points would let a trainee win back what the wrong
        decision lost, and the case's maximum holds only the keyed route's steps.
        """
        if self.route is None:
            return self.answered
        route = set(self.route.path())
        return [s for s in self.answered if s in route]

    @property
    def earned(self) -> float:
        return sum(r.points for s in self.scored if (r := self.steps[s].result) is not None)

    @property
    def max_points(self) -> float:
        if self.case is None:
            return next(iter(self.steps.values())).question.points
        return case_max_points(self.case, self.route)


@dataclass(frozen=True)
class Submission:
    result: GradeResult
    attempt: Attempt
    next: NextStep
    show_feedback: bool


@dataclass(frozen=True)
class CriticalError:
    """A harmful choice, with the words the trainee saw: a summary must never show bare ids."""

    item_id: str
    question_id: str
    choices: tuple[str, ...]
    prompt: str = ""
    choice_texts: tuple[str, ...] = ()
    case_title: str | None = None
    """The case the question is a step of (None for a standalone question)."""


@dataclass(frozen=True)
class ModuleSummary:
    score: float
    points: float
    max_points: float
    complete: bool
    passed: bool
    pass_mark: float
    critical_errors: tuple[CriticalError, ...]
    to_review: tuple[QuestionType, ...]
    weak_objectives: tuple[str, ...]
    attempt_uids: tuple[str, ...] = ()
    """The stored attempts the score counts (one per answered step), for a certificate to name."""


def shuffled(ids: Sequence[str], seed: int, *, avoid_given_order: bool = False) -> list[str]:
    """Display order for options or steps; ordering steps never start in the keyed order."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    if avoid_given_order and order == list(ids) and len(order) > 1:
        order = order[1:] + order[:1]
    return order


class ModuleSession:
    def __init__(self, module: Module, *, trainee: str, mode: Mode, rng: random.Random,
                 now: dt.datetime) -> None:
        if mode not in tuple(Mode):
            msg = f"mode must be 'practice' or 'assessment', not {mode!r}"
            raise SessionError(msg)
        self.module, self.trainee, self.mode, self._rng = module, trainee, Mode(mode), rng
        self.items: list[ItemState] = []
        for item in module.items:
            case = item if isinstance(item, Case) else None
            questions: Sequence[QuestionType] = item.steps if isinstance(item, Case) else (item,)
            steps = {q.id: QuestionState(q, item.id, self._new_seed(), now, mode == Mode.ASSESSMENT)
                     for q in questions}
            self.items.append(ItemState(item.id, case, steps, questions[0].id))
        self.position = 0

    def _new_seed(self) -> int:
        return self._rng.getrandbits(63)

    @property
    def item(self) -> ItemState:
        return self.items[self.position]

    def current_question(self) -> QuestionState | None:
        return self.item.steps[self.item.current] if self.item.current is not None else None

    def option_order(self, state: QuestionState) -> list[str]:
        grader = grader_for(state.question)
        return shuffled(grader.display_ids(state.question), state.seed, avoid_given_order=grader.avoid_keyed_order)

    def go_to(self, position: int, now: dt.datetime) -> None:
        self.position = max(0, min(position, len(self.items) - 1))
        question = self.current_question()
        if question is not None and question.result is None:
            question.shown_at = now

    def can_answer(self) -> bool:
        state = self.current_question()
        return state is not None and (self.mode == Mode.PRACTICE or state.attempts == 0)

    def submit(self, answer: object, now: dt.datetime) -> Submission:
        """Grade ``answer`` to the current question; raises AnswerError for a malformed one."""
        state = self.current_question()
        if state is None:
            msg = "this item is finished; move to the next one" + (
                " or restart the case" if self.mode == Mode.PRACTICE else "")
            raise SessionError(msg)
        if not self.can_answer():
            msg = "in assessment mode each question takes one answer"
            raise SessionError(msg)
        result = grade(state.question, answer)
        state.result, state.attempts = result, state.attempts + 1
        attempt = self._attempt(state, result, now)
        state.attempt_uid = attempt.attempt_uid
        step = self._advance(self.item, state, result)
        if self.mode == Mode.PRACTICE and self.item.case is None and not result.correct:
            state.seed, state.shown_at = self._new_seed(), now  # the retry is shown reshuffled from now
        return Submission(result, attempt, step, show_feedback=self.mode == Mode.PRACTICE)

    def _attempt(self, state: QuestionState, result: GradeResult, now: dt.datetime) -> Attempt:
        return Attempt(
            trainee=self.trainee, module_id=self.module.id, item_id=state.item_id,
            question_id=state.question.id, content_hash=state.question.content_hash(),
            answer=result.answer, score=result.score, points=result.points, max_points=result.max_points,
            correct=result.correct, critical=result.critical, mode=self.mode, seed=state.seed,
            shown_at=state.shown_at, submitted_at=now, attempt_uid=uuid.uuid4().hex,
        )

    @staticmethod
    def _advance(item: ItemState, state: QuestionState, result: GradeResult) -> NextStep:
        if state.question.id not in item.answered:
            item.answered.append(state.question.id)
        if item.case is None:
            if result.correct or state.mode_is_assessment:
                item.current = None
            return NextStep(None)
        step = next_step(item.case, state.question.id, result)
        item.current, item.outcome = step.step_id, step.outcome
        return step

    def restart_case(self, now: dt.datetime) -> None:
        """Practice only: run the current case again from its first step with fresh shuffles."""
        item = self.item
        if item.case is None or self.mode != Mode.PRACTICE:
            msg = "only a case in practice mode can be restarted"
            raise SessionError(msg)
        for state in item.steps.values():
            state.result, state.seed, state.shown_at, state.attempt_uid = None, self._new_seed(), now, None
        item.current, item.answered, item.outcome = item.case.steps[0].id, [], None

    def resume(self, attempts: Sequence[Attempt]) -> None:
        """Rebuild state from stored attempts of this mode; an edited question (new content hash) starts afresh.

        Modes are kept apart: answers given in practice, with feedback and retries, must
        not count as already answered in an assessment.
        """
        for item in self.items:
            mine = [a for a in attempts if a.mode == self.mode and a.item_id == item.item_id
                    and a.question_id in item.steps
                    and a.content_hash == item.steps[a.question_id].question.content_hash()]
            if item.case is not None:
                starts = [i for i, a in enumerate(mine) if a.question_id == item.case.steps[0].id]
                mine = mine[starts[-1]:] if starts else []
            for a in mine:
                state = item.steps[a.question_id]
                if a.question_id != item.current and item.case is not None:
                    continue
                if self.mode == Mode.ASSESSMENT and state.attempts:
                    continue  # one answer each: the first kept counts, whatever was stored after it
                try:
                    result = grade(state.question, a.answer)
                except AnswerError:
                    continue
                state.seed, state.shown_at = a.seed if a.seed is not None else state.seed, a.shown_at
                state.result, state.attempts, state.attempt_uid = result, state.attempts + 1, a.attempt_uid
                self._advance(item, state, result)
        self.position = next((i for i, it in enumerate(self.items) if not it.done), len(self.items) - 1)

    def score(self) -> tuple[float, float]:
        return sum(i.earned for i in self.items), sum(i.max_points for i in self.items)

    def summary(self) -> ModuleSummary:
        earned, total = self.score()
        fraction = earned / total if total else 0.0
        critical = tuple(self._critical_error(i, r) for i in self.items for r in i.critical)
        review: list[QuestionType] = []
        for item in self.items:
            for state in item.steps.values():
                answered_wrong = state.result is not None and not state.result.correct
                never_reached = state.result is None and item.case is None
                if answered_wrong or never_reached:
                    review.append(state.question)
        weak = tuple(dict.fromkeys(o for q in review for o in q.objectives))
        complete = all(i.done for i in self.items)
        passed = complete and fraction + 1e-9 >= self.module.pass_mark and not critical
        uids = tuple(uid for i in self.items for s in i.scored if (uid := i.steps[s].attempt_uid) is not None)
        return ModuleSummary(fraction, earned, total, complete, passed, self.module.pass_mark, critical,
                             tuple(review), weak, uids)

    @staticmethod
    def _critical_error(item: ItemState, result: GradeResult) -> CriticalError:
        question = item.steps[result.question_id].question
        return CriticalError(item.item_id, result.question_id, result.critical_choices, question.prompt,
                             tuple(question.choice_text(c) for c in result.critical_choices),
                             item.case.title if item.case is not None else None)
