"""The end-of-module summary in a trainee's words: prompts, option texts and case titles, never ids.

Sessions of the real course are played directly (no widgets) and the summary's HTML read as
the trainee would read it; the certificate parts use a real SQLite file.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.errors import StoreReadOnlyError
from meso_training.model import Case, Course, Matching, Mode, QuestionType
from meso_training.storage import ProgressStore
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.summary import PROMPT_LIMIT, shorten, summary_html

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
HARMFUL = ("ori-bf-decision", "treat-today")  # the orientation case's harmful choice
Chooser = Callable[[QuestionType], Any]


def play(course: Course, choose: Chooser, mode: Mode = Mode.ASSESSMENT, *, only: int | None = None) -> ModuleSession:
    """Answer every item of the orientation module (or only the one at ``only``) with ``choose``."""
    session = ModuleSession(course.module("orientation"), trainee="ana", mode=mode, rng=random.Random(2), now=T0)
    for position in range(len(session.items)) if only is None else [only]:
        session.go_to(position, T0)
        while (state := session.current_question()) is not None and session.can_answer():
            session.submit(choose(state.question), T0)
            if mode == Mode.PRACTICE and session.item.case is None:
                break
    return session


def keyed_but_harmful(q: QuestionType) -> Any:
    return HARMFUL[1] if q.id == HARMFUL[0] else keyed_answer(q)


def wrong_but_harmless(q: QuestionType) -> Any:
    return keyed_answer(q) if q.critical_option_ids() else wrong_answer(q)


def ids_of(session: ModuleSession) -> set[str]:
    """The ids an author gave that no trainee should read: items, questions, the harmful option.

    (Ids of options and categories are often plain words, "consent", "proceed", that the texts use too.)
    """
    return {item.item_id for item in session.items} | {q.id for _, q in session.module.questions()} | {HARMFUL[1]}


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def harmful_case(course: Course) -> tuple[Case, str]:
    case = next(i for i in course.module("orientation").items if isinstance(i, Case)
                and any(s.id == HARMFUL[0] for s in i.steps))
    step = case.step(HARMFUL[0])
    option = next(o.text for o in step.options if o.id == HARMFUL[1])  # type: ignore[union-attr]
    return case, option


def test_a_critical_error_is_named_by_its_case_title_and_option_text_never_by_ids(course: Course) -> None:
    session = play(course, keyed_but_harmful)
    shown = summary_html(session, course.registry, T0, None).html
    case, option = harmful_case(course)
    assert "Critical errors: 1" in shown
    assert case.title in shown
    assert option in shown
    words = set(re.findall(r"[\w-]+", text_of(shown)))
    assert ids_of(session) & words == set()


def test_a_score_at_the_pass_mark_that_fails_for_safety_says_why_in_one_line(course: Course) -> None:
    session = play(course, keyed_but_harmful)
    s = session.summary()
    assert s.score >= s.pass_mark
    assert not s.passed
    shown = summary_html(session, course.registry, T0, None).html
    case, option = harmful_case(course)
    assert (f"<strong>Not passed:</strong> the score ({s.score:.0%}) reached the pass mark ({s.pass_mark:.0%}), "
            f"but one choice would have harmed the patient: {case.title}: {option}.") in shown
    assert "meso-state meso-critical" in shown  # the verdict carries the critical state's colour and icon


def test_a_score_below_the_pass_mark_says_that_is_why(course: Course) -> None:
    session = play(course, wrong_but_harmless)
    s = session.summary()
    assert s.score < s.pass_mark
    assert not s.critical_errors
    shown = summary_html(session, course.registry, T0, None).html
    assert (f"<strong>Not passed:</strong> the score ({s.score:.0%}) is below the pass mark "
            f"({s.pass_mark:.0%}).") in shown
    assert "meso-state meso-incorrect" in shown


def test_a_pass_is_shown_as_a_pass_with_its_score(course: Course) -> None:
    session = play(course, keyed_answer)
    shown = summary_html(session, course.registry, T0, None).html
    assert "Summary: Passed" in shown
    assert "meso-state meso-correct" in shown
    assert "Critical errors: none." in shown


def test_an_unfinished_assessment_releases_no_feedback_and_no_critical_error(course: Course) -> None:
    session = play(course, keyed_but_harmful)
    item = next(i for i, it in enumerate(session.items) if HARMFUL[0] in it.steps)
    session = play(course, keyed_but_harmful, only=item)  # the harm done, other items still open
    assert not session.summary().complete
    assert session.summary().critical_errors
    shown = summary_html(session, course.registry, T0, None)
    case, option = harmful_case(course)
    assert "still to answer" in shown.html
    for secret in ("Critical", "critical", case.title, option, "Feedback on every answer", "To review"):
        assert secret not in shown.html
    assert not shown.certificate_offered


def test_review_lists_prompts_after_their_case_title(course: Course) -> None:
    session = play(course, wrong_answer, Mode.PRACTICE)
    shown = summary_html(session, course.registry, T0, None).html
    review = shown.split("<ul class='meso-to-review'>")[1].split("</ul>")[0]
    case, _ = harmful_case(course)
    assert f"{case.title}: {shorten(case.steps[0].prompt)}" in review
    words = set(re.findall(r"[\w-]+", text_of(review)))
    assert ids_of(session) & words == set()


@pytest.mark.parametrize("length", [PROMPT_LIMIT - 1, PROMPT_LIMIT, PROMPT_LIMIT + 1, 400])
def test_a_long_prompt_is_cut_at_a_word_with_an_ellipsis(length: int) -> None:
    words = ["Which", "dilution", "would", "you", "prepare", "for", "the", "superficial", "papule", "technique",
             "on", "the", "neck"]
    text = " ".join(words * 10)[:length].rstrip()
    cut = shorten(text)
    if len(text) <= PROMPT_LIMIT:
        assert cut == text
        return
    assert cut.endswith("…")
    assert len(cut) <= PROMPT_LIMIT + 1
    assert cut[:-1].split()[-1] in words  # the last word is whole
    assert text.startswith(cut[:-1])


def test_markdown_marks_and_line_breaks_do_not_show_in_a_shortened_prompt() -> None:
    assert shorten("Is **Ms A.**\n  a candidate `today`?") == "Is Ms A. a candidate today?"


class ReadOnlyStore:
    """Only what issuing a certificate touches, failing as a read-only progress file does."""

    location = "/read-only/progress.sqlite3"

    def issue_certificate(self, certificate: object) -> object:
        raise StoreReadOnlyError(Path(self.location))


def test_a_store_that_cannot_be_written_still_offers_the_certificate_and_says_why(course: Course,
                                                                                 tmp_path: Path) -> None:
    session = play(course, keyed_answer)
    shown = summary_html(session, course.registry, T0, tmp_path, cast(ProgressStore, ReadOnlyStore()))
    assert shown.certificate_offered
    assert "Download your certificate (HTML, printable as PDF)" in shown.html
    assert "could not be recorded for verification: the progress file or its folder is read-only" in shown.html
    assert "Verification code:" not in shown.html
    saved = list((tmp_path / "certificates").glob("*.html"))
    assert len(saved) == 1
    assert "not recorded" in saved[0].read_text(encoding="utf-8")


def test_showing_the_summary_again_shows_the_same_code_and_records_one_certificate(course: Course,
                                                                                   tmp_path: Path) -> None:
    session = play(course, keyed_answer)
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        first = summary_html(session, course.registry, T0, tmp_path, store).html
        later = summary_html(session, course.registry, T0 + dt.timedelta(days=2), tmp_path, store).html
        codes = [re.findall(r"MESO-\w{4}-\w{4}-\w{4}", html) for html in (first, later)]
        assert codes[0]
        assert codes[0] == codes[1]
    with sqlite3.connect(tmp_path / "p.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM certificates").fetchone() == (1,)
    conn.close()
    assert "3 December 2026" in (next((tmp_path / "certificates").glob("*.html"))).read_text(encoding="utf-8")


def test_a_harmful_matching_choice_is_named_as_the_item_and_the_category_it_was_put_in(course: Course) -> None:
    triage = next(q for _, q in course.module("orientation").questions() if isinstance(q, Matching) and
                  q.critical_option_ids())
    session = play(course, lambda q: wrong_answer(q) if q.id == triage.id else keyed_answer(q))
    shown = summary_html(session, course.registry, T0, None).html
    (error,) = session.summary().critical_errors
    item_id, _, category_id = error.choices[0].partition("=")
    item = next(i.text for i in triage.items if i.id == item_id)
    category = next(c.text for c in triage.categories if c.id == category_id)
    assert f"{item}: {category}" in shown
    assert error.choices[0] not in shown
