"""Distractor and harm analysis: who chose what, by thirds of the cohort, and who made a harmful choice."""

from __future__ import annotations

import pytest

from meso_training.analytics.option_analysis import harmful_choices, option_analysis, thirds
from meso_training.analytics.responses import Response
from meso_training.model import Course, SingleChoice


def test_thirds_split_by_total_with_ties_broken_by_name() -> None:
    totals = {"a": 9, "b": 9, "c": 5, "d": 4, "e": 1, "f": 0}
    assert thirds(totals) == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2, "f": 2}
    assert thirds({}) == {}
    assert set(thirds({"x": 1, "y": 2}).values()) <= {0, 1, 2}


def _choice_question(course: Course) -> tuple[str, SingleChoice]:
    for module in course.modules:
        for item in module.items:
            if isinstance(item, SingleChoice) and len(item.options) >= 4 and any(o.critical for o in item.options):
                return module.id, item
    pytest.fail("the course has no standalone single-choice question with a harmful option")


def test_each_option_is_counted_by_third_and_weak_distractors_are_flagged(course: Course) -> None:
    module_id, q = _choice_question(course)
    key = next(o for o in q.options if o.correct)
    harmful = next(o for o in q.options if o.critical)
    others = [o for o in q.options if not o.correct and not o.critical]
    # Six trainees; a question of another module never counts towards these totals.
    picks = {"t1": key.id, "t2": harmful.id, "t3": key.id, "t4": key.id, "t5": harmful.id, "t6": harmful.id}
    totals = {"t1": 10.0, "t2": 9.0, "t3": 6.0, "t4": 5.0, "t5": 2.0, "t6": 1.0}
    responses = [Response(t, q.id, q.content_hash(), 0.0, q.points, module_id, picks[t]) for t in picks]
    responses += [Response(t, "elsewhere", "", totals[t], 10.0, module_id) for t in totals]  # sets each total
    (analysis,) = [a for a in option_analysis(course.module(module_id), responses) if a.question_id == q.id]
    rows = {r.choice: r for r in analysis.rows}
    assert analysis.answered == 6
    assert rows[key.id].chosen == 3
    assert rows[key.id].by_third == (0.5, 1.0, 0.0)  # t1 | t3, t4 | none of t5, t6
    assert rows[harmful.id].by_third == (0.5, 0.0, 1.0)
    assert rows[harmful.id].flags == ()  # chosen more by the weakest: a distractor doing its job
    for other in others:
        assert rows[other.id].chosen == 0
        assert rows[other.id].flags == ("no one chose this distractor: replace it with a mistake trainees really make",)
    harms = [(found.question_id, row.choice, row.chosen) for found, row in harmful_choices([analysis])]
    assert (q.id, harmful.id, 3) in harms


def test_a_distractor_the_strongest_choose_and_a_key_the_weakest_choose_are_flagged(course: Course) -> None:
    module_id, q = _choice_question(course)
    key = next(o for o in q.options if o.correct)
    lure = next(o for o in q.options if not o.correct)
    totals = {"t1": 9.0, "t2": 5.0, "t3": 1.0}
    picks = {"t1": lure.id, "t2": key.id, "t3": key.id}
    responses = [Response(t, q.id, q.content_hash(), 0.0, q.points, module_id, picks[t]) for t in picks]
    responses += [Response(t, "elsewhere", "", totals[t], 10.0, module_id) for t in totals]
    (analysis,) = [a for a in option_analysis(course.module(module_id), responses) if a.question_id == q.id]
    rows = {r.choice: r for r in analysis.rows}
    assert "the top third chose this distractor more often" in rows[lure.id].flags[0]
    assert "check the key" in rows[key.id].flags[0]


def test_answers_to_an_older_version_give_no_option_figures(course: Course) -> None:
    module_id, q = _choice_question(course)
    responses = [Response("t1", q.id, "an-older-version", 1.0, q.points, module_id, q.options[0].id)]
    assert [a for a in option_analysis(course.module(module_id), responses) if a.question_id == q.id] == []
