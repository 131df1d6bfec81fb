"""The mistakes instructors make in quiz files, each caught at its file and line in plain words.

One mistake per file, as a new instructor made them (issue 16 §4 and more): the message must
name the slip as a clinician would understand it (a tab, curly quotes, a date in the wrong
form) and say what to do, and the location must name the question by its id.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from quiz_text import SINGLE, line_of, module_text

from meso_training.errors import Problem

Problems = Callable[..., list[Problem]]
GOOD = module_text(SINGLE)

# (name, how the file is broken, the text on the offending line, field, words the message must hold)
MISTAKES = [
    ("tab", ("    prompt: Where", "\tprompt: Where"), "\tprompt", "",
     "indented with a tab; YAML indents with spaces only"),
    ("curly-quotes", ("    prompt: Where does mesotherapy inject?", "    prompt: “Where: which layer?”"),
     "“Where", "", "curly quotes"),
    ("curly-quotes-in-feedback", ("feedback: Too deep for this technique.", "feedback: ‘Too deep: really’"),
     "‘Too deep", "", "curly quotes"),
    ("seven-spaces", ("      - id: b", "       - id: b"), "       - id: b", "",
     "indented by 7 spaces, which lines up with no line above it"),
    ("five-spaces", ("    rationale:", "     rationale:"), "     rationale:", "",
     "indented by 5 spaces"),
    ("colon-in-text", ("    prompt: Where does mesotherapy inject?", "    prompt: Note: where does it go?"),
     "Note: where", "", "a colon followed by a space inside text that is not in quotes"),
    ("day-month-year", ("reviewed: 2026-01-01", "reviewed: 25/11/2026"), "25/11/2026", "test-module › q1 › reviewed",
     "'25/11/2026' is not a date in the form YYYY-MM-DD, such as 2026-11-25"),
    ("points-in-words", ("    points: 1", "    points: five"), "points: five", "test-module › q1 › points",
     "'five' is not a number; write a number such as 5"),
    ("unknown-reference", ("sources: [NAT-1]", "sources: [REF-60]"), "REF-60", "test-module › q1 › sources › REF-60",
     "add the reference to quizzes/sources.yaml"),
    ("reference-with-leading-zero", ("sources: [NAT-1]", "sources: [NAT-01]"), "NAT-01",
     "test-module › q1 › sources › NAT-01", "did you mean 'NAT-1'?"),
    ("misspelt-field", ("    rationale:", "    rationle:"), "rationle", "test-module › q1 › rationle",
     "did you mean 'rationale'?"),
    ("missing-field", ("    difficulty: easy\n", ""), "  - id: q1", "test-module › q1 › difficulty",
     "add a 'difficulty:' line"),
    ("yes-as-text", ("        text: Into the muscle", "        text: yes"), "text: yes",
     "test-module › q1 › options › b › text", "YAML reads yes/no/on/off as true/false"),
    ("empty-prompt", ("    prompt: Where does mesotherapy inject?", '    prompt: ""'), 'prompt: ""',
     "test-module › q1 › prompt", "this must not be empty"),
    ("unknown-type", ("type: single_choice", "type: single_choise"), "  - id: q1", "test-module",
     "set 'type:' to one of"),
    ("no-correct-option", ("        correct: true\n", ""), "    options:", "test-module › q1 › options",
     "mark exactly one option 'correct: true'"),
]


@pytest.mark.parametrize(("name", "change", "on_line", "field", "words"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_named_at_its_file_and_line_in_plain_words(
        problems_for: Problems, quiz_dir: Path, name: str, change: tuple[str, str], on_line: str, field: str,
        words: str) -> None:
    old, new = change
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    problems = problems_for(text, f"{name}.yaml")
    here = [p for p in problems if p.line == line_of(text, on_line)]
    assert len(here) == 1, problems  # one problem at the line, said once
    (problem,) = here
    assert problem.path == quiz_dir / f"{name}.yaml"
    assert problem.line == line_of(text, on_line)
    assert problem.field.startswith(field)
    assert words in f"{problem.message} ({problem.hint})"
    assert "token" not in problem.message
    assert "mapping values" not in problem.message


def test_there_are_at_least_fifteen_mistakes_in_the_suite() -> None:
    assert len(MISTAKES) >= 15


def test_the_count_comes_last_on_its_own_line_and_each_problem_once(quiz_dir: Path) -> None:
    text = GOOD.replace("sources: [NAT-1]", "sources: [NAT-99]")
    (quiz_dir / "bad.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "meso_training", "validate", str(quiz_dir)],
                          capture_output=True, text=True, check=False)
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert lines[-1] == "1 problem found"
    assert len(lines) == 2  # the problem, once, then the count


def test_a_closed_pipe_stops_list_without_a_traceback() -> None:
    process = subprocess.Popen([sys.executable, "-m", "meso_training", "list"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.read(20)
    process.stdout.close()  # as `| head` does
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait() == 0
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors


def test_check_notebooks_help_names_its_paths_notebooks() -> None:
    done = subprocess.run([sys.executable, "-m", "meso_training", "check-notebooks", "--help"],
                          capture_output=True, text=True, check=True)
    assert "notebooks (.ipynb) or folders of them" in done.stdout
    assert "quiz files" not in done.stdout
