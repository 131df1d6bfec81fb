"""The cohort report: one self-contained HTML file an instructor can open offline and pass on.

Everything is inside the file: figures as PNG data URLs, the styles, and a few lines of
script that sort a table by the column clicked (the tables work unsorted without it). Each
figure and table carries one line on how to read it, in the words of the authoring guide's
section "Reading the item analysis", so the report can be read without the guide at hand.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from meso_training.analytics.case_flow_plot import case_flow_figure
from meso_training.analytics.case_paths import CasePaths
from meso_training.analytics.item_analysis import ModuleAnalysis
from meso_training.analytics.item_table import UNDEFINED, number_text, percent_text
from meso_training.analytics.option_analysis import QuestionOptions, harmful_choices
from meso_training.analytics.report_plots import item_map_figure, png, totals_figure

GUIDE = {
    "module": "CIC (Cronbach's alpha) below 75% in an assessment: the module's questions do not agree on who "
              "knows the material; look at the flagged questions first. The standard error is the noise in a "
              "trainee's total, in points.",
    "items": "Click a column to sort. Discrimination below 0: stronger trainees get this wrong more often; check "
             "the key. Efficiency below 15%: the question separates trainees poorly. Facility near the guess "
             "score: it measures little beyond luck.",
    "map": "Each dot is a question: to the right the easier, to the top the better it separates stronger from "
           "weaker trainees; below the dashed line (20) it adds little, below 0 check the key.",
    "totals": "How the module totals spread; a pile at the top means the module is easy for this cohort.",
    "options": "The share of each third of the cohort (by module total) who chose each option. A distractor no "
               "one chooses does no work; one the top third chooses more than the bottom third may be defensible.",
    "harm": "Each harmful choice and how many trainees made it, by third: a harmful choice made by the top "
            "third points to teaching that leaves a dangerous gap.",
    "cases": "Trainees who worked on each case and the share who made a harmful choice in it.",
    "paths": "Each box a step (or an ending) with the trainees who reached it, each arrow as wide as the trainees "
             "who went that way; facility here counts only those who reached the step. Many leaving at one step: "
             "read it for what stops them.",
}

SORT_SCRIPT = """
document.querySelectorAll('table.sortable th').forEach((th, column) => {
  th.tabIndex = 0;
  const sort = () => {
    const table = th.closest('table'), body = table.tBodies[0];
    const up = th.dataset.order !== 'up';
    table.querySelectorAll('th').forEach(h => { delete h.dataset.order; h.removeAttribute('aria-sort'); });
    th.dataset.order = up ? 'up' : 'down';
    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
    const key = (row) => { const t = row.cells[column].dataset.sort ?? row.cells[column].textContent;
                           const n = parseFloat(t); return isNaN(n) ? t : n; };
    const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return up ? c : -c; });
    rows.forEach(r => body.append(r));
  };
  th.addEventListener('click', sort);
  th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
});
"""

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; margin: 1.5em auto; max-width: 72em; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #1565c0; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid #bdbdbd; padding: .25em .5em; text-align: right; vertical-align: top; }
th { background: #eceff1; cursor: pointer; text-align: left; } td:first-child { text-align: left; }
td.text { text-align: left; max-width: 36em; }
th[data-order=up]::after { content: " ▲"; } th[data-order=down]::after { content: " ▼"; }
.guide { color: #455a64; font-size: .9em; margin: .2em 0 .6em; }
.warning { border-left: .35em solid #e65100; background: #fff3e0; padding: .4em .7em; }
.flag { color: #b71c1c; } tr.flagged td:first-child { font-weight: 600; }
img { max-width: 100%; height: auto; } figure { margin: .5em 0 1.2em; }
details { margin: .3em 0; } summary { cursor: pointer; }
@media print { th { cursor: auto; } details { break-inside: avoid; } }
"""


@dataclass(frozen=True)
class ModuleReport:
    analysis: ModuleAnalysis
    options: Sequence[QuestionOptions] = ()
    cases: Sequence[CasePaths] = ()
    """The module's cases, each with who started it and who was failed for safety."""


def _cell(text: str, sort: float | None = None, cls: str = "") -> str:
    key = f" data-sort='{sort:.6g}'" if sort is not None else (" data-sort='-1e9'" if text == UNDEFINED else "")
    return f"<td{key}{f' class={cls!r}' if cls else ''}>{escape(text)}</td>"


