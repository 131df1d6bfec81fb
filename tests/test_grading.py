"""Grading rules per question type, partial-credit edges, and rejection of malformed answers."""

from __future__ import annotations

import math
from typing import Any

import pytest

from meso_training.engine.grading import Feedback, grade, keyed_answer, wrong_answer
from meso_training.errors import AnswerError
from meso_training.model import Course, Matching, MultipleResponse, Numeric, Ordering, ShortText, SingleChoice

COMMON: dict[str, Any] = {
    "topic": "foundations", "difficulty": "easy", "points": 2, "prompt": "A prompt.",
    "rationale": "Because of the reason given here.", "sources": ["NAT-1"],
    "reviewed": "2026-01-01", "review_by": "2027-01-01",
}


def opt(id_: str, correct: bool = False, critical: bool = False) -> dict[str, Any]:
    return {"id": id_, "text": f"Option {id_}", "correct": correct, "critical": critical, "feedback": f"About {id_}."}


SC = SingleChoice.model_validate({**COMMON, "id": "sc", "type": "single_choice",
                                  "options": [opt("a"), opt("b", correct=True), opt("c", critical=True)]})
MR = MultipleResponse.model_validate({**COMMON, "id": "mr", "type": "multiple_response",
                                      "options": [opt("a", True), opt("b", True), opt("c"), opt("d", critical=True)]})
NUM = Numeric.model_validate({**COMMON, "id": "num", "type": "numeric", "unit": "sessions",
                              "answer": {"min": 4, "max": 6}, "feedback": {"correct": "Yes.", "incorrect": "No."}})
TOL = Numeric.model_validate({**COMMON, "id": "tol", "type": "numeric", "unit": "weeks",
                              "answer": {"value": 2, "tolerance": 0.5},
                              "feedback": {"correct": "Y.", "incorrect": "N."}})
ORD = Ordering.model_validate({**COMMON, "id": "ord", "type": "ordering",
                               "steps": [{"id": s, "text": s.upper()} for s in "abcd"],
                               "feedback": {"correct": "Yes.", "incorrect": "No."}})
MAT = Matching.model_validate({**COMMON, "id": "mat", "type": "matching",
                               "categories": [{"id": "proceed", "text": "Proceed"}, {"id": "defer", "text": "Defer"}],
                               "items": [{"id": "p1", "text": "Pregnant", "category": "defer",
                                          "critical": ["proceed"], "feedback": "Defer in pregnancy."},
                                         {"id": "p2", "text": "Healthy", "category": "proceed", "feedback": "Fine."}],
                               "feedback": {"correct": "Yes.", "incorrect": "No."}})
ST = ShortText.model_validate({**COMMON, "id": "st", "type": "short_text", "accepted": ["Tranexamic acid", "TXA"],
                               "feedback": {"correct": "Yes.", "incorrect": "No."}})


def test_single_choice_is_all_or_nothing_with_the_chosen_feedback() -> None:
    right = grade(SC, "b")
    assert (right.score, right.points, right.correct, right.critical) == (1.0, 2.0, True, False)
    assert [f.text for f in right.feedback] == ["About b."]
    wrong = grade(SC, "a")
    assert (wrong.score, wrong.points, wrong.correct) == (0.0, 0.0, False)
    assert wrong.rationale == "Because of the reason given here."


def test_critical_choice_is_recorded_apart_from_the_score() -> None:
    result = grade(SC, "c")
    assert result.critical
    assert result.critical_choices == ("c",)
    assert result.score == 0.0


@pytest.mark.parametrize(("answer", "score"), [
    (["a", "b"], 1.0),
    (["a"], 0.5),
    (["a", "b", "c"], 0.5),
    (["a", "b", "c", "d"], 0.0),
    ([], 0.0),
    (["c", "d"], 0.0),
    (["a", "c", "d"], 0.0),
])
def test_multiple_response_partial_credit_never_rewards_ticking_everything(answer: list[str], score: float) -> None:
    assert math.isclose(grade(MR, answer).score, score)


