"""The quiz format as typed, immutable objects.

These classes are both the schema instructors write against (``meso-training schema``
exports them as JSON Schema) and the objects the rest of the package reads. They hold
no UI and no I/O: the loader builds them, grading reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", min_length=1, max_length=80),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class _Frozen(BaseModel):
    # Validators are built on first validation, not at import: a notebook kernel that reads
    # the checked course from the cache (course_cache) never validates and never pays for them.
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False, defer_build=True)


class Topic(StrEnum):
    FOUNDATIONS = "foundations"
    SUITABILITY = "suitability"
    FORMULATION = "formulation"
    SIDE_EFFECTS = "side-effects"
    RESULTS = "results"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class CaseKind(StrEnum):
    SUITABILITY = "suitability"
    FORMULATION = "formulation"
    SIDE_EFFECTS = "side-effects"
    PLANNING = "planning"


class Option(_Frozen):
    """One choice of a single-choice or multiple-response question."""

    id: Identifier
    text: Text
    correct: bool = False
    feedback: Text
    critical: bool = Field(
        default=False,
        description="Choosing this option harms the patient: it fails the whole case.",
    )


class AnswerFeedback(_Frozen):
    """Feedback for question types without options: one text when right, one when wrong."""

    correct: Text
    incorrect: Text


class _QuestionBase(_Frozen):
    id: Identifier
    topic: Topic
    difficulty: Difficulty
    points: float = Field(gt=0, le=100)
    prompt: Text
    rationale: Text
    sources: tuple[Identifier, ...] = Field(min_length=1)
    objectives: tuple[Identifier, ...] = ()
    reviewed: dt.date
    review_by: dt.date
    next: Identifier | None = Field(
        default=None, description="In a case: the step that follows (default: the next in the list)."
    )
    branches: tuple[Branch, ...] = ()

    def content_hash(self) -> str:
        """Tell an edited question from its earlier version in stored attempts.

        Review dates and case flow are left out: re-reviewing a question or moving it in
        a case does not change what the trainee answered.
        """
        data = self.model_dump(mode="json", exclude={"reviewed", "review_by", "next", "branches"})
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset()


class SingleChoice(_QuestionBase):
    type: Literal["single_choice"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=12)

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.critical)


class MultipleResponse(_QuestionBase):
    type: Literal["multiple_response"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=12)

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.critical)


class NumericAnswer(_Frozen):
    """Either ``value`` with ``tolerance`` or an inclusive ``min``..``max`` range."""

    value: float | None = None
    tolerance: float | None = None
    min: float | None = None
    max: float | None = None


class Numeric(_QuestionBase):
    type: Literal["numeric"]
    answer: NumericAnswer
    unit: Text
    feedback: AnswerFeedback


class OrderingStep(_Frozen):
    id: Identifier
    text: Text


class Ordering(_QuestionBase):
    type: Literal["ordering"]
    steps: tuple[OrderingStep, ...] = Field(
        min_length=2, max_length=12, description="Listed in the correct order."
    )
    feedback: AnswerFeedback


class Category(_Frozen):
    id: Identifier
    text: Text


class MatchItem(_Frozen):
    id: Identifier
    text: Text
    category: Identifier
    feedback: Text
    critical: tuple[Identifier, ...] = Field(
        default=(), description="Categories that harm the patient if this item is put in them."
    )


class Matching(_QuestionBase):
    type: Literal["matching"]
    categories: tuple[Category, ...] = Field(min_length=2, max_length=8)
    items: tuple[MatchItem, ...] = Field(min_length=2, max_length=12)
    feedback: AnswerFeedback

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset(f"{i.id}={c}" for i in self.items for c in i.critical)


class ShortText(_QuestionBase):
    type: Literal["short_text"]
    accepted: tuple[Text, ...] = Field(min_length=1)
    feedback: AnswerFeedback


class Branch(_Frozen):
    """Where a case goes after an answer: to another step, or to an end with its outcome.

    ``when`` is a list of option ids (any of them chosen) or ``correct`` / ``incorrect``.
    """

    when: tuple[Identifier, ...] | Literal["correct", "incorrect"]
    goto: Identifier | None = None
    end: Text | None = Field(default=None, description="Ends the case; the outcome shown.")


Question = Annotated[
    SingleChoice | MultipleResponse | Numeric | Ordering | Matching | ShortText,
    Field(discriminator="type"),
]


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class Patient(_Frozen):
    age: int = Field(ge=0, le=120)
    sex: Sex
    pregnant: bool = False
    breastfeeding: bool = False
    skin_type: Text | None = None
    conditions: tuple[Text, ...] = ()
    medications: tuple[Text, ...] = ()
    allergies: tuple[Text, ...] = ()
    history: tuple[Text, ...] = ()
    goals: tuple[Text, ...] = Field(min_length=1)


class Case(_Frozen):
    """A patient vignette followed by steps; a step is a question with flow rules."""

    type: Literal["case"]
    id: Identifier
    kind: CaseKind
    title: Text
    vignette: Text
    patient: Patient
    steps: tuple[Question, ...] = Field(min_length=1, max_length=20)

    def step(self, step_id: str) -> Question:
        for s in self.steps:
            if s.id == step_id:
                return s
        msg = f"case {self.id!r} has no step {step_id!r}"
        raise KeyError(msg)

    def default_next(self, step_id: str) -> str | None:
        """The step after ``step_id`` when no branch applies."""
        ids = [s.id for s in self.steps]
        index = ids.index(step_id)
        explicit = self.steps[index].next
        if explicit is not None:
            return explicit
        return ids[index + 1] if index + 1 < len(ids) else None


Item = Annotated[
    SingleChoice | MultipleResponse | Numeric | Ordering | Matching | ShortText | Case,
    Field(discriminator="type"),
]


class Objective(_Frozen):
    id: Identifier
    text: Text


class Module(_Frozen):
    id: Identifier
    title: Text
    version: Text = Field(description="Content version, printed on certificates.")
    order: int = Field(default=100, description="Position in the course, smallest first.")
    description: Text | None = None
    pass_mark: float = Field(default=0.8, gt=0, le=1)
    objectives: tuple[Objective, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)

    def questions(self) -> list[tuple[str, Question]]:
        """Every question with the id of the item holding it (a case or itself)."""
        out: list[tuple[str, Question]] = []
        for item in self.items:
            if isinstance(item, Case):
                out.extend((item.id, s) for s in item.steps)
            else:
                out.append((item.id, item))
        return out


class Fact(_Frozen):
    text: Text
    caution: Text | None = None
    section: Identifier


class Reference(_Frozen):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    strength: Literal["strong", "moderate", "weak"] = Field(
        description="weak: clinic, training or press pages; never the only source of a question."
    )


class SourceRegistry(_Frozen):
    """The course's own copy of the seed facts plus the external references."""

    facts: dict[Identifier, Fact]
    references: dict[Identifier, Reference]

    def known_ids(self) -> frozenset[str]:
        return frozenset(self.facts) | frozenset(self.references)


class Course(_Frozen):
    modules: tuple[Module, ...]
    registry: SourceRegistry

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        known = ", ".join(m.id for m in self.modules)
        msg = f"no module {module_id!r}; the course has: {known}"
        raise KeyError(msg)


QUESTION_TYPES: tuple[type[_QuestionBase], ...] = (
    SingleChoice,
    MultipleResponse,
    Numeric,
    Ordering,
    Matching,
    ShortText,
)
QuestionType = SingleChoice | MultipleResponse | Numeric | Ordering | Matching | ShortText


def module_schema() -> dict[str, Any]:
    """JSON Schema of a module file, for editors that autocomplete and check YAML."""
    schema = Module.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "meso-training module"
    return schema
