"""Every question type has a grader and a view, and every question of the course in use works through both.

The course is the one ``load_course()`` finds (``$MESO_TRAINING_QUIZZES`` first), so the same
tests run over a course with a new question type (tests/test_new_question_type.py).
"""

from __future__ import annotations

import pytest

from meso_training import errors
from meso_training.authoring.loader import load_course
from meso_training.engine.graders import GRADERS
from meso_training.engine.grading import grade, grader_for, keyed_answer, wrong_answer
from meso_training.model import QUESTION_TYPES, Course, QuestionType
from meso_training.views.questions import VIEWS, question_view

COURSE: Course = load_course()
QUESTIONS: list[QuestionType] = [q for m in COURSE.modules for _, q in m.questions()]


def test_every_question_type_has_exactly_one_grader_and_one_view() -> None:
    assert set(GRADERS) == set(QUESTION_TYPES)
    assert set(VIEWS) == set(QUESTION_TYPES)
    assert all(view.question_type is t for t, view in VIEWS.items())


def test_the_course_uses_every_question_type() -> None:
    assert {type(q) for q in QUESTIONS} == set(QUESTION_TYPES)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_a_question_scores_1_when_keyed_and_below_1_when_wrong(question: QuestionType) -> None:
    assert grade(question, keyed_answer(question)).score == 1.0
    assert grade(question, wrong_answer(question)).score < 1.0


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_a_view_filled_with_an_answer_reads_the_same_answer_back(question: QuestionType) -> None:
    grader = grader_for(question)
    submitted: list[tuple[str, object]] = []
    view = question_view(question, grader.display_ids(question), COURSE.registry,
                         lambda qid, answer: submitted.append((qid, answer)))
    view.fill(keyed_answer(question))
    view.submit.click()
    assert len(submitted) == 1
    assert submitted[0][0] == question.id
    assert grade(question, submitted[0][1]).score == 1.0


def test_an_unregistered_question_type_is_named_not_silently_graded() -> None:
    class Unregistered(type(QUESTIONS[0])):  # type: ignore[misc]
        pass

    question = Unregistered.model_construct(**dict(QUESTIONS[0]))
    with pytest.raises(errors.UnknownQuestionTypeError, match="no grader registered for question type Unregistered"):
        grade(question, keyed_answer(QUESTIONS[0]))
