"""What grading gives back: a score in [0, 1], points, feedback lines, the rationale, and any harmful choice."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from meso_training.model import QuestionType


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


def graded(q: QuestionType, answer: Any, score: float, feedback: Sequence[Feedback],
           critical: Sequence[str] = ()) -> GradeResult:
    """The result of ``answer`` to ``q`` scoring ``score`` (clamped to [0, 1]); every grader ends here."""
    score = min(1.0, max(0.0, score))
    return GradeResult(  # min(): rounding 1.296875 points to 4 places would award more than the maximum
        question_id=q.id, answer=answer, score=score, points=min(q.points, round(score * q.points, 4)),
        max_points=q.points, correct=math.isclose(score, 1.0), critical=bool(critical),
        critical_choices=tuple(critical), feedback=tuple(feedback), rationale=q.rationale,
    )
