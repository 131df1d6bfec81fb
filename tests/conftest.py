"""Shared fixtures: quiz files written in code, against the course's real source registry."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from postgres_server import INSTALL_HINT, PostgresServer, server_bin_dir
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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster of this test session's own (one per xdist worker), on 127.0.0.1."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        pytest.fail(INSTALL_HINT)
    server = PostgresServer(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database on the session's server, dropped after the test."""
    url = postgres_server.new_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)
