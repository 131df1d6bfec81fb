"""Shared fixtures: quiz files written in code, against the course's real source registry."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from quiz_text import QUIZZES

from meso_training.authoring.loader import load_course
from meso_training.errors import Problem, QuizFormatError
from meso_training.model import Course


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
