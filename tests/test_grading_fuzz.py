"""Any answer, of any shape, to any question: a score in [0, 1] or an ``AnswerError``, never a crash.

Answers come from widgets today, but also from stored attempts, imported progress files and
notebooks where a trainee can type anything; ``grade`` is the one place that must not trust them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meso_training.engine.grading import GradeResult, grade, keyed_answer, wrong_answer
from meso_training.errors import AnswerError
from meso_training.model import (
    Course,
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    QuestionType,
    ShortText,
    SingleChoice,
)

FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
COMMON: dict[str, Any] = {
    "topic": "foundations", "difficulty": "easy", "prompt": "A prompt.", "rationale": "The reason.",
    "sources": ["NAT-1"], "reviewed": "2026-01-01", "review_by": "2027-01-01",
}
IDS = st.from_regex(r"\A[a-z][a-z0-9_-]{0,6}\Z")
FEEDBACK = {"correct": "Yes.", "incorrect": "No."}


def course_questions(course: Course) -> list[QuestionType]:
    return [q for module in course.modules for _, q in module.questions()]


def ids_of(q: QuestionType) -> list[str]:
    """Every id a trainee could name for ``q``: options, steps, items and categories."""
    if isinstance(q, SingleChoice | MultipleResponse):
        return [o.id for o in q.options]
    if isinstance(q, Ordering):
        return [s.id for s in q.steps]
    if isinstance(q, Matching):
        return [i.id for i in q.items] + [c.id for c in q.categories]
    if isinstance(q, ShortText):
        return list(q.accepted)
    return []


def check(q: QuestionType, answer: Any) -> GradeResult | None:
    """The property: a bounded result or AnswerError naming the question; None for the error."""
    try:
        result = grade(q, answer)
    except AnswerError as exc:
        refused: AnswerError | None = exc
    else:
        refused = None
    if refused is not None:
        assert refused.question_id == q.id
        assert str(refused).startswith(f"answer to {q.id!r} not accepted: ")
        return None
    assert isinstance(result, GradeResult)
    assert math.isfinite(result.score)
    assert 0.0 <= result.score <= 1.0
    assert 0.0 <= result.points <= result.max_points == q.points
    assert result.correct == math.isclose(result.score, 1.0)
    assert result.critical == bool(result.critical_choices)
    return result


# ---- synthetic questions, valid by construction (what the loader would accept) -------------


@st.composite
def option_questions(draw: st.DrawFn) -> SingleChoice | MultipleResponse:
    ids = draw(st.lists(IDS, min_size=2, max_size=12, unique=True))
    many = draw(st.booleans())
    if many:
        right = set(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids) - 1, unique=True)))
    else:
        right = {draw(st.sampled_from(ids))}
    options = [{"id": i, "text": f"Option {i}", "feedback": "Why.", "correct": i in right,
                "critical": i not in right and draw(st.booleans())} for i in ids]
    data = {**COMMON, "id": "q", "points": draw(st.floats(0.01, 100)), "options": options}
    if many:
        return MultipleResponse.model_validate({**data, "type": "multiple_response"})
    return SingleChoice.model_validate({**data, "type": "single_choice"})


@st.composite
def numeric_questions(draw: st.DrawFn) -> Numeric:
    finite = st.floats(-1e300, 1e300)
    if draw(st.booleans()):
        answer = {"value": draw(finite), "tolerance": draw(st.floats(0, 1e300) | st.none())}
    else:
        low, high = sorted(draw(st.lists(finite, min_size=2, max_size=2, unique=True)))
        answer = {"min": low, "max": high}
    return Numeric.model_validate({**COMMON, "id": "n", "type": "numeric", "points": 1, "unit": "ml",
                                   "answer": answer, "feedback": FEEDBACK})


@st.composite
def ordering_questions(draw: st.DrawFn) -> Ordering:
    ids = draw(st.lists(IDS, min_size=2, max_size=12, unique=True))
    return Ordering.model_validate({**COMMON, "id": "o", "type": "ordering", "points": 3,
                                    "steps": [{"id": i, "text": f"Step {i}"} for i in ids], "feedback": FEEDBACK})


@st.composite
def matching_questions(draw: st.DrawFn) -> Matching:
    categories = draw(st.lists(IDS, min_size=2, max_size=8, unique=True))
    items = []
    for item_id in draw(st.lists(IDS, min_size=2, max_size=12, unique=True)):
        category = draw(st.sampled_from(categories))
        critical = draw(st.lists(st.sampled_from([c for c in categories if c != category]), unique=True))
        items.append({"id": item_id, "text": f"Item {item_id}", "category": category, "critical": critical,
                      "feedback": "Why."})
    return Matching.model_validate({**COMMON, "id": "m", "type": "matching", "points": 2, "feedback": FEEDBACK,
                                    "categories": [{"id": c, "text": c.upper()} for c in categories],
                                    "items": items})


@st.composite
def short_text_questions(draw: st.DrawFn) -> ShortText:
    accepted = draw(st.lists(st.from_regex(r"\A[A-Za-z]{1,10}( [a-z]{1,8})?\Z"), min_size=1, max_size=4,
                             unique_by=lambda s: s.casefold()))
    return ShortText.model_validate({**COMMON, "id": "s", "type": "short_text", "points": 1,
                                     "accepted": accepted, "feedback": FEEDBACK})


SYNTHETIC = st.one_of(option_questions(), numeric_questions(), ordering_questions(), matching_questions(),
                      short_text_questions())


# ---- answers of every wrong shape ------------------------------------------------------------
#
# Answers are drawn as templates, before the question is known, and filled in with the question's
# own ids inside the test. Building a fresh recursive strategy per question made hypothesis report
# FlakyStrategyDefinition now and then; templates also keep the repr of each draw small (hypothesis
# records it, and a 50 kB one is a warning, which is an error here).


@dataclass(frozen=True)
class Name:
    """The ``index``-th of the question's ids (options, steps, items, categories, accepted texts) or a stranger."""

    index: int


