"""``meso-training item-analysis`` and ``report``: the cohort figures of ``analytics``, wired to the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meso_training.authoring.loader import load_course
from meso_training.authoring.quiz_files import locate_course
from meso_training.model import Course, Mode

if TYPE_CHECKING:
    from meso_training.analytics.item_analysis import ModuleAnalysis
    from meso_training.analytics.responses import Response

HELP = ("Item analysis of a cohort by Moodle's formulas: facility, discrimination, efficiency per question, "
        "internal consistency per module.")
REPORT_HELP = ("Write the cohort's item, distractor and harm analysis as one HTML file with figures, to open "
               "offline in a browser.")


def _cohort(args: argparse.Namespace) -> tuple[Course, list[Response], list[ModuleAnalysis]] | None:
    from meso_training.analytics.cohort_sources import read_cohort
    from meso_training.analytics.item_analysis import analyse

    location = locate_course([Path(args.course)] if args.course else None)
    print(f"Course: {location.describe()}", file=sys.stderr)
    course = load_course(list(location.paths))
    responses = read_cohort(args.sources, Mode(args.mode))
    if not responses:
        other = "practice" if args.mode == "assessment" else "assessment"
        print(f"No {args.mode} answers in {', '.join(args.sources)}; try --mode {other}.", file=sys.stderr)
        return None
    analyses = analyse(responses, course, module_id=args.module)
    if not analyses:
        known = ", ".join(m.id for m in course.modules)
        print(f"No answers to module {args.module!r} in these sources; the course has: {known}", file=sys.stderr)
        return None
    return course, responses, analyses


def cmd_item_analysis(args: argparse.Namespace) -> int:
    from meso_training.analytics.item_table import as_json, table_text
    from meso_training.analytics.option_analysis import option_analysis

    cohort = _cohort(args)
    if cohort is None:
        return 1
    course, responses, analyses = cohort
    if not args.json:
        print(table_text(analyses))
        return 0
    modules = {m.id: m for m in course.modules}
    options = {a.module_id: option_analysis(modules[a.module_id], responses) for a in analyses
               if a.module_id in modules}
    print(json.dumps(as_json(analyses, options), indent=1, allow_nan=False))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from meso_training.analytics.cohort_report import cohort_report
    from meso_training.storage.transfer import write_text_atomically

    cohort = _cohort(args)
    if cohort is None:
        return 1
    course, responses, analyses = cohort
    html, _ = cohort_report(course, responses, sources=args.sources, mode=args.mode, module_id=args.module)
    output = Path(args.output)
    write_text_atomically(output, html)
    trainees = len({r.trainee for r in responses})
    print(f"Wrote the report ({len(analyses)} module{'s' if len(analyses) != 1 else ''}, {trainees} "
          f"trainee{'s' if trainees != 1 else ''}) to {output}")
    return 0


def _sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", help="progress databases, progress exports (.csv, .json) or long-form "
                   "tables (.csv with the header trainee,question_id,score,max_points)")
    p.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.ASSESSMENT.value,
                   help="which answers to analyse: the first of each trainee per question (default: assessment)")
    p.add_argument("--module", help="only this module")
    p.add_argument("--course", help="the quizzes folder (default: as for validate)")


def add_item_analysis(sub: Any) -> None:
    p = sub.add_parser("item-analysis", help=HELP, description=HELP)
    _sources(p)
    p.add_argument("--json", action="store_true", help="print machine-readable figures instead of a table")
    p.set_defaults(func=cmd_item_analysis)
    r = sub.add_parser("report", help=REPORT_HELP, description=REPORT_HELP)
    _sources(r)
    r.add_argument("--output", required=True, help="the HTML file to write (replaced if it exists)")
    r.set_defaults(func=cmd_report)
