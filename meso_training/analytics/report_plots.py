"""The report's figures: where each question sits (facility against discrimination) and the spread of totals.

Bare matplotlib ``Figure`` objects (no pyplot state, so a kernel or a CLI run draws them
alike), saved as PNG for embedding: the report must open offline, without a plotting
library in the browser.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from meso_training.analytics.item_analysis import ModuleAnalysis

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=110, bbox_inches="tight")
    return out.getvalue()


def item_map_figure(analysis: ModuleAnalysis) -> Figure:
    """Each question as a point: easy to the right, discriminating to the top; the flagged ones in red."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.0))
    ax = figure.add_subplot()
    shown = [(r.label, r.statistics.facility, r.statistics.discrimination, bool(r.statistics.flags))
             for r in analysis.items if r.statistics.facility is not None and r.statistics.discrimination is not None]
    for flagged, colour, name in ((False, "#1565c0", "works"), (True, "#c62828", "to review")):
        points = [(f, d) for _, f, d, is_flagged in shown if is_flagged == flagged]
        if points:
            ax.scatter([p[0] for p in points], [p[1] for p in points], c=colour, label=name, s=28,
                       marker="o" if not flagged else "X")
    for label, f, d, flagged in shown:
        if flagged:
            ax.annotate(label, (f or 0, d or 0), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.axhline(0, color="#757575", linewidth=0.8)
    ax.axhline(20, color="#9e9e9e", linewidth=0.8, linestyle="--")
    ax.set_xlim(0, 100)
    ax.set_xlabel("facility: mean score, % of the question's points")
    ax.set_ylabel("discrimination index")
    ax.set_title(f"{analysis.title}: questions by facility and discrimination", fontsize=10)
    if shown:
        ax.legend(loc="lower left", fontsize=8)
    else:
        ax.text(50, 0, "no question with a defined discrimination yet", ha="center", fontsize=9)
    return figure


def totals_figure(analysis: ModuleAnalysis, totals: list[float]) -> Figure:
    """How the trainees' module totals spread, with the mean marked."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.0))
    ax = figure.add_subplot()
    top = analysis.statistics.max_points or 1.0
    ax.hist([100 * t / top for t in totals], bins=range(0, 105, 5), color="#1565c0", edgecolor="white")
    if analysis.statistics.mean is not None:
        ax.axvline(100 * analysis.statistics.mean / top, color="#c62828", linewidth=1.2, label="mean")
        ax.legend(fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("module total, % of the points")
    ax.set_ylabel("trainees")
    ax.set_title(f"{analysis.title}: spread of totals", fontsize=10)
    return figure
