"""What a trainee's attempts say: mastery per topic, practice over time, each module's standing, weak spots.

Reads stored attempts against the current course; an attempt at an edited question (its
content hash changed) no longer counts as mastery of the new version. Mastery, the
practice history, the weakest objectives and the review list come from practice answers
only; assessments are reported per module (``ModuleStatus.assessment``), because an
assessment answer is given once, without feedback, and means something else.

Everything a trainee reads is in words: topic labels, module titles, case titles and
prompts cut at a word, never the ids the quiz files use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from meso_training.model import Attempt, Case, Course, Mode, Module, QuestionType, Topic
from meso_training.reports.module_status import ModuleStatus, module_status
from meso_training.storage.certificates import Certificate

PROMPT_LIMIT = 140
"""Characters of a prompt shown in a list: about two lines of the dashboard."""


@dataclass(frozen=True)
class TopicMastery:
    topic: Topic
    answered: int
    total: int
    mastery: float
    """Mean latest practice score over the answered questions of the topic."""

    @property
    def label(self) -> str:
        return self.topic.label


@dataclass(frozen=True)
class DayScore:
    day: dt.date
    mean: float
    answers: int


@dataclass(frozen=True)
class ObjectiveStanding:
    module_id: str
    module_title: str
    objective_id: str
    text: str
    mastery: float
    answered: int


@dataclass(frozen=True)
class ReviewItem:
    """A question to look at again, named as the trainee met it: module, case (if a step of one), prompt."""

    module_id: str
    module_title: str
    case_title: str | None
    question: QuestionType
    score: float

    @property
    def prompt(self) -> str:
        return short_text(self.question.prompt)


@dataclass(frozen=True)
class AssessmentPoint:
    """A finished assessment, for the time plot beside the practice history."""

    module_title: str
    when: dt.datetime
    score: float
    passed: bool


@dataclass(frozen=True)
class ProgressReport:
    topics: tuple[TopicMastery, ...]
    practice_days: tuple[DayScore, ...]
    modules: tuple[ModuleStatus, ...]
    weakest_objectives: tuple[ObjectiveStanding, ...]
    review_next: tuple[ReviewItem, ...]
    attempts: int
    practice_attempts: int
    assessment_attempts: int

    @property
    def assessments(self) -> tuple[AssessmentPoint, ...]:
        return tuple(AssessmentPoint(m.title, m.assessment.finished_at, m.assessment.score, m.assessment.passed)
                     for m in self.modules
                     if m.assessment is not None and m.assessment.finished_at is not None)


def short_text(text: str, limit: int = PROMPT_LIMIT) -> str:
    """``text`` on one line, cut at the last whole word within ``limit`` characters, with an ellipsis.

    Markdown emphasis and code marks are dropped: a cut could leave one unpaired, and a
    list item is plain text.
    """
    words = " ".join(re.sub(r"[*`]", "", text).split())
    if len(words) <= limit:
        return words
    head = words[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else words[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def progress_report(course: Course, attempts: Sequence[Attempt], *, limit: int = 5,
                    certificates: Sequence[Certificate] = ()) -> ProgressReport:
    questions = {q.id: q for m in course.modules for _, q in m.questions()}
    practice = [a for a in attempts if a.mode == Mode.PRACTICE]
    latest: dict[str, Attempt] = {}
    for a in sorted(practice, key=lambda a: a.submitted_at):
        known = questions.get(a.question_id)
        if known is not None and known.content_hash() == a.content_hash:
            latest[a.question_id] = a
    return ProgressReport(
        topics=_topics(questions, latest),
        practice_days=_days(practice),
        modules=tuple(module_status(m, attempts, certificates) for m in course.modules),
        weakest_objectives=_weakest(course.modules, latest, limit),
        review_next=_review(course, questions, latest, limit),
        attempts=len(attempts), practice_attempts=len(practice),
        assessment_attempts=len(attempts) - len(practice),
    )


def _topics(questions: dict[str, QuestionType], latest: dict[str, Attempt]) -> tuple[TopicMastery, ...]:
    topics = []
    for topic in Topic:
        ids = [qid for qid, q in questions.items() if q.topic == topic]
        scores = [latest[qid].score for qid in ids if qid in latest]
        topics.append(TopicMastery(topic, len(scores), len(ids), sum(scores) / len(scores) if scores else 0.0))
    return tuple(topics)


def _days(practice: Sequence[Attempt]) -> tuple[DayScore, ...]:
    """Practice answers by the trainee's own calendar day (the kernel's time zone), not UTC's."""
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    for a in practice:
        by_day[a.submitted_at.astimezone().date()].append(a.score)
    return tuple(DayScore(day, sum(s) / len(s), len(s)) for day, s in sorted(by_day.items()))


def _weakest(modules: Sequence[Module], latest: dict[str, Attempt], limit: int) -> tuple[ObjectiveStanding, ...]:
    standings = []
    for module in modules:
        for objective in module.objectives:
            scores = [latest[q.id].score for _, q in module.questions()
                      if objective.id in q.objectives and q.id in latest]
            if scores:
                standings.append(ObjectiveStanding(module.id, module.title, objective.id, objective.text,
                                                   sum(scores) / len(scores), len(scores)))
    standings.sort(key=lambda s: (s.mastery, -s.answered))
    return tuple(s for s in standings if s.mastery < 1)[:limit]


def _review(course: Course, questions: dict[str, QuestionType], latest: dict[str, Attempt],
            limit: int) -> tuple[ReviewItem, ...]:
    """Practice questions whose latest answer was not fully right: lowest score first, then in course order."""
    order = {m.id: i for i, m in enumerate(course.modules)}
    where = _places(course)
    review = []
    for qid, a in latest.items():
        if a.score < 1:
            module, case = where[qid]
            review.append(ReviewItem(module.id, module.title, case.title if case else None, questions[qid], a.score))
    review.sort(key=lambda r: (r.score, order[r.module_id]))
    return tuple(review[:limit])


def _places(course: Course) -> dict[str, tuple[Module, Case | None]]:
    """Each question's module and, for a step of a case, its case."""
    places = {}
    for module in course.modules:
        cases = {c.id: c for c in module.items if isinstance(c, Case)}
        for item_id, question in module.questions():
            places[question.id] = (module, cases.get(item_id))
    return places
