"""A certificate of completion worth keeping: a self-contained page, recorded so it can be checked.

The page names the course and module, the trainee, the date in words, the score against
the pass mark, the issuer, a signature line and the verification code; it prints on one
A4 or Letter page from the browser ("Print", then "Save as PDF"), with no font, image or
script from anywhere else, so it opens the same offline years later.

The code is what makes it worth more than a printout: ``issue`` records the certificate in
the progress store, and ``verify`` (``meso-training verify-certificate CODE``) finds that
record again and checks that the answers it rests on are still there and add up.
A store that cannot be written never costs the trainee the page: the certificate is
offered without a code, and the summary says why.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from meso_training.engine.session import ModuleSummary
from meso_training.errors import StoreError, StoreFullError, StoreLockedError, StoreReadOnlyError, StoreVersionError
from meso_training.model import Module
from meso_training.storage.certificates import Certificate, new_code, parse_code
from meso_training.storage.interface import ProgressStore

log = logging.getLogger(__name__)

ISSUER = "the meso-training course team"
NOT_ADVICE = ("It records completion of a training course for healthcare professionals; "
              "not a licence to practise and not medical advice.")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def date_in_words(when: dt.datetime) -> str:
    """``3 December 2026``, in English whatever the machine's locale, on the UTC calendar.

    Written out because 03/12/2026 reads as two different days on either side of the Atlantic.
    """
    day = when.astimezone(dt.UTC).date()
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate and whether the store kept it; ``problem`` says, in a trainee's words, why not."""

    certificate: Certificate
    recorded: bool
    problem: str | None = None


def draft(trainee: str, course_title: str, module: Module, summary: ModuleSummary, when: dt.datetime) -> Certificate:
    """The certificate a passed assessment earns, with a fresh code (the store may give back an older one)."""
    return Certificate(new_code(), trainee, course_title, module.id, module.title, module.version, summary.score,
                       summary.points, summary.max_points, summary.pass_mark, when, summary.attempt_uids)


def issue(store: ProgressStore | None, certificate: Certificate) -> IssuedCertificate:
    """Record ``certificate`` (or find the one issued for the same pass); never raises for a store problem."""
    if store is None:
        return IssuedCertificate(certificate, recorded=False, problem=_not_recorded("no progress file is in use"))
    try:
        return IssuedCertificate(store.issue_certificate(certificate), recorded=True)
    except StoreError as exc:
        log.warning("certificate not recorded: %s", exc)
        return IssuedCertificate(certificate, recorded=False, problem=_not_recorded(_why(exc), store.location))


def _why(exc: StoreError) -> str:
    if isinstance(exc, StoreReadOnlyError):
        return "the progress file or its folder is read-only"
    if isinstance(exc, StoreLockedError):
        return "another program kept the progress file locked"
    if isinstance(exc, StoreFullError):
        return "the disk is full"
    if isinstance(exc, StoreVersionError):
        return "the progress file was written by a newer meso-training"
    return "the progress file could not be written"


def _not_recorded(why: str, location: str | None = None) -> str:
    where = f" ({location})" if location else ""
    return (f"Your certificate could not be recorded for verification: {why}{where}. You can still download "
            "it below, but it carries no verification code. Once the file can be written, press Show summary "
            "again to record it and get a copy with its code.")


