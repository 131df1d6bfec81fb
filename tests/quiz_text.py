"""Quiz files written in code, for the loader, CLI and notebook tests.

A plain module rather than conftest.py: tests import these names, and ``from conftest
import`` can pick up tests/views/conftest.py instead, depending on collection order.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "quizzes"

SINGLE = """\
  - id: q1
    type: single_choice
    topic: foundations
    difficulty: easy
    points: 1
    prompt: Where does mesotherapy inject?
    options:
      - id: a
        text: Into the middle layer of the skin
        correct: true
        feedback: Right, that is the target layer.
      - id: b
        text: Into the muscle
        feedback: Too deep for this technique.
    rationale: The technique delivers small doses into the middle layer of the skin.
    sources: [NAT-1]
    reviewed: 2026-01-01
    review_by: 2027-01-01
"""

HEADER = """\
id: test-module
title: Test module
version: "1"
objectives:
  - id: o1
    text: An objective
items:
"""


def _choice(step_id: str, extra: str = "") -> str:
    """A two-option step of REMEDIATION_CASE (keyed: wait)."""
    return f"""\
      - id: {step_id}
        type: single_choice
        topic: suitability
        difficulty: easy
        points: 1
        prompt: What do you do at {step_id}?
        options:
          - {{id: go, text: Go ahead today, feedback: Too early for that.}}
          - {{id: wait, text: Wait and review first, correct: true, feedback: The careful choice.}}
{extra}        rationale: A careful practitioner reviews the patient before going on.
        sources: [SUIT-4]
        reviewed: 2026-01-01
        review_by: 2027-01-01
"""


REMEDIATION_CASE = """\
  - id: c1
    type: case
    kind: suitability
    title: A case with a second chance
    vignette: A patient asks for treatment.
    patient: {age: 30, sex: female, goals: [glow]}
    steps:
""" + _choice("s1", "        branches:\n          - when: incorrect\n            goto: fix\n"
              "          - when: correct\n            goto: s2\n") + _choice("fix") + _choice("s2")
"""s1 (keyed: wait) -> s2; a wrong answer at s1 goes to the remediation step fix, then on to s2."""


def module_text(*items: str) -> str:
    return HEADER + "".join(items or (SINGLE,))


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")
