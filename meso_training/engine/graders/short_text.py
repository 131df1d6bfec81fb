"""Short text: right when it equals an accepted answer once case, accents, punctuation and spacing are ignored."""

from __future__ import annotations

from typing import Any

from meso_training.engine.graders.base import Grader
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.errors import AnswerError
from meso_training.model import ShortText
from meso_training.model.normalise import normalise_answer

MAX_ANSWER_CHARS = 500


class ShortTextGrader(Grader[ShortText]):
    question_type = ShortText

    def grade(self, q: ShortText, answer: Any) -> GradeResult:
        if not isinstance(answer, str):
            raise AnswerError(q.id, f"expected text, got {type(answer).__name__}")
        if len(answer) > MAX_ANSWER_CHARS:
            raise AnswerError(q.id, f"the answer is longer than {MAX_ANSWER_CHARS} characters")
        ok = normalise_answer(answer) in {normalise_answer(a) for a in q.accepted}
        return graded(q, answer, 1.0 if ok else 0.0,
                      [Feedback(answer, ok, q.feedback.correct if ok else q.feedback.incorrect)])

    def keyed_answer(self, q: ShortText) -> Any:
        return q.accepted[0]

    def wrong_answer(self, q: ShortText) -> Any:
        return "I do not know"
