"""Routes through a case take every way on from every step an answer can reach, wrong answers included."""

from __future__ import annotations

import yaml
from case_text import SECOND_CHANCE_CASES, case_text, step_text
from quiz_text import HEADER

from meso_training.engine.case_routes import case_routes, moves_from, unreached_steps, untaken_endings
from meso_training.model import Case, Course, Module


def _cases(text: str) -> list[Case]:
    module = Module.model_validate(yaml.safe_load(HEADER + text))
    return [item for item in module.items if isinstance(item, Case)]


def test_a_step_only_a_plainly_wrong_answer_leads_to_is_on_a_route_and_so_is_its_ending() -> None:
    for case in _cases(SECOND_CHANCE_CASES):
        routes = case_routes(case)
        fix = next(s.id for s in case.steps if s.id.endswith("-fix"))
        assert any(fix in route.steps for route in routes), case.id
        assert any(r.steps[-1] == fix and r.outcome == "You went ahead; the case ends here." for r in routes)
        assert unreached_steps(case) == []
        assert untaken_endings(case, routes) == []


def test_the_routes_take_every_way_on_from_every_step_and_the_keyed_route_comes_first() -> None:
    for case in _cases(SECOND_CHANCE_CASES):
        routes = case_routes(case)
        taken = {(m.step_id, m.goes_to) for route in routes for m in route.moves}
        for step in case.steps:
            assert {(step.id, m.goes_to) for m in moves_from(case, step.id)} <= taken
        assert all(m.label in {"the right answer", "a right answer"} for m in routes[0].moves)
        assert len(routes) <= sum(len(moves_from(case, s.id)) for s in case.steps)


def test_every_route_ends_the_case_and_visits_no_step_twice() -> None:
    for case in _cases(SECOND_CHANCE_CASES):
        for route in case_routes(case):
            assert route.moves[-1].goes_to.ends_case
            assert len(set(route.steps)) == len(route.steps)
            for before, after in zip(route.moves, route.moves[1:], strict=False):
                assert before.goes_to.step_id == after.step_id


def test_an_ending_an_earlier_branch_shadows_is_reported_as_never_taken() -> None:
    (case,) = _cases(case_text("dead-case", step_text("d1", "        branches:\n          - when: incorrect\n"
                                                    "            goto: d2\n          - when: [go]\n"
                                                    "            end: You went ahead.\n") + step_text("d2")))
    ((step_id, branch),) = untaken_endings(case, case_routes(case))
    assert (step_id, branch.when) == ("d1", ("go",))


def test_the_limit_caps_the_number_of_routes() -> None:
    for case in _cases(SECOND_CHANCE_CASES):
        assert len(case_routes(case, limit=1)) == 1


def test_in_the_shipped_course_every_step_and_every_ending_is_on_a_route(course: Course) -> None:
    for module in course.modules:
        for case in (i for i in module.items if isinstance(i, Case)):
            routes = case_routes(case)
            assert {s.id for s in case.steps} == {s for r in routes for s in r.steps}, case.id
            assert untaken_endings(case, routes) == [], case.id