@dataclass(frozen=True)
class Huge:
    """A big answer described in a few bytes."""

    kind: str
    size: int
    item: Any = None


@dataclass(frozen=True)
class AllIds:
    """Every id of the question, as a shuffled list or as a mapping to an odd value."""

    kind: str
    seed: int = 0


STRANGERS = ["", "zz-unknown", " a", "A", "a\x00", "é"]
ODD_VALUES = [math.nan, math.inf, -math.inf, -0.0, 1e-320, Decimal("1e999"), Fraction(1, 3), complex(1, 2),
              object(), range(3), bytearray(b"ab"), Ellipsis]
NAMES = st.builds(Name, st.integers(0, 40))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
                    st.binary(max_size=20), NAMES, st.sampled_from(ODD_VALUES))
NESTED = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=8), st.tuples(inner, inner), st.dictionaries(NAMES, inner, max_size=8),
        st.frozensets(NAMES, max_size=8), st.dictionaries(st.integers() | st.booleans() | st.none(), inner,
                                                          max_size=4)),
    max_leaves=12,
)
ANSWERS = st.one_of(
    NESTED,
    st.integers(min_value=10**308, max_value=10**400), st.text(max_size=600),
    st.lists(NAMES, max_size=15),  # unknown ids and duplicates
    st.dictionaries(NAMES, NAMES | NESTED, max_size=15),
    st.builds(Huge, st.just("repeated"), st.integers(0, 100_000), NAMES),  # huge lists
    st.builds(Huge, st.sampled_from(["range", "text"]), st.integers(0, 100_000)),
    st.builds(AllIds, st.sampled_from(["shuffled", "unhashable", "none", "nan"]), st.integers(0, 2**32)),
)


