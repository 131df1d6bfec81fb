"""The progress dashboard: where the trainee stands in each module, the figures, and what to review.

Everything shown is in the trainee's words: module and case titles, topic labels, prompts
cut at a word, dates written out. Each module says how far its practice went and, apart
from it, how its assessment went, with a link that opens the module's notebook.

Links are relative to the dashboard's own notebook, so they work wherever the course
folder is served: ``20-suitability.ipynb`` from ``/lab/tree/80-progress.ipynb`` is
``/lab/tree/20-suitability.ipynb`` in JupyterLab, and from
``/voila/render/80-progress.ipynb`` is ``/voila/render/20-suitability.ipynb`` in Voila
serving the folder. The entry point decides which notebooks can be linked (``links``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from meso_training.model import Course, Mode
from meso_training.model.attempt import Attempt
from meso_training.reports.module_status import AssessmentStanding, ModuleStatus
from meso_training.reports.progress import ProgressReport, progress_report
from meso_training.storage.certificates import Certificate
from meso_training.views.progress_plots import (
    PALETTES,
    day_words,
    history_alt,
    history_figure,
    mastery_alt,
    mastery_figure,
    png,
)
from meso_training.views.rendering import ShownOncePerCell, escape, html_widget
from meso_training.views.theme import state_html, stylesheet_widget

Links = Mapping[tuple[str, Mode], str]
"""(module id, mode) -> a link, relative to the dashboard's notebook, to the notebook showing it."""


def figure_html(report: ProgressReport) -> str:
    """Both figures, each as a light and a dark picture; the stylesheet shows the one matching the theme."""
    shown = []
    for kind, draw, alt in (("mastery", mastery_figure, mastery_alt(report)),
                            ("history", history_figure, history_alt(report))):
        for palette in PALETTES:
            data = base64.b64encode(png(draw(report, palette))).decode("ascii")
            shown.append(f"<img class='meso-plot meso-plot-{palette.name} meso-plot-{kind}' "
                         f"src='data:image/png;base64,{data}' alt='{escape(alt)}'>")
    return f"<div class='meso-plots'>{''.join(shown)}</div>"


def _practice_words(status: ModuleStatus) -> str:
    p = status.practice
    if not p.started:
        return "Practice: not started."
    done = f"all {p.items} items finished" if p.finished else f"{p.items_done} of {p.items} items finished"
    answered = ("every question answered" if p.answered == p.questions
                else f"{p.answered} of {p.questions} questions answered")
    return f"Practice: {done}; {p.mastery:.0%} on your latest answers ({answered})."


def _certificate_html(status: ModuleStatus) -> str:
    """The issued certificate's date and code, so a trainee can quote it; or how to receive one."""
    c = status.certificate
    if c is not None:
        day = day_words(c.issued_at.astimezone().date())
        return (f"<p class='meso-certificate-line'>Certificate issued on {escape(day)}, "
                f"verification code <code>{escape(c.shown_code)}</code>.</p>")
    a = status.assessment
    if a is not None and a.passed:
        return ("<p class='meso-certificate-line'>No certificate yet: open the assessment and press "
                "<em>Show summary</em> to receive it.</p>")
    return ""


def _assessment_html(a: AssessmentStanding | None, offered: bool) -> str:
    if a is None:
        return "<p class='meso-assessment'>Assessment: not taken yet.</p>" if offered else ""
    if not a.complete:
        return (f"<p class='meso-assessment'>Assessment: {a.items_done} of {a.items} items answered; "
                "not finished.</p>")
    when = f" on {day_words(a.finished_at.astimezone().date())}" if a.finished_at else ""
    score = f"{a.score:.0%} (pass mark {a.pass_mark:.0%}){when}"
    if a.passed:
        return state_html("correct", "✓", f"<strong>Assessment passed</strong>: {score}.",
                          extra_class="meso-assessment")
    why = (f", because {a.critical_errors} choice{'s' if a.critical_errors > 1 else ''} would have harmed the patient"
           if a.critical_errors else "")
    return state_html("critical" if a.critical_errors else "incorrect", "✗",
                      f"<strong>Assessment not passed</strong>: {score}{why}.", extra_class="meso-assessment")


