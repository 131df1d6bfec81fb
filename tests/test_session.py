"""Attempt rules, case flow, scoring and resume, on the real orientation module."""

from __future__ import annotations

import datetime as dt
import random
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from meso_training.engine.case_flow import case_max_points, keyed_path
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession, SessionError
from meso_training.model import Case, Course, Ordering

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def session(course: Course, mode: str = "practice", seed: int = 7) -> ModuleSession:
    return ModuleSession(course.module("orientation"), trainee="ana", mode=mode,  # type: ignore[arg-type]
                         rng=random.Random(seed), now=NOW)


def answer_current(s: ModuleSession, right: bool = True) -> None:
    state = s.current_question()
    assert state is not None
    s.submit(keyed_answer(state.question) if right else wrong_answer(state.question), NOW)


def test_practice_allows_a_retry_and_the_latest_answer_counts(course: Course) -> None:
    s = session(course)
    answer_current(s, right=False)
    assert not s.item.done
    assert s.score() == (0.0, pytest.approx(sum(i.max_points for i in s.items)))
    answer_current(s, right=True)
    assert s.item.done
    assert s.score()[0] == 1.0


def test_assessment_takes_one_answer_per_question_and_hides_feedback(course: Course) -> None:
    s = session(course, "assessment")
    state = s.current_question()
    assert state is not None
    submission = s.submit(wrong_answer(state.question), NOW)
    assert submission.show_feedback is False
    assert s.item.done
    with pytest.raises(SessionError, match="item is finished"):
        s.submit(keyed_answer(state.question), NOW)


def test_attempt_records_what_was_shown_and_graded(course: Course) -> None:
    s = session(course)
    state = s.current_question()
    assert state is not None
    submission = s.submit(keyed_answer(state.question), NOW + dt.timedelta(seconds=30))
    a = submission.attempt
    assert (a.trainee, a.module_id, a.question_id, a.score, a.mode) == ("ana", "orientation", "ori-layer", 1.0,
                                                                         "practice")
    assert a.content_hash == state.question.content_hash()
    assert a.submitted_at - a.shown_at == dt.timedelta(seconds=30)
    assert a.seed == state.seed


def test_options_are_shuffled_by_the_recorded_seed_and_ordering_never_starts_keyed(course: Course) -> None:
    s1, s2 = session(course, seed=1), session(course, seed=1)
    assert [s1.option_order(st) for it in s1.items for st in it.steps.values()] == \
           [s2.option_order(st) for it in s2.items for st in it.steps.values()]
    for seed in range(30):
        s = session(course, seed=seed)
        for item in s.items:
            for state in item.steps.values():
                if isinstance(state.question, Ordering):
                    assert s.option_order(state) != [st.id for st in state.question.steps]


def _to_case(s: ModuleSession) -> Case:
    s.go_to(next(i for i, it in enumerate(s.items) if it.case is not None), NOW)
    assert s.item.case is not None
    return s.item.case


def test_a_wrong_decision_ends_the_case_with_its_outcome_and_a_critical_error(course: Course) -> None:
    s = session(course, "assessment")
    case = _to_case(s)
    answer_current(s, right=False)
    assert s.item.done
    assert s.item.outcome is not None
    assert "case ends" in s.item.outcome
    assert s.item.earned == 0
    assert s.item.max_points == case_max_points(case) == sum(st.points for st in case.steps)
    summary = s.summary()
    assert [e.question_id for e in summary.critical_errors] == [case.steps[0].id]


def test_critical_error_fails_the_module_whatever_the_points(course: Course) -> None:
    s = session(course, "assessment")
    for index in range(len(s.items)):
        s.go_to(index, NOW)
        while s.current_question() is not None:
            state = s.current_question()
            assert state is not None
            critical_step = state.question.id == "ori-bf-decision"
            answer_current(s, right=not critical_step)
    summary = s.summary()
    assert summary.complete
    assert summary.score >= 0.6  # above the module's pass mark on points alone
    assert summary.passed is False
    assert summary.critical_errors


def test_keyed_path_follows_the_default_flow(course: Course) -> None:
    case = next(i for i in course.module("orientation").items if isinstance(i, Case))
    assert keyed_path(case) == [s.id for s in case.steps]


def test_practice_case_can_be_restarted_from_its_first_step(course: Course) -> None:
    s = session(course)
    case = _to_case(s)
    answer_current(s, right=False)
    s.restart_case(NOW)
    assert s.item.current == case.steps[0].id
    assert s.item.answered == []


def test_resume_restores_answers_and_continues_at_the_first_unfinished_item(course: Course) -> None:
    first = session(course)
    attempts = []
    for _ in range(3):
        state = first.current_question()
        assert state is not None
        attempts.append(first.submit(keyed_answer(state.question), NOW).attempt)
        first.go_to(first.position + 1, NOW)
    resumed = session(course, seed=99)
    resumed.resume(attempts)
    assert resumed.position == 3
    assert [it.done for it in resumed.items[:4]] == [True, True, True, False]
    assert resumed.score()[0] == first.score()[0]


