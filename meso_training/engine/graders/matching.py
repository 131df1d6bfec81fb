"""Matching (categorise): the share of items put in their keyed category."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meso_training.engine.graders.base import Grader
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.errors import AnswerError
from meso_training.model import Matching


class MatchingGrader(Grader[Matching]):
    question_type = Matching

    def grade(self, q: Matching, answer: Any) -> GradeResult:
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
        return graded(q, {i.id: answer[i.id] for i in q.items}, right / len(q.items), feedback, critical)

    def keyed_answer(self, q: Matching) -> Any:
        return {i.id: i.category for i in q.items}

    def wrong_answer(self, q: Matching) -> Any:
        ids = [c.id for c in q.categories]
        return {i.id: next(c for c in ids if c != i.category) for i in q.items}

    def row_marks(self, q: Matching, result: GradeResult) -> dict[str, bool]:
        return {i.id: result.answer[i.id] == i.category for i in q.items}

    def kept_for_retry(self, q: Matching, result: GradeResult) -> Any:
        return {i.id: i.category for i in q.items if result.answer[i.id] == i.category}

    def display_ids(self, q: Matching) -> list[str]:
        return [i.id for i in q.items]