def built(template: Any, q: QuestionType) -> Any:
    """The answer ``template`` stands for, with ``q``'s own ids so grading's checks go deep."""
    known = ids_of(q)
    pool = known + STRANGERS
    if isinstance(template, Name):
        return pool[template.index % len(pool)]
    if isinstance(template, Huge):
        if template.kind == "repeated":
            return [built(template.item, q)] * template.size
        return list(range(template.size)) if template.kind == "range" else "x" * template.size
    if isinstance(template, AllIds):
        if template.kind == "shuffled":
            return random.Random(template.seed).sample(known, len(known))
        return {i: {"unhashable": [i], "none": None, "nan": math.nan}[template.kind] for i in known}
    if isinstance(template, dict):
        return {built(k, q): built(v, q) for k, v in template.items()}
    if isinstance(template, list | tuple | frozenset):
        return type(template)(built(x, q) for x in template)
    return template


@FUZZ
@given(pick=st.integers(0, 10_000), template=ANSWERS)
def test_any_answer_to_any_question_of_the_course_is_graded_or_refused(course: Course, pick: int,
                                                                        template: Any) -> None:
    questions = course_questions(course)
    q = questions[pick % len(questions)]
    check(q, built(template, q))


@FUZZ
@given(q=SYNTHETIC, template=ANSWERS)
def test_any_answer_to_a_synthetic_question_is_graded_or_refused(q: QuestionType, template: Any) -> None:
    check(q, built(template, q))


@st.composite
def well_formed(draw: st.DrawFn, q: QuestionType) -> Any:
    """An answer of the right shape, right or wrong: grading must never refuse it."""
    if isinstance(q, SingleChoice):
        return draw(st.sampled_from([o.id for o in q.options]))
    if isinstance(q, MultipleResponse):
        return draw(st.lists(st.sampled_from([o.id for o in q.options]), unique=True))
    if isinstance(q, Numeric):
        return draw(st.integers(-(10**300), 10**300) | st.floats(allow_nan=False, allow_infinity=False))
    if isinstance(q, Ordering):
        return draw(st.permutations([s.id for s in q.steps]))
    if isinstance(q, Matching):
        return {i.id: draw(st.sampled_from([c.id for c in q.categories])) for i in q.items}
    return draw(st.text(max_size=500))


@FUZZ
@given(data=st.data())
def test_a_well_formed_answer_is_always_graded_never_refused(course: Course, data: st.DataObject) -> None:
    q = data.draw(st.sampled_from(course_questions(course)) | SYNTHETIC, label="question")
    assert check(q, data.draw(well_formed(q), label="answer")) is not None


@FUZZ
@given(q=SYNTHETIC)
def test_the_keyed_answer_scores_1_and_the_wrong_answer_below_1(q: QuestionType) -> None:
    keyed, wrong = check(q, keyed_answer(q)), check(q, wrong_answer(q))
    assert keyed is not None
    assert wrong is not None
    assert keyed.score == 1.0
    assert wrong.score < 1.0


# ---- regressions: each of these raised something other than AnswerError before the fix -----

NUM = Numeric.model_validate({**COMMON, "id": "num", "type": "numeric", "points": 1, "unit": "ml",
                              "answer": {"value": 2, "tolerance": 0.5}, "feedback": FEEDBACK})
MAT = Matching.model_validate({**COMMON, "id": "mat", "type": "matching", "points": 1, "feedback": FEEDBACK,
                               "categories": [{"id": "yes", "text": "Yes"}, {"id": "no", "text": "No"}],
                               "items": [{"id": "i1", "text": "One", "category": "yes", "feedback": "F."},
                                         {"id": "i2", "text": "Two", "category": "no", "feedback": "F."}]})


@pytest.mark.parametrize(("question", "answer", "message"), [
    (NUM, 10**400, "expected a finite number"),  # OverflowError: int too large to convert to float
    (NUM, -(10**309), "expected a finite number"),
    (MAT, {"i1": ["yes"], "i2": "no"}, "unknown category ['yes'] for 'i1'"),  # TypeError: unhashable type
    (MAT, {"i1": {"yes": 1}, "i2": "no"}, "unknown category {'yes': 1} for 'i1'"),
])
def test_answers_that_crashed_grading_are_refused_with_an_answer_error(question: QuestionType, answer: Any,
                                                                       message: str) -> None:
    with pytest.raises(AnswerError) as info:
        grade(question, answer)
    assert str(info.value) == f"answer to {question.id!r} not accepted: {message}"
