"""Pure grading: a question and an answer in, a ``GradeResult`` out, by the question type's grader.

The rules of each type (documented for instructors in docs/authoring.md) live in one
module each under ``engine/graders/``. A critical choice (an option marked ``critical``,
or an item put in a category listed in its ``critical``) is reported apart from the
score: it fails a case whatever the points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from meso_training.engine.graders import GRADERS, Grader
from meso_training.engine.result import Feedback, GradeResult
from meso_training.errors import UnknownQuestionTypeError
from meso_training.model import QuestionBase

__all__ = ["Answer", "Feedback", "GradeResult", "grade", "grader_for", "kept_for_retry", "keyed_answer", "row_marks",
           "wrong_answer"]

Answer = str | float | int | Sequence[str] | Mapping[str, str]


def grader_for(q: QuestionBase) -> Grader[Any]:
    """The grader registered for ``q``'s type."""
    try:
        return GRADERS[type(q)]
    except KeyError:
        msg = (f"no grader registered for question type {type(q).__name__}; add it to "
               "meso_training/engine/graders/__init__.py (see docs/architecture.md)")
        raise UnknownQuestionTypeError(msg) from None


def grade(q: QuestionBase, answer: Any) -> GradeResult:
    """Grade any question; raises ``AnswerError`` for an answer of the wrong shape."""
    return grader_for(q).grade(q, answer)


def keyed_answer(q: QuestionBase) -> Any:
    """The answer that scores 1: what a test or a play-through submits to pass."""
    return grader_for(q).keyed_answer(q)


def wrong_answer(q: QuestionBase) -> Any:
    """A well-formed answer that scores below 1, preferring a harmful one where there is one."""
    return grader_for(q).wrong_answer(q)


def row_marks(q: QuestionBase, result: GradeResult) -> dict[str, bool]:
    """Right or not, per shown row the trainee acted on (option, item, step) of a graded answer."""
    return grader_for(q).row_marks(q, result)


def kept_for_retry(q: QuestionBase, result: GradeResult) -> Any:
    """The right part of a graded answer, which a practice retry keeps (None: start empty)."""
    return grader_for(q).kept_for_retry(q, result)
