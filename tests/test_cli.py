"""The command line, called as a trainee's instructor would: exit codes and printed lines."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from quiz_text import QUIZZES, module_text

from meso_training.cli import main
from meso_training.engine.grading import keyed_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Course, Mode
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.summary import summary_html


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_validate_passes_on_the_course(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "validate", str(QUIZZES))
    assert code == 0
    assert out.startswith("OK: ")


def test_validate_lists_each_problem_as_file_line_field_message(capsys: pytest.CaptureFixture[str],
                                                                quiz_dir: Path) -> None:
    bad = module_text().replace("sources: [NAT-1]", "sources: [NAT-99]")
    (quiz_dir / "bad.yaml").write_text(bad, encoding="utf-8")
    code, out = run(capsys, "validate", str(quiz_dir))
    assert code == 1
    assert f"{quiz_dir / 'bad.yaml'}:23: test-module › q1 › sources › NAT-99: unknown source id 'NAT-99'" in out
    assert "1 problem found" in out


def test_schema_is_valid_json_schema_that_accepts_the_real_modules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in QUIZZES.glob("[0-9]*.yaml"):
        as_an_editor_sees_it = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(as_an_editor_sees_it, schema)


def test_schema_rejects_a_misspelt_field(capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads(run(capsys, "schema")[1])
    text = module_text().replace("    rationale:", "    rationle: x\n    rationale:")
    bad = json.loads(json.dumps(yaml.safe_load(text), default=str))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_list_shows_modules_items_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "list", str(QUIZZES))
    assert code == 0
    assert "orientation: Orientation" in out
    assert "case ori-case-breastfeeding [suitability]" in out
    assert "by type: " in out


def test_lint_flags_weak_only_sources_and_overdue_review(capsys: pytest.CaptureFixture[str],
                                                         load_text: Callable[..., object], quiz_dir: Path) -> None:
    text = module_text().replace("sources: [NAT-1]", "sources: [REF-47a]")
    (quiz_dir / "m.yaml").write_text(text, encoding="utf-8")
    code, out = run(capsys, "lint", str(quiz_dir), "--today", "2030-01-01")
    assert code == 1
    assert "test-module: q1: cites only weak sources" in out
    assert "test-module: q1: review is overdue since 2027-01-01" in out


def test_coverage_fails_while_a_fact_is_uncited(capsys: pytest.CaptureFixture[str], quiz_dir: Path) -> None:
    (quiz_dir / "m.yaml").write_text(module_text(), encoding="utf-8")
    code, out = run(capsys, "coverage", str(quiz_dir))
    assert code == 1
    assert "NAT-1      1  q1" in out
    assert "Uncited facts: NAT-2" in out


def test_console_script_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "meso_training", "validate", str(QUIZZES)],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


# --- verify-certificate ------------------------------------------------------------------------


def pass_assessment(course: Course, db: Path) -> str:
    """Pass the orientation assessment as a trainee would, saving every answer; the code the summary shows."""
    session = ModuleSession(course.module("orientation"), trainee="Dr Ana Silva", mode=Mode.ASSESSMENT,
                            rng=random.Random(4), now=WHEN)
    with SQLiteProgressStore(db) as store:
        for position in range(len(session.items)):
            session.go_to(position, WHEN)
            while (state := session.current_question()) is not None and session.can_answer():
                store.record(session.submit(keyed_answer(state.question), WHEN).attempt)
        shown = summary_html(session, course.registry, WHEN, None, store)
    code = re.search(r"MESO-\w{4}-\w{4}-\w{4}", shown.html)
    assert code is not None
    return code[0]


WHEN = dt.datetime(2026, 12, 3, 10, 15, tzinfo=dt.UTC)


def test_a_certificate_code_typed_sloppily_is_verified_with_who_passed_what_when(
        capsys: pytest.CaptureFixture[str], course: Course, tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    code = pass_assessment(course, db)
    typed = code.lower().replace("-", "").replace("0", "o")
    status, out = run(capsys, "verify-certificate", typed, "--db", str(db))
    assert status == 0, out
    assert f"Certificate {code} is on record in this progress file." in out
    assert "Dr Ana Silva passed the assessment of \"Orientation: how the course asks questions\"" in out
    assert "(Mesotherapy in aesthetic practice, content version 2026.11)" in out
    assert "on 3 December 2026 (2026-12-03 10:15 UTC)" in out
    assert "with a score of 100% (13 of 13 points; pass mark 60%)." in out
    assert "answers it was issued on are still in this file and add up to that score." in out


def test_an_unknown_certificate_code_exits_1_with_a_sentence(capsys: pytest.CaptureFixture[str], course: Course,
                                                             tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    pass_assessment(course, db)
    status, out = run(capsys, "verify-certificate", "MESO-2222-3333-4444", "--db", str(db))
    assert status == 1
    assert out.startswith(f"No certificate with the code 'MESO-2222-3333-4444' was issued from {db}.")
    assert "Traceback" not in out


def test_a_certificate_whose_answers_are_gone_is_still_verified_and_says_so(
        capsys: pytest.CaptureFixture[str], course: Course, tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    code = pass_assessment(course, db)
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        conn.execute("DELETE FROM attempts WHERE id IN (SELECT id FROM attempts LIMIT 2)")
    conn.close()
    status, out = run(capsys, "verify-certificate", code, "--db", str(db))
    assert status == 0
    assert f"Note: 2 of the {total} answers it was issued on are no longer in this file" in out


def test_text_that_is_no_certificate_code_exits_1_saying_what_a_code_looks_like(
        capsys: pytest.CaptureFixture[str], course: Course, tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    pass_assessment(course, db)
    status, out = run(capsys, "verify-certificate", "MESO-12", "--db", str(db))
    assert status == 1
    assert "'MESO-12' is not a certificate code. A code reads MESO and three groups of four" in out


def test_verifying_against_a_database_that_does_not_exist_creates_none(capsys: pytest.CaptureFixture[str],
                                                                        tmp_path: Path) -> None:
    db = tmp_path / "typo.sqlite3"
    status, out = run(capsys, "verify-certificate", "MESO-2222-3333-4444", "--db", str(db))
    assert status == 1
    assert f"There is no progress database at {db}; check --db." in out
    assert not db.exists()


@pytest.mark.parametrize("command", ["list", "validate", "lint", "coverage"])
def test_a_command_that_prints_the_course_problems_exits_1(capsys: pytest.CaptureFixture[str], quiz_dir: Path,
                                                          command: str) -> None:
    (quiz_dir / "bad.yaml").write_text(module_text().replace("sources: [NAT-1]", "sources: [NAT-99]"),
                                       encoding="utf-8")
    code, out = run(capsys, command, str(quiz_dir))
    assert "unknown source id 'NAT-99'" in out
    assert code == 1


def test_list_into_a_reader_that_stops_early_still_exits_1_for_a_broken_course(quiz_dir: Path) -> None:
    """`meso-training list | head` on a broken course: the problems fill more than the pipe holds."""
    nameless = "".join(f"  - {{id: q{i}, type: single_choice}}\n" for i in range(40))
    for n in range(6):
        (quiz_dir / f"broken-{n}.yaml").write_text(f"id: m{n}\ntitle: M\nversion: '1'\nobjectives: []\nitems:\n"
                                                   + nameless, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "meso_training", "list", str(quiz_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    assert b"broken-0.yaml" in process.stdout.read(200)
    process.stdout.close()  # as `| head` does, long before the last problem is written
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait() == 1
    assert "Traceback" not in errors
