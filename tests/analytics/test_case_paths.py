"""Case paths over a cohort played through the real ``ModuleSession``, checked against counts made by hand.

The module has three cases: REMEDIATION_CASE (c1: s1 -> s2; a wrong s1 goes to the remediation
step fix, which rejoins s2), c2 (a harmful choice at e1 ends the case; a right one goes on to
e2) and c3, which nobody starts. Each trainee follows a script of right (R) and wrong (W)
answers and may stop mid-case, as a trainee who closes the notebook does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
from collections import defaultdict
from collections.abc import Callable

import pytest
from cohort_factory import cohort as played_cohort
from quiz_text import REMEDIATION_CASE, module_text

from meso_training.analytics.case_flow_plot import case_flow_figure
from meso_training.analytics.case_paths import (
    COMPLETED,
    UNFINISHED,
    CasePaths,
    analyse_case,
    case_paths,
    trainee_path,
)
from meso_training.analytics.responses import Response, first_responses
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Attempt, Case, Course, Mode

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
TOO_EARLY = "You went ahead too early and the patient was harmed."


def _step(step_id: str, extra: str = "", *, harmful: bool = False) -> str:
    return f"""\
      - id: {step_id}
        type: single_choice
        topic: suitability
        difficulty: easy
        points: 2
        prompt: What do you do at {step_id}?
        options:
          - {{id: go, text: Go ahead today, {"critical: true, " if harmful else ""}feedback: Too early.}}
          - {{id: wait, text: Wait and review first, correct: true, feedback: The careful choice.}}
{extra}        rationale: A careful practitioner reviews the patient before going on.
        sources: [SUIT-4]
        reviewed: 2026-01-01
        review_by: 2027-01-01
"""


def _case(case_id: str, title: str, steps: str) -> str:
    return f"""\
  - id: {case_id}
    type: case
    kind: suitability
    title: {title}
    vignette: A patient asks for treatment.
    patient: {{age: 30, sex: female, goals: [glow]}}
    steps:
