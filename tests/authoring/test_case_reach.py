"""Validation knows which steps an answer can really reach, not only which steps the flow fields name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from case_text import SECOND_CHANCE_CASES, case_text, step_text
from quiz_text import HEADER, REMEDIATION_CASE, line_of, module_text

from meso_training.authoring.case_reach import answer_outcomes, reachable_steps
from meso_training.errors import Problem
from meso_training.model import Case, Course

Problems = Callable[..., list[Problem]]


def test_cases_whose_wrong_answers_lead_to_steps_with_their_own_endings_validate(
        load_text: Callable[..., Course]) -> None:
    course = load_text(HEADER + SECOND_CHANCE_CASES)
    for case in (i for i in course.modules[0].items if isinstance(i, Case)):
        assert reachable_steps(case) == {s.id for s in case.steps}


def test_a_step_that_branches_catching_every_answer_pass_by_fails_validate(problems_for: Problems,
                                                                          quiz_dir: Path) -> None:
    """s1 sends a right answer to s2 and every wrong one to the end: fix, listed after s1, is never seen."""
    text = module_text(REMEDIATION_CASE.replace("            goto: fix\n", "            end: The case ends.\n"))
    (problem,) = problems_for(text, "c.yaml")
    assert problem.path == quiz_dir / "c.yaml"
    assert problem.line == line_of(text, "      - id: fix")
    assert problem.message == ("step 'fix' of case 'c1' can never be reached: every answer at 's1' is sent "
                               "elsewhere by a branch")
    assert "'goto: fix'" in problem.hint


def test_a_wrong_option_that_no_branch_names_reaches_the_next_step_in_the_list(
        load_text: Callable[..., Course]) -> None:
    """'go' ends the case and a right answer jumps ahead; 'later', plainly wrong, falls through to b-fix."""
    steps = (step_text("b1", "        branches:\n          - when: [go]\n            end: Stop.\n"
                         "          - when: correct\n            goto: b2\n") + step_text("b-fix") + step_text("b2"))
    course = load_text(HEADER + case_text("c2", steps))
    (case,) = course.modules[0].items
    assert isinstance(case, Case)
    assert reachable_steps(case) == {"b1", "b-fix", "b2"}


def test_every_step_of_the_shipped_course_is_reachable_by_some_answer(course: Course) -> None:
    for module in course.modules:
        for case in (i for i in module.items if isinstance(i, Case)):
            assert reachable_steps(case) == {s.id for s in case.steps}, case.id
            assert all(len(answer_outcomes(s)) >= 2 for s in case.steps)
