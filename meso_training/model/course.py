"""A course: patients and cases, modules with objectives, and the source registry.

These classes are both the schema instructors write against (``meso-training schema``
exports them as JSON Schema) and the objects the rest of the package reads. The loader
builds them; nothing here does I/O.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from meso_training.model.base import CaseKind, Frozen, Identifier, Sex, Text
from meso_training.model.questions import Question, QuestionType


class Patient(Frozen):
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


class Case(Frozen):
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


Item = Annotated[QuestionType | Case, Field(discriminator="type")]


class Objective(Frozen):
    id: Identifier
    text: Text


class Module(Frozen):
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


class Fact(Frozen):
    text: Text
    caution: Text | None = None
    section: Identifier


class Reference(Frozen):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    strength: Literal["strong", "moderate", "weak"] = Field(
        description="weak: clinic, training or press pages; never the only source of a question."
    )


DEFAULT_COURSE_TITLE = "Mesotherapy in aesthetic practice"


class SourceRegistry(Frozen):
    """The course's own copy of the seed facts plus the external references, and the course's title.

    The title lives here because ``sources.yaml`` is the one file of a course that is not a
    module: every course already has it, and the course cache already tracks it.
    """

    course_title: Text = Field(
        default=DEFAULT_COURSE_TITLE,
        description="The course's name, printed on certificates above the module's title.",
    )
    facts: dict[Identifier, Fact]
    references: dict[Identifier, Reference]

    def known_ids(self) -> frozenset[str]:
        return frozenset(self.facts) | frozenset(self.references)


class Course(Frozen):
    modules: tuple[Module, ...]
    registry: SourceRegistry

    @property
    def title(self) -> str:
        """The course's name (``course_title`` in ``sources.yaml``, else ``DEFAULT_COURSE_TITLE``)."""
        return self.registry.course_title

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        known = ", ".join(m.id for m in self.modules)
        msg = f"no module {module_id!r}; the course has: {known}"
        raise KeyError(msg)


def module_schema() -> dict[str, Any]:
    """JSON Schema of a module file, for editors that autocomplete and check YAML."""
    schema = Module.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "meso-training module"
    return schema
