"""Pure grading: a question and an answer in, a ``GradeResult`` out.

Rules (documented for instructors in docs/authoring.md):

* single choice, numeric, short text: all or nothing.
* multiple response: ``hits / correct options - false picks / wrong options``, floored at 0,
  so ticking every box scores 0 unless every option is correct.
* ordering: the share of pairs of steps left in the right relative order; only the exact
  order scores 1 and the reversed order scores 0.
* matching: the share of items put in the right category.

A critical choice (an option marked ``critical``, or an item put in a category listed in
its ``critical``) is reported apart from the score: it fails a case whatever the points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import (
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    QuestionType,
    ShortText,
    SingleChoice,
)
from meso_training.normalise import normalise_answer

Answer = str | float | int | Sequence[str] | Mapping[str, str]


@dataclass(frozen=True)
class Feedback:
    """One line of feedback: what it is about, whether that part was right, and why."""

    about: str
    correct: bool
    text: str


@dataclass(frozen=True)
class GradeResult:
    question_id: str
    answer: Any
    score: float
    points: float
    max_points: float
    correct: bool
    critical: bool
    critical_choices: tuple[str, ...]
    feedback: tuple[Feedback, ...]
    rationale: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id, "answer": self.answer, "score": self.score,
            "points": self.points, "max_points": self.max_points, "correct": self.correct,
            "critical": self.critical, "critical_choices": list(self.critical_choices),
            "feedback": [{"about": f.about, "correct": f.correct, "text": f.text} for f in self.feedback],
            "rationale": self.rationale,
        }


def _result(q: QuestionType, answer: Any, score: float, feedback: list[Feedback],
            critical: Sequence[str] = ()) -> GradeResult:
    score = min(1.0, max(0.0, score))
    return GradeResult(  # min(): rounding 1.296875 points to 4 places would award more than the maximum
        question_id=q.id, answer=answer, score=score, points=min(q.points, round(score * q.points, 4)),
        max_points=q.points, correct=math.isclose(score, 1.0), critical=bool(critical),
        critical_choices=tuple(critical), feedback=tuple(feedback), rationale=q.rationale,
    )


def _option_ids(q: QuestionType, answer: Any, *, many: bool) -> list[str]:
    if many:
        if isinstance(answer, str | bytes) or not isinstance(answer, Sequence | set | frozenset):
            raise AnswerError(q.id, f"expected a list of option ids, got {type(answer).__name__}")
        chosen = list(answer)
    else:
        if not isinstance(answer, str):
            raise AnswerError(q.id, f"expected one option id (text), got {type(answer).__name__}")
        chosen = [answer]
    known = {o.id for o in q.options} if isinstance(q, SingleChoice | MultipleResponse) else set()
    for option_id in chosen:
        if not isinstance(option_id, str) or option_id not in known:
            raise AnswerError(q.id, f"unknown option {option_id!r}; options are {', '.join(sorted(known))}")
    if len(set(chosen)) != len(chosen):
        raise AnswerError(q.id, "the same option was chosen twice")
    return chosen


def grade_single_choice(q: SingleChoice, answer: Any) -> GradeResult:
    (chosen,) = _option_ids(q, answer, many=False)
    option = next(o for o in q.options if o.id == chosen)
    critical = [chosen] if option.critical else []
    return _result(q, chosen, 1.0 if option.correct else 0.0,
                   [Feedback(option.text, option.correct, option.feedback)], critical)


def grade_multiple_response(q: MultipleResponse, answer: Any) -> GradeResult:
    chosen = set(_option_ids(q, answer, many=True))
    right = [o for o in q.options if o.correct]
    wrong = [o for o in q.options if not o.correct]
    hits = sum(1 for o in right if o.id in chosen)
    false_picks = sum(1 for o in wrong if o.id in chosen)
    score = hits / len(right) - (false_picks / len(wrong) if wrong else 0.0)
    feedback = [Feedback(o.text, o.correct, o.feedback) for o in q.options if o.id in chosen]
    feedback += [Feedback(f"Missed: {o.text}", False, o.feedback) for o in right if o.id not in chosen]
    critical = [o.id for o in q.options if o.critical and o.id in chosen]
    ordered = [o.id for o in q.options if o.id in chosen]
    return _result(q, ordered, score, feedback, critical)


def grade_numeric(q: Numeric, answer: Any) -> GradeResult:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        raise AnswerError(q.id, f"expected a number in {q.unit}, got {type(answer).__name__}")
    try:
        number = float(answer)  # an int beyond 1e308 overflows here rather than inside the comparison
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise AnswerError(q.id, "expected a finite number")
    a = q.answer
    if a.value is not None:
        ok = abs(number - a.value) <= (a.tolerance or 0.0) + 1e-9
    else:
        ok = a.min is not None and a.max is not None and a.min - 1e-9 <= number <= a.max + 1e-9
    text = q.feedback.correct if ok else q.feedback.incorrect
    return _result(q, answer, 1.0 if ok else 0.0, [Feedback(f"{number:g} {q.unit}", ok, text)])


def grade_ordering(q: Ordering, answer: Any) -> GradeResult:
    if isinstance(answer, str) or not isinstance(answer, Sequence):
        raise AnswerError(q.id, f"expected the list of step ids in order, got {type(answer).__name__}")
    keyed = [s.id for s in q.steps]
    if sorted(map(str, answer)) != sorted(keyed) or not all(isinstance(x, str) for x in answer):
        raise AnswerError(q.id, f"expected each of the steps {', '.join(keyed)} exactly once")
    position = {step: i for i, step in enumerate(answer)}
    pairs = list(combinations(keyed, 2))
    in_order = sum(1 for first, second in pairs if position[first] < position[second])
    score = in_order / len(pairs)
    ok = math.isclose(score, 1.0)
    return _result(q, list(answer), score,
                   [Feedback("Order", ok, q.feedback.correct if ok else q.feedback.incorrect)])


def grade_matching(q: Matching, answer: Any) -> GradeResult:
    if not isinstance(answer, Mapping):
        raise AnswerError(q.id, f"expected a category for each item, got {type(answer).__name__}")
    categories = {c.id: c.text for c in q.categories}
    items = {i.id: i for i in q.items}
    if set(answer) != set(items):
        missing = sorted(set(items) - set(answer))
        extra = sorted(str(k) for k in set(answer) - set(items))
        detail = f"missing {', '.join(missing)}" if missing else f"unknown items {', '.join(extra)}"
        raise AnswerError(q.id, f"every item needs exactly one category ({detail})")
    for item_id, category in answer.items():
        if not isinstance(category, str) or category not in categories:  # a list here is unhashable
            raise AnswerError(q.id, f"unknown category {category!r} for {item_id!r}")
    right = sum(1 for i in q.items if answer[i.id] == i.category)
    all_right = right == len(q.items)
    feedback = [Feedback("All items", all_right, q.feedback.correct if all_right else q.feedback.incorrect)]
    feedback += [Feedback(f"{i.text}: {categories[answer[i.id]]}", answer[i.id] == i.category, i.feedback)
                 for i in q.items]
    critical = [f"{i.id}={answer[i.id]}" for i in q.items if answer[i.id] in i.critical]
    return _result(q, {i.id: answer[i.id] for i in q.items}, right / len(q.items), feedback, critical)


def grade_short_text(q: ShortText, answer: Any) -> GradeResult:
    if not isinstance(answer, str):
        raise AnswerError(q.id, f"expected text, got {type(answer).__name__}")
    if len(answer) > 500:
        raise AnswerError(q.id, "the answer is longer than 500 characters")
    ok = normalise_answer(answer) in {normalise_answer(a) for a in q.accepted}
    return _result(q, answer, 1.0 if ok else 0.0,
                   [Feedback(answer, ok, q.feedback.correct if ok else q.feedback.incorrect)])


def grade(q: QuestionType, answer: Any) -> GradeResult:
    """Grade any question; raises ``AnswerError`` for an answer of the wrong shape."""
    if isinstance(q, SingleChoice):
        return grade_single_choice(q, answer)
    if isinstance(q, MultipleResponse):
        return grade_multiple_response(q, answer)
    if isinstance(q, Numeric):
        return grade_numeric(q, answer)
    if isinstance(q, Ordering):
        return grade_ordering(q, answer)
    if isinstance(q, Matching):
        return grade_matching(q, answer)
    return grade_short_text(q, answer)


def keyed_answer(q: QuestionType) -> Any:
    """The answer that scores 1: what a test or a play-through submits to pass."""
    if isinstance(q, SingleChoice):
        return next(o.id for o in q.options if o.correct)
    if isinstance(q, MultipleResponse):
        return [o.id for o in q.options if o.correct]
    if isinstance(q, Numeric):
        a = q.answer
        return a.value if a.value is not None else ((a.min or 0.0) + (a.max or 0.0)) / 2
    if isinstance(q, Ordering):
        return [s.id for s in q.steps]
    if isinstance(q, Matching):
        return {i.id: i.category for i in q.items}
    return q.accepted[0]


def wrong_answer(q: QuestionType) -> Any:
    """A well-formed answer that scores below 1, preferring a harmful one where there is one."""
    if isinstance(q, SingleChoice):
        wrong = [o for o in q.options if not o.correct]
        return next((o.id for o in wrong if o.critical), wrong[0].id)
    if isinstance(q, MultipleResponse):
        return [o.id for o in q.options if not o.correct]
    if isinstance(q, Numeric):
        a = q.answer
        high = a.value + (a.tolerance or 0.0) if a.value is not None else (a.max or 0.0)
        return high + max(1.0, abs(high))
    if isinstance(q, Ordering):
        return [s.id for s in reversed(q.steps)]
    if isinstance(q, Matching):
        ids = [c.id for c in q.categories]
        return {i.id: next(c for c in ids if c != i.category) for i in q.items}
    return "I do not know"
