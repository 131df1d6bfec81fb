"""The real course in quizzes/ holds the numbers the course promises, and passes lint and coverage.

The counts come from the files, so adding or deleting content is reflected here at once.
"""

from __future__ import annotations

import pytest

from meso_training.authoring.coverage import census
from meso_training.authoring.lint import lint_course
from meso_training.model import QUESTION_TYPES, Case, CaseKind, Course

MODULES = {"foundations", "suitability", "formulation", "side-effects", "planning"}


def test_course_has_the_five_teaching_modules(course: Course) -> None:
    assert {m.id for m in course.modules} >= MODULES


def test_course_has_at_least_60_questions_and_24_cases_8_of_each_kind(course: Course) -> None:
    c = census(course)
    assert c.questions >= 60
    for kind in (CaseKind.SUITABILITY, CaseKind.FORMULATION, CaseKind.SIDE_EFFECTS):
        assert c.cases_by_kind[kind.value] >= 8, kind


def test_at_least_6_cases_end_on_a_wrong_decision_with_its_consequence(course: Course) -> None:
    assert census(course).ending_cases >= 6


def test_every_question_type_is_used(course: Course) -> None:
    used = set(census(course).by_type)
    assert used == {t.model_fields["type"].annotation.__args__[0] for t in QUESTION_TYPES}  # type: ignore[union-attr]


def test_every_seed_fact_is_cited(course: Course) -> None:
    c = census(course)
    assert c.uncited_facts == []
    assert len(c.citations) == 32


def test_every_suitability_and_side_effect_case_has_a_critical_option(course: Course) -> None:
    safety = [item for m in course.modules for item in m.items
              if isinstance(item, Case) and item.kind in (CaseKind.SUITABILITY, CaseKind.SIDE_EFFECTS)]
    assert safety
    for case in safety:
        assert any(step.critical_option_ids() for step in case.steps), case.id


def test_lint_finds_nothing_in_the_course(course: Course) -> None:
    findings = lint_course(course)
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.parametrize("fact_id", ["NAT-7", "APP-2", "APP-5", "RES-1", "RES-3", "GLOW-3", "GLOW-5"])
def test_questions_citing_a_cautioned_fact_carry_a_second_source(course: Course, fact_id: str) -> None:
    """A weak claim is never taught from the seed alone: the question also cites the evidence."""
    assert course.registry.facts[fact_id].caution
    citing = [q for m in course.modules for _, q in m.questions() if fact_id in q.sources]
    assert citing
    for q in citing:
        assert len(q.sources) >= 2, q.id
