"""Quiz paths that are not files: refused before anything is read, with the file named.

Before the fix, ``meso-training validate`` on a symlink to ``/dev/zero`` read until
``MemoryError`` and on a named pipe blocked forever. The commands run in a subprocess so
that a regression shows as a hung child killed by the guard below, not a hung suite.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from quiz_text import QUIZZES, module_text

from meso_training.authoring.loader import load_course
from meso_training.authoring.yaml_source import MAX_FILE_BYTES, quiz_bytes
from meso_training.errors import Problem, QuizFormatError

HANG_GUARD = 120  # seconds: far above the ~1 s a refusal takes; only a hang reaches it


def validate(*paths: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "meso_training", "validate", *map(str, paths)],
                          capture_output=True, text=True, cwd=cwd, timeout=HANG_GUARD, check=False)


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def make_zero_link(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize(("make", "kind"), [(make_zero_link, "a device"), (make_fifo, "a named pipe")])
def test_validate_refuses_a_device_or_pipe_naming_the_file(tmp_path: Path, make: object, kind: str) -> None:
    assert callable(make)
    target = make(tmp_path / "module.yaml")
    result = validate(target, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{target}:1: (file): this is {kind}, not a quiz file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_pipe_among_good_files_in_a_folder_is_refused_and_the_rest_still_checked(tmp_path: Path) -> None:
    (tmp_path / "10-good.yaml").write_text(module_text(), encoding="utf-8")
    (tmp_path / "sources.yaml").write_bytes((QUIZZES / "sources.yaml").read_bytes())
    make_fifo(tmp_path / "20-pipe.yaml")
    with pytest.raises(QuizFormatError) as caught:
        load_course(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / '20-pipe.yaml'}:1: (file): this is a named pipe, not a quiz file "
        "(give the path of a .yaml file saved by an editor)"]


def test_a_socket_and_a_folder_named_like_a_quiz_file_are_refused(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.yaml"))
        problem = quiz_bytes(tmp_path / "s.yaml")
    finally:
        sock.close()
    assert isinstance(problem, Problem)
    assert problem.message == "this is a socket, not a quiz file"
    (tmp_path / "d.yaml").mkdir()
    problem = quiz_bytes(tmp_path / "d.yaml")
    assert isinstance(problem, Problem)
    assert problem.message in {"this is a folder, not a quiz file", "cannot read the file: Is a directory"}


def test_an_endless_device_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:  # a regular file one byte over: the reader must stop at the limit
        file.truncate(MAX_FILE_BYTES + 1)
    tracemalloc.start()
    try:
        problem = quiz_bytes(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(problem, Problem)
    assert problem.message == f"file is over the {MAX_FILE_BYTES:,}-byte limit"
    assert peak < 3 * MAX_FILE_BYTES


def test_a_regular_file_reached_through_a_symlink_still_loads(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(module_text(), encoding="utf-8")
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "10-link.yaml").symlink_to(real)
    assert quiz_bytes(tmp_path / "course" / "10-link.yaml") == real.read_bytes()
