"""A cohort's item analysis, module by module: the figures of ``item_statistics`` with the course's words.

Each module is one test, as a Moodle quiz is. Its trainees are those with at least one
response in it; its items are the question versions they answered, in the module's order.
A trainee who has no response to an item counts 0 for it (a question not reached is a
question not answered, as in Moodle), unless they answered *another* version of the same
question: then they are left out of that version's figures, not scored 0 on it.
Questions the course does not know (a long-form table from elsewhere, a removed question)
are analysed under the module ``(not in the course)`` with no prompt and no guess score.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from meso_training.analytics.item_statistics import (
    ItemStatistics,
    ModuleStatistics,
    ScoreMatrix,
    item_statistics,
    module_statistics,
    totals,
)
from meso_training.analytics.random_guess import random_guess_score
from meso_training.analytics.responses import Response
from meso_training.model import Course, QuestionType

UNKNOWN_MODULE = "(not in the course)"
SMALL_COHORT = 30
"""Below this many trainees, discrimination figures swing from one cohort to the next."""


@dataclass(frozen=True)
class ItemRow:
    question_id: str
    version: str
    label: str
    """The question id, with ``@`` and the version's first characters when it has several versions."""
    prompt: str
    question_type: str
    max_points: float
    random_guess: float | None
    """Percent of the maximum a guesser would average; None for a question the course does not know."""
    current: bool
    """Whether this is the version the course has today."""
    statistics: ItemStatistics

    @property
    def facility_interval(self) -> tuple[float, float] | None:
        """An approximate 95% interval for the facility (normal approximation, clipped to 0-100)."""
        s = self.statistics
        if s.facility is None or s.sd is None or s.n < 2:
            return None
        half = 1.96 * s.sd / math.sqrt(s.n)
        return max(0.0, s.facility - half), min(100.0, s.facility + half)


@dataclass(frozen=True)
class ModuleAnalysis:
    module_id: str
    title: str
    trainees: int
    items: tuple[ItemRow, ...]
    statistics: ModuleStatistics
    totals: tuple[float, ...] = ()
    """Each trainee's total on the module, in points (for the spread of totals)."""

    @property
    def small_cohort(self) -> bool:
        return self.trainees < SMALL_COHORT

    @property
    def changed_questions(self) -> tuple[str, ...]:
        """Questions answered in more than one version by this cohort."""
        counts: dict[str, int] = defaultdict(int)
        for row in self.items:
            counts[row.question_id] += 1
        return tuple(q for q, n in counts.items() if n > 1)


def _questions(course: Course | None) -> dict[str, tuple[str, int, QuestionType]]:
    """question id -> (module id, position in the course, question)."""
    out: dict[str, tuple[str, int, QuestionType]] = {}
    if course is None:
        return out
    for module in course.modules:
        for _, q in module.questions():
            out[q.id] = (module.id, len(out), q)
    return out


def analyse(responses: Sequence[Response], course: Course | None, *,
            module_id: str | None = None) -> list[ModuleAnalysis]:
    """Every module with responses (or just ``module_id``), in course order."""
    known = _questions(course)
    by_module: dict[str, list[Response]] = defaultdict(list)
    for r in responses:
        place = known.get(r.question_id)
        by_module[place[0] if place else UNKNOWN_MODULE].append(r)
    order = [m.id for m in course.modules] if course is not None else []
    names = sorted(by_module, key=lambda m: (order.index(m) if m in order else len(order), m))
    titles = {m.id: m.title for m in course.modules} if course is not None else {}
    return [_module(m, titles.get(m, m), by_module[m], known) for m in names if module_id in (None, m)]


def _module(module_id: str, title: str, responses: Sequence[Response],
            known: dict[str, tuple[str, int, QuestionType]]) -> ModuleAnalysis:
    trainees = tuple(sorted({r.trainee for r in responses}))
    keys = sorted({(r.question_id, r.version) for r in responses},
                  key=lambda k: (known[k[0]][1] if k[0] in known else len(known), k[0], k[1]))
    versions: dict[str, list[str]] = defaultdict(list)
    for question_id, version in keys:
        versions[question_id].append(version)
    row_of = {t: i for i, t in enumerate(trainees)}
    column_of = {k: j for j, k in enumerate(keys)}
    points = np.zeros((len(trainees), len(keys)))
    max_points = [0.0] * len(keys)
    answered: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for r in responses:
        j = column_of[r.question_id, r.version]
        points[row_of[r.trainee], j] = r.points
        max_points[j] = max(max_points[j], r.max_points)
        answered[r.question_id].add((row_of[r.trainee], r.version))
    for question_id, taken in answered.items():
        if len(versions[question_id]) > 1:
            for t, version in taken:  # left out of the versions they did not answer
                for other in versions[question_id]:
                    if other != version:
                        points[t, column_of[question_id, other]] = np.nan
    labels = tuple(q if len(versions[q]) == 1 else f"{q}@{v[:8]}" for q, v in keys)
    matrix = ScoreMatrix(trainees, labels, tuple(max_points), points)
    stats = item_statistics(matrix)
    rows = []
    for (question_id, version), label, m, s in zip(keys, labels, max_points, stats, strict=True):
        q = known[question_id][2] if question_id in known else None
        rows.append(ItemRow(question_id, version, label, q.prompt if q else "", q.type if q else "",
                            m, 100 * random_guess_score(q) if q else None,
                            q is not None and (not version or version == q.content_hash()), s))
    return ModuleAnalysis(module_id, title, len(trainees), tuple(rows), module_statistics(matrix, stats),
                          tuple(float(t) for t in totals(matrix)))
