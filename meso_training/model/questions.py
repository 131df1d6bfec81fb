"""The six question types, their parts, and the case-flow rules a case step carries.

One class per question type; ``QuestionType`` lists them once, and everything else (the
loader's tags, the graders' and views' registries, the JSON Schema) is derived from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Annotated, Literal, get_args

from pydantic import Field

from meso_training.model.base import Difficulty, FieldPath, Frozen, Identifier, Text, Topic
from meso_training.model.normalise import normalise_answer

Problem = tuple[FieldPath, str, str]
"""A broken invariant: where in the question (a field path), what is wrong, and how to fix it."""


def _duplicates(values: list[str], path: FieldPath, what: str) -> list[Problem]:
    seen: set[str] = set()
    found: list[Problem] = []
    for i, value in enumerate(values):
        if value in seen:
            found.append(((*path, i), f"duplicate {what} {value!r}", "each must be different"))
        seen.add(value)
    return found


def _option_problems(options: tuple[Option, ...]) -> list[Problem]:
    found = _duplicates([o.id for o in options], ("options",), "option id")
    found += [(("options", i, "critical"), "a critical (harmful) option cannot be correct",
               "remove 'critical: true' or 'correct: true'") for i, o in enumerate(options) if o.critical and o.correct]
    return found

class Option(Frozen):
    """One choice of a single-choice or multiple-response question."""

    id: Identifier
    text: Text
    correct: bool = False
    feedback: Text
    critical: bool = Field(
        default=False,
        description="Choosing this option harms the patient: it fails the whole case.",
    )


class AnswerFeedback(Frozen):
    """Feedback for question types without options: one text when right, one when wrong."""

    correct: Text
    incorrect: Text


class LintWaiver(Frozen):
    """An instructor's decision that one lint rule does not fit this question, with the reason.

    The reason is required: the next reviewer must be able to judge the decision, and a silent
    waiver would hide exactly the give-aways the lint exists to catch.
    """

    rule: Identifier = Field(description="The lint rule waived, as lint names it (e.g. absolute-terms).")
    reason: Text = Field(description="Why the rule does not apply to this question.")


class QuestionBase(Frozen):
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
    lint_waivers: tuple[LintWaiver, ...] = Field(
        default=(), description="Lint rules that do not apply to this question, each with its reason."
    )

    def content_hash(self) -> str:
        """Tell an edited question from its earlier version in stored attempts.

        Review dates, case flow and lint waivers are left out: re-reviewing a question, moving
        it in a case or waiving a lint rule does not change what the trainee answered.
        """
        data = self.model_dump(mode="json", exclude={"reviewed", "review_by", "next", "branches", "lint_waivers"})
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def critical_option_ids(self) -> frozenset[str]:
        """The choices that harm the patient (option ids, or ``item=category`` for matching)."""
        return frozenset()

    def branch_option_ids(self) -> frozenset[str] | None:
        """Option ids a case branch may name in ``when``; None when the type has no options."""
        return None

    def choice_text(self, choice: str) -> str:
        """A choice (as ``critical_option_ids`` names it) in the words the trainee saw, for summaries.

        Ids are the author's handles; a trainee told "no-check-needed" cannot tell which answer
        that was. The default, for types without options, gives the choice back as it is.
        """
        return choice

    def invariant_problems(self) -> list[Problem]:
        """What the schema cannot say about this type's fields (keys, duplicates, ranges); the loader reports them."""
        return []


def _option_text(options: tuple[Option, ...], choice: str) -> str:
    return next((o.text for o in options if o.id == choice), choice)


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=12)

    def choice_text(self, choice: str) -> str:
        return _option_text(self.options, choice)

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.critical)

    def branch_option_ids(self) -> frozenset[str] | None:
        return frozenset(o.id for o in self.options)

    def invariant_problems(self) -> list[Problem]:
        found = _option_problems(self.options)
        correct = sum(o.correct for o in self.options)
        if correct != 1:
            found.append((("options",), f"single choice needs exactly one correct option, found {correct}",
                          "mark exactly one option 'correct: true', or use type: multiple_response"))
        return found


class MultipleResponse(QuestionBase):
    type: Literal["multiple_response"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=12)

    def choice_text(self, choice: str) -> str:
        return _option_text(self.options, choice)

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.critical)

    def branch_option_ids(self) -> frozenset[str] | None:
        return frozenset(o.id for o in self.options)

    def invariant_problems(self) -> list[Problem]:
        found = _option_problems(self.options)
        correct = sum(o.correct for o in self.options)
        if not 0 < correct < len(self.options):
            found.append((("options",), "select-all needs at least one correct and one incorrect option",
                          "mark some options 'correct: true' and leave at least one wrong"))
        return found


class NumericAnswer(Frozen):
    """Either ``value`` with ``tolerance`` or an inclusive ``min``..``max`` range."""

    value: float | None = None
    tolerance: float | None = None
    min: float | None = None
    max: float | None = None


