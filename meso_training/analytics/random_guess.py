"""The score a trainee would get on average by guessing, per question (Moodle's "random guess score").

Moodle asks each question type for it; here it is the mean score, by the course's own
graders, over every answer a guesser could give: each option of a single choice, each set of
ticked boxes of a multiple response, each order of an ordering, each assignment of a
matching. Where there are too many (7! orders, 4^5 assignments), a fixed random sample
of ``SAMPLE`` answers stands in, seeded so the figure is the same every run. A typed
answer (numeric, short text) cannot be guessed from a list: 0, as Moodle says.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from functools import cache
from typing import Any

from meso_training.engine.grading import grade
from meso_training.model import Matching, MultipleResponse, Ordering, QuestionType, SingleChoice

SAMPLE = 400
_EXACT = 720  # every answer is graded when there are at most this many (6! orders)


def _answers(q: QuestionType, rng: random.Random) -> Iterator[Any] | None:
    if isinstance(q, SingleChoice):
        return iter([o.id for o in q.options])
    if isinstance(q, MultipleResponse):
        ids = [o.id for o in q.options]
        if 2 ** len(ids) <= _EXACT:
            return (list(chosen) for k in range(len(ids) + 1) for chosen in itertools.combinations(ids, k))
        return ([i for i in ids if rng.random() < 0.5] for _ in range(SAMPLE))
    if isinstance(q, Ordering):
        ids = [s.id for s in q.steps]
        if math.factorial(len(ids)) <= _EXACT:
            return (list(p) for p in itertools.permutations(ids))
        return (rng.sample(ids, len(ids)) for _ in range(SAMPLE))
    if isinstance(q, Matching):
        items, categories = [i.id for i in q.items], [c.id for c in q.categories]
        if len(categories) ** len(items) <= _EXACT:
            return (dict(zip(items, chosen, strict=True))
                    for chosen in itertools.product(categories, repeat=len(items)))
        return ({i: rng.choice(categories) for i in items} for _ in range(SAMPLE))
    return None


@cache
def random_guess_score(q: QuestionType) -> float:
    """Mean score (0 to 1) of a guess; 0 for a typed answer."""
    answers = _answers(q, random.Random(q.id))
    if answers is None:
        return 0.0
    scores = [grade(q, a).score for a in answers]
    return sum(scores) / len(scores)
