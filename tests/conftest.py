"""Shared fixtures: quiz files written in code, against the course's real source registry."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from meso_training.errors import Problem, QuizFormatError
from meso_training.loader import load_course
from meso_training.model import Course

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


def module_text(*items: str) -> str:
    return HEADER + "".join(items or (SINGLE,))


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


@pytest.fixture
def quiz_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "quizzes"
    folder.mkdir()
    shutil.copy(QUIZZES / "sources.yaml", folder / "sources.yaml")
    return folder


@pytest.fixture
def load_text(quiz_dir: Path) -> Callable[..., Course]:
    def load(text: str, name: str = "module.yaml") -> Course:
        (quiz_dir / name).write_text(text, encoding="utf-8")
        return load_course([quiz_dir])

    return load


@pytest.fixture
def problems_for(load_text: Callable[..., Course]) -> Callable[..., list[Problem]]:
    def problems(text: str, name: str = "module.yaml") -> list[Problem]:
        with pytest.raises(QuizFormatError) as info:
            load_text(text, name)
        return info.value.problems

    return problems


@pytest.fixture(scope="session")
def course() -> Course:
    return load_course([QUIZZES])
