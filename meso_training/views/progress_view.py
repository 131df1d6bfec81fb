"""The progress dashboard: plots and lists drawn from the trainee's stored attempts.

Matplotlib is imported here only, when the dashboard is shown, so importing the course
stays light; the figure is rendered to PNG so it shows the same in JupyterLab and Voila.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import ipywidgets as widgets

from meso_training.model import Course
from meso_training.model.attempt import Attempt
from meso_training.reports.progress import ProgressReport, progress_report
from meso_training.views.rendering import ShownOncePerCell, escape, html_widget


def progress_png(report: ProgressReport) -> bytes:
    """Both plots as one PNG, drawn on a bare Figure.

    A bare Figure renders through Agg without touching pyplot's backend or its list of
    open figures, so the notebook's own plotting is left as it was and nothing is left open.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.2), layout="constrained")
    bars, line = fig.subplots(1, 2)
    names = [t.topic for t in report.topics]
    bars.barh(names, [t.mastery * 100 for t in report.topics], color="#3a7ca5")
    bars.set_xlim(0, 100)
    bars.set_xlabel("mastery (%) of answered questions")
    bars.set_title("Mastery per topic")
    if report.daily_scores:
        days = [d for d, _, _ in report.daily_scores]
        line.plot(days, [s * 100 for _, s, _ in report.daily_scores], marker="o", color="#d1495b")
        line.set_ylim(0, 100)
        fig.autofmt_xdate()
    else:
        line.text(0.5, 0.5, "No answers yet", ha="center", va="center")
    line.set_ylabel("mean score (%)")
    line.set_title("Score over time")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


class ProgressView(ShownOncePerCell, widgets.VBox):
    def __init__(self, course: Course, trainee: str, attempts: Sequence[Attempt], *, notice: str = "") -> None:
        self.notice = notice
        self.report = progress_report(course, attempts)
        r = self.report
        rows = "".join(f"<tr><td>{escape(t.topic)}</td><td>{t.answered} of {t.total}</td>"
                       f"<td>{t.mastery:.0%}</td></tr>" for t in r.topics)
        table = (f"<h2>Progress of {escape(trainee)}</h2><p>{r.attempts} answers recorded.</p>"
                 "<table class='meso-topic-table'><tr><th>Topic</th><th>Answered</th><th>Mastery</th></tr>"
                 f"{rows}</table>")
        weak = "".join(f"<li>{escape(o.text)} ({escape(o.module_id)}): {o.mastery:.0%}</li>"
                       for o in r.weakest_objectives) or "<li>None yet: answer some questions first.</li>"
        review = "".join(f"<li>{escape(m)}: {escape(q.prompt[:100])} (last score {s:.0%})</li>"
                         for m, q, s in r.review_next) or "<li>Nothing to review.</li>"
        lists = (f"<h3>Weakest learning objectives</h3><ul class='meso-weak'>{weak}</ul>"
                 f"<h3>Review next</h3><ul class='meso-review'>{review}</ul>")
        self.plot = widgets.Image(value=progress_png(r), format="png",
                                  layout=widgets.Layout(max_width="100%"), _dom_classes=("meso-plot",))
        shown = [html_widget(table), self.plot, html_widget(lists)]
        if notice:  # e.g. a damaged answer set aside: said once, above the figures it affects
            shown.insert(0, html_widget(f"<div role='status' class='meso-notice'>{escape(notice)}</div>"))
        super().__init__(shown, _dom_classes=("meso-progress-view",))
