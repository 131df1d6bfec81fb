"""An assessment's paper carries no key: per question type, nothing that grades or explains an answer is on it."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest

from meso_training.engine.paper import module_paper, step_paper
from meso_training.engine.session import ModuleSession, QuestionState
from meso_training.model import (
    QUESTION_TYPES,
    Case,
    Course,
    Matching,
    Mode,
    MultipleResponse,
    Numeric,
    Ordering,
    QuestionType,
    ShortText,
    SingleChoice,
)
from meso_training.model.paper import paper_types, sealed_question
from meso_training.views.questions import question_view

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)

ALLOWED_KEYS = {
    SingleChoice: {"id", "type", "prompt", "points", "options"},
    MultipleResponse: {"id", "type", "prompt", "points", "options"},
    Numeric: {"id", "type", "prompt", "points", "unit"},
    Ordering: {"id", "type", "prompt", "points", "steps"},
    Matching: {"id", "type", "prompt", "points", "categories", "items"},
    ShortText: {"id", "type", "prompt", "points"},
}
KEY_NAMES = {"correct", "critical", "feedback", "rationale", "sources", "branches", "next", "accepted", "answer",
             "category", "value", "tolerance", "min", "max", "objectives"}


def _states(course: Course) -> list[tuple[ModuleSession, QuestionState]]:
    found = []
    for module in course.modules:
        session = ModuleSession(module, trainee="Ann", mode=Mode.ASSESSMENT, rng=random.Random(5), now=T0)
        found += [(session, state) for item in session.items for state in item.steps.values()]
    return found


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def _shown_beyond_prompt(paper: dict[str, Any]) -> str:
    """The paper's JSON without the question's own id, prompt and points: a key text there is the author's choice."""
    return json.dumps({k: v for k, v in paper.items() if k not in {"id", "prompt", "points"}}, ensure_ascii=False)


def _key_texts(q: QuestionType) -> list[str]:
    """Every text of ``q`` that explains or gives away the answer."""
    texts = [q.rationale, *q.sources]
    if isinstance(q, SingleChoice | MultipleResponse):
        texts += [o.feedback for o in q.options]
    elif isinstance(q, Matching):
        texts += [i.feedback for i in q.items]
    if isinstance(q, Numeric | Ordering | Matching | ShortText):
        texts += [q.feedback.correct, q.feedback.incorrect]
    if isinstance(q, ShortText):
        texts += list(q.accepted)
    return [t for t in texts if t.strip()]


def test_every_question_type_can_go_on_paper() -> None:
    assert set(paper_types()) == set(QUESTION_TYPES)


@pytest.mark.parametrize("kind", QUESTION_TYPES, ids=lambda t: t.__name__)
def test_a_paper_holds_no_key_field_or_key_text_of_its_question(course: Course, kind: type[QuestionType]) -> None:
    states = [(s, st) for s, st in _states(course) if isinstance(st.question, kind)]
    assert states, f"the course has no {kind.__name__} question to check"
    for session, state in states:
        paper = step_paper(session, state)
        text = _shown_beyond_prompt(paper)
        assert _keys(paper) <= ALLOWED_KEYS[kind] | {"text"}, state.question.id
        assert not _keys(paper) & KEY_NAMES, state.question.id
        assert [t for t in _key_texts(state.question) if t in text] == [], state.question.id


def test_an_ordering_paper_never_lists_the_steps_in_the_keyed_order(course: Course) -> None:
    for session, state in _states(course):
        if isinstance(state.question, Ordering):
            shown = [s["id"] for s in step_paper(session, state)["steps"]]
            assert sorted(shown) == sorted(s.id for s in state.question.steps)
            assert shown != [s.id for s in state.question.steps], state.question.id


def test_a_numeric_paper_holds_neither_the_value_nor_the_tolerance(course: Course) -> None:
    numeric = [(s, st) for s, st in _states(course) if isinstance(st.question, Numeric)]
    for session, state in numeric:
        question = state.question
        assert isinstance(question, Numeric)
        paper = step_paper(session, state)
        assert set(paper) == ALLOWED_KEYS[Numeric]
        answer = question.answer
        bounds = [f"{n:g}" for n in (answer.value, answer.min, answer.max) if n is not None]
        assert [b for b in bounds if b in _shown_beyond_prompt(paper)] == []


def test_a_sealed_question_has_no_correct_option_no_value_and_no_accepted_answer(course: Course) -> None:
    for session, state in _states(course):
        sealed = sealed_question(json.loads(json.dumps(step_paper(session, state))))
        assert type(sealed) is type(state.question)
        assert (sealed.id, sealed.prompt, sealed.points) == (state.question.id, state.question.prompt,
                                                              state.question.points)
        assert sealed.rationale == ""
        assert sealed.sources == ()
        assert sealed.branches == ()
        if isinstance(sealed, SingleChoice | MultipleResponse):
            assert not any(o.correct or o.critical or o.feedback for o in sealed.options)
        if isinstance(sealed, Numeric):
            assert (sealed.answer.value, sealed.answer.tolerance, sealed.answer.min, sealed.answer.max) == (None,) * 4
        if isinstance(sealed, ShortText):
            assert sealed.accepted == ()
        if isinstance(sealed, Matching):
            assert {i.category for i in sealed.items} == {""}


def test_a_sealed_question_is_drawn_by_its_types_view_in_the_papers_order(course: Course) -> None:
    for session, state in _states(course):
        sealed = sealed_question(step_paper(session, state))
        order = session.option_order(state)
        view = question_view(sealed, order, course.registry, lambda *_: None)
        assert view.question is sealed


def test_a_module_paper_sends_only_the_first_step_of_a_case_not_yet_started(course: Course) -> None:
    module = course.module("orientation")
    session = ModuleSession(module, trainee="Ann", mode=Mode.ASSESSMENT, rng=random.Random(5), now=T0)
    paper = module_paper(session, course.registry.course_title)
    [case] = [i for i in module.items if isinstance(i, Case)]
    [sent] = [i for i in paper["items"] if i["id"] == case.id]
    assert [s["id"] for s in sent["steps"]] == [case.steps[0].id]
    outcomes = [b.end for s in case.steps for b in s.branches if b.end]
    assert outcomes
    assert [o for o in outcomes if o in json.dumps(paper, ensure_ascii=False)] == []
    assert [s.prompt for s in case.steps[1:] if s.prompt in json.dumps(paper, ensure_ascii=False)] == []
    standing = {s["id"]: s for s in paper["standing"]["items"]}
    assert standing[case.id] == {"id": case.id, "current": case.steps[0].id, "answered": [],
                                 "steps_left": len(case.steps)}
