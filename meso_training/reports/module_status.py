"""Where a trainee stands in each module: practice done so far, and the assessment apart from it.

The status is replayed with the same ``ModuleSession`` the module runner resumes from the
store, so the dashboard can never disagree with the module itself about what is finished,
what the score is or whether the assessment was passed (and so a certificate issued).
Practice and assessment are replayed separately, as the runner keeps them: practice
answers, with feedback and retries, say nothing about the one-attempt assessment.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from meso_training.engine.session import ModuleSession
from meso_training.model import Attempt, Mode, Module
from meso_training.storage.certificates import Certificate

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class PracticeStanding:
    items_done: int
    """Items finished in practice: a question answered right, a case taken to its end."""
    items: int
    answered: int
    """Questions of the current version answered at least once."""
    questions: int
    mastery: float
    """Mean latest score over the answered questions (0 when none)."""
    next_item: str | None = None
    """The first item, in the module's order, not yet finished in practice: where "Continue" goes."""

    @property
    def started(self) -> bool:
        return self.answered > 0

    @property
    def finished(self) -> bool:
        return self.items_done == self.items


@dataclass(frozen=True)
class AssessmentStanding:
    items_done: int
    items: int
    complete: bool
    passed: bool
    """Complete, at or over the pass mark, and no critical error: the runner issues a certificate."""
    score: float
    pass_mark: float
    critical_errors: int
    finished_at: dt.datetime | None
    """When the last answer of a complete assessment was given."""


@dataclass(frozen=True)
class ModuleStatus:
    module_id: str
    title: str
    order: int
    practice: PracticeStanding
    assessment: AssessmentStanding | None
    """None when the assessment of this module was never started."""
    certificate: Certificate | None = None
    """The latest certificate issued for this module (any content version), if any."""

    @property
    def started(self) -> bool:
        return self.practice.started or self.assessment is not None


def module_status(module: Module, attempts: Sequence[Attempt],
                  certificates: Sequence[Certificate] = ()) -> ModuleStatus:
    """The module's standing from the trainee's attempts and certificates (any modules; others are ignored).

    A certificate is read from the store rather than inferred from a pass: the runner issues
    one only when the trainee shows the summary, and the code printed on it is the store's.
    """
    mine = [a for a in attempts if a.module_id == module.id]
    practice = [a for a in mine if a.mode == Mode.PRACTICE]
    assessment = [a for a in mine if a.mode == Mode.ASSESSMENT]
    issued = sorted((c for c in certificates if c.module_id == module.id), key=lambda c: c.issued_at)
    return ModuleStatus(module.id, module.title, module.order, _practice(module, practice),
                        _assessment(module, assessment) if assessment else None,
                        issued[-1] if issued else None)


def _replayed(module: Module, mode: Mode, attempts: Sequence[Attempt]) -> ModuleSession:
    session = ModuleSession(module, trainee="dashboard", mode=mode, rng=random.Random(0), now=_EPOCH)
    session.resume(sorted(attempts, key=lambda a: a.submitted_at))
    return session


def _practice(module: Module, attempts: Sequence[Attempt]) -> PracticeStanding:
    session = _replayed(module, Mode.PRACTICE, attempts)
    current = {q.id: q.content_hash() for _, q in module.questions()}
    latest: dict[str, float] = {}
    for a in sorted(attempts, key=lambda a: a.submitted_at):
        if current.get(a.question_id) == a.content_hash:
            latest[a.question_id] = a.score
    mastery = sum(latest.values()) / len(latest) if latest else 0.0
    return PracticeStanding(sum(1 for i in session.items if i.done), len(session.items), len(latest),
                            len(current), mastery, next((i.item_id for i in session.items if not i.done), None))


def _assessment(module: Module, attempts: Sequence[Attempt]) -> AssessmentStanding | None:
    session = _replayed(module, Mode.ASSESSMENT, attempts)
    if not any(i.answered for i in session.items):
        return None  # every answer was to an earlier version of the module: not started on this one
    summary = session.summary()
    finished = max(a.submitted_at for a in attempts) if summary.complete else None
    return AssessmentStanding(sum(1 for i in session.items if i.done), len(session.items), summary.complete,
                              summary.passed, summary.score, summary.pass_mark, len(summary.critical_errors),
                              finished)


def continue_point(statuses: Sequence[ModuleStatus]) -> tuple[ModuleStatus, str] | None:
    """Where the trainee picks up: the first unfinished item of the first module, in course order, not finished.

    A module begun comes before one not begun, so "Continue" never leaves half a module
    behind for a fresh one; None once every module's practice is finished.
    """
    unfinished = [s for s in sorted(statuses, key=lambda s: s.order) if s.practice.next_item is not None]
    begun = [s for s in unfinished if s.started]
    for chosen in (*begun, *unfinished):
        if chosen.practice.next_item is not None:
            return chosen, chosen.practice.next_item
    return None
