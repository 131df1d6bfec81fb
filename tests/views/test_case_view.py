"""The case player: vignette and patient card, one step at a time, branches, outcomes, safety messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from meso_training.model import Case, Course
from meso_training.views.case_view import CaseView
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.rendering import markdown_html

# Right at the first decision skips the remedial step: 2 steps when right, 3 when wrong.
DETOUR_CASE = """\
id: detour
title: Detour module
version: "1"
objectives:
  - id: o1
    text: An objective
items:
  - id: detour-case
    type: case
    kind: suitability
    title: A patient who needs a second look
    vignette: A patient asks for treatment.
    patient: {age: 40, sex: male, goals: [smoother skin]}
    steps:
""" + "".join(f"""\
      - id: {step}
        type: single_choice
        topic: suitability
        difficulty: easy
        points: 1
        prompt: Decision {step}?
        options:
          - {{id: {step}-yes, text: Yes for {step}, correct: true, feedback: Right for {step}.}}
          - {{id: {step}-no, text: No for {step}, feedback: Wrong for {step}.}}
        rationale: Because of {step}.
        sources: [NAT-1]
        reviewed: 2026-01-01
        review_by: 2027-01-01
{branches}""" for step, branches in [
    ("first", "        branches:\n          - {when: correct, goto: last}\n"),
    ("remedial", ""),
    ("last", ""),
])


def to_case(runner: ModuleRunner) -> CaseView:
    while runner.session.item.case is None:
        runner.next_button.click()
    view = runner.item_view
    assert isinstance(view, CaseView)
    return view


def test_the_vignette_is_markdown_and_the_patient_is_a_card(open_runner: Callable[..., ModuleRunner]) -> None:
    case_view = to_case(open_runner())
    header = case_view.children[0].value
    assert "<strong>Ms A.</strong>" in header
    assert "<em>tired</em>" in header
    assert "meso-patient-card" in header
    assert "<th scope='row'>Pregnancy / breastfeeding</th><td>breastfeeding</td>" in header
    assert "<th scope='row'>Age</th><td>31</td>" in header


def test_markdown_renders_raw_html_as_text() -> None:
    shown = markdown_html("**Note** <script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "<strong>Note</strong>" in shown
    assert "<script>" not in shown
    assert "<img" not in shown
    assert "&lt;script&gt;" in shown


def test_steps_come_one_at_a_time_with_their_position(open_runner: Callable[..., ModuleRunner],
                                                     db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner()
    case_view = to_case(runner)
    assert "Step 1 of 2" in case_view.position.value
    assert len(case_view.step_area.children) == 1
    runner.answer("defer")
    assert "Step 2 of 2" in case_view.position.value
    (done,) = case_view.history.children
    assert "Step 1." in done.value
    assert "Correct." in done.value  # practice: feedback at once
    runner.answer("skincare")
    assert "Case finished after 2 steps" in case_view.position.value
    assert "Case complete." in case_view.outcome.value
    assert case_view.step_area.children == ()
    runner.recorder.store.close()
    assert db_rows() == [("ori-bf-decision", 1.0, 0), ("ori-bf-alternatives", 1.0, 0)]


def test_a_harmful_choice_ends_the_case_with_its_outcome_and_a_plain_safety_message(
        open_runner: Callable[..., ModuleRunner], db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner()
    case_view = to_case(runner)
    runner.answer("treat-today")
    outcome = case_view.outcome.value
    assert "Outcome:" in outcome
    assert "You injected a breastfeeding patient." in outcome
    assert "Case failed for safety." in outcome
    assert "would have harmed the patient" in outcome
    assert "Safety: this choice would harm the patient." in case_view.history.children[0].value
    assert runner.current_view is None
    assert case_view.restart.layout.display != "none"
    case_view.restart.click()
    restarted = runner.item_view
    assert "Step 1 of 2" in restarted.position.value
    assert restarted.outcome.value == ""
    runner.recorder.store.close()
    assert db_rows() == [("ori-bf-decision", 0.0, 1)]


def test_an_ending_that_is_not_harmful_shows_its_outcome_without_the_safety_message(
        open_runner: Callable[..., ModuleRunner]) -> None:
    runner = open_runner()
    case_view = to_case(runner)
    runner.answer("half-dose")
    assert "Outcome:" in case_view.outcome.value
    assert "Case failed for safety" not in case_view.outcome.value


def test_assessment_keeps_step_feedback_and_outcomes_for_the_summary(
        open_runner: Callable[..., ModuleRunner]) -> None:
    runner = open_runner("assessment")
    case_view = to_case(runner)
    runner.answer("treat-today")
    assert "Answer recorded." in case_view.history.children[0].value
    assert "Why:" not in case_view.history.children[0].value
    assert "Case finished; results come with the summary." in case_view.outcome.value
    assert "breastfeeding patient" not in case_view.outcome.value
    assert case_view.restart.layout.display == "none"


@pytest.fixture
def detour_course(load_text: Callable[..., Course]) -> Course:
    return load_text(DETOUR_CASE)


@pytest.mark.parametrize(("first_answer", "second_step", "total"), [
    ("first-yes", "last", 2),
    ("first-no", "remedial", 3),
])
def test_a_goto_branch_picks_the_next_step_and_the_count_follows_the_path(
        first_answer: str, second_step: str, total: int, detour_course: Course, tmp_path: Path,
        open_runner: Callable[..., ModuleRunner], db_rows: Callable[..., list[Any]]) -> None:
    runner = open_runner(module="detour", of=detour_course)
    case_view = to_case(runner)
    assert isinstance(case_view.case, Case)
    assert "Step 1 of 2" in case_view.position.value
    runner.answer(first_answer)
    assert runner.current_view is not None
    assert runner.current_view.question.id == second_step
    assert f"Step 2 of {total}" in case_view.position.value
    while (view := runner.current_view) is not None:
        runner.answer(f"{view.question.id}-yes")
    assert f"Case finished after {total} steps" in case_view.position.value
    runner.recorder.store.close()
    assert [row[0] for row in db_rows()] == ["first", *(["remedial"] if total == 3 else []), "last"]
