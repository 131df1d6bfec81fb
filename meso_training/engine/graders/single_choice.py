"""Single choice: exactly one option is keyed; all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from meso_training.engine.graders.base import Grader, option_ids
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.model import SingleChoice


class SingleChoiceGrader(Grader[SingleChoice]):
    question_type = SingleChoice

    def grade(self, q: SingleChoice, answer: Any) -> GradeResult:
        (chosen,) = option_ids(q, answer, many=False)
        option = next(o for o in q.options if o.id == chosen)
        critical = [chosen] if option.critical else []
        return graded(q, chosen, 1.0 if option.correct else 0.0,
                      [Feedback(option.text, option.correct, option.feedback)], critical)

    def keyed_answer(self, q: SingleChoice) -> Any:
        return next(o.id for o in q.options if o.correct)

    def wrong_answer(self, q: SingleChoice) -> Any:
        wrong = [o for o in q.options if not o.correct]
        return next((o.id for o in wrong if o.critical), wrong[0].id)

    def display_ids(self, q: SingleChoice) -> list[str]:
        return [o.id for o in q.options]

    def chosen_options(self, q: SingleChoice, result: GradeResult) -> set[str]:
        return {str(result.answer)}

    def row_marks(self, q: SingleChoice, result: GradeResult) -> dict[str, bool]:
        return {str(result.answer): result.correct}

    def answer_choosing(self, q: SingleChoice, option_ids: Sequence[str]) -> Any:
        return option_ids[0]