def test_resume_of_an_assessment_counts_the_first_answer_even_if_a_better_one_was_stored_after_it(
        course: Course) -> None:
    taken = session(course, mode="assessment")
    state = taken.current_question()
    assert state is not None
    wrong = taken.submit(wrong_answer(state.question), NOW).attempt
    later = replace(wrong, attempt_uid="a-second-try", answer=keyed_answer(state.question),
                    submitted_at=NOW + dt.timedelta(minutes=5))  # posted afterwards, e.g. once the key was seen
    resumed = session(course, mode="assessment")
    resumed.resume([wrong, later])
    assert resumed.score()[0] == taken.score()[0]
    assert resumed.summary().attempt_uids == (wrong.attempt_uid,)


def test_resume_ignores_attempts_at_an_edited_question(course: Course) -> None:
    first = session(course)
    state = first.current_question()
    assert state is not None
    old = first.submit(keyed_answer(state.question), NOW).attempt
    resumed = session(course)
    resumed.resume([replace(old, content_hash="0" * 16)])
    assert resumed.position == 0
    assert not resumed.items[0].done


def test_keyed_path_can_start_from_any_step(course: Course) -> None:
    case = next(i for i in course.module("orientation").items if isinstance(i, Case))
    assert keyed_path(case, case.steps[1].id) == [case.steps[1].id]


def test_summary_lists_missed_questions_and_their_objectives(course: Course) -> None:
    s = session(course)
    answer_current(s, right=False)
    summary = s.summary()
    assert not summary.complete
    assert not summary.passed
    assert summary.to_review[0].id == "ori-layer"
    assert summary.weak_objectives[0] == "ori-basics"
    # never-reached standalone questions count as to review; unreached case steps do not
    case = next(i for i in course.module("orientation").items if isinstance(i, Case))
    assert case.steps[1].id not in {q.id for q in summary.to_review}


def test_an_unknown_mode_is_refused_with_the_allowed_ones(course: Course) -> None:
    with pytest.raises(SessionError, match=re.escape("mode must be 'practice' or 'assessment', not 'exam'")):
        session(course, "exam")


def test_a_wrong_practice_answer_draws_a_new_shuffle_for_the_retry(course: Course) -> None:
    s = session(course)
    state = s.current_question()
    assert state is not None
    first = s.submit(wrong_answer(state.question), NOW).attempt
    assert state.seed != first.seed
    second = s.submit(keyed_answer(state.question), NOW).attempt
    assert second.seed == state.seed


def test_the_session_and_analytics_import_no_widgets_or_plots() -> None:
    code = ("import sys\nimport meso_training.engine.session, meso_training.engine.case_flow\n"
            "import meso_training.reports.progress\n"
            "print(','.join(m for m in ('ipywidgets', 'matplotlib', 'IPython', 'sqlite3') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == ""


def test_practice_answers_do_not_count_as_answered_in_an_assessment(course: Course) -> None:
    practice = session(course)
    state = practice.current_question()
    assert state is not None
    done = practice.submit(keyed_answer(state.question), NOW).attempt
    assessment = session(course, "assessment")
    assessment.resume([done])
    assert not assessment.items[0].done
    again = session(course)
    again.resume([done])
    assert again.items[0].done


def test_a_practice_retry_is_timed_from_when_it_was_shown(course: Course) -> None:
    s = session(course)
    state = s.current_question()
    assert state is not None
    later = NOW + dt.timedelta(minutes=5)
    s.submit(wrong_answer(state.question), later)
    retry = s.submit(keyed_answer(state.question), later + dt.timedelta(seconds=20)).attempt
    assert retry.submitted_at - retry.shown_at == dt.timedelta(seconds=20)


def test_the_summary_names_the_attempts_its_score_counts_also_after_resuming(course: Course) -> None:
    first = session(course, "assessment")
    kept = []
    for index in range(len(first.items)):
        first.go_to(index, NOW)
        while (state := first.current_question()) is not None:
            kept.append(first.submit(keyed_answer(state.question), NOW).attempt)
    summary = first.summary()
    assert sorted(summary.attempt_uids) == sorted(a.attempt_uid for a in kept)
    resumed = session(course, "assessment", seed=99)
    resumed.resume(kept)
    assert resumed.summary().attempt_uids == summary.attempt_uids  # so reopening issues no second certificate


def test_a_critical_error_carries_the_words_the_trainee_saw(course: Course) -> None:
    s = session(course, "assessment")
    case = _to_case(s)
    answer_current(s, right=False)
    (error,) = s.summary().critical_errors
    step = case.steps[0]
    assert error.case_title == case.title
    assert error.prompt == step.prompt
    assert error.choice_texts == tuple(o.text for o in step.options if o.id in error.choices)  # type: ignore[union-attr]
