"""The words every layer shares: ids, text, topics, difficulty, case kinds and modes.

Plain enums and constrained string types with no I/O; ``Mode`` is here (not in the
session) because the store, the views and the CLI all name it too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", min_length=1, max_length=80),
]
FieldPath = tuple[str | int, ...]
"""Where a value sits in a quiz file's data: ``("items", 3, "options", 1, "text")``."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class Frozen(BaseModel):
    # Validators are built on first validation, not at import: a notebook kernel that reads
    # the checked course from the cache (course_cache) never validates and never pays for them.
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False, defer_build=True)


class Topic(StrEnum):
    FOUNDATIONS = "foundations"
    SUITABILITY = "suitability"
    FORMULATION = "formulation"
    SIDE_EFFECTS = "side-effects"
    RESULTS = "results"
    SAFETY = "safety"

    @property
    def label(self) -> str:
        """The topic in a trainee's words: the ids are for quiz files ("results" is the planning module)."""
        return _TOPIC_LABELS[self]


_TOPIC_LABELS = {
    Topic.FOUNDATIONS: "Foundations of mesotherapy",
    Topic.SUITABILITY: "Patient suitability",
    Topic.FORMULATION: "Choosing a formulation",
    Topic.SIDE_EFFECTS: "Side effects and complications",
    Topic.RESULTS: "Treatment planning and results",
    Topic.SAFETY: "Safe practice and emergencies",
}


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class CaseKind(StrEnum):
    SUITABILITY = "suitability"
    FORMULATION = "formulation"
    SIDE_EFFECTS = "side-effects"
    PLANNING = "planning"




class Mode(StrEnum):
    """How a module is taken: practice (feedback at once, retries) or assessment (one answer, feedback at the end)."""

    PRACTICE = "practice"
    ASSESSMENT = "assessment"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
