"""The certificate page: what it says, that it prints on one page, that nothing in it runs, and its verification."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from attempt_factory import make_attempt

from meso_training.errors import StoreLockedError
from meso_training.reports.certificate import (
    IssuedCertificate,
    certificate_html,
    date_in_words,
    issue,
    save_certificate,
    verification_report,
    verify,
)
from meso_training.storage.certificates import Certificate, new_code
from meso_training.storage.sqlite_store import SQLiteProgressStore

ISSUED = dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)


def certificate(**changes: object) -> Certificate:
    c = Certificate(new_code(), "Dr Ana Silva", "Mesotherapy in aesthetic practice", "suitability",
                    "Patient suitability", "2026.11", 0.85, 17.0, 20.0, 0.8, ISSUED, (uuid.uuid4().hex,))
    return dataclasses.replace(c, **changes)  # type: ignore[arg-type]


def page(c: Certificate | None = None, *, recorded: bool = True) -> str:
    return certificate_html(IssuedCertificate(c or certificate(), recorded))


def test_the_certificate_names_course_module_trainee_date_in_words_score_and_code() -> None:
    c = certificate(module_id="suit-core")
    text = page(c)
    for expected in ("Mesotherapy in aesthetic practice", "Patient suitability", "Dr Ana Silva",
                     "3 December 2026", "85%", "17 of 20 points", "pass mark\n80%", c.shown_code,
                     "Content version 2026.11", "Certificate of completion"):
        assert expected in text
    assert "suit-core" not in text
    assert "Module id" not in text
    assert "2026-12-03" not in text


def test_the_certificate_has_an_issuer_a_signature_line_and_says_it_is_not_medical_advice() -> None:
    text = page()
    assert "Issued by the meso-training course team, <em>Mesotherapy in aesthetic practice</em>" in text
    assert "<div class=\"signature\"><div class=\"line\"></div><p>Signature, for the course team</p></div>" in text
    assert ("records completion of a training course for healthcare professionals; "
            "not a licence to practise and not medical advice") in text


def test_the_certificate_prints_on_one_page_without_link_colours() -> None:
    css = page().split("<style>")[1].split("</style>")[0]
    printing = css.split("@media print")[1]
    assert "@page" in css
    assert "break-inside: avoid" in printing
    assert "page-break-inside: avoid" in printing
    assert re.search(r"a, a:visited \{ color: inherit; text-decoration: none; \}", printing)


def test_the_certificate_needs_nothing_from_the_network() -> None:
    text = page()
    for outside in ("http://", "https://", "<link", "<script", "@import", "url(", "<img"):
        assert outside not in text


@pytest.mark.parametrize("name", ["<script>alert('x')</script>", "Ana\" onload=\"alert(1)", "<img src=x onerror=y>"])
def test_a_trainee_name_with_markup_stays_text(name: str) -> None:
    text = page(certificate(trainee=name, module_title="<b>bold</b> & co"))
    assert "<script" not in text
    assert "<img" not in text
    assert "<b>" not in text
    assert "&lt;" in text
    assert "onload=\"" not in text


def test_a_certificate_the_store_could_not_record_says_so_instead_of_a_code() -> None:
    c = certificate()
    text = page(c, recorded=False)
    assert c.shown_code not in text
    assert "Verification code: <strong>not recorded</strong>" in text


def test_the_date_is_in_words_on_the_utc_calendar_whatever_the_time_zone() -> None:
    late_in_new_york = dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert date_in_words(late_in_new_york) == "3 December 2026"
    assert date_in_words(dt.datetime(2027, 1, 9, tzinfo=dt.UTC)) == "9 January 2027"


def test_the_copy_beside_the_database_is_named_for_trainee_module_and_day(tmp_path: Path) -> None:
    c = certificate(trainee="Dr Ana/Silva")
    saved = save_certificate(page(c), tmp_path, c)
    assert saved == tmp_path / "certificates" / "Dr_Ana_Silva-suitability-2026-12-03.html"
    assert save_certificate("x", None, c) is None


class LockedStore:
    location = "/busy/progress.sqlite3"

    def issue_certificate(self, certificate: Certificate) -> Certificate:
        raise StoreLockedError(Path(self.location), 20.0)


def test_a_locked_store_leaves_the_certificate_unrecorded_with_a_sentence_to_act_on() -> None:
    issued = issue(LockedStore(), certificate())  # type: ignore[arg-type]
    assert not issued.recorded
    assert issued.problem is not None
    assert issued.problem.startswith("Your certificate could not be recorded for verification: another program kept "
                                     "the progress file locked (/busy/progress.sqlite3).")
    assert "press Show summary again" in issued.problem


def test_verification_finds_the_answers_the_certificate_rests_on(tmp_path: Path) -> None:
    answers = [make_attempt(trainee="Dr Ana Silva", module_id="suitability", question_id=f"q{n}", points=8.5)
               for n in range(2)]
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_many(answers)
        c = store.issue_certificate(certificate(attempt_uids=tuple(a.attempt_uid for a in answers)))
        found = verify(store, c.shown_code.lower())
    assert found is not None
    lines = verification_report(found)
    assert lines[0] == f"Certificate {c.shown_code} is on record in this progress file."
    assert "Dr Ana Silva passed the assessment of \"Patient suitability\"" in lines[1]
    assert "on 3 December 2026 (2026-12-03 14:05 UTC)" in lines[2]
    assert "85% (17 of 20 points; pass mark 80%)" in lines[3]
    assert "The 2 answers it was issued on are still in this file and add up to that score." in lines[4]
