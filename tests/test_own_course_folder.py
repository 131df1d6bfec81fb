"""A new instructor's own course folder, end to end: start it, add a module, edit it, check it all.

Everything after ``new-course`` runs as the instructor would, from inside the folder and
naming no paths: every command must find that folder's course (not the course shipped in
the package), pass, and say which course it used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]

NEW_PROMPT = "Example question, edited: when in a first visit is consent obtained?"
ADDED_QUESTION = """
  - id: scalp-hair-record-keeper
    type: short_text
    topic: safety
    difficulty: easy
    points: 1
    objectives: [scalp-hair-follow-up]
    prompt: "Added question: who writes the follow-up call in the record? Answer in one word."
    accepted: [caller, the caller]
    feedback:
      correct: Correct.
      incorrect: In the example clinic, whoever makes the call writes it in the record.
    rationale: >
      Added rationale: the person who spoke to the patient writes down what was reported and
      what was advised, while it is fresh.
    sources: [EX-2]
    reviewed: 2026-12-04
    review_by: 2027-12-04
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    """The instructor's shell: no course chosen by the environment, no outer pytest leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MESO_TRAINING_"))}
    env.update({"MESO_TRAINING_DB": str(tmp_path / "instructor-progress.sqlite3"), "MPLBACKEND": "Agg",
                "MESO_TRAINING_CACHE": str(tmp_path / "cache")})
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)


def meso(*args: str) -> list[str]:
    return [sys.executable, "-m", "meso_training", *args]


def test_an_instructor_builds_edits_and_checks_a_course_folder_from_inside_it(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    root = tmp_path / "my-course"
    assert _run(meso("new-course", str(root)), tmp_path, env).returncode == 0
    made = _run(meso("new-module", "scalp-hair"), root, env)
    assert made.returncode == 0, made.stdout + made.stderr

    module = root / "quizzes" / "scalp-hair.yaml"
    text = module.read_text(encoding="utf-8")
    old_prompt = "Example question: at which moment of a first visit is the patient's consent obtained?"
    assert old_prompt in text
    module.write_text(text.replace(old_prompt, NEW_PROMPT) + ADDED_QUESTION, encoding="utf-8")

    quizzes = str(root / "quizzes")
    validate = _run(meso("validate"), root, env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert validate.stdout == "OK: 1 module, 9 questions, no problems found\n"
    assert f"Course: {quizzes} (found in the working folder)" in validate.stderr

    lint = _run(meso("lint"), root, env)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert lint.stdout == "0 findings\n"
    assert f"Course: {quizzes}" in lint.stderr

    checked = _run(meso("check-notebooks"), root, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Course: {quizzes} (found in the working folder), for the notebooks in {root / 'notebooks'}" in \
        checked.stderr
    assert "ok   notebooks/10-scalp-hair.ipynb [play-branches]" in checked.stdout
    assert checked.stdout.endswith("all notebooks passed\n")

    tested = _run([sys.executable, "-m", "pytest", "--meso-notebooks"], root, env)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert f"meso-training course: {quizzes} (found in the working folder)" in tested.stdout
    assert "5 passed" in tested.stdout  # the start page, and the module's execution and three play-throughs
    assert not Path(env["MESO_TRAINING_DB"]).exists()  # every check ran on a progress database of its own