def _image(data: bytes, alt: str) -> str:
    return f"<img alt='{escape(alt)}' src='data:image/png;base64,{base64.b64encode(data).decode('ascii')}'>"


def _module_table(a: ModuleAnalysis) -> str:
    s = a.statistics
    rows = [("trainees", str(s.n)), ("questions", str(s.items)),
            ("mean", f"{number_text(s.mean)} of {s.max_points:g}"), ("median", number_text(s.median)),
            ("standard deviation", number_text(s.sd)), ("skewness", number_text(s.skewness, 3)),
            ("kurtosis", number_text(s.kurtosis, 3)), ("internal consistency (CIC)", percent_text(s.cic)),
            ("error ratio", percent_text(s.error_ratio)), ("standard error", f"{number_text(s.standard_error)} points")]
    body = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"<table class='module-figures'><tbody>{body}</tbody></table><p class='guide'>{escape(GUIDE['module'])}</p>"


def _items_table(a: ModuleAnalysis) -> str:
    head = ("question", "prompt", "n", "facility", "95% interval", "SD", "guess", "intended weight",
            "effective weight", "discrimination", "efficiency", "to review")
    rows = []
    for r in a.items:
        i = r.statistics
        interval = r.facility_interval
        span = UNDEFINED if interval is None else f"{interval[0]:.0f}-{interval[1]:.0f}%"
        flags = "; ".join(i.flags)
        rows.append(
            f"<tr class='{'flagged' if flags else ''}'>" + _cell(r.label) + _cell(r.prompt[:160], cls="text")
            + _cell(str(i.n), i.n) + _cell(percent_text(i.facility), i.facility) + _cell(span)
            + _cell(percent_text(i.sd), i.sd) + _cell(percent_text(r.random_guess), r.random_guess)
            + _cell(percent_text(i.intended_weight), i.intended_weight)
            + _cell(percent_text(i.effective_weight), i.effective_weight)
            + _cell(number_text(i.discrimination, 1), i.discrimination)
            + _cell(percent_text(i.efficiency), i.efficiency)
            + f"<td class='text flag'>{escape(flags)}</td></tr>")
    header = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    return (f"<p class='guide'>{escape(GUIDE['items'])}</p><table class='sortable items'><thead><tr>{header}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _options_html(options: Sequence[QuestionOptions]) -> str:
    if not options:
        return "<p>No answers with options to count (long-form tables carry no answers).</p>"
    parts = [f"<p class='guide'>{escape(GUIDE['options'])}</p>"]
    for q in options:
        rows = "".join(
            f"<tr>{_cell(row.text, cls='text')}{_cell('key' if row.correct else 'harmful' if row.critical else '')}"
            f"{_cell(str(row.chosen), row.chosen)}"
            + "".join(_cell(f"{100 * share:.0f}%", share) for share in row.by_third)
            + f"<td class='text flag'>{escape('; '.join(row.flags))}</td></tr>" for row in q.rows)
        flagged = sum(1 for row in q.rows if row.flags)
        parts.append(f"<details{' open' if flagged else ''}><summary>{escape(q.question_id)}: "
                     f"{escape(q.prompt[:120])} ({q.answered} answers{f', {flagged} flagged' if flagged else ''})"
                     "</summary><table class='sortable options'><thead><tr><th>option</th><th>role</th>"
                     "<th>chosen</th><th>top third</th><th>middle third</th><th>bottom third</th><th>to review</th>"
                     f"</tr></thead><tbody>{rows}</tbody></table></details>")
    return "".join(parts)


def _share_text(share: float | None) -> str:
    return "nobody started it" if share is None else f"{100 * share:.0f}%"


def _harm_html(options: Sequence[QuestionOptions], cases: Sequence[CasePaths]) -> str:
    harms = harmful_choices(options)
    rows = "".join(f"<tr>{_cell(q.question_id)}{_cell(row.text, cls='text')}{_cell(str(row.chosen), row.chosen)}"
                   + "".join(_cell(f"{100 * share:.0f}%", share) for share in row.by_third) + "</tr>"
                   for q, row in harms)
    table = (f"<table class='sortable harm'><thead><tr><th>question</th><th>harmful choice</th><th>trainees</th>"
             f"<th>top third</th><th>middle third</th><th>bottom third</th></tr></thead><tbody>{rows}</tbody></table>"
             if harms else "<p>No question of this module has a harmful option answered in its current version.</p>")
    case_rows = "".join(f"<tr>{_cell(c.title, cls='text')}{_cell(str(c.started), c.started)}"
                        f"{_cell(str(c.failed_for_safety), c.failed_for_safety)}"
                        f"{_cell(_share_text(c.safety_share), c.safety_share)}</tr>" for c in cases)
    case_table = (f"<h3>Cases</h3><p class='guide'>{escape(GUIDE['cases'])}</p><table class='sortable cases'><thead>"
                  "<tr><th>case</th><th>trainees</th><th>failed for safety</th><th>share</th></tr></thead>"
                  f"<tbody>{case_rows}</tbody></table>" if cases else "")
    return f"<h3>Harmful choices</h3><p class='guide'>{escape(GUIDE['harm'])}</p>{table}{case_table}"


def case_paths_html(paths: Sequence[CasePaths]) -> str:
    """Per started case: its flow figure and, per step reached, where the trainees went next."""
    parts = []
    for p in paths:
        if not p.started:
            continue
        rows = "".join(
            f"<tr>{_cell(s.step_id)}{_cell('' if s.keyed else 'remediation')}{_cell(str(s.reached), s.reached)}"
            f"{_cell(percent_text(s.facility), s.facility)}{_cell(str(s.left_unfinished), s.left_unfinished)}"
            f"<td class='text'>{escape('; '.join(f'{r.target}: {r.trainees}' for r in s.routes))}</td></tr>"
            for s in p.steps if s.reached)
        parts.append(f"<h4>{escape(p.title)}</h4><figure>{_image(png(case_flow_figure(p)), f'paths through {p.title}')}"
                     f"</figure><table class='sortable paths'><thead><tr><th>step</th><th>role</th><th>reached</th>"
                     f"<th>facility of those reaching</th><th>left unfinished</th><th>went on to</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    if not parts:
        return ""
    return f"<h3>Case paths</h3><p class='guide'>{escape(GUIDE['paths'])}</p>{''.join(parts)}"


def module_section(report: ModuleReport) -> str:
    a = report.analysis
    warning = (f"<p class='warning' role='note'>Only {a.trainees} trainee{'s' if a.trainees != 1 else ''}: with "
               "fewer than 30, discrimination and efficiency swing from one cohort to the next. Read a flag as a "
               "reason to re-read the question, not as a verdict; the facility intervals show how wide the "
               "uncertainty is.</p>" if a.small_cohort else "")
    changed = (f"<p>Changed during the cohort, each version analysed apart: {escape(', '.join(a.changed_questions))}"
               "</p>" if a.changed_questions else "")
    figures = (f"<figure>{_image(png(item_map_figure(a)), 'questions by facility and discrimination')}"
               f"<figcaption class='guide'>{escape(GUIDE['map'])}</figcaption></figure>"
               f"<figure>{_image(png(totals_figure(a, list(a.totals))), 'spread of module totals')}"
               f"<figcaption class='guide'>{escape(GUIDE['totals'])}</figcaption></figure>")
    return (f"<section class='module' id='module-{escape(a.module_id)}'><h2>{escape(a.title)}</h2>{warning}{changed}"
            f"<h3>The module as a test</h3>{_module_table(a)}<h3>Questions</h3>{_items_table(a)}{figures}"
            f"<h3>Options chosen, by thirds of the cohort</h3>{_options_html(report.options)}"
            f"{_harm_html(report.options, report.cases)}{case_paths_html(report.cases)}</section>")


def report_html(title: str, modules: Sequence[ModuleReport], *, sources: Sequence[str], mode: str,
                generated: dt.datetime | None = None) -> str:
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%d %B %Y, %H:%M UTC")
    nav = "".join(f"<li><a href='#module-{escape(m.analysis.module_id)}'>{escape(m.analysis.title)}</a> "
                  f"({m.analysis.trainees} trainees)</li>" for m in modules)
    body = "".join(module_section(m) for m in modules)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Item analysis: {escape(title)}</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{STYLE}</style></head><body>"
            f"<h1>Item analysis: {escape(title)}</h1><p>{escape(mode.capitalize())} answers, first attempt of each "
            f"trainee at each question version; written {escape(when)} from {escape(', '.join(sources))}. Figures "
            "follow Moodle's quiz statistics report.</p>"
            f"<nav aria-label='Modules'><ul>{nav}</ul></nav>{body}<script>{SORT_SCRIPT}</script></body></html>")