def _link(href: str, words: str, title: str) -> str:
    return (f"<a class='meso-action-link' href='{escape(href)}' aria-label='{escape(f'{words}: {title}')}'>"
            f"{escape(words)}</a>")


def _actions(status: ModuleStatus, links: Links) -> str:
    shown = []
    practice = links.get((status.module_id, Mode.PRACTICE))
    if practice:
        p = status.practice
        words = "Start" if not status.started else ("Continue" if not p.finished else "Practise again")
        shown.append(_link(practice, words, status.title))
    assessment = links.get((status.module_id, Mode.ASSESSMENT))
    a = status.assessment
    if assessment:
        words = ("Take the assessment" if a is None else "Continue the assessment" if not a.complete
                 else "See the assessment result")
        shown.append(_link(assessment, words, status.title))
    return f"<p class='meso-module-actions'>{' '.join(shown)}</p>" if shown else ""


def module_html(status: ModuleStatus, links: Links) -> str:
    """One module: its title, practice and assessment standing, and the links that continue it."""
    offered = (status.module_id, Mode.ASSESSMENT) in links
    state = "" if status.started else "<p class='meso-muted'>Not started.</p>"
    body = (state or f"<p class='meso-practice'>{escape(_practice_words(status))}</p>")
    return (f"<section class='meso-module-status' data-module='{escape(status.module_id)}'>"
            f"<h4>{escape(status.title)}</h4>{body}{_assessment_html(status.assessment, offered)}"
            f"{_certificate_html(status)}{_actions(status, links)}</section>")


def lists_html(report: ProgressReport, links: Links) -> str:
    weak = "".join(f"<li>{escape(o.text)} <span class='meso-muted'>({escape(o.module_title)}): "
                   f"{o.mastery:.0%} over {o.answered} question{'s' if o.answered > 1 else ''}</span></li>"
                   for o in report.weakest_objectives) or "<li>None yet: answer some questions first.</li>"
    items = []
    for r in report.review_next:
        href = links.get((r.module_id, Mode.PRACTICE))
        module = (f"<a href='{escape(href)}'>{escape(r.module_title)}</a>" if href else escape(r.module_title))
        case = f" · case: <em>{escape(r.case_title)}</em>" if r.case_title else ""
        items.append(f"<li><span class='meso-review-where'>{module}{case}</span><br>{escape(r.prompt)} "
                     f"<span class='meso-muted'>(last practice score {r.score:.0%})</span></li>")
    review = "".join(items) or "<li>Nothing to review.</li>"
    return (f"<h3>Weakest learning objectives</h3><ul class='meso-weak'>{weak}</ul>"
            f"<h3>Review next</h3><ul class='meso-review'>{review}</ul>")


class ProgressView(ShownOncePerCell, widgets.VBox):
    def __init__(self, course: Course, trainee: str, attempts: Sequence[Attempt], *, notice: str = "",
                 links: Links | None = None, certificates: Sequence[Certificate] = ()) -> None:
        self.notice = notice
        self.links: Links = dict(links or {})
        self.report = r = progress_report(course, attempts, certificates=certificates)
        counts = (f"{r.practice_attempts} practice answer{'s' if r.practice_attempts != 1 else ''} and "
                  f"{r.assessment_attempts} assessment answer{'s' if r.assessment_attempts != 1 else ''} recorded.")
        self.header = html_widget(f"<h2>Progress of {escape(trainee)}</h2><p>{counts}</p>")
        self.modules = html_widget("<h3>Modules</h3><div class='meso-modules'>"
                                   + "".join(module_html(m, self.links) for m in r.modules) + "</div>")
        self.plots = html_widget(figure_html(r))
        self.lists = html_widget(lists_html(r, self.links))
        shown = [stylesheet_widget(), self.header, self.modules, self.plots, self.lists]
        if notice:  # e.g. a damaged answer set aside: said once, above the figures it affects
            shown.insert(1, html_widget(f"<div role='status' class='meso-notice'>{escape(notice)}</div>"))
        super().__init__(shown, _dom_classes=("meso-progress-view",))
