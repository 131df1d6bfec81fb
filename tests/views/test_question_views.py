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

import browser_input as browser
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
    """What a trainee does with mouse or keyboard, one click at a time, by visible text (no ``fill``)."""
    q = view.question
    if isinstance(q, SingleChoice | MultipleResponse):
        texts = {o.id: o.text for o in q.options}
        for option_id in [keyed_answer(q)] if isinstance(q, SingleChoice) else keyed_answer(q):
            browser.click(view, texts[option_id])
    elif isinstance(q, Numeric):
        browser.type_text(view, f"{keyed_answer(q):g}")
    elif isinstance(q, Ordering):
        texts = {s.id: s.text for s in q.steps}
        for target, step_id in enumerate(keyed_answer(q)):
            while (at := browser.shown_texts(view).index(texts[step_id])) > target:
                browser.press(view, "Up", at)
    elif isinstance(q, Matching):
        categories = {c.id: c.text for c in q.categories}
        for item in q.items:
            browser.choose_category(view, item.text, categories[item.category])
    else:
        browser.type_text(view, keyed_answer(q))


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
    by_text = {o.text: o.id for o in view.question.options}
    shown_first = [by_text[t] for t in browser.shown_texts(view)]
    runner.answer(wrong_answer(view.question))
    assert view.inputs.value is None  # cleared for the next attempt
    shown_second = [by_text[t] for t in browser.shown_texts(view)]
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
    browser.press(view, "Down", 0)
    assert view.answer() == [before[1], before[0], *before[2:]]
    browser.press(view, "Up", 1)
    assert view.answer() == before
    texts = {s.id: s.text for s in view.question.steps}
    assert browser.shown_texts(view) == [texts[i] for i in before]


def test_numeric_view_starts_empty_labels_its_unit_and_reads_a_decimal_comma(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    view = go_to_type(open_runner(), "numeric")
    assert view.inputs.value == ""
    assert view.inputs.unit == view.question.unit
    browser.type_text(view, " 2,5 ")
    assert view.answer() == 2.5
    for typed, message in (("", "type a number first"), ("five", "type a number, e.g. 2.5"),
                           ("1e999", "type a number of ordinary size")):
        browser.type_text(view, typed)
        view.submit.click()
        assert message in view.feedback.value


def test_enter_in_a_field_submits_and_a_wrong_number_is_cleared_for_the_retry(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView],
        db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner()
    view = go_to_type(runner, "numeric")
    browser.type_text(view, f"{wrong_answer(view.question):g}")
    view.inputs._message(view.inputs, {"event": "submit"}, [])  # what the page sends on Enter
    assert "Not right." in view.feedback.value
    assert view.inputs.value == ""  # the wrong value does not wait to be submitted again
    runner.recorder.store.close()
    assert len(db_rows()) == 1


def test_a_matching_retry_keeps_the_right_rows_and_clears_the_wrong_one(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    runner = open_runner()
    view = go_to_type(runner, "matching")
    q = view.question
    assert isinstance(q, Matching)
    answer = keyed_answer(q)
    first = q.items[0]
    answer[first.id] = next(c.id for c in q.categories if c.id != first.category)
    runner.answer(answer)
    right = {i.id for i in q.items[1:]}
    marks = {view.option_keys.id[k]: m for k, m in view.inputs.marks.items()}
    assert marks == dict.fromkeys(right, "right")  # only the kept rows keep their mark
    kept = {view.option_keys.id[k]: view.category_keys.id[c] for k, c in view.inputs.value.items()}
    assert kept == {i: answer[i] for i in right}


def test_a_multiple_response_retry_keeps_the_right_ticks_only(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    runner = open_runner()
    view = go_to_type(runner, "multiple_response")
    q = view.question
    assert isinstance(q, MultipleResponse)
    right, wrong = [o.id for o in q.options if o.correct], [o.id for o in q.options if not o.correct]
    runner.answer([right[0], wrong[0]])
    assert set(view.option_keys.ids(view.inputs.value)) == {right[0]}


def test_marks_are_set_only_after_a_practice_answer_and_never_in_an_assessment(
        open_runner: Callable[..., ModuleRunner], go_to_type: Callable[..., QuestionView]) -> None:
    runner = open_runner()
    practice = go_to_type(runner, "ordering")
    assert practice.inputs.marks == {}
    runner.answer(keyed_answer(practice.question))
    assert list(practice.inputs.marks.values()) == ["right"] * len(practice.question.steps)
    assessment = go_to_type(open_runner("assessment", db=None, module="orientation"), "ordering")
    assessment.submit.click()
    assert assessment.inputs.marks == {}
