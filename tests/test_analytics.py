"""The progress dashboard: what stored attempts say, in words, with a way back into each module.

Mastery, the practice history and the review list from practice; each module's standing
with its assessment apart; links to the notebooks found beside the dashboard; a time axis
readable for a day, a week or a year; each figure drawn for the light and the dark theme.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import matplotlib.dates as mdates
import nbformat
import pytest

from meso_training import course_entry
from meso_training.authoring.course_notebooks import module_notebooks
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Attempt, Case, Course, Mode, Topic
from meso_training.reports.progress import PROMPT_LIMIT, progress_report, short_text
from meso_training.storage.certificates import Certificate, new_code
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.progress_plots import DARK, LIGHT, history_figure, mastery_figure, png
from meso_training.views.progress_view import ProgressView, figure_html
from meso_training.views.theme import stylesheet

DAY1 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def attempts(course: Course) -> list[Attempt]:
    """Four orientation answers, one a day: right on foundations, wrong on the rest."""
    s = ModuleSession(course.module("orientation"), trainee="ana", mode=Mode.PRACTICE, rng=random.Random(1), now=DAY1)
    out = []
    for position in range(4):
        s.go_to(position, DAY1)
        state = s.current_question()
        assert state is not None
        right = state.question.topic.value == "foundations"
        answer = keyed_answer(state.question) if right else wrong_answer(state.question)
        out.append(s.submit(answer, DAY1 + dt.timedelta(days=position)).attempt)
    return out


def play(course: Course, module_id: str, mode: Mode, start: dt.datetime, *, wrong: Collection[str] = (),
         every: dt.timedelta = dt.timedelta(minutes=1)) -> list[Attempt]:
    """Answer every item of a module once, keyed except the questions in ``wrong``."""
    s = ModuleSession(course.module(module_id), trainee="ana", mode=mode, rng=random.Random(2), now=start)
    out: list[Attempt] = []
    for position in range(len(s.items)):
        s.go_to(position, start)
        while (state := s.current_question()) is not None:
            q = state.question
            answer = wrong_answer(q) if q.id in wrong else keyed_answer(q)
            out.append(s.submit(answer, start + every * len(out)).attempt)
            if s.current_question() is state:
                break  # a wrong practice answer stays to be retried
    return out


def first_critical_question(course: Course, module_id: str) -> str:
    return next(q.id for _, q in course.module(module_id).questions() if q.critical_option_ids())


# --- the report -------------------------------------------------------------------------


def test_mastery_per_topic_counts_the_latest_answer_to_each_question(course: Course) -> None:
    report = progress_report(course, attempts(course))
    topics = {t.topic: t for t in report.topics}
    assert topics[Topic.FOUNDATIONS].answered == 4
    assert topics[Topic.FOUNDATIONS].mastery == 1.0
    assert topics[Topic.SUITABILITY].answered == 0


def test_every_topic_has_a_label_in_words_and_the_dashboard_shows_labels_not_ids(course: Course) -> None:
    assert Topic.RESULTS.label == "Treatment planning and results"
    for topic in Topic:
        assert topic.label != topic.value
        assert topic.label[0].isupper()
    fig = mastery_figure(progress_report(course, []), LIGHT)
    shown = {t.get_text() for t in fig.axes[0].texts}
    assert {t.label for t in Topic} <= shown
    assert not {t.value for t in Topic} & shown
    alt = re.findall(r"alt='([^']*)'", figure_html(progress_report(course, [])))
    assert "Treatment planning and results not started" in alt[0]


def test_weakest_objectives_and_review_list_come_from_wrong_answers(course: Course) -> None:
    history = attempts(course)
    wrong = replace(history[0], score=0.0, correct=False, attempt_uid="x" * 32,
                    submitted_at=DAY1 + dt.timedelta(days=9))
    report = progress_report(course, [*history, wrong])
    assert report.review_next[0].question.id == history[0].question_id
    assert report.review_next[0].module_title == course.module("orientation").title
    assert report.weakest_objectives[0].objective_id == "ori-basics"
    assert report.weakest_objectives[0].module_title == course.module("orientation").title
    assert report.practice_days[-1].day == (DAY1 + dt.timedelta(days=9)).date()


def test_an_edited_question_no_longer_counts_as_mastered(course: Course) -> None:
    stale = [replace(a, content_hash="0" * 16) for a in attempts(course)]
    topics = {t.topic: t for t in progress_report(course, stale).topics}
    assert topics[Topic.FOUNDATIONS].answered == 0


def test_review_items_of_a_case_name_the_case_and_the_view_shows_it(course: Course) -> None:
    case = next(i for i in course.module("orientation").items if isinstance(i, Case))
    step = case.steps[0]
    answered = play(course, "orientation", Mode.PRACTICE, DAY1, wrong={step.id})
    item = next(r for r in progress_report(course, answered, limit=50).review_next if r.question.id == step.id)
    assert item.case_title == case.title
    html = ProgressView(course, "ana", answered).lists.value
    assert f"case: <em>{case.title}</em>" in html
    assert step.id not in html
    assert case.id not in html


@pytest.mark.parametrize("length", [PROMPT_LIMIT - 1, PROMPT_LIMIT, PROMPT_LIMIT + 1, 400])
def test_a_long_prompt_is_cut_at_a_word_with_an_ellipsis(length: int) -> None:
    text = " ".join(["Which dilution would you prepare for the *superficial* papule technique"] * 10)[:length].rstrip()
    cut = short_text(text)
    assert len(cut) <= PROMPT_LIMIT + 1
    assert "*" not in cut
    if len(text.replace("*", "")) > PROMPT_LIMIT:
        assert cut.endswith("…")
        assert text.replace("*", "").startswith(cut[:-1])
        assert text.replace("*", "")[len(cut) - 1] == " "  # the cut fell between words


# --- practice and assessment apart ------------------------------------------------------


def test_assessment_answers_leave_mastery_and_the_practice_history_alone(course: Course) -> None:
    practice = attempts(course)
    assessed = play(course, "suitability", Mode.ASSESSMENT, DAY1 + dt.timedelta(days=20))
    alone, both = progress_report(course, practice), progress_report(course, [*practice, *assessed])
    assert both.topics == alone.topics
    assert both.practice_days == alone.practice_days
    assert both.review_next == alone.review_next
    assert (both.practice_attempts, both.assessment_attempts) == (len(practice), len(assessed))
    (point,) = both.assessments
    assert point.passed
    assert point.module_title == course.module("suitability").title


def test_a_passed_assessment_is_shown_passed_with_its_certificate_apart_from_practice(course: Course) -> None:
    assessed = play(course, "suitability", Mode.ASSESSMENT, DAY1)
    status = {m.module_id: m for m in progress_report(course, assessed).modules}["suitability"]
    assert not status.practice.started
    assert status.assessment is not None
    assert status.assessment.passed
    html = ProgressView(course, "ana", assessed).modules.value
    section = re.search(r"<section[^>]*data-module='suitability'.*?</section>", html)
    assert section
    assert "Practice: not started." in section[0]
    assert "Assessment passed" in section[0]
    assert "on 20 November 2026" in section[0]
    assert "No certificate yet: open the assessment and press <em>Show summary</em>" in section[0]


def test_an_issued_certificate_is_shown_with_its_date_and_verification_code(course: Course) -> None:
    assessed = play(course, "suitability", Mode.ASSESSMENT, DAY1)
    module = course.module("suitability")
    issued = Certificate(new_code(), "ana", course.title, module.id, module.title, module.version, 1.0, 10.0, 10.0,
                         0.8, DAY1 + dt.timedelta(hours=1), tuple(a.attempt_uid for a in assessed))
    other = replace(issued, code=new_code(), module_id="orientation")
    view = ProgressView(course, "ana", assessed, certificates=[other, issued])
    status = {m.module_id: m for m in view.report.modules}
    assert status["suitability"].certificate == issued
    section = re.search(r"<section[^>]*data-module='suitability'.*?</section>", view.modules.value)
    assert section
    assert f"verification code <code>{issued.shown_code}</code>" in section[0]
    assert "No certificate yet" not in section[0]


def test_an_assessment_failed_for_safety_says_so_whatever_the_score(course: Course) -> None:
    harmful = first_critical_question(course, "suitability")
    assessed = play(course, "suitability", Mode.ASSESSMENT, DAY1, wrong={harmful})
    a = {m.module_id: m for m in progress_report(course, assessed).modules}["suitability"].assessment
    assert a is not None
    assert a.complete
    assert not a.passed
    assert a.critical_errors == 1
    html = ProgressView(course, "ana", assessed).modules.value
    assert "Assessment not passed" in html
    assert "1 choice would have harmed the patient" in html
    assert "Certificate issued" not in html


def test_an_unfinished_practice_says_how_far_it_went(course: Course) -> None:
    status = {m.module_id: m for m in progress_report(course, attempts(course)).modules}["orientation"]
    assert status.practice.answered == 4
    assert not status.practice.finished
    html = ProgressView(course, "ana", attempts(course)).modules.value
    assert "Practice: 4 of 7 items finished; 100% on your latest answers (4 of 8 questions answered)." in html


# --- each module with a link back into it -----------------------------------------------


def test_module_notebooks_are_found_from_their_show_module_calls() -> None:
    found = {key: path.name for key, path in module_notebooks(NOTEBOOKS).items()}
    assert found[("suitability", Mode.PRACTICE)] == "20-suitability.ipynb"
    assert found[("suitability", Mode.ASSESSMENT)] == "60-assessment.ipynb"
    assert found[("orientation", Mode.PRACTICE)] == "00-start-here.ipynb"
    assert "my-draft" not in {module for module, _ in found}  # the instructor's preview of another course


def test_a_notebook_that_cannot_be_read_names_no_module(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    (tmp_path / "magic.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "%time show_module(\\"x\\")"}]}',
                                          encoding="utf-8")
    assert module_notebooks(tmp_path) == {}


def test_every_module_has_a_section_with_its_title_and_a_link_to_a_notebook_that_shows_it(course: Course) -> None:
    links = course_entry.module_links(NOTEBOOKS)
    html = ProgressView(course, "ana", attempts(course), links=links).modules.value
    for module in course.modules:
        section = re.search(rf"<section[^>]*data-module='{re.escape(module.id)}'.*?</section>", html)
        assert section, module.id
        assert f"<h4>{module.title}</h4>" in section[0]
        hrefs = re.findall(r"<a class='meso-action-link' href='([^']+)'", section[0])
        assert hrefs, f"no link for {module.id}"
        for href in hrefs:
            target = NOTEBOOKS / href
            assert target.is_file()
            code = "".join(c.source for c in nbformat.read(target, as_version=4).cells if c.cell_type == "code")
            assert f'show_module("{module.id}"' in code
    orientation = re.search(r"data-module='orientation'.*?</section>", html)
    assert orientation
    assert ">Continue</a>" in orientation[0]
    assert "Take the assessment" in html  # suitability's assessment notebook, not yet taken


def test_voila_serving_one_notebook_gets_no_links_and_voila_serving_the_folder_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    monkeypatch.setenv("SCRIPT_NAME", "/")
    assert course_entry.module_links(NOTEBOOKS) == {}  # every address would reload the dashboard
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/80-progress.ipynb")
    assert course_entry.module_links(NOTEBOOKS)[("planning", Mode.PRACTICE)] == "50-planning.ipynb"


# --- the figures ------------------------------------------------------------------------


def _x_axis(report_attempts: list[Attempt], course: Course) -> tuple[float, list[str]]:
    fig = history_figure(progress_report(course, report_attempts), LIGHT)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    return high - low, [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


def test_one_day_of_answers_is_shown_on_a_few_days_labelled_by_day(course: Course) -> None:
    one_day = play(course, "orientation", Mode.PRACTICE, DAY1, every=dt.timedelta(minutes=2))
    assert len(progress_report(course, one_day).practice_days) == 1
    span, labels = _x_axis(one_day, course)
    assert 2.9 <= span <= 3.1  # days: the day itself and a day and a half either side
    assert "20 Nov" in labels
    assert all(re.fullmatch(r"\d\d \w{3}", label) for label in labels), labels  # days, no years or hours
    fig = history_figure(progress_report(course, one_day), LIGHT)
    (line,) = fig.axes[0].get_lines()
    assert mdates.num2date(line.get_xdata()[0]).date() == DAY1.date()


def test_a_week_is_labelled_by_day_and_a_year_by_month(course: Course) -> None:
    answers = len(course.module("suitability").questions())  # about one attempt per question, all right
    week = play(course, "suitability", Mode.PRACTICE, DAY1, every=dt.timedelta(days=8) / answers)
    span, labels = _x_axis(week, course)
    assert 7 <= span <= 14
    assert all(re.fullmatch(r"\d\d \w{3}", label) for label in labels), labels
    year = play(course, "suitability", Mode.PRACTICE, DAY1, every=dt.timedelta(days=400) / answers)
    span, labels = _x_axis(year, course)
    assert 300 <= span <= 500
    assert {"Jan", "Mar"} & set(labels) or "2027" in labels, labels
    assert not any(re.fullmatch(r"\d\d \w{3}", label) for label in labels), labels


def test_each_figure_comes_in_a_light_and_a_dark_variant_with_alt_text(course: Course) -> None:
    report = progress_report(course, attempts(course))
    images = re.findall(r"<img class='meso-plot meso-plot-(\w+) meso-plot-(\w+)' src='data:image/png;base64,"
                        r"([^']+)' alt='([^']+)'>", figure_html(report))
    assert sorted((theme, kind) for theme, kind, _, _ in images) == [
        ("dark", "history"), ("dark", "mastery"), ("light", "history"), ("light", "mastery")]
    pngs = {(theme, kind): base64.b64decode(data) for theme, kind, data, _ in images}
    assert all(p.startswith(b"\x89PNG") for p in pngs.values())
    assert pngs["light", "mastery"] != pngs["dark", "mastery"]
    alts = {kind: alt for _, kind, _, alt in images}
    assert alts["history"].startswith("Chart of practice score per day: 20 November 2026 100% over 1 answers")
    for draw in (mastery_figure, history_figure):
        light, dark = draw(report, LIGHT), draw(report, DARK)
        assert light.patch.get_alpha() == 0 or light.patch.get_facecolor()[3] == 0  # transparent on any page
        assert light.axes[0].title.get_color() == LIGHT.text
        assert dark.axes[0].title.get_color() == DARK.text


def test_the_stylesheet_shows_the_dark_figures_only_in_a_dark_theme() -> None:
    css = " ".join(stylesheet().split())
    assert ".meso-progress-view .meso-plot-dark { display: none; }" in css
    assert ('body[data-jp-theme-light="false"] .meso-progress-view .meso-plot-dark, '
            'body.vscode-dark .meso-progress-view .meso-plot-dark { display: block; }') in css
    assert 'body[data-jp-theme-light="false"] .meso-progress-view .meso-plot-light,' in css


def test_the_dashboard_carries_the_stylesheet_and_its_parts(course: Course) -> None:
    view = ProgressView(course, "ana", attempts(course))
    assert "<style>" in view.children[0].value
    assert "meso-style" in view.children[0]._dom_classes
    assert "meso-progress-view" in view._dom_classes
    html = "".join(child.value for child in view.children[1:])
    assert "Progress of ana" in html
    assert "4 practice answers and 0 assessment answers recorded." in html
    assert "Weakest learning objectives" in html
    assert "Review next" in html


def test_empty_history_still_renders(course: Course) -> None:
    report = progress_report(course, [])
    assert png(history_figure(report, DARK)).startswith(b"\x89PNG")
    assert "No answers yet" in " ".join(t.get_text() for t in history_figure(report, LIGHT).axes[0].texts)
    assert "Not started." in ProgressView(course, "ana", []).modules.value


def test_drawing_the_dashboard_leaves_pyplot_alone() -> None:
    code = ("import sys\nfrom meso_training.authoring.loader import load_course\n"
            "from meso_training.reports.progress import progress_report\n"
            "from meso_training.views.progress_view import figure_html\n"
            "figure_html(progress_report(load_course(), []))\n"
            "print('matplotlib.pyplot' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "False"


# --- the entry point --------------------------------------------------------------------


def test_show_progress_reads_the_trainees_attempts_and_links_the_notebooks_beside_it(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    monkeypatch.chdir(NOTEBOOKS)  # where a kernel running 80-progress.ipynb works
    db = tmp_path / "p.sqlite3"
    module = course.module("orientation")
    issued = Certificate(new_code(), "ana", course.title, module.id, module.title, module.version, 1.0, 8.0, 8.0,
                         0.8, DAY1, ("a",))
    with SQLiteProgressStore(db) as store:
        store.record_many(attempts(course))
        store.issue_certificate(issued)
        store.issue_certificate(replace(issued, code=new_code(), trainee="bea", attempt_uids=("b",)))
    view = course_entry.show_progress(db=db, trainee="ana")
    assert isinstance(view, ProgressView)
    assert view.report.attempts == 4
    assert [m.certificate for m in view.report.modules if m.certificate] == [issued]
    assert view.links[("side-effects", Mode.PRACTICE)] == "40-side-effects.ipynb"
    assert course_entry._shown[-1] is view


def test_show_progress_of_an_unreadable_database_is_a_message(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    db = tmp_path / "p.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    assert course_entry.show_progress(db=db, trainee="ana") is None
    assert "newer meso-training" in course_entry._shown[-1].value
