"""What the engine needs to know about one question type, in one class per type.

A grader is pure: question and answer in, a ``GradeResult`` out. Besides grading it
says which answer is keyed (tests and play-throughs submit it), which well-formed answer
is wrong (harmful where it can be), what the trainee sees shuffled, and which options an
answer chose (case branches follow them).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from meso_training.engine.result import GradeResult
from meso_training.errors import AnswerError
from meso_training.model import QuestionBase

Q = TypeVar("Q", bound=QuestionBase)


class Grader(ABC, Generic[Q]):
    """Rules of one question type ``Q``; registered in ``meso_training.engine.graders.GRADERS``."""

    question_type: type[Q]

    @abstractmethod
    def grade(self, q: Q, answer: Any) -> GradeResult:
        """Grade ``answer``; raise ``AnswerError`` for an answer of the wrong shape."""

    @abstractmethod
    def keyed_answer(self, q: Q) -> Any:
        """The answer that scores 1."""

    @abstractmethod
    def wrong_answer(self, q: Q) -> Any:
        """A well-formed answer that scores below 1, a harmful one where there is one."""

    def display_ids(self, q: Q) -> list[str]:
        """The ids shown in a shuffled order (options, steps, items); none by default."""
        return []

    avoid_keyed_order = False
    """Whether the shuffle must never show the keyed order (an ordering question would be solved)."""

    def chosen_options(self, q: Q, result: GradeResult) -> set[str]:
        """The option ids a graded answer chose, for branches with ``when: [option ids]``; none by default."""
        return set()

    def row_marks(self, q: Q, result: GradeResult) -> dict[str, bool]:
        """Per shown row (display id) of a graded answer: right or not; none by default.

        Only the rows the trainee acted on are marked, so a practice retry still asks for
        a decision rather than copying a revealed key.
        """
        return {}

    def kept_for_retry(self, q: Q, result: GradeResult) -> Any:
        """What a practice retry starts from: the right part of ``result``'s answer (None: start empty).

        Redoing seven right rows to fix the eighth teaches nothing; a wrong value left in a
        field invites submitting it again.
        """
        return None

    def answer_choosing(self, q: Q, option_ids: Sequence[str]) -> Any:
        """An answer that chooses ``option_ids`` (a play-through takes a branch with it).

        Types without options can only branch on ``correct``/``incorrect`` (validation
        refuses the rest), so by default this is the wrong answer.
        """
        return self.wrong_answer(q)


def option_ids(q: Any, answer: Any, *, many: bool) -> list[str]:
    """The option ids an answer to a choice question names, each known and chosen once."""
    if many:
        if isinstance(answer, str | bytes) or not isinstance(answer, Sequence | set | frozenset):
            raise AnswerError(q.id, f"expected a list of option ids, got {type(answer).__name__}")
        chosen = list(answer)
    else:
        if not isinstance(answer, str):
            raise AnswerError(q.id, f"expected one option id (text), got {type(answer).__name__}")
        chosen = [answer]
    known = {o.id for o in q.options}
    for option_id in chosen:
        if not isinstance(option_id, str) or option_id not in known:
            raise AnswerError(q.id, f"unknown option {option_id!r}; options are {', '.join(sorted(known))}")
    if len(set(chosen)) != len(chosen):
        raise AnswerError(q.id, "the same option was chosen twice")
    return chosen
