"""What a trainee's attempts say: mastery per topic, progress over time, weak spots.

Reads stored attempts against the current course; an attempt at an edited question (its
content hash changed) no longer counts as mastery of the new version.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from meso_training.model import Course, QuestionType, Topic
from meso_training.model.attempt import Attempt


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    answered: int
    total: int
    mastery: float  # mean latest score over answered questions


@dataclass(frozen=True)
class ObjectiveStanding:
    module_id: str
    objective_id: str
    text: str
    mastery: float
    answered: int


@dataclass(frozen=True)
class ProgressReport:
    topics: tuple[TopicMastery, ...]
    daily_scores: tuple[tuple[dt.date, float, int], ...]  # day, mean score, attempts
    weakest_objectives: tuple[ObjectiveStanding, ...]
    review_next: tuple[tuple[str, QuestionType, float], ...]  # module id, question, latest score
    attempts: int


def progress_report(course: Course, attempts: Sequence[Attempt], *, limit: int = 5) -> ProgressReport:
    questions = {q.id: (m, q) for m in course.modules for _, q in m.questions()}
    latest: dict[str, Attempt] = {}
    for a in sorted(attempts, key=lambda a: a.submitted_at):
        known = questions.get(a.question_id)
        if known is not None and known[1].content_hash() == a.content_hash:
            latest[a.question_id] = a
    topics = []
    for topic in Topic:
        ids = [qid for qid, (_, q) in questions.items() if q.topic == topic]
        scores = [latest[qid].score for qid in ids if qid in latest]
        topics.append(TopicMastery(topic.value, len(scores), len(ids), sum(scores) / len(scores) if scores else 0.0))
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    for a in attempts:
        by_day[a.submitted_at.date()].append(a.score)
    daily = tuple((day, sum(s) / len(s), len(s)) for day, s in sorted(by_day.items()))
    standings = []
    for module in course.modules:
        for objective in module.objectives:
            scores = [latest[q.id].score for _, q in module.questions() if objective.id in q.objectives
                      and q.id in latest]
            if scores:
                standings.append(ObjectiveStanding(module.id, objective.id, objective.text,
                                                   sum(scores) / len(scores), len(scores)))
    standings.sort(key=lambda s: (s.mastery, -s.answered))
    weak = tuple(s for s in standings if s.mastery < 1)[:limit]
    review = sorted(((questions[qid][0].id, questions[qid][1], a.score) for qid, a in latest.items() if a.score < 1),
                    key=lambda r: r[2])
    return ProgressReport(tuple(topics), daily, weak, tuple(review[:limit]), len(attempts))
