"""The end-of-module summary as HTML: the verdict and why, critical errors, what to review, the certificate.

Kept apart from the runner because it is the one place assessment feedback is released:
until every item is answered, an assessment summary says only how much is left, so no
rationale or critical-error list can help with the questions still open.

Everything is in the trainee's words: question prompts, option texts and case titles,
never the ids authors give them ("no-check-needed" tells a trainee nothing). A verdict
that could surprise (a score at the pass mark, yet "Not passed") says why in one line.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path

from meso_training.engine.session import CriticalError, ModuleSession, ModuleSummary
from meso_training.model import Mode, QuestionType, SourceRegistry
from meso_training.reports.certificate import certificate_html, draft, issue, save_certificate
from meso_training.storage import ProgressStore
from meso_training.views.questions import result_html
from meso_training.views.rendering import escape
from meso_training.views.theme import state_html

PROMPT_LIMIT = 160
"""Longest prompt shown in a list, in characters; longer ones are cut at a word and end in "…"."""
_MARKUP = re.compile(r"\*\*|__|`")


@dataclass(frozen=True)
class SummaryShown:
    """The summary's HTML, and whether it offers a certificate (so checks need not search the HTML)."""

    html: str
    certificate_offered: bool


def shorten(text: str, limit: int = PROMPT_LIMIT) -> str:
    """``text`` on one line, cut at the last word boundary before ``limit`` with "…" if it is longer.

    A prompt cut mid-word ("What is the fi") reads as a typo in the course; a cut at a word
    reads as a cut.
    """
    flat = " ".join(_MARKUP.sub("", text).split())
    if len(flat) <= limit:
        return flat
    head = flat[:limit]
    space = head.rfind(" ")
    if space > 0 and flat[limit] != " ":
        head = head[:space]
    return head.rstrip(" ,;:.-–") + "…"


def summary_html(session: ModuleSession, registry: SourceRegistry, when: dt.datetime,
                 certificate_dir: Path | None, store: ProgressStore | None = None) -> SummaryShown:
    """What the Show summary button shows; for a passed assessment it also issues the certificate.

    ``store`` records the certificate for verification (None: offered without a code).
    """
    s = session.summary()
    mode = session.mode
    if mode == Mode.ASSESSMENT and not s.complete:
        left = sum(1 for item in session.items if not item.done)
        body = (f"{left} item{'s' if left != 1 else ''} still to answer. In an assessment your score, "
                "feedback and what to review are shown once every item is answered.")
        return SummaryShown("<h3>Summary: Not finished yet</h3>" + state_html("info", "i", body),
                            certificate_offered=False)
    labels = _labels(session)
    parts = [_verdict_html(s), _critical_html(s, mode)]
    if s.to_review:
        review = "".join(f"<li>{escape(labels.get(q.id, shorten(q.prompt)))}</li>" for q in s.to_review)
        parts.append(f"<details open><summary>To review ({len(s.to_review)})</summary>"
                     f"<ul class='meso-to-review'>{review}</ul></details>")
    objectives = {o.id: o.text for o in session.module.objectives}
    if s.weak_objectives:
        weak = "".join(f"<li>{escape(objectives.get(o, o))}</li>" for o in s.weak_objectives)
        parts.append(f"<p>Objectives to work on:</p><ul class='meso-weak-objectives'>{weak}</ul>")
    offered = mode == Mode.ASSESSMENT and s.passed
    if mode == Mode.ASSESSMENT:
        parts.append(_every_answer_html(session, registry, labels))
        if offered:
            parts.append(_certificate_link(session, s, registry, when, certificate_dir, store))
    return SummaryShown("".join(parts), certificate_offered=offered)


def _labels(session: ModuleSession) -> dict[str, str]:
    """Question id -> how a list names it: its prompt, after its case's title when it is a case step."""
    labels = {}
    for item in session.items:
        for state in item.steps.values():
            prompt = shorten(state.question.prompt)
            labels[state.question.id] = f"{item.case.title}: {prompt}" if item.case is not None else prompt
    return labels


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _verdict_html(s: ModuleSummary) -> str:
    score = (f"<span class='meso-summary-score'>Score: {s.points:g} of {s.max_points:g} points "
             f"({_percent(s.score)}); pass mark {_percent(s.pass_mark)}.</span>")
    if not s.complete:
        return "<h3>Summary: Not finished yet</h3>" + state_html("info", "i", f"<strong>So far.</strong> {score}")
    if s.passed:
        return "<h3>Summary: Passed</h3>" + state_html("correct", "✓", f"<strong>Passed.</strong> {score}")
    reached = s.score + 1e-9 >= s.pass_mark
    why = (f"the score ({_percent(s.score)}) reached the pass mark ({_percent(s.pass_mark)})" if reached
           else f"the score ({_percent(s.score)}) is below the pass mark ({_percent(s.pass_mark)})")
    if s.critical_errors:
        count = len(s.critical_errors)
        harmed = "one choice would have harmed the patient" if count == 1 else \
            f"{count} choices would have harmed a patient"
        named = "; ".join(_critical_words(e) for e in s.critical_errors)
        why += f"{', but' if reached else ', and'} {harmed}: {named}"
    state, icon = ("critical", "!") if s.critical_errors else ("incorrect", "✗")
    line = f"<div class='meso-why-not-passed'><strong>Not passed:</strong> {escape(why)}.</div>"
    return "<h3>Summary: Not passed</h3>" + state_html(state, icon, line + score, role="alert")


