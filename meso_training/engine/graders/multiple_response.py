"""Multiple response (select all that apply): share of keyed options ticked minus share of wrong ones, floored at 0.

Ticking every box therefore scores 0, unless every option is keyed (validation forbids that).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from meso_training.engine.graders.base import Grader, option_ids
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.model import MultipleResponse


class MultipleResponseGrader(Grader[MultipleResponse]):
    question_type = MultipleResponse

    def grade(self, q: MultipleResponse, answer: Any) -> GradeResult:
        chosen = set(option_ids(q, answer, many=True))
        right = [o for o in q.options if o.correct]
        wrong = [o for o in q.options if not o.correct]
        hits = sum(1 for o in right if o.id in chosen)
        false_picks = sum(1 for o in wrong if o.id in chosen)
        score = hits / len(right) - (false_picks / len(wrong) if wrong else 0.0)
        feedback = [Feedback(o.text, o.correct, o.feedback) for o in q.options if o.id in chosen]
        feedback += [Feedback(f"Missed: {o.text}", False, o.feedback) for o in right if o.id not in chosen]
        critical = [o.id for o in q.options if o.critical and o.id in chosen]
        ordered = [o.id for o in q.options if o.id in chosen]
        return graded(q, ordered, score, feedback, critical)

    def keyed_answer(self, q: MultipleResponse) -> Any:
        return [o.id for o in q.options if o.correct]

    def wrong_answer(self, q: MultipleResponse) -> Any:
        return [o.id for o in q.options if not o.correct]

    def display_ids(self, q: MultipleResponse) -> list[str]:
        return [o.id for o in q.options]

    def chosen_options(self, q: MultipleResponse, result: GradeResult) -> set[str]:
        return {str(option) for option in result.answer}

    def row_marks(self, q: MultipleResponse, result: GradeResult) -> dict[str, bool]:
        keyed = {o.id for o in q.options if o.correct}
        return {str(option): option in keyed for option in result.answer}

    def kept_for_retry(self, q: MultipleResponse, result: GradeResult) -> Any:
        keyed = {o.id for o in q.options if o.correct}
        return [option for option in result.answer if option in keyed]

    def answer_choosing(self, q: MultipleResponse, option_ids: Sequence[str]) -> Any:
        return list(option_ids)
