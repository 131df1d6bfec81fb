"""Each question view driven through its own widgets: set values, click Submit, read what is shown.

Every answer also lands in a real SQLite file on tmp_path, checked row by row. The views
are reached through the runner on the orientation module, which has one question of
every type.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pytest

from meso_training.engine.grading import grade, keyed_answer, wrong_answer
from meso_training.engine.session import shuffled
from meso_training.model import (
    Course,
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    QuestionType,
    ShortText,
    SingleChoice,
)
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.questions import QuestionView

TYPES = ["single_choice", "multiple_response", "numeric", "ordering", "matching", "short_text"]


def tree(widget: Any) -> list[Any]:
    """The widget and every widget inside it."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += tree(child)
    return found


def set_keyed_answer_by_hand(view: QuestionView) -> None:
    """What a trainee does with mouse or keyboard, one widget at a time (no ``fill``)."""
    q = view.question
    if isinstance(q, SingleChoice):
        view.choice.value = keyed_answer(q)
    elif isinstance(q, MultipleResponse):
        for option_id in keyed_answer(q):
            view.boxes[option_id].value = True
    elif isinstance(q, Numeric):
        view.number.value = keyed_answer(q)
    elif isinstance(q, Ordering):
        for target, step_id in enumerate(keyed_answer(q)):
            while (at := view.answer().index(step_id)) > target:
                view.ups[at].click()
    elif isinstance(q, Matching):
        for item_id, category in keyed_answer(q).items():
            view.choices[item_id].value = category
    else:
        view.text.value = keyed_answer(q)


def source_texts(q: QuestionType, course: Course) -> list[str]:
    registry = course.registry
    return [html.escape(registry.facts[s].text if s in registry.facts else registry.references[s].title)
            for s in q.sources]