def test_multiple_response_feedback_covers_picks_and_misses() -> None:
    result = grade(MR, ["a", "d"])
    assert [f.about for f in result.feedback] == ["Option a", "Option d", "Missed: Option b"]
    assert result.critical_choices == ("d",)


@pytest.mark.parametrize(("question", "answer", "score"), [
    (NUM, 4, 1.0), (NUM, 6.0, 1.0), (NUM, 5, 1.0), (NUM, 3.99, 0.0), (NUM, 7, 0.0),
    (TOL, 2.5, 1.0), (TOL, 1.5, 1.0), (TOL, 2.51, 0.0),
])
def test_numeric_accepts_range_and_tolerance_inclusively(question: Numeric, answer: float, score: float) -> None:
    assert grade(question, answer).score == score


@pytest.mark.parametrize(("answer", "score"), [
    (["a", "b", "c", "d"], 1.0),
    (["d", "c", "b", "a"], 0.0),
    (["b", "a", "c", "d"], 5 / 6),
    (["a", "b", "d", "c"], 5 / 6),
])
def test_ordering_credits_pairs_in_the_right_relative_order(answer: list[str], score: float) -> None:
    result = grade(ORD, answer)
    assert math.isclose(result.score, score)
    assert result.correct is (score == 1.0)


def test_matching_credits_each_item_and_flags_harmful_placements() -> None:
    half = grade(MAT, {"p1": "proceed", "p2": "proceed"})
    assert half.score == 0.5
    assert half.critical_choices == ("p1=proceed",)
    assert grade(MAT, {"p1": "defer", "p2": "proceed"}).correct


def test_matching_feedback_leads_with_the_question_feedback_then_each_item() -> None:
    wrong = grade(MAT, {"p1": "proceed", "p2": "proceed"})
    assert wrong.feedback[0] == Feedback("All items", False, MAT.feedback.incorrect)
    assert [f.correct for f in wrong.feedback[1:]] == [False, True]
    right = grade(MAT, {"p1": "defer", "p2": "proceed"})
    assert right.feedback[0] == Feedback("All items", True, MAT.feedback.correct)


@pytest.mark.parametrize(("answer", "ok"), [
    ("tranexamic acid", True), ("  TRANEXAMIC   ACID. ", True), ("txa", True), ("Tranéxamic acid", True),
    ("tranexamic", False), ("", False),
])
def test_short_text_compares_after_normalising(answer: str, ok: bool) -> None:
    assert grade(ST, answer).correct is ok


@pytest.mark.parametrize(("question", "answer", "message"), [
    (SC, 3, "expected one option id (text), got int"),
    (SC, "zz", "unknown option 'zz'"),
    (MR, "a", "expected a list of option ids, got str"),
    (MR, ["a", "a"], "the same option was chosen twice"),
    (NUM, "5", "expected a number in sessions, got str"),
    (NUM, True, "expected a number in sessions, got bool"),
    (NUM, float("nan"), "expected a finite number"),
    (ORD, ["a", "b", "c"], "expected each of the steps a, b, c, d exactly once"),
    (ORD, ["a", "b", "c", "c"], "expected each of the steps a, b, c, d exactly once"),
    (MAT, {"p1": "defer"}, "every item needs exactly one category (missing p2)"),
    (MAT, {"p1": "defer", "p2": "maybe"}, "unknown category 'maybe' for 'p2'"),
    (MAT, ["defer"], "expected a category for each item, got list"),
    (ST, None, "expected text, got NoneType"),
])
def test_malformed_answers_are_rejected_with_a_clear_error(question: Any, answer: Any, message: str) -> None:
    with pytest.raises(AnswerError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        grade(question, answer)
    assert info.value.question_id == question.id


def test_every_question_in_the_course_scores_1_when_keyed_and_below_1_when_wrong(course: Course) -> None:
    count = 0
    for module in course.modules:
        for _, question in module.questions():
            assert grade(question, keyed_answer(question)).score == 1.0, question.id
            assert grade(question, wrong_answer(question)).score < 1.0, question.id
            count += 1
    assert count == sum(len(m.questions()) for m in course.modules) > 0
