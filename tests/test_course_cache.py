"""The checked-course cache: a hit skips the loader, and nothing it keeps can stand in for a check."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from quiz_text import QUIZZES

from meso_training.authoring import course_cache, loader
from meso_training.authoring.course_cache import cached_course, code_fingerprint
from meso_training.errors import QuizFormatError
from meso_training.model import Course


@pytest.fixture
def quizzes(tmp_path: Path) -> Path:
    copy = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, copy)
    return copy


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MESO_TRAINING_CACHE", str(folder))
    return folder


def _loader_must_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> Course:
        msg = "the loader ran although the cache should have answered"
        raise AssertionError(msg)

    monkeypatch.setattr(loader, "load_course", refuse)


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("course-*.pickle"))


def test_second_load_is_read_from_the_cache_and_equals_a_fresh_load(
        quizzes: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cached_course([quizzes])
    assert len(_entries(cache)) == 1
    _loader_must_not_run(monkeypatch)
    again = cached_course([quizzes])
    monkeypatch.undo()
    assert again == first == loader.load_course([quizzes])


def test_an_edited_quiz_file_is_loaded_again_and_shows_the_edit(quizzes: Path, cache: Path) -> None:
    cached_course([quizzes])
    path = quizzes / "00-orientation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", 'title: "Orientation, edited"', text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")
    assert cached_course([quizzes]).module("orientation").title == "Orientation, edited"
    assert len(_entries(cache)) == 2


def test_a_broken_file_raises_even_when_its_good_version_was_cached(quizzes: Path, cache: Path) -> None:
    cached_course([quizzes])
    path = quizzes / "00-orientation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("correct: true", "correct: maybe", 1), encoding="utf-8")
    with pytest.raises(QuizFormatError, match=r"00-orientation\.yaml"):
        cached_course([quizzes])
    assert len(_entries(cache)) == 1  # a course with problems is never kept


def test_a_changed_package_file_changes_the_fingerprint(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(Path(course_cache.__file__).parents[1], package)
    before = code_fingerprint(package)
    grader = package / "engine" / "graders" / "numeric.py"  # a file in a subpackage counts too
    grader.write_text(grader.read_text() + "\n# edited\n")
    assert code_fingerprint(package) != before


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])  # empty, garbage, a pickled 1
def test_a_damaged_entry_is_a_miss_and_is_replaced(quizzes: Path, cache: Path, damage: bytes) -> None:
    expected = cached_course([quizzes])
    (entry,) = _entries(cache)
    entry.write_bytes(damage)
    assert cached_course([quizzes]) == expected
    assert entry.read_bytes() != damage


def test_an_entry_others_can_write_is_not_unpickled(quizzes: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    cached_course([quizzes])
    (entry,) = _entries(cache)
    entry.chmod(0o666)
    calls: list[object] = []
    real = loader.load_course

    def counted(*args: object, **kwargs: object) -> Course:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_course", counted)
    cached_course([quizzes])
    assert len(calls) == 1
    assert "writable by others" in caplog.text


def test_an_unusable_cache_folder_still_loads_the_course(quizzes: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MESO_TRAINING_CACHE", str(blocker / "cache"))
    assert cached_course([quizzes]).module("orientation").id == "orientation"


def test_off_turns_the_cache_off(quizzes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESO_TRAINING_CACHE", "off")
    monkeypatch.setattr("platformdirs.user_cache_path", lambda *_: pytest.fail("cache used"))
    assert cached_course([quizzes]).module("orientation").id == "orientation"


def test_only_the_newest_entries_are_kept_and_the_latest_is_one(quizzes: Path, cache: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = quizzes / "00-orientation.yaml"
    text = path.read_text(encoding="utf-8")
    for n in range(course_cache.KEEP_ENTRIES + 3):
        path.write_text(text + f"\n# save {n}\n", encoding="utf-8")
        cached_course([quizzes])
    assert len(_entries(cache)) == course_cache.KEEP_ENTRIES
    _loader_must_not_run(monkeypatch)
    cached_course([quizzes])