@pytest.mark.parametrize("question_type", TYPES)
def test_keyed_answer_set_by_hand_is_graded_correct_and_stored(
        question_type: str, course: Course, open_runner: Callable[..., ModuleRunner],
        go_to_type: Callable[..., QuestionView], db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner()
    view = go_to_type(runner, question_type)
    set_keyed_answer_by_hand(view)
    view.submit.click()
    shown = view.feedback.value
    assert "Correct." in shown
    assert "Why:" in shown
    assert " ".join(view.question.rationale.split()[:4]) in shown
    assert all(text in shown for text in source_texts(view.question, course))
    assert view.submit.disabled  # answered right: nothing more to submit
    runner.recorder.store.close()
    assert db_rows() == [(view.question.id, 1.0, 0)]


@pytest.mark.parametrize("question_type", TYPES)
def test_a_wrong_answer_shows_the_feedback_for_what_was_chosen(
        question_type: str, open_runner: Callable[..., ModuleRunner],
        go_to_type: Callable[..., QuestionView], db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner()
    view = go_to_type(runner, question_type)
    answer = wrong_answer(view.question)
    expected = grade(view.question, answer)
    runner.answer(answer)
    shown = view.feedback.value
    assert ("Not right." in shown) or ("Partly right" in shown)
    for line in expected.feedback:
        assert html.escape(line.text) in shown
    assert not view.submit.disabled  # practice: try again
    runner.recorder.store.close()
    assert db_rows() == [(view.question.id, expected.score, int(expected.critical))]


@pytest.mark.parametrize(("question_type", "message"), [
    ("single_choice", "choose one option first"),
    ("multiple_response", "tick at least one option first"),
    ("matching", "choose a category for"),
    ("short_text", "type an answer first"),
])
def test_submitting_nothing_gets_a_friendly_message_and_stores_nothing(
        question_type: str, message: str, open_runner: Callable[..., ModuleRunner],
        go_to_type: Callable[..., QuestionView], db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner()
    view = go_to_type(runner, question_type)
    view.submit.click()
    assert message in view.feedback.value
    assert "Traceback" not in view.feedback.value
    assert runner.message.value == ""
    runner.recorder.store.close()
    assert db_rows() == []


@pytest.mark.parametrize("question_type", TYPES)
def test_every_control_is_labelled_and_has_a_stable_class(
        question_type: str, open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    view = go_to_type(open_runner(), question_type)
    inputs = (widgets.RadioButtons, widgets.Checkbox, widgets.FloatText, widgets.Text)
    for w in tree(view):
        if isinstance(w, widgets.Button):
            assert w.description.strip(), w
            assert w.tooltip, w
            assert any(c.startswith("meso-") for c in w._dom_classes), w
        elif isinstance(w, inputs):
            assert w.description.strip(), w
            assert any(c.startswith("meso-") for c in w._dom_classes), w
    assert "meso-submit" in view.submit._dom_classes
    assert "meso-feedback" in view.feedback._dom_classes
    assert {"meso-question", f"meso-{question_type.replace('_', '-')}"} <= set(view._dom_classes)


def secrets_of(q: QuestionType) -> list[str]:
    """Text that gives the answer away if a widget holds it before the trainee answers."""
    found = [q.rationale[:40]]
    if isinstance(q, SingleChoice | MultipleResponse):
        found += [o.feedback[:40] for o in q.options]
    else:
        found += [q.feedback.correct[:40], q.feedback.incorrect[:40]]
    if isinstance(q, ShortText):
        found += list(q.accepted)
    if isinstance(q, Matching):
        found += [i.feedback[:40] for i in q.items]
    if isinstance(q, Numeric):
        found.append(f"{keyed_answer(q):g}")
    return found


@pytest.mark.parametrize("question_type", TYPES)
def test_an_unanswered_view_holds_no_answer_in_any_synced_trait(
        question_type: str, open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    view = go_to_type(open_runner(), question_type)
    states = [w.get_state() for w in tree(view)]
    text = json.dumps(states, default=str, ensure_ascii=False)
    assert [s for s in secrets_of(view.question) if s in text] == []
    assert not {"correct", "accepted", "rationale", "answer"} & {k for s in states for k in s}
    if isinstance(view.question, Ordering):
        keyed = [s.text for s in view.question.steps]
        positions = [text.index(html.escape(t)) for t in keyed]
        assert positions != sorted(positions)


def test_a_practice_retry_reshuffles_and_each_stored_seed_replays_what_was_shown(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    runner = open_runner()
    view = go_to_type(runner, "single_choice")
    ids = [o.id for o in view.question.options]
    shown_first = [value for _, value in view.choice.options]
    runner.answer(wrong_answer(view.question))
    assert view.choice.value is None  # cleared for the next attempt
    shown_second = [value for _, value in view.choice.options]
    runner.answer(keyed_answer(view.question))
    stored = runner.recorder.store.attempts()
    assert [shuffled(ids, a.seed) for a in stored if a.seed is not None] == [shown_first, shown_second]
    assert len({a.seed for a in stored}) == 2


def test_ordering_starts_shuffled_and_up_down_buttons_move_a_step(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    view = go_to_type(open_runner(), "ordering")
    keyed = [s.id for s in view.question.steps]
    before = view.answer()
    assert before != keyed
    assert view.ups[0].disabled
    assert view.downs[-1].disabled
    view.downs[0].click()
    assert view.answer() == [before[1], before[0], *before[2:]]
    view.ups[1].click()
    assert view.answer() == before
    first_text = html.escape(view.texts[before[0]])
    assert view.labels[0].value == f"<strong>1.</strong> {first_text}"
    assert view.ups[1].tooltip.startswith("Move up: ")


def test_numeric_view_labels_the_input_with_its_unit(open_runner: Callable[..., ModuleRunner],
                                                     go_to_type: Callable[..., QuestionView]) -> None:
    view = go_to_type(open_runner(), "numeric")
    assert view.question.unit in view.number.description