""" + steps


HARM_ENDS = f"        branches:\n          - when: incorrect\n            end: {TOO_EARLY}\n"
ENDING_CASE = _case("c2", "A case a harmful choice ends", _step("e1", HARM_ENDS, harmful=True) + _step("e2"))
UNTOUCHED_CASE = _case("c3", "A case nobody starts", _step("u1"))

SCRIPTS: dict[str, dict[str, str]] = {
    "ann": {"c1": "RR", "c2": "RR"},  # keyed all the way
    "bea": {"c1": "WRR", "c2": "W"},  # remediation, then a harmful ending
    "cy": {"c1": "WWW", "c2": "RW"},  # remediation, wrong throughout
    "dan": {"c1": "W", "c2": "R"},  # stops after the first step of each case
    "eve": {"c1": "R"},  # stops after s1, never opens c2
    "fay": {"c2": "W"},  # skips c1, ends c2 with the harmful choice
}


@pytest.fixture
def scripted(load_text: Callable[..., Course]) -> Course:
    return load_text(module_text(REMEDIATION_CASE, ENDING_CASE, UNTOUCHED_CASE))


def _play(course: Course) -> list[Attempt]:
    module = course.module("test-module")
    out: list[Attempt] = []
    for trainee, script in SCRIPTS.items():
        session = ModuleSession(module, trainee=trainee, mode=Mode.ASSESSMENT, rng=random.Random(1), now=NOW)
        for position, item in enumerate(module.items):
            session.go_to(position, NOW)
            for mark in script.get(item.id, ""):
                state = session.current_question()
                assert state is not None, f"{trainee}'s script goes past the end of {item.id}"
                answer = keyed_answer(state.question) if mark == "R" else wrong_answer(state.question)
                out.append(session.submit(answer, NOW + dt.timedelta(seconds=len(out))).attempt)
    return out


def _routes(paths: CasePaths, step_id: str) -> dict[str, int]:
    return {r.target: r.trainees for r in paths.step(step_id).routes}


def test_a_played_cohort_gives_the_counts_made_by_hand(scripted: Course) -> None:
    attempts = _play(scripted)
    practice = dataclasses.replace(attempts[0], mode=Mode.PRACTICE, attempt_uid="practice")
    responses = first_responses([*attempts, practice], Mode.ASSESSMENT)
    c1, c2, c3 = case_paths(scripted.module("test-module"), responses)

    assert (c1.case_id, c1.started, c1.failed_for_safety) == ("c1", 5, 0)  # everyone but fay
    assert [s.reached for s in c1.steps] == [5, 2, 3]  # s1, fix (bea, cy), s2 (ann, bea, cy)
    assert [s.keyed for s in c1.steps] == [True, False, True]
    assert _routes(c1, "s1") == {"fix": 2, "s2": 1, UNFINISHED: 2}  # dan and eve stop after s1
    assert {r.target: r.keyed for r in c1.step("s1").routes} == {"fix": False, "s2": True, UNFINISHED: False}
    assert _routes(c1, "fix") == {"s2": 2}
    assert _routes(c1, "s2") == {COMPLETED: 3}
    assert [s.correct for s in c1.steps] == [2, 1, 2]  # s1: ann, eve; fix: bea; s2: ann, bea
    assert [s.facility for s in c1.steps] == pytest.approx([40, 50, 200 / 3])  # of those who reached each
    assert [s.mean_points for s in c1.steps] == pytest.approx([0.4, 0.5, 2 / 3])  # 1-point steps
    assert c1.unfinished_share("s1") == pytest.approx(2 / 5)
    assert c1.unfinished_share("s2") == 0
    assert c1.step("s1").dropout == pytest.approx(2 / 5)
    assert c1.endings == {COMPLETED: 3}
    assert c1.safety_share == 0

    assert (c2.started, c2.failed_for_safety) == (5, 2)  # everyone but eve; bea and fay chose harm
    assert c2.safety_share == pytest.approx(2 / 5)
    assert [s.reached for s in c2.steps] == [5, 2]
    assert _routes(c2, "e1") == {TOO_EARLY: 2, "e2": 2, UNFINISHED: 1}
    assert [r.kind for r in c2.step("e1").routes if r.target == TOO_EARLY] == ["end"]
    assert [s.critical for s in c2.steps] == [2, 0]
    assert [s.facility for s in c2.steps] == pytest.approx([60, 50])
    assert [s.mean_points for s in c2.steps] == pytest.approx([1.2, 1.0])  # 2-point steps
    assert c2.endings == {TOO_EARLY: 2, COMPLETED: 2}
    assert c2.left_unfinished == 1
    assert (c1.unplaced, c2.unplaced, c1.other_versions) == (0, 0, 0)

    assert (c3.started, c3.failed_for_safety, c3.safety_share) == (0, 0, None)
    (u1,) = c3.steps
    assert (u1.reached, u1.facility, u1.mean_points, u1.dropout, u1.routes) == (0, None, None, None, ())
    assert c3.unfinished_share("u1") is None


def test_answers_to_another_version_are_counted_apart_not_routed(scripted: Course) -> None:
    responses = first_responses(_play(scripted), Mode.ASSESSMENT)
    old = [dataclasses.replace(r, trainee=f"old-{r.trainee}", version="0ld") for r in responses]
    c1 = case_paths(scripted.module("test-module"), [*responses, *old])[0]
    assert c1.started == 5
    assert c1.other_versions == sum(r.item_id == "c1" for r in responses)


def test_the_answers_given_decide_when_the_grade_cannot(scripted: Course) -> None:
    case = scripted.module("test-module").items[0]
    assert isinstance(case, Case)

    def answers(**by_step: object) -> dict[str, Response]:
        return {s: Response("zoe", s, "", 0, 2, "test-module", a, item_id="c1") for s, a in by_step.items()}

    assert trainee_path(case, answers(s1="go", fix="wait")) == (["s1", "fix"], ("unfinished", UNFINISHED))
    # an answer today's grader refuses: the step answered next shows where the trainee went
    assert trainee_path(case, answers(s1={"not": "a choice"}, s2="wait")) == (["s1", "s2"], ("end", COMPLETED))
    # a right answer at s1 routes to s2; a trainee who answered fix instead went there (the flow was edited)
    assert trainee_path(case, answers(s1="wait", fix="wait")) == (["s1", "fix"], ("unfinished", UNFINISHED))
    assert trainee_path(case, answers(s2="wait")) is None  # never answered the first step: not started


def _texts(paths: CasePaths) -> tuple[bytes, list[str]]:
    figure = case_flow_figure(paths, palette={"step": "#000080"})
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue(), [t.get_text() for ax in figure.axes for t in ax.texts] + [
        t.get_text() for t in figure.texts] + [figure.get_suptitle()]


def test_the_flow_figure_draws_the_counts(scripted: Course) -> None:
    c1, c2, c3 = case_paths(scripted.module("test-module"), first_responses(_play(scripted), Mode.ASSESSMENT))
    png, texts = _texts(c1)
    assert png.startswith(b"\x89PNG")
    assert len(png) > 5000
    joined = "\n".join(texts)
    for wanted in ("s1\n5 reached\nfacility 40%", "fix\n2 reached", "s2\n3 reached", f"{UNFINISHED}\n2 trainees",
                   f"{COMPLETED}\n3 trainees", "started by 5"):
        assert wanted in joined
    assert {"2", "1", "3"} <= set(texts)  # the count on each arrow
    _, texts = _texts(c2)
    assert any(t.startswith("You went ahead too early") and t.endswith("2 trainees") for t in texts)
    png, texts = _texts(c3)
    assert png.startswith(b"\x89PNG")
    assert "u1\nnobody reached" in texts
    assert any("nobody started this case" in t for t in texts)


def test_a_real_module_of_the_course(course: Course) -> None:
    module = course.module("suitability")
    attempts = [a for trainee in played_cohort(course, module.id, 30) for a in trainee]
    responses = first_responses(attempts, Mode.ASSESSMENT)
    by_step: dict[str, list[Attempt]] = defaultdict(list)
    for a in attempts:
        by_step[a.question_id].append(a)
    paths = case_paths(module, responses)
    assert [p.case_id for p in paths] == [i.id for i in module.items if isinstance(i, Case)]
    assert any(r.kind == "end" and r.target != COMPLETED for p in paths for s in p.steps for r in s.routes)
    for p, case in zip(paths, (i for i in module.items if isinstance(i, Case)), strict=True):
        first = by_step[case.steps[0].id]
        assert p.started == len(first) == 30
        assert p.failed_for_safety == len({a.trainee for s in case.steps for a in by_step[s.id] if a.critical})
        assert sum(r.trainees for s in p.steps for r in s.routes if r.kind != "step") == p.started  # one exit each
        arriving: dict[str, int] = defaultdict(int)
        for s in p.steps:
            assert s.reached == sum(r.trainees for r in s.routes) == len(by_step[s.step_id])
            for r in s.routes:
                if r.kind == "step":
                    arriving[r.target] += r.trainees
            if s.reached:
                mine = by_step[s.step_id]
                assert s.facility == pytest.approx(100 * sum(a.points for a in mine) / sum(a.max_points for a in mine))
        assert all(arriving[s.step_id] == s.reached for s in p.steps[1:])
        assert p.unplaced == p.other_versions == 0
        png, texts = _texts(p)
        assert png.startswith(b"\x89PNG")
        assert f"{p.steps[0].step_id}\n{p.started} reached" in "\n".join(texts)


def test_analyse_case_ignores_other_modules_and_items(scripted: Course) -> None:
    case = scripted.module("test-module").items[0]
    assert isinstance(case, Case)
    responses = first_responses(_play(scripted), Mode.ASSESSMENT)
    elsewhere = [dataclasses.replace(r, module_id="another-module", trainee=f"x-{r.trainee}") for r in responses]
    assert analyse_case(case, [*responses, *elsewhere], "test-module").started == 5
    assert analyse_case(case, [r for r in responses if r.item_id != "c1"], "test-module").started == 0