def certificate_html(issued: IssuedCertificate) -> str:
    """The certificate as one self-contained HTML page; every text from the course or trainee is escaped."""
    c, e = issued.certificate, html.escape
    if issued.recorded:
        code = (f"<p class='code'>Verification code <strong>{e(c.shown_code)}</strong><br>"
                f"<span class='small'>The course team confirms it with "
                f"<code>meso-training verify-certificate {e(c.shown_code)}</code>.</span></p>")
    else:
        code = ("<p class='code'>Verification code: <strong>not recorded</strong><br><span class='small'>"
                "The progress file could not be written when this copy was made.</span></p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Certificate: {e(c.module_title)} ({e(c.trainee)})</title>
<style>{_CSS}</style></head>
<body><main class="certificate">
<p class="course">{e(c.course_title)}</p>
<h1>Certificate of completion</h1>
<p>This certifies that</p>
<p class="name">{e(c.trainee)}</p>
<p>has passed the assessment of the module</p>
<p class="module">{e(c.module_title)}</p>
<p>with a score of <strong>{c.score:.0%}</strong> ({c.points:g} of {c.max_points:g} points; pass mark
{c.pass_mark:.0%}) and no choice that would have harmed a patient,</p>
<p class="date">on <strong>{e(date_in_words(c.issued_at))}</strong>.</p>
<div class="signature"><div class="line"></div><p>Signature, for the course team</p></div>
<p class="issuer">Issued by {e(ISSUER)}, <em>{e(c.course_title)}</em>. Content version {e(c.content_version)}.</p>
{code}
<p class="small">{e(NOT_ADVICE)}</p>
</main></body></html>
"""


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 2rem 1rem; background: #f3f1ec; color: #1d1d1f;
  font-family: Georgia, "Times New Roman", Times, serif; line-height: 1.45; }
.certificate { max-width: 44rem; margin: 0 auto; padding: 2.5rem 3rem; background: #fff; text-align: center;
  border: 0.4rem double #2f4a6d; break-inside: avoid; page-break-inside: avoid; }
.certificate p { margin: 0.45rem 0; }
.course { font-variant: small-caps; letter-spacing: 0.06em; font-size: 1.1rem; color: #2f4a6d; }
h1 { font-size: 2rem; font-weight: normal; margin: 0.4rem 0 1.2rem; letter-spacing: 0.03em; }
.name { font-size: 1.6rem; font-weight: bold; margin: 0.6rem 0; overflow-wrap: anywhere; }
.module { font-size: 1.3rem; font-style: italic; overflow-wrap: anywhere; }
.date { margin-top: 0.8rem; }
.signature { width: 16rem; margin: 2.4rem auto 0.6rem; }
.signature .line { border-bottom: 1px solid #1d1d1f; height: 2.2rem; }
.signature p { font-size: 0.9rem; color: #444; margin-top: 0.3rem; }
.issuer { font-size: 0.95rem; }
.code { margin-top: 1rem; font-size: 1rem; }
.code strong { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; letter-spacing: 0.08em; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; }
.small { font-size: 0.8rem; color: #555; }
a { color: inherit; text-decoration: none; }
@page { margin: 12mm; }
@media print {
  html, body { background: #fff; padding: 0; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .certificate { max-width: none; width: 100%; margin: 0; padding: 14mm 16mm; }
  a, a:visited { color: inherit; text-decoration: none; }
  .certificate, .signature, p { break-inside: avoid; page-break-inside: avoid; }
}
"""


def save_certificate(document: str, folder: Path | None, certificate: Certificate) -> Path | None:
    """Write the certificate beside the progress database; a failure only loses the file copy."""
    if folder is None:
        return None
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{certificate.trainee}-{certificate.module_id}")
    path = folder / "certificates" / f"{safe}-{certificate.issued_at.date().isoformat()}.html"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
    except OSError as exc:
        log.warning("certificate not saved to %s: %s", path, exc)
        return None
    return path


@dataclass(frozen=True)
class Verification:
    """What the store says about a code: the certificate, and how its answers stand today."""

    certificate: Certificate
    attempts_found: int
    points_found: float


def verify(store: ProgressStore, code: str) -> Verification | None:
    """Look a typed code up; None if no certificate has it. Raises ``CertificateCodeError`` for text that is no code."""
    found = store.certificate(parse_code(code))
    if found is None:
        return None
    wanted = set(found.attempt_uids)
    kept = [a for a in store.attempts(trainee=found.trainee, module_id=found.module_id) if a.attempt_uid in wanted]
    return Verification(found, len(kept), sum(a.points for a in kept))


def verification_report(v: Verification) -> list[str]:
    """What ``verify-certificate`` prints: who passed what, when, with what score, and whether the answers agree."""
    c = v.certificate
    lines = [f"Certificate {c.shown_code} is on record in this progress file.",
             f"  {c.trainee} passed the assessment of \"{c.module_title}\" ({c.course_title}, "
             f"content version {c.content_version})",
             f"  on {date_in_words(c.issued_at)} ({c.issued_at:%Y-%m-%d %H:%M} UTC),",
             f"  with a score of {c.score:.0%} ({c.points:g} of {c.max_points:g} points; pass mark {c.pass_mark:.0%})."]
    expected = len(c.attempt_uids)
    if v.attempts_found == expected and math.isclose(v.points_found, c.points, abs_tol=1e-6):
        lines.append(f"  The {expected} answer{'s' if expected != 1 else ''} it was issued on are still in this file "
                     "and add up to that score.")
    elif v.attempts_found == expected:
        lines.append(f"  Warning: the {expected} answers it was issued on are in this file but add up to "
                     f"{v.points_found:g} points, not {c.points:g}: the file may have been edited.")
    else:
        missing = expected - v.attempts_found
        lines.append(f"  Note: {missing} of the {expected} answers it was issued on are no longer in this file "
                     "(the record of the certificate itself is intact); they may have been lost with a damaged "
                     "file or kept in another progress file.")
    return lines
