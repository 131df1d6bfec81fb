"""``meso-training``: the instructor's command line, a thin layer over library functions."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from meso_training.authoring.coverage import census, coverage_report
from meso_training.authoring.lint import lint_course
from meso_training.authoring.loader import load_course, load_in_course
from meso_training.authoring.quiz_files import files_in_course, locate_course
from meso_training.cli_analysis import add_item_analysis
from meso_training.cli_course_folder import add_course_folder_commands
from meso_training.cli_records import add_serve_records
from meso_training.errors import CertificateCodeError, MesoTrainingError, QuizFormatError
from meso_training.model import Case, Course, SourceRegistry, module_schema

if TYPE_CHECKING:
    from meso_training.storage.progress_import import ImportSummary

Command = Callable[[argparse.Namespace], int]


def _course(args: argparse.Namespace) -> Course:
    location = locate_course([Path(p) for p in args.paths] or None)
    print(f"Course: {location.describe()}", file=sys.stderr)
    return load_course(list(location.paths))


def cmd_validate(args: argparse.Namespace) -> int:
    in_course = files_in_course([Path(p) for p in args.paths])
    elsewhere = 0
    if in_course is not None:  # a file alone would miss ids and sources the rest of its course holds
        print(f"Course: {in_course.describe()}", file=sys.stderr)
        course, elsewhere = load_in_course(in_course)
    else:
        course = _course(args)
    modules, count = len(course.modules), sum(len(m.questions()) for m in course.modules)
    print(f"OK: {modules} module{'s' if modules != 1 else ''}, {count} question{'s' if count != 1 else ''}, "
          "no problems found")
    if elsewhere:
        print(f"note: other files of the course have {elsewhere} problem{'s' if elsewhere != 1 else ''}; "
              "run meso-training validate in the course folder to see them", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    schema = SourceRegistry.model_json_schema() if args.registry else module_schema()
    print(json.dumps(schema, indent=2))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    course = _course(args)
    for module in course.modules:
        questions = module.questions()
        print(f"{module.id}: {module.title} (version {module.version}, {len(questions)} questions)")
        for item in module.items:
            if isinstance(item, Case):
                print(f"  case {item.id} [{item.kind.value}] {item.title} ({len(item.steps)} steps)")
            else:
                print(f"  {item.type} {item.id}")
        topics = Counter(q.topic.value for _, q in questions)
        types = Counter(q.type for _, q in questions)
        print("  by topic: " + ", ".join(f"{k} {n}" for k, n in sorted(topics.items())))
        print("  by type: " + ", ".join(f"{k} {n}" for k, n in sorted(types.items())))
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    course = _course(args)
    today = dt.date.fromisoformat(args.today) if args.today else None
    findings = lint_course(course, today=today)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
    return 1 if findings else 0


def cmd_coverage(args: argparse.Namespace) -> int:
    c = census(_course(args))
    print(coverage_report(c))
    return 1 if c.uncited_facts else 0


def cmd_check_notebooks(args: argparse.Namespace) -> int:
    from meso_training.notebook_testing.check import check_notebook, checks_for

    paths: list[Path] = []
    for given in (Path(p) for p in args.paths or ["notebooks"]):
        paths += sorted(given.glob("*.ipynb")) if given.is_dir() else [given]
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for folder in dict.fromkeys(p.parent for p in paths):  # a kernel looks for the course from its notebook's folder
        print(f"Course: {locate_course(cwd=folder).describe()}, for the notebooks in {folder.absolute()}",
              file=sys.stderr)
    failed = 0
    for path in paths:
        for strategy in checks_for(path):
            check = check_notebook(path, strategy, cell_timeout=args.cell_timeout)
            print(f"{'ok  ' if check.ok else 'FAIL'} {path} [{check.name}] {check.seconds:.1f} s")
            for problem in check.problems:
                print("     " + problem.replace("\n", "\n     "))
            failed += not check.ok
    print(f"{failed} failed" if failed else "all notebooks passed")
    return 1 if failed else 0


def _db_path(args: argparse.Namespace) -> Path | str:
    from meso_training.storage import store_location

    return store_location(args.db)  # a postgresql:// URL stays a URL


def cmd_export_progress(args: argparse.Namespace) -> int:
    from meso_training.storage import open_store  # sqlite3 loads only for the commands that need it
    from meso_training.storage.transfer import export_progress

    output = Path(args.output)
    with open_store(_db_path(args)) as store:
        count = export_progress(store, output, trainee=args.trainee, fmt=args.format)
        known = store.trainees() if count == 0 and args.trainee else []
        set_aside = store.set_aside_count()
    print(f"Exported {count} attempt{'s' if count != 1 else ''} to {output}")
    if set_aside:
        print(f"note: {set_aside} stored answer{'s' if set_aside != 1 else ''} could not be read and "
              f"{'are' if set_aside != 1 else 'is'} not in the export; kept unchanged in the table "
              f"quarantined_attempts of {store.location}", file=sys.stderr)
    if known:
        print(f"note: no attempts for trainee {args.trainee!r}; this database has: {', '.join(known)}",
              file=sys.stderr)
    return 0


def cmd_import_progress(args: argparse.Namespace) -> int:
    from meso_training.engine.regrade import Regrader
    from meso_training.storage import open_store
    from meso_training.storage.progress_import import import_progress

    args.paths = [args.course] if args.course else []
    check = Regrader(_course(args))
    with open_store(_db_path(args)) as store:
        summary = import_progress(store, Path(args.file), fmt=args.format, check=check,
                                  keep_unknown=args.keep_unknown)
    for line in import_report(summary, args.file, store.location):
        print(line)
    return 0


def cmd_verify_certificate(args: argparse.Namespace) -> int:
    from meso_training.reports.certificate import verification_report, verify
    from meso_training.storage import open_store

    path = _db_path(args)
    with open_store(path) as store:
        if not store.exists():  # opening would create an empty database: a mistyped --db
            print(f"There is no progress database at {path}; check --db.", file=sys.stderr)
            return 1
        try:
            found = verify(store, args.code)
        except CertificateCodeError as exc:
            print(exc, file=sys.stderr)
            return 1
    if found is None:
        print(f"No certificate with the code {args.code.strip()!r} was issued from {store.location}. Check the code "
              "against the certificate (capitals, dashes, O and 0 do not matter), and that --db names the progress "
              "file of the course it was issued in.", file=sys.stderr)
        return 1
    for line in verification_report(found):
        print(line)
    return 0


def import_report(summary: ImportSummary, file: str, db: str) -> list[str]:
    """What an import did, in a line per finding; rows named where a person may want to look."""
    def attempts(n: int) -> str:
        return f"{n:,} attempt{'s' if n != 1 else ''}"

    lines = [f"Read {attempts(summary.read)} from {file}: {summary.added:,} added, "
             f"{summary.skipped:,} already in {db}"]
    if summary.corrected:
        lines.append(f"  {attempts(summary.corrected)} re-graded: the grade in the file was not what the answer "
                     "earns, so the course's grade was stored")
        lines += [f"    {row}" for row in summary.corrected_rows]
    if summary.not_regraded:
        lines.append(f"  {attempts(summary.not_regraded)} not re-graded: the question has changed since, so they "
                     "were kept as graded then (they do not count as mastery of today's question)")
    if summary.unknown:
        outcome = "kept (--keep-unknown)" if summary.unknown_kept else "left out; add --keep-unknown to keep them"
        lines.append(f"  {attempts(summary.unknown)} for questions this course does not have: {outcome}")
        lines += [f"    {row}" for row in summary.unknown_rows]
    return lines


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meso-training", description="Author, check and run the mesotherapy course.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Command, help_text: str, *, paths: bool = True,
            paths_help: str = "quiz files or folders (default: the course's quizzes/)") -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if paths:
            p.add_argument("paths", nargs="*", help=paths_help)
        p.set_defaults(func=func)
        return p

    add("validate", cmd_validate, "Check quiz files; list every problem as file:line: field: message.")
    add("schema", cmd_schema, "Print the JSON Schema of a module file.", paths=False).add_argument(
        "--registry", action="store_true", help="print the schema of sources.yaml instead")
    add("list", cmd_list, "List modules, items and question counts by topic and type.")
    add("lint", cmd_lint, "Flag weak teaching material: thin rationales, weak sources, stale reviews, "
        "item-writing flaws (docs/authoring.md).").add_argument(
        "--today", help="check review dates as of this day (YYYY-MM-DD)")
    add("coverage", cmd_coverage, "Show which questions cite each seed fact; fail if any is uncited.")
    db_help = "the progress database (default: $MESO_TRAINING_DB, else progress.sqlite3 in the user data folder)"
    export = add("export-progress", cmd_export_progress,
                 "Write stored attempts to a CSV or JSON file, to move them to another machine.", paths=False)
    export.add_argument("--db", help=db_help)
    export.add_argument("--trainee", help="export only this trainee's attempts")
    export.add_argument("--format", choices=["csv", "json"], help="file format (default: from --output's suffix, "
                        "else csv)")
    export.add_argument("--output", required=True, help="the file to write (replaced if it exists)")
    imp = add("import-progress", cmd_import_progress,
              "Add the attempts of an exported file; all or nothing, and never the same attempt twice.", paths=False)
    imp.add_argument("file", help="a file written by export-progress (.csv or .json)")
    imp.add_argument("--db", help=db_help)
    imp.add_argument("--format", choices=["csv", "json"], help="file format (default: from the file)")
    imp.add_argument("--course", help="the quizzes folder to re-grade against (default: as for validate)")
    imp.add_argument("--keep-unknown", action="store_true",
                     help="also keep attempts at questions the course does not have (left out by default)")
    verify = add("verify-certificate", cmd_verify_certificate,
                 "Check a certificate's verification code against the progress database it was issued from.",
                 paths=False)
    verify.add_argument("code", help="the code printed on the certificate, e.g. MESO-7KQ2-9XRT-4DFA")
    verify.add_argument("--db", help=db_help)
    add("check-notebooks", cmd_check_notebooks,
        "Execute notebooks and play each shown module through its widgets (default: notebooks/).",
        paths_help="notebooks (.ipynb) or folders of them (default: the course's notebooks/)").add_argument(
        "--cell-timeout", type=int, default=90, help="seconds a cell may run (default 90)")
    add_item_analysis(sub)
    add_course_folder_commands(sub)
    add_serve_records(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader went away (`meso-training list | head`): stop quietly, as other tools do.
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at devnull, so Python's own flush at exit does not fail on the closed pipe again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _report_problems(exc: QuizFormatError) -> int:
    """Print the course's problems; 1 even when the reader stops early (`list | head`), so a script sees the failure."""
    try:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        # On its own line after the problems, in the same stream, so a pager or a log shows it last.
        print(f"{count} problem{'s' if count != 1 else ''} found", flush=True)
    except BrokenPipeError:
        _silence_stdout()
    return 1


def _run(args: argparse.Namespace) -> int:
    try:
        result: int = args.func(args)
    except QuizFormatError as exc:
        return _report_problems(exc)
    except MesoTrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return result
