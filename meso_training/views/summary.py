"""The end-of-module summary as HTML: score, critical errors, what to review, the certificate.

Kept apart from the runner because it is the one place assessment feedback is released:
until every item is answered, an assessment summary says only how much is left, so no
rationale or critical-error list can help with the questions still open.
"""

from __future__ import annotations

import datetime as dt
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path

from meso_training.engine.session import ModuleSession, ModuleSummary
from meso_training.model import Mode, SourceRegistry
from meso_training.reports.certificate import certificate_html, save_certificate
from meso_training.views.questions import result_html
from meso_training.views.rendering import escape


@dataclass(frozen=True)
class SummaryShown:
    """The summary's HTML, and whether it offers a certificate (so checks need not search the HTML)."""

    html: str
    certificate_offered: bool


def summary_html(session: ModuleSession, registry: SourceRegistry, when: dt.datetime,
                 certificate_dir: Path | None) -> SummaryShown:
    """What the Show summary button shows; in assessment it also writes the certificate of a pass."""
    s = session.summary()
    mode = session.mode
    if mode == Mode.ASSESSMENT and not s.complete:
        left = sum(1 for item in session.items if not item.done)
        return SummaryShown("<h3>Summary: Not finished yet</h3>"
                            f"<p role='status'>{left} item{'s' if left != 1 else ''} still to answer. In an "
                            "assessment your score, feedback and what to review are shown once every item is "
                            "answered.</p>", certificate_offered=False)
    verdict = ("Passed" if s.passed else "Not passed") if s.complete else "Not finished yet"
    parts = [f"<h3>Summary: {escape(verdict)}</h3>",
             f"<p class='meso-summary-score'>Score: {s.points:g} of {s.max_points:g} points "
             f"({s.score:.0%}); pass mark {s.pass_mark:.0%}.</p>"]
    if s.critical_errors:
        listed = "".join(f"<li>{escape(e.question_id)} ({escape(', '.join(e.choices))})</li>"
                         for e in s.critical_errors)
        parts.append(f"<div class='meso-critical' role='alert'><strong>Critical errors: "
                     f"{len(s.critical_errors)}</strong> (harmful choices; each fails its case"
                     f"{' and this assessment' if mode == 'assessment' else ''}):<ul>{listed}</ul></div>")
    else:
        parts.append("<p>Critical errors: none.</p>")
    if s.to_review:
        review = "".join(f"<li>{escape(q.id)}: {escape(q.prompt[:120])}</li>" for q in s.to_review)
        parts.append(f"<details open><summary>To review ({len(s.to_review)})</summary>"
                     f"<ul class='meso-to-review'>{review}</ul></details>")
    objectives = {o.id: o.text for o in session.module.objectives}
    if s.weak_objectives:
        weak = "".join(f"<li>{escape(objectives.get(o, o))}</li>" for o in s.weak_objectives)
        parts.append(f"<p>Objectives to work on:</p><ul class='meso-weak-objectives'>{weak}</ul>")
    offered = mode == Mode.ASSESSMENT and s.passed
    if mode == Mode.ASSESSMENT:
        parts.append(_every_answer_html(session, registry))
        if offered:
            parts.append(_certificate_link(session, s, when, certificate_dir))
    return SummaryShown("".join(parts), certificate_offered=offered)


def _every_answer_html(session: ModuleSession, registry: SourceRegistry) -> str:
    blocks = []
    for item in session.items:
        for step_id in item.answered:
            state = item.steps[step_id]
            if state.result is not None:
                blocks.append(f"<div class='meso-summary-item'><strong>{escape(state.question.id)}</strong>"
                              f"{result_html(state.result, state.question, registry)}</div>")
        if item.outcome:
            blocks.append(f"<div class='meso-case-outcome'><strong>Outcome of {escape(item.item_id)}:</strong> "
                          f"{escape(item.outcome)}</div>")
    return f"<details><summary>Feedback on every answer</summary>{''.join(blocks)}</details>"


def _certificate_link(session: ModuleSession, s: ModuleSummary, when: dt.datetime,
                      certificate_dir: Path | None) -> str:
    """A download link carrying the page itself (a data: URI), plus a copy beside the database.

    The link works in JupyterLab and Voila without a server route; the file copy survives
    the notebook being closed. Either alone is enough for the trainee to keep it.
    """
    document = certificate_html(session.trainee, session.module, s, when)
    saved = save_certificate(document, certificate_dir, session.trainee, session.module.id)
    where = f" Saved to <code>{escape(str(saved))}</code>." if saved else ""
    data = b64encode(document.encode()).decode()
    return (f"<p class='meso-certificate'><a download='certificate-{escape(session.module.id)}.html' "
            f"href='data:text/html;base64,{data}'>Download your certificate of completion</a>.{where}</p>")
