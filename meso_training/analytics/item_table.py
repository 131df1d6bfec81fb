"""The item analysis as an instructor reads it in a terminal, and as JSON for other tools.

Percentages are rounded to one decimal, as Moodle shows them; "undefined" marks a figure
whose formula divides by a spread of zero (every trainee scored the same), and a small
cohort is warned about before its figures, because discrimination computed from a dozen
trainees swings from one cohort to the next.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from meso_training.analytics.item_analysis import SMALL_COHORT, ModuleAnalysis
from meso_training.analytics.option_analysis import QuestionOptions

UNDEFINED = "undefined"
COLUMNS = ("question", "n", "facility", "SD", "guess", "intended wt", "effective wt", "discrim.", "efficiency")


def percent_text(value: float | None) -> str:
    """A percentage as the table and the report print it, or "undefined"."""
    return UNDEFINED if value is None else f"{value:.1f}%"


def number_text(value: float | None, digits: int = 2) -> str:
    """A figure as the table and the report print it, or "undefined"."""
    return UNDEFINED if value is None else f"{value:.{digits}f}"


def module_lines(a: ModuleAnalysis) -> list[str]:
    s = a.statistics
    lines = [f"{a.title} ({a.module_id}): {a.trainees} trainee{'s' if a.trainees != 1 else ''}, "
             f"{len(a.items)} item{'s' if len(a.items) != 1 else ''}"]
    if a.small_cohort:
        lines.append(f"  warning: fewer than {SMALL_COHORT} trainees; discrimination and efficiency are unstable "
                     "at this size: read them as hints, not verdicts")
    lines.append(f"  mean {number_text(s.mean)} of {s.max_points:g} points, median {number_text(s.median)}, "
                 f"SD {number_text(s.sd)}, skewness {number_text(s.skewness, 3)}, "
                 f"kurtosis {number_text(s.kurtosis, 3)}")
    lines.append(f"  internal consistency (CIC) {percent_text(s.cic)}, error ratio {percent_text(s.error_ratio)}, "
                 f"standard error {number_text(s.standard_error)} points")
    if a.changed_questions:
        lines.append("  changed during the cohort (each version analysed apart): " + ", ".join(a.changed_questions))
    rows = [COLUMNS]
    for r in a.items:
        i = r.statistics
        rows.append((r.label, str(i.n), percent_text(i.facility), percent_text(i.sd), percent_text(r.random_guess),
                     percent_text(i.intended_weight), percent_text(i.effective_weight),
                     number_text(i.discrimination, 1), percent_text(i.efficiency)))
    widths = [max(len(row[c]) for row in rows) for c in range(len(COLUMNS))]
    for row in rows:
        lines.append("  " + "  ".join(cell.ljust(w) if c == 0 else cell.rjust(w)
                                      for c, (cell, w) in enumerate(zip(row, widths, strict=True))))
    flagged = [(r.label, f) for r in a.items for f in r.statistics.flags]
    if flagged:
        lines.append("  to review:")
        lines += [f"    {label}: {flag}" for label, flag in flagged]
    return lines


def table_text(analyses: Sequence[ModuleAnalysis]) -> str:
    return "\n\n".join("\n".join(module_lines(a)) for a in analyses)


def as_json(analyses: Sequence[ModuleAnalysis],
            options: Mapping[str, Sequence[QuestionOptions]] | None = None) -> dict[str, Any]:
    """Machine-readable figures: percentages as numbers (0-100), undefined figures as null.

    ``options`` (module id -> its option analysis) adds each question's options, with the
    share of each third of the cohort who chose them, under ``options``.
    """
    modules = []
    for a in analyses:
        chosen = {q.question_id: q for q in (options or {}).get(a.module_id, ())}
        items = []
        for r in a.items:
            figures = dataclasses.asdict(r.statistics)
            figures.pop("item")
            items.append({"question_id": r.question_id, "version": r.version, "label": r.label,
                          "type": r.question_type, "max_points": r.max_points, "random_guess": r.random_guess,
                          "current_version": r.current, **figures, "flags": list(r.statistics.flags),
                          "options": [dataclasses.asdict(row) for row in chosen[r.question_id].rows]
                          if r.current and r.question_id in chosen else None})
        modules.append({"module_id": a.module_id, "title": a.title, "trainees": a.trainees,
                        "small_cohort": a.small_cohort, "changed_questions": list(a.changed_questions),
                        "statistics": dataclasses.asdict(a.statistics), "items": items})
    return {"kind": "meso-training-item-analysis", "version": 1, "modules": modules}
