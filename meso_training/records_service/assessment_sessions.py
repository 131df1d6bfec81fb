"""Assessments graded by the records service: the paper out, answers in, feedback only once every item is answered.

Each request rebuilds the trainee's real ``ModuleSession`` (assessment mode) from the answers
the cohort's store holds, so the service keeps no session state of its own and a restart
loses nothing. Shuffles are seeded from the trainee, module and version, so the paper shows
the same order on every request and the recorded attempt names the order it was answered in.
An answer is graded by the engine and stored with the service's grade; the reply says only
that it was recorded and, in a case, which step comes next (a branching case cannot go on
otherwise) with that step's paper. The summary (feedback, rationale, the released module and
the certificate of a pass) is refused until the assessment is complete.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from typing import Any

from meso_training.engine.grading import grade
from meso_training.engine.paper import module_paper, step_paper, steps_left
from meso_training.engine.session import ItemState, ModuleSession, QuestionState
from meso_training.errors import AnswerError, RecordsRequestError, SessionError
from meso_training.model import Course, Mode, Module, SourceRegistry
from meso_training.model.attempt import Attempt
from meso_training.storage.certificates import Certificate, new_code
from meso_training.storage.hub_wire import certificate_to_json
from meso_training.storage.interface import ProgressStore

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AssessmentDesk:
    """The service's side of an assessment on a hub; every method takes the hub user's name, never the body's."""

    def __init__(self, store: ProgressStore, course: Course, *, clock: Clock = _utc_now) -> None:
        self.store, self.course, self.clock = store, course, clock
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, trainee: str, module_id: str) -> threading.Lock:
        """One answer at a time per trainee and module: two at once must not both pass the one-answer rule."""
        with self._guard:
            return self._locks.setdefault((trainee, module_id), threading.Lock())

    def _module(self, module_id: str) -> Module:
        try:
            return self.course.module(module_id)
        except KeyError:
            known = ", ".join(m.id for m in self.course.modules)
            raise RecordsRequestError(404, f"the course has no module {module_id!r}; it has: {known}") from None

    def _attempts(self, trainee: str, module_id: str) -> list[Attempt]:
        return [a for a in self.store.attempts(trainee=trainee, module_id=module_id) if a.mode == Mode.ASSESSMENT]

    def session(self, trainee: str, module_id: str) -> ModuleSession:
        """The trainee's assessment of ``module_id`` as their stored answers leave it."""
        module = self._module(module_id)
        rng = random.Random(f"{trainee}\n{module.id}\n{module.version}")
        session = ModuleSession(module, trainee=trainee, mode=Mode.ASSESSMENT, rng=rng, now=self.clock())
        session.resume(self._attempts(trainee, module_id))
        return session

    def paper(self, trainee: str, module_id: str) -> dict[str, Any]:
        return module_paper(self.session(trainee, module_id), self.course.registry.course_title)

    def answer(self, trainee: str, module_id: str, data: Any) -> dict[str, Any]:
        """Grade and store one answer; ``{"recorded": true, "next": ...}`` and nothing of the grade."""
        question_id, answer, shown_at = _answer_request(data)
        with self._lock(trainee, module_id):
            session = self.session(trainee, module_id)
            position, item = next(((i, it) for i, it in enumerate(session.items) if question_id in it.steps),
                                  (None, None))
            if position is None or item is None:
                raise RecordsRequestError(404, f"module {module_id!r} has no question {question_id!r}")
            state = item.steps[question_id]
            if state.attempts:
                return self._answered_before(session, item, state, answer)
            if item.current != question_id:
                where = "the case is finished" if item.current is None else "answer the case's current step first"
                raise RecordsRequestError(409, f"question {question_id!r} is not the current step of its case: "
                                          f"{where}; reload the notebook to see where you are")
            now = self.clock()
            session.go_to(position, now)
            state.shown_at = min(shown_at, now) if shown_at is not None else now
            try:
                submission = session.submit(answer, now)
            except (AnswerError, SessionError) as exc:
                raise RecordsRequestError(400, str(exc)) from None
            self.store.record(submission.attempt)
        reply: dict[str, Any] = {"recorded": True, "next": submission.next.step_id}
        if submission.next.step_id is not None:
            reply["step"] = step_paper(session, item.steps[submission.next.step_id])
            reply["steps_left"] = steps_left(item)
        return reply

    @staticmethod
    def _answered_before(session: ModuleSession, item: ItemState, state: QuestionState, answer: Any) -> dict[str, Any]:
        """The same answer sent again (its reply was lost on the way): the same reply, nothing stored twice.

        A different answer is refused: in an assessment each question takes one answer.
        """
        try:
            same = state.result is not None and grade(state.question, answer).answer == state.result.answer
        except AnswerError:
            same = False
        if not same:
            raise RecordsRequestError(409, "this question is already answered: in an assessment each question "
                                      "takes one answer; go on to the next one")
        after = item.answered[item.answered.index(state.question.id) + 1:]
        following = after[0] if after else item.current
        reply: dict[str, Any] = {"recorded": True, "next": following}
        if following is not None:
            reply["step"] = step_paper(session, item.steps[following])
            reply["steps_left"] = steps_left(item)
        return reply

    def summary(self, trainee: str, module_id: str) -> dict[str, Any]:
        """The feedback release: refused (409) until every item is answered, then everything, and the certificate."""
        session = self.session(trainee, module_id)
        result = session.summary()
        if not result.complete:
            left = sum(1 for i in session.items if not i.done)
            raise RecordsRequestError(409, f"{left} item{'s' if left != 1 else ''} of module {module_id!r} still "
                                      "to answer; feedback and the score come once every item is answered")
        module, registry = session.module, self.course.registry
        certificate = None
        if result.passed:
            certificate = self.store.issue_certificate(Certificate(
                new_code(), trainee, registry.course_title, module.id, module.title, module.version, result.score,
                result.points, result.max_points, result.pass_mark, self.clock(), result.attempt_uids))
        answers = [state.result.to_dict()
                   for item in session.items for s in item.answered if (state := item.steps[s]).result is not None]
        return {
            "summary": {"score": result.score, "points": result.points, "max_points": result.max_points,
                        "passed": result.passed, "pass_mark": result.pass_mark,
                        "critical_errors": [e.question_id for e in result.critical_errors],
                        "to_review": [q.id for q in result.to_review], "answers": answers},
            "module": module.model_dump(mode="json"),
            "registry": _sources_of(module, registry).model_dump(mode="json"),
            "attempts": [a.to_dict() for a in self._attempts(trainee, module_id)],
            "certificate": None if certificate is None else certificate_to_json(certificate),
        }


def _sources_of(module: Module, registry: SourceRegistry) -> SourceRegistry:
    """Only the sources this module's questions cite: other modules' facts can hold their answers."""
    cited = {s for _, q in module.questions() for s in q.sources}
    return SourceRegistry(course_title=registry.course_title,
                          facts={k: v for k, v in registry.facts.items() if k in cited},
                          references={k: v for k, v in registry.references.items() if k in cited})


def _answer_request(data: Any) -> tuple[str, Any, dt.datetime | None]:
    """``{"question_id", "answer", "shown_at"?}`` checked: 400 with what to send otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("question_id"), str) or "answer" not in data:
        raise RecordsRequestError(400, 'an answer must be sent as {"question_id": "...", "answer": ..., '
                                  '"shown_at": "<ISO 8601 time>"}')
    raw = data.get("shown_at")
    shown_at = None
    if raw is not None:
        try:
            shown_at = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            shown_at = None
        if shown_at is None or shown_at.utcoffset() is None:
            raise RecordsRequestError(400, "shown_at must be an ISO 8601 time with its time zone")
    return str(data["question_id"]), data["answer"], shown_at
