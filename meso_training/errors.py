"""The package's own exceptions.

Every error carries enough context for a person to act on it: a quiz problem names the
file, line and field; an answer problem names the question. None of them is meant to
reach a trainee as a traceback: views catch ``MesoTrainingError`` and show the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class MesoTrainingError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a quiz file, where it is, and how to fix it."""

    path: Path
    line: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field or '(file)'}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class QuizFormatError(MesoTrainingError):
    """Quiz files that cannot be loaded; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.field))
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the quiz files:\n{lines}")


class AnswerError(MesoTrainingError):
    """An answer of the wrong shape for its question (wrong type, unknown option)."""

    def __init__(self, question_id: str, message: str) -> None:
        self.question_id = question_id
        super().__init__(f"answer to {question_id!r} not accepted: {message}")
