"""``meso-training item-analysis``: the cohort figures of ``analytics``, wired to the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from meso_training.authoring.loader import load_course
from meso_training.authoring.quiz_files import locate_course
from meso_training.model import Mode

HELP = ("Item analysis of a cohort by Moodle's formulas: facility, discrimination, efficiency per question, "
        "internal consistency per module.")


def cmd_item_analysis(args: argparse.Namespace) -> int:
    from meso_training.analytics.cohort_sources import read_cohort
    from meso_training.analytics.item_analysis import analyse
    from meso_training.analytics.item_table import as_json, table_text

    location = locate_course([Path(args.course)] if args.course else None)
    print(f"Course: {location.describe()}", file=sys.stderr)
    course = load_course(list(location.paths))
    responses = read_cohort([Path(p) for p in args.sources], Mode(args.mode))
    if not responses:
        other = "practice" if args.mode == "assessment" else "assessment"
        print(f"No {args.mode} answers in {', '.join(args.sources)}; try --mode {other}.", file=sys.stderr)
        return 1
    analyses = analyse(responses, course, module_id=args.module)
    if not analyses:
        known = ", ".join(m.id for m in course.modules)
        print(f"No answers to module {args.module!r} in these sources; the course has: {known}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(as_json(analyses), indent=1, allow_nan=False))
    else:
        print(table_text(analyses))
    return 0


def add_item_analysis(sub: Any) -> None:
    p = sub.add_parser("item-analysis", help=HELP, description=HELP)
    p.add_argument("sources", nargs="+", help="progress databases, progress exports (.csv, .json) or long-form "
                   "tables (.csv with the header trainee,question_id,score,max_points)")
    p.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.ASSESSMENT.value,
                   help="which answers to analyse: the first of each trainee per question (default: assessment)")
    p.add_argument("--module", help="only this module")
    p.add_argument("--course", help="the quizzes folder (default: as for validate)")
    p.add_argument("--json", action="store_true", help="print machine-readable figures instead of a table")
    p.set_defaults(func=cmd_item_analysis)
