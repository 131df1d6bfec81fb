"""The dashboard's two figures, each drawn once for the light and once for the dark theme.

A PNG cannot follow the page's theme, and one drawn for a white page is a white block in
JupyterLab's dark theme. So each figure is drawn twice on a transparent background, with
text, axes and series in colours that read on that theme's page; the stylesheet shows the
one that matches (``body[data-jp-theme-light]``, set by JupyterLab and by Voila).

The time axis fits any span. The padding is at least a day and a half on each side, so
one day of answers is a point on a three-day axis labelled by day (not one dot on a
five-year axis), a week is labelled by day, a year by month; matplotlib's
``AutoDateLocator`` picks the ticks and ``ConciseDateFormatter`` writes them short.

Matplotlib is imported inside the functions only, and figures are bare ``Figure`` objects
rendered through Agg, so pyplot's backend and its list of open figures are never touched.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from meso_training.reports.progress import ProgressReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MIN_PAD = dt.timedelta(days=1.5)
"""Least padding either side of the first and last day: three days in view keeps the ticks on days."""
LABEL_POINTS = 4
"""Up to this many days every point carries its score as text (more would overlap), and the alt text lists each day."""


@dataclass(frozen=True)
class Palette:
    """Colours that read on one theme's page (WCAG AA for the text against JupyterLab's backgrounds)."""

    name: str
    text: str
    muted: str
    grid: str
    track: str
    bar: str
    practice: str
    passed: str
    failed: str


LIGHT = Palette("light", text="#1a1a1a", muted="#4d4d4d", grid="#d9d9d9", track="#e3e3e3", bar="#1f6f9f",
                practice="#1f6f9f", passed="#2e7d32", failed="#c62828")
DARK = Palette("dark", text="#e8e8e8", muted="#bdbdbd", grid="#4a4a4a", track="#3a3a3a", bar="#64b5f6",
               practice="#64b5f6", passed="#81c784", failed="#ff8a80")
PALETTES = (LIGHT, DARK)


@contextmanager
def _styled(palette: Palette) -> Iterator[None]:
    import matplotlib as mpl

    with mpl.rc_context({
        "font.size": 9, "text.color": palette.text, "axes.labelcolor": palette.text,
        "axes.edgecolor": palette.muted, "axes.titlecolor": palette.text, "axes.titlesize": 10,
        "axes.titleweight": "bold", "xtick.color": palette.text, "ytick.color": palette.text,
        "axes.facecolor": "none", "figure.facecolor": "none", "savefig.facecolor": "none",
        "savefig.transparent": True, "legend.frameon": False, "legend.labelcolor": palette.text,
        "grid.color": palette.grid, "axes.spines.top": False, "axes.spines.right": False,
    }):
        yield


def mastery_figure(report: ProgressReport, palette: Palette) -> Figure:
    """Mastery per topic from practice: a 0-100 % track per topic, its label and numbers written above it.

    Words above the bars rather than beside them, so a narrow course area scales the picture
    down without a column of long labels squeezing the bars to nothing.
    """
    from matplotlib.figure import Figure

    with _styled(palette):
        fig = Figure(figsize=(6.6, 0.5 * len(report.topics) + 0.5), layout="constrained")
        ax = fig.subplots()
        rows = list(range(len(report.topics)))
        ax.barh(rows, [100] * len(rows), color=palette.track, height=0.32)
        ax.barh(rows, [t.mastery * 100 for t in report.topics], color=palette.bar, height=0.32)
        for row, topic in zip(rows, report.topics, strict=True):
            words = (f"{topic.mastery:.0%} on {topic.answered} of {topic.total} questions" if topic.answered
                     else f"not started · {topic.total} questions")
            ax.text(0, row - 0.22, topic.label, va="bottom", ha="left", color=palette.text)
            ax.text(100, row - 0.22, words, va="bottom", ha="right", color=palette.muted)
        ax.set_xlim(0, 100)
        ax.set_ylim(len(rows) - 0.6, -0.85)
        ax.set_axis_off()
        ax.set_title("Mastery per topic (practice: your latest answer to each question)", loc="left")
    return fig


def time_range(moments: Sequence[dt.datetime]) -> tuple[dt.datetime, dt.datetime]:
    """The padded span of the time axis: at least ``MIN_PAD`` each side, else 6 % of the span."""
    first, last = min(moments), max(moments)
    pad = max(MIN_PAD, (last - first) * 0.06)
    return first - pad, last + pad


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def history_figure(report: ProgressReport, palette: Palette) -> Figure:
    """Practice score per day, and each finished assessment as a marker of its own, on one readable time axis."""
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    with _styled(palette):
        fig = Figure(figsize=(6.6, 2.8), layout="constrained")
        ax = fig.subplots()
        ax.set_title("Practice score per day", loc="left")
        day_starts = [_day_start(d.day) for d in report.practice_days]
        assessed_days = [_day_start(a.when.astimezone().date()) for a in report.assessments]
        days, assessed = [mdates.date2num(d) for d in day_starts], [mdates.date2num(d) for d in assessed_days]
        if not days and not assessed:
            ax.text(0.5, 0.5, "No answers yet: your scores appear here once you answer.", ha="center",
                    va="center", transform=ax.transAxes, color=palette.muted)
            ax.set_axis_off()
            return fig
        scores = [d.mean * 100 for d in report.practice_days]
        if days:
            ax.plot(days, scores, marker="o", markersize=6, linewidth=1.8, color=palette.practice,
                    label="Practice: mean score of the day")
            # A few points carry their numbers; more would print over each other, so then only the latest.
            labelled = range(len(days)) if len(days) <= LABEL_POINTS else (len(days) - 1,)
            for i in labelled:
                ax.annotate(f"{scores[i]:.0f}%", (days[i], scores[i]), textcoords="offset points", xytext=(0, 7),
                            ha="center", color=palette.text, fontsize=8)
        for result, x in zip(report.assessments, assessed, strict=True):
            colour = palette.passed if result.passed else palette.failed
            ax.plot([x], [result.score * 100], marker="D", markersize=8, linestyle="none", color=colour,
                    label="Assessment passed" if result.passed else "Assessment not passed")
        _time_axis(ax, [*day_starts, *assessed_days], mdates)
        ax.set_ylim(0, 112)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.yaxis.set_major_formatter(PercentFormatter(100))
        ax.grid(axis="y", linewidth=0.6)
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        fig.legend(unique.values(), unique.keys(), loc="outside lower center", fontsize=8, ncols=len(unique))
    return fig


def _time_axis(ax: Any, moments: Sequence[dt.datetime], mdates: Any) -> None:
    low, high = time_range(moments)
    ax.set_xlim(low, high)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7, tz=dt.UTC)
    formatter = mdates.ConciseDateFormatter(
        locator, tz=dt.UTC,
        formats=["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%d %b", "%d %b %H:%M", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"])
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, transparent=True)
    return buffer.getvalue()


def mastery_alt(report: ProgressReport) -> str:
    """The mastery figure in words, for screen readers and for a picture that does not load."""
    parts = [f"{t.label} {t.mastery:.0%} ({t.answered} of {t.total} questions answered)" if t.answered
             else f"{t.label} not started" for t in report.topics]
    return "Bar chart of mastery per topic from practice answers: " + "; ".join(parts) + "."


def history_alt(report: ProgressReport) -> str:
    """The time figure in words: every day when there are few, else first, latest and best."""
    days = report.practice_days
    if not days and not report.assessments:
        return "Chart of practice score per day: no answers yet."
    if not days:
        text = "Chart of practice score per day: no practice answers yet."
    elif len(days) <= LABEL_POINTS:
        text = "Chart of practice score per day: " + "; ".join(
            f"{day_words(d.day)} {d.mean:.0%} over {d.answers} answers" for d in days) + "."
    else:
        best = max(days, key=lambda d: d.mean)
        text = (f"Chart of practice score per day over {len(days)} days from {day_words(days[0].day)} to "
                f"{day_words(days[-1].day)}: first {days[0].mean:.0%}, latest {days[-1].mean:.0%}, best "
                f"{best.mean:.0%} on {day_words(best.day)}.")
    for a in report.assessments:
        verdict = "passed" if a.passed else "not passed"
        when = day_words(a.when.astimezone().date())
        text += f" Assessment of {a.module_title}: {a.score:.0%}, {verdict}, on {when}."
    return text


def day_words(day: dt.date) -> str:
    """``20 November 2026``: a date no reader can take for another (an ISO or numeric date can be)."""
    return f"{day.day} {day:%B} {day.year}"