def _critical_words(e: CriticalError) -> str:
    """``Ms C., breastfeeding: Treat her today``: where the harmful choice was made, then what was chosen."""
    chosen = " and ".join(e.choice_texts) or "a harmful answer"
    where = e.case_title if e.case_title is not None else shorten(e.prompt, 80)
    return f"{where}: {chosen}" if where else chosen


def _critical_html(s: ModuleSummary, mode: Mode) -> str:
    if not s.critical_errors:
        if s.complete:
            return state_html("correct", "✓", "Critical errors: none. No choice of yours would have harmed a patient.")
        return "<p>Critical errors: none so far.</p>"
    rows = []
    for e in s.critical_errors:
        where = f"<strong>{escape(e.case_title)}</strong>: " if e.case_title else ""
        chosen = escape(" and ".join(e.choice_texts) or "a harmful answer")
        rows.append(f"<li>{where}{escape(shorten(e.prompt))}<br>You chose: <em>{chosen}</em></li>")
    fails = "each fails its case and this assessment" if mode == Mode.ASSESSMENT else "each fails its case"
    body = (f"<strong>Critical errors: {len(s.critical_errors)}</strong> (choices that would harm the patient; "
            f"{fails}):<ul class='meso-critical-list'>{''.join(rows)}</ul>")
    return state_html("critical", "!", body, role="alert")


def _every_answer_html(session: ModuleSession, registry: SourceRegistry, labels: dict[str, str]) -> str:
    blocks = []
    for item in session.items:
        for step_id in item.answered:
            state = item.steps[step_id]
            if state.result is not None:
                blocks.append(f"<div class='meso-summary-item'><strong>{escape(_label(labels, state.question))}"
                              f"</strong>{result_html(state.result, state.question, registry)}</div>")
        if item.outcome and item.case is not None:
            blocks.append(f"<div class='meso-case-outcome'><strong>Outcome of {escape(item.case.title)}:</strong> "
                          f"{escape(item.outcome)}</div>")
    return f"<details><summary>Feedback on every answer</summary>{''.join(blocks)}</details>"


def _label(labels: dict[str, str], question: QuestionType) -> str:
    return labels.get(question.id, shorten(question.prompt))


def _certificate_link(session: ModuleSession, s: ModuleSummary, registry: SourceRegistry, when: dt.datetime,
                      certificate_dir: Path | None, store: ProgressStore | None) -> str:
    """A download link carrying the page itself (a data: URI), plus a copy beside the database.

    The link works in JupyterLab and Voila without a server route; the file copy survives
    the notebook being closed. Either alone is enough for the trainee to keep it. Issuing
    is idempotent, so showing the summary again shows the same code.
    """
    issued = issue(store, draft(session.trainee, registry.course_title, session.module, s, when))
    document = certificate_html(issued)
    saved = save_certificate(document, certificate_dir, issued.certificate)
    data = b64encode(document.encode()).decode()
    link = (f"<a class='meso-action-link' download='certificate-{escape(session.module.id)}.html' "
            f"href='data:text/html;base64,{data}'>Download your certificate (HTML, printable as PDF)</a>")
    notes = ["Open it in your browser and choose Print, then Save as PDF, to keep it as a PDF."]
    if issued.recorded:
        notes.insert(0, f"Verification code: <strong class='meso-certificate-code'>"
                        f"{escape(issued.certificate.shown_code)}</strong>.")
    if saved is not None:
        notes.append(f"A copy was saved to <code>{escape(str(saved))}</code>.")
    problem = state_html("partial", "!", escape(issued.problem), role="alert") if issued.problem else ""
    return (f"<div class='meso-certificate'><p>{link}</p><p>{' '.join(notes)}</p>{problem}</div>")
