"""The command line, called as a trainee's instructor would: exit codes and printed lines."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from quiz_text import QUIZZES, module_text

from meso_training.cli import main


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
    assert f"{quiz_dir / 'bad.yaml'}:23: items[0].sources[0]: unknown source id 'NAT-99'" in out
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
