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
from quiz_text import REMEDIATION_CASE, SINGLE, line_of, module_text

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

ORDERING = """\
  - id: q-order
    type: ordering
    topic: suitability
    difficulty: easy
    points: 1
    prompt: Put the first visit in order.
    steps:
      - id: assess
        text: Assess the patient
      - id: consent
        text: Obtain consent
    feedback: {correct: Right., incorrect: Assessment comes first.}
    rationale: The assessment finds reasons not to treat before consent is sought.
    sources: [SUIT-1]
    reviewed: 2026-01-01
    review_by: 2027-01-01
"""

# Mistakes in the parts of other question types and in a case's flow, on their own good files:
# (name, the good file, how it is broken, the text on the offending line, field, words)
MORE_MISTAKES = [
    ("ordering-steps-as-sentences", module_text(ORDERING),
     ("      - id: assess\n        text: Assess the patient\n      - id: consent\n        text: Obtain consent\n",
      "      - Assess the patient\n      - Obtain consent\n"),
     "- Assess the patient", "test-module › q-order",
     "each ordering step needs an id and a text, not just a sentence (write it as '- id: cleanse'"),
    # Both branches of s1 go to s2, so nothing leads to the remediation step listed after it.
    ("remediation-step-no-answer-reaches", module_text(REMEDIATION_CASE),
     ("            goto: fix\n", "            goto: s2\n"),
     "      - id: fix", "test-module › c1 › fix",
     "step 'fix' of case 'c1' can never be reached: every answer at 's1' is sent elsewhere by a branch"),
]


@pytest.mark.parametrize(("name", "good", "change", "on_line", "field", "words"), MORE_MISTAKES,
                         ids=[m[0] for m in MORE_MISTAKES])
def test_each_mistake_in_other_parts_is_named_at_its_file_and_line_in_plain_words(
        problems_for: Problems, quiz_dir: Path, name: str, good: str, change: tuple[str, str], on_line: str,
        field: str, words: str) -> None:
    old, new = change
    assert old in good
    text = good.replace(old, new, 1)
    problems = problems_for(text, f"{name}.yaml")
    here = [p for p in problems if p.line == line_of(text, on_line)]
    assert len(here) == 1, problems
    (problem,) = here
    assert problem.path == quiz_dir / f"{name}.yaml"
    assert problem.field.startswith(field)
    assert words in f"{problem.message} ({problem.hint})"
    assert "valid dictionary" not in problem.message


@pytest.mark.parametrize("good", [m[1] for m in MORE_MISTAKES], ids=[m[0] for m in MORE_MISTAKES])
def test_the_good_file_of_each_other_mistake_loads(load_text: Callable[..., object], good: str) -> None:
    load_text(good)


def test_there_are_at_least_fifteen_mistakes_in_the_suite() -> None:
    assert len(MISTAKES) + len(MORE_MISTAKES) >= 15


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
