"""An assessment's paper: what a trainee may see of a question before answering it, and nothing of its key.

On JupyterHub the records service grades assessments, so the trainee's kernel (which runs the
trainee's own code) must never hold a key before the answer is in. The service sends each
question as a *paper* (ids, prompt, points and the texts to choose from, in the order they are
shown), and the kernel rebuilds from it a *sealed* question: an instance of the real class,
so every view draws it as usual, with every key field empty (no option is correct or
critical, no pairs, no numeric value, no accepted answers, no feedback, rationale, sources or
branches). A sealed question must never be graded, hashed or dumped: it is made with
``model_construct`` and lacks the fields the paper leaves out.

One writer and one reader per question type, in ``_PAPERS``; a type missing there fails
``tests/model/test_paper.py``. Rows (options, ordering steps, matching items) are listed in the
display order the service chose, never the keyed order of an ordering question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from meso_training.model.base import CaseKind
from meso_training.model.course import Case, Module, Objective, Patient
from meso_training.model.questions import (
    AnswerFeedback,
    Category,
    Matching,
    MatchItem,
    MultipleResponse,
    Numeric,
    NumericAnswer,
    Option,
    Ordering,
    OrderingStep,
    QuestionBase,
    QuestionType,
    ShortText,
    SingleChoice,
)

Paper = dict[str, Any]
"""A question's, case's or module's paper: JSON types only."""


def _in_order(texts: Mapping[str, str], order: Sequence[str]) -> list[dict[str, str]]:
    """Rows as ``{"id", "text"}`` in the display order (rows the order does not name follow in their own)."""
    shown = [i for i in order if i in texts] + [i for i in texts if i not in order]
    return [{"id": i, "text": texts[i]} for i in shown]


def _rows(data: Paper, key: str) -> list[tuple[str, str]]:
    return [(str(row["id"]), str(row["text"])) for row in data.get(key, ())]


def _no_feedback() -> AnswerFeedback:
    return AnswerFeedback.model_construct(correct="", incorrect="")


def _sealed_options(data: Paper) -> tuple[Option, ...]:
    return tuple(Option.model_construct(id=i, text=t, correct=False, feedback="", critical=False)
                 for i, t in _rows(data, "options"))


@dataclass(frozen=True)
class _TypePaper:
    """How one question type's own fields go on paper, and back into a sealed question."""

    write: Callable[[Any, Sequence[str]], Paper]
    read: Callable[[Paper], dict[str, Any]]


_PAPERS: dict[type[QuestionBase], _TypePaper] = {
    SingleChoice: _TypePaper(lambda q, order: {"options": _in_order({o.id: o.text for o in q.options}, order)},
                             lambda d: {"options": _sealed_options(d)}),
    MultipleResponse: _TypePaper(lambda q, order: {"options": _in_order({o.id: o.text for o in q.options}, order)},
                                 lambda d: {"options": _sealed_options(d)}),
    Numeric: _TypePaper(lambda q, order: {"unit": q.unit},
                        lambda d: {"unit": str(d["unit"]), "answer": NumericAnswer.model_construct(),
                                   "feedback": _no_feedback()}),
    Ordering: _TypePaper(lambda q, order: {"steps": _in_order({s.id: s.text for s in q.steps}, order)},
                         lambda d: {"steps": tuple(OrderingStep.model_construct(id=i, text=t)
                                                   for i, t in _rows(d, "steps")),
                                    "feedback": _no_feedback()}),
    Matching: _TypePaper(lambda q, order: {"categories": [{"id": c.id, "text": c.text} for c in q.categories],
                                           "items": _in_order({i.id: i.text for i in q.items}, order)},
                         lambda d: {"categories": tuple(Category.model_construct(id=i, text=t)
                                                        for i, t in _rows(d, "categories")),
                                    "items": tuple(MatchItem.model_construct(id=i, text=t, category="", feedback="",
                                                                             critical=())
                                                   for i, t in _rows(d, "items")),
                                    "feedback": _no_feedback()}),
    ShortText: _TypePaper(lambda q, order: {}, lambda d: {"accepted": (), "feedback": _no_feedback()}),
}
_BY_TAG: dict[str, type[QuestionBase]] = {get_args(cls.model_fields["type"].annotation)[0]: cls for cls in _PAPERS}


def paper_types() -> tuple[type[QuestionBase], ...]:
    """The question types that can go on paper (all of them, or an assessment on a hub cannot show one)."""
    return tuple(_PAPERS)


def question_paper(question: QuestionType, order: Sequence[str]) -> Paper:
    """``question`` as the trainee may see it before answering, its rows in ``order``."""
    writer = _PAPERS[type(question)]
    return {"id": question.id, "type": question.type, "prompt": question.prompt, "points": question.points,
            **writer.write(question, order)}


def _type_of(tag: str) -> type[QuestionBase]:
    if tag in _BY_TAG:
        return _BY_TAG[tag]
    msg = f"the records service sent a question of unknown type {tag!r}; update meso-training in this server"
    raise KeyError(msg)


def sealed_question(data: Paper) -> QuestionType:
    """The question of a paper, with every key field empty: to draw, never to grade."""
    cls = _type_of(str(data["type"]))
    fields = {"id": str(data["id"]), "type": str(data["type"]), "prompt": str(data["prompt"]),
              "points": float(data["points"]), "rationale": "", "sources": (), "objectives": (), "next": None,
              "branches": (), "lint_waivers": (), **_PAPERS[cls].read(data)}
    sealed: QuestionType = cls.model_construct(**fields)  # type: ignore[assignment]
    return sealed


def case_paper(case: Case, reached: Mapping[str, Paper]) -> Paper:
    """A case's story and patient, and the papers of the steps the trainee has reached (``reached``).

    Steps not reached yet are not sent: a later step's prompt can give away the answer to the
    step before it (a prompt that starts from the decision the trainee was to make).
    """
    return {"kind": "case", "id": case.id, "case_kind": case.kind.value, "title": case.title, "vignette": case.vignette,
            "patient": case.patient.model_dump(mode="json"), "steps": list(reached.values())}


def sealed_case(data: Paper) -> Case:
    """The case of a paper: its reached steps sealed, no branches, no outcomes."""
    patient = Patient.model_validate(data["patient"])
    return Case.model_construct(type="case", id=str(data["id"]), kind=CaseKind(data["case_kind"]),
                                title=str(data["title"]),
                                vignette=str(data["vignette"]), patient=patient,
                                steps=tuple(sealed_question(s) for s in data["steps"]))


def module_header(module: Module, course_title: str) -> Paper:
    """What the module's heading shows: title, version, pass mark, objectives, and the course's title."""
    return {"id": module.id, "title": module.title, "version": module.version, "pass_mark": module.pass_mark,
            "order": module.order, "objectives": [{"id": o.id, "text": o.text} for o in module.objectives],
            "course_title": course_title}


def sealed_module(header: Paper, items: Sequence[QuestionType | Case]) -> Module:
    """A module of sealed items under its heading."""
    objectives = tuple(Objective.model_construct(id=str(o["id"]), text=str(o["text"])) for o in header["objectives"])
    return Module.model_construct(id=str(header["id"]), title=str(header["title"]), version=str(header["version"]),
                                  order=int(header.get("order", 100)), description=None,
                                  pass_mark=float(header["pass_mark"]), objectives=objectives, items=tuple(items))