class Numeric(QuestionBase):
    type: Literal["numeric"]
    answer: NumericAnswer
    unit: Text
    feedback: AnswerFeedback

    def invariant_problems(self) -> list[Problem]:
        a = self.answer
        bounds = {"value": a.value, "tolerance": a.tolerance, "min": a.min, "max": a.max}
        infinite = [name for name, number in bounds.items() if number is not None and not math.isfinite(number)]
        if infinite:  # YAML reads .nan and .inf as numbers; no trainee could ever match them
            return [(("answer", infinite[0]), f"{infinite[0]} must be a finite number, got {bounds[infinite[0]]}",
                     "write a plain number such as 4 or 0.5")]
        if a.value is not None and (a.min is not None or a.max is not None):
            return [(("answer",), "give either value with tolerance or min and max, not both", "")]
        if a.value is not None:
            if a.tolerance is not None and a.tolerance < 0:
                return [(("answer", "tolerance"), f"tolerance must not be negative, got {a.tolerance}",
                         "use 0 for an exact value")]
            return []
        if a.min is None or a.max is None:
            return [(("answer",), "numeric answer needs value (with tolerance) or both min and max",
                     "e.g. 'value: 4' and 'tolerance: 1', or 'min: 4' and 'max: 6'")]
        if a.min >= a.max:
            return [(("answer",), f"empty range: min {a.min} is not below max {a.max}",
                     "swap them, or use value with tolerance 0 for one exact number")]
        return []


class OrderingStep(Frozen):
    id: Identifier
    text: Text


class Ordering(QuestionBase):
    type: Literal["ordering"]
    steps: tuple[OrderingStep, ...] = Field(
        min_length=2, max_length=12, description="Listed in the correct order."
    )
    feedback: AnswerFeedback

    def invariant_problems(self) -> list[Problem]:
        return (_duplicates([s.id for s in self.steps], ("steps",), "step id")
                + _duplicates([s.text for s in self.steps], ("steps",), "step text"))


class Category(Frozen):
    id: Identifier
    text: Text


class MatchItem(Frozen):
    id: Identifier
    text: Text
    category: Identifier
    feedback: Text
    critical: tuple[Identifier, ...] = Field(
        default=(), description="Categories that harm the patient if this item is put in them."
    )


class Matching(QuestionBase):
    type: Literal["matching"]
    categories: tuple[Category, ...] = Field(min_length=2, max_length=8)
    items: tuple[MatchItem, ...] = Field(min_length=2, max_length=12)
    feedback: AnswerFeedback

    def critical_option_ids(self) -> frozenset[str]:
        return frozenset(f"{i.id}={c}" for i in self.items for c in i.critical)

    def choice_text(self, choice: str) -> str:
        """``item=category`` as "item text: category text"."""
        item_id, _, category_id = choice.partition("=")
        item = next((i.text for i in self.items if i.id == item_id), item_id)
        category = next((c.text for c in self.categories if c.id == category_id), category_id)
        return f"{item}: {category}"

    def invariant_problems(self) -> list[Problem]:
        categories = {c.id for c in self.categories}
        found = _duplicates([c.id for c in self.categories], ("categories",), "category id")
        found += _duplicates([i.id for i in self.items], ("items",), "item id")
        for i, item in enumerate(self.items):
            if item.category not in categories:
                found.append((("items", i, "category"), f"unknown category {item.category!r}",
                              f"use one of: {', '.join(sorted(categories))}"))
            found += [(("items", i, "critical"), f"critical category {bad!r} is unknown or is the answer",
                       "list only wrong categories that would harm the patient")
                      for bad in item.critical if bad not in categories or bad == item.category]
        return found


class ShortText(QuestionBase):
    type: Literal["short_text"]
    accepted: tuple[Text, ...] = Field(min_length=1)
    feedback: AnswerFeedback

    def invariant_problems(self) -> list[Problem]:
        normalised = [normalise_answer(a) for a in self.accepted]
        found: list[Problem] = [(("accepted", i), "accepted answer is empty once punctuation is ignored",
                                 "write the answer in words") for i, text in enumerate(normalised) if not text]
        return found + _duplicates(normalised, ("accepted",), "accepted answer (after normalising)")


class Branch(Frozen):
    """Where a case goes after an answer: to another step, or to an end with its outcome.

    ``when`` is a list of option ids (any of them chosen) or ``correct`` / ``incorrect``.
    """

    when: tuple[Identifier, ...] | Literal["correct", "incorrect"]
    goto: Identifier | None = None
    end: Text | None = Field(default=None, description="Ends the case; the outcome shown.")


QuestionType = SingleChoice | MultipleResponse | Numeric | Ordering | Matching | ShortText
"""Every question type: add a new one here (and see docs/architecture.md for the rest)."""

Question = Annotated[QuestionType, Field(discriminator="type")]
QUESTION_TYPES: tuple[type[QuestionBase], ...] = get_args(QuestionType)
QUESTION_TAGS: tuple[str, ...] = tuple(get_args(t.model_fields["type"].annotation)[0] for t in QUESTION_TYPES)
"""The ``type:`` each question type is written with in a quiz file."""
