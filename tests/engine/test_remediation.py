"""A wrong decision that leads to a remediation step: how it is reached, played and scored.

The case: s1 (keyed: wait) -> s2 -> end; a wrong answer at s1 goes to the remediation
step fix, listed between them (only a wrong decision reaches it), which then rejoins s2.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from quiz_text import HEADER, REMEDIATION_CASE

from meso_training.engine.case_flow import keyed_path, route_to
from meso_training.engine.grading import keyed_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Case, Course, Mode

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _case(load_text: Callable[..., Course]) -> tuple[Course, Case]:
    course = load_text(HEADER + REMEDIATION_CASE)
    case = course.module("test-module").items[0]
    assert isinstance(case, Case)
    return course, case


def test_the_keyed_route_skips_the_remediation_step(load_text: Callable[..., Course]) -> None:
    _, case = _case(load_text)
    assert keyed_path(case) == ["s1", "s2"]


def test_a_remediation_step_is_reached_by_the_wrong_answer_that_leads_there(
        load_text: Callable[..., Course]) -> None:
    _, case = _case(load_text)
    route = route_to(case, "fix")
    assert route is not None
    assert [step for step, _ in route] == ["s1"]
    assert route[0][1] != keyed_answer(case.step("s1"))
    assert route_to(case, "s2") == [("s1", keyed_answer(case.step("s1")))]
    assert route_to(case, "s1") == []


def test_points_won_in_remediation_do_not_make_up_for_the_wrong_decision(
        load_text: Callable[..., Course]) -> None:
    course, case = _case(load_text)
    session = ModuleSession(course.module("test-module"), trainee="ana", mode=Mode.PRACTICE,
                            rng=random.Random(1), now=NOW)
    route = route_to(case, "fix")
    assert route is not None
    uids = {"s1": session.submit(route[0][1], NOW).attempt.attempt_uid}  # wrong at s1: to remediation
    for step in ("fix", "s2"):
        state = session.current_question()
        assert state is not None
        assert state.question.id == step
        uids[step] = session.submit(keyed_answer(state.question), NOW).attempt.attempt_uid
    assert session.item.done
    assert session.score() == (1.0, 2.0)  # s2 only; fix is fed back but not scored
    summary = session.summary()
    assert summary.attempt_uids == (uids["s1"], uids["s2"])  # a certificate names only scored attempts
    assert summary.passed is False
