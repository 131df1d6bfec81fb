"""Hostile and forged imports on real files: bounded reading, documented limits, and re-grading by the course.

Every case here was seen as a tester: a file that never ends, a line of hundreds of
megabytes, an answer nested a thousand deep that would poison every later read, rows for
questions the course never had, and a score of 1.0 typed beside a wrong option.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meso_training import load_course
from meso_training.cli import main
from meso_training.engine.grading import grade, keyed_answer, wrong_answer
from meso_training.engine.regrade import Regrader
from meso_training.errors import ProgressFileError
from meso_training.model import Course
from meso_training.model.attempt import MAX_ANSWER_BYTES, MAX_ANSWER_DEPTH, Attempt
from meso_training.model.questions import SingleChoice
from meso_training.storage import import_source, progress_import
from meso_training.storage.progress_import import import_progress
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.storage.transfer import COLUMNS, export_progress

T0 = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course()


def course_attempt(course: Course, index: int, *, answer: Any = None, wrong: bool = False, **changes: Any) -> Attempt:
    """An attempt at the course's ``index``-th question, graded by the real grader."""
    questions = [(m, item_id, q) for m in course.modules for item_id, q in m.questions()]
    module, item_id, question = questions[index]
    if answer is None:
        answer = wrong_answer(question) if wrong else keyed_answer(question)
    result = grade(question, answer)
    values: dict[str, Any] = {
        "trainee": "Ann", "module_id": module.id, "item_id": item_id, "question_id": question.id,
        "content_hash": question.content_hash(), "answer": answer, "score": result.score, "points": result.points,
        "max_points": result.max_points, "correct": result.correct, "critical": result.critical,
        "mode": "practice", "seed": 7, "shown_at": T0 + dt.timedelta(minutes=index),
        "submitted_at": T0 + dt.timedelta(minutes=index, seconds=40), "attempt_uid": uuid.uuid4().hex,
    }
    values.update(changes)
    return Attempt(**values)


def first_single_choice(course: Course) -> int:
    questions = [q for m in course.modules for _, q in m.questions()]
    return next(i for i, q in enumerate(questions) if isinstance(q, SingleChoice))


@pytest.fixture
def target(tmp_path: Path) -> Iterator[SQLiteProgressStore]:
    with SQLiteProgressStore(tmp_path / "target.sqlite3") as store:
        yield store


def exported(tmp_path: Path, attempts: list[Attempt], name: str = "export.json") -> Path:
    with SQLiteProgressStore(tmp_path / f"source-{uuid.uuid4().hex}.sqlite3") as source:
        source.record_many(attempts)
        export_progress(source, tmp_path / name)
    return tmp_path / name


def edited_json(path: Path, row: int, **fields: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["attempts"][row - 1].update(fields)
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")


# ---- re-grading against the course ----------------------------------------------------------------


def test_a_forged_score_is_corrected_to_what_the_answer_earns_and_counted(course: Course, target: SQLiteProgressStore,
                                                                          tmp_path: Path) -> None:
    honest = [course_attempt(course, i) for i in range(3)]
    forged = course_attempt(course, 3, wrong=True)
    path = exported(tmp_path, [*honest, forged])
    edited_json(path, 4, score=1.0, points=forged.max_points, correct=True, critical=False)
    summary = import_progress(target, path, check=Regrader(course))
    assert (summary.added, summary.corrected) == (4, 1)
    assert summary.corrected_rows == (f"row 4: its answer earns score {forged.score!r}, not 1.0",)
    stored = {a.attempt_uid: a for a in target.attempts()}
    assert stored[forged.attempt_uid] == forged  # the grade the answer earns, not the one typed
    assert all(stored[a.attempt_uid] == a for a in honest)


def test_rows_for_questions_the_course_does_not_have_are_left_out_unless_kept(course: Course, tmp_path: Path) -> None:
    real = course_attempt(course, 0)
    strays = [course_attempt(course, 1, module_id="retired-module"), course_attempt(course, 2, question_id="gone")]
    path = exported(tmp_path, [real, *strays])
    with SQLiteProgressStore(tmp_path / "a.sqlite3") as store:
        summary = import_progress(store, path, check=Regrader(course))
        assert [a.attempt_uid for a in store.attempts()] == [real.attempt_uid]
    assert (summary.read, summary.added, summary.skipped, summary.unknown) == (3, 1, 0, 2)
    assert summary.unknown_rows[0] == "row 2: module 'retired-module' is not in this course"
    assert summary.unknown_rows[1].startswith("row 3: question 'gone' is not in item ")
    with SQLiteProgressStore(tmp_path / "b.sqlite3") as store:
        assert import_progress(store, path, check=Regrader(course), keep_unknown=True).added == 3


def test_an_answer_to_an_earlier_version_of_a_question_is_kept_as_graded_and_counted(
        course: Course, target: SQLiteProgressStore, tmp_path: Path) -> None:
    older = course_attempt(course, 0, wrong=True, content_hash="an-earlier-wording", score=1.0, correct=True)
    summary = import_progress(target, exported(tmp_path, [older]), check=Regrader(course))
    assert (summary.added, summary.not_regraded, summary.corrected) == (1, 1, 0)
    assert target.attempts() == [older]


def test_an_answer_the_question_cannot_take_refuses_the_whole_file(course: Course, target: SQLiteProgressStore,
                                                                   tmp_path: Path) -> None:
    index = first_single_choice(course)
    good = course_attempt(course, 0)
    bad = course_attempt(course, index)
    path = exported(tmp_path, [good, bad])
    edited_json(path, 2, answer="no-such-option")
    with pytest.raises(ProgressFileError) as info:
        import_progress(target, path, check=Regrader(course))
    [(row, message)] = info.value.problems
    assert row == 2
    assert message.startswith(f"the answer does not fit question {bad.question_id!r} as it is now")
    assert message.endswith("export it again from the trainee's own database")
    assert target.attempts() == []


def test_the_cli_re_grades_against_the_course_and_reports_each_finding(course: Course, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    forged = course_attempt(course, 0, wrong=True)
    path = exported(tmp_path, [forged, course_attempt(course, 1, content_hash="old"),
                               course_attempt(course, 2, module_id="retired")])
    edited_json(path, 1, score=1.0, points=forged.max_points, correct=True, critical=False)
    db = tmp_path / "cohort.sqlite3"
    assert main(["import-progress", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert out.err.startswith("Course: ")
    assert out.out.splitlines() == [
        f"Read 3 attempts from {path}: 2 added, 0 already in {db}",
        "  1 attempt re-graded: the grade in the file was not what the answer earns, so the course's grade was stored",
        f"    row 1: its answer earns score {forged.score!r}, not 1.0",
        "  1 attempt not re-graded: the question has changed since, so they were kept as graded then "
        "(they do not count as mastery of today's question)",
        "  1 attempt for questions this course does not have: left out; add --keep-unknown to keep them",
        "    row 3: module 'retired' is not in this course",
    ]
    with SQLiteProgressStore(db) as store:
        assert store.attempts()[0] == forged


# ---- answers too deep or too big ---------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_ANSWER_DEPTH + 1, 982, 983, 100_000])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_answer_nested_too_deep_is_refused_and_later_reads_still_work(course: Course, target: SQLiteProgressStore,
                                                                         tmp_path: Path, depth: int,
                                                                         fmt: str) -> None:
    earlier = course_attempt(course, 0)
    target.record(earlier)
    path = exported(tmp_path, [course_attempt(course, 1)], name=f"export.{fmt}")
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "json":
        document = json.loads(text)
        raw = json.dumps(document, indent=1)
        key = '"answer": '
        start = raw.index(key) + len(key)
        end = raw.index(',\n', start)
        path.write_text(raw[:start] + nested(depth) + raw[end:], encoding="utf-8")
        answer_line = raw[:start].count("\n") + 1
    else:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        rows[1][COLUMNS.index("answer")] = nested(depth)
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
    with pytest.raises(ProgressFileError) as info:
        import_progress(target, path, check=Regrader(course))
    if fmt == "json" and depth > import_source.MAX_JSON_DEPTH:  # refused before parsing (it would take hours)
        assert info.value.problems == [(None, f"line {answer_line} nests lists and objects more than "
                                              f"{import_source.MAX_JSON_DEPTH} levels deep, deeper than any answer "
                                              f"(at most {MAX_ANSWER_DEPTH}); this is not a progress export")]
    elif fmt == "csv" and depth == 100_000:  # 200,000 characters: past csv's own cell limit
        assert info.value.problems == [(None, "line 2: a cell is longer than 131,072 characters, longer than any "
                                              "cell export-progress writes; this is not a progress export")]
    else:
        assert info.value.problems == [(2 if fmt == "csv" else 1, "answer is nested more than 16 levels deep "
                                                                  "(a real answer is at most 3)")]
    assert target.attempts() == [earlier]


def test_an_answer_over_the_size_limit_is_refused(course: Course, target: SQLiteProgressStore, tmp_path: Path) -> None:
    path = exported(tmp_path, [course_attempt(course, 0)])
    edited_json(path, 1, answer="x" * (MAX_ANSWER_BYTES + 1))
    with pytest.raises(ProgressFileError, match="answer is over 65,536 bytes as JSON text"):
        import_progress(target, path)
    assert target.attempts() == []


def import_peak(target: SQLiteProgressStore, path: Path) -> tuple[ProgressFileError, int]:
    tracemalloc.start()
    try:
        with pytest.raises(ProgressFileError) as info:
            import_progress(target, path)
        return info.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_20_mb_answer_in_a_json_export_is_refused_without_reading_it_into_memory(
        course: Course, target: SQLiteProgressStore, tmp_path: Path) -> None:
    path = exported(tmp_path, [course_attempt(course, 0)])
    edited_json(path, 1, answer="x" * 20_000_000)
    error, peak = import_peak(target, path)
    assert "longer than any line export-progress writes; this is not a progress export" in str(error)
    assert peak < 8 * import_source.MAX_LINE_BYTES  # a few lines' worth, not the 20 MB line
    assert target.attempts() == []


def test_a_20_mb_single_line_csv_is_refused_without_reading_it_into_memory(target: SQLiteProgressStore,
                                                                           tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write(",".join(COLUMNS))
        file.write(",x" * 10_000_000)
    error, peak = import_peak(target, path)
    assert error.problems == [(None, f"line 1 is longer than {import_source.MAX_LINE_BYTES:,} bytes, longer than "
                                     "any line export-progress writes; this is not a progress export")]
    assert peak < 8 * import_source.MAX_LINE_BYTES


# ---- files that are not files, too big, or too long ----------------------------------------------------


def test_a_device_a_named_pipe_and_a_folder_are_refused_before_reading(target: SQLiteProgressStore,
                                                                       tmp_path: Path) -> None:
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)  # nobody writes to it: reading would block for ever
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for path, kind in ((zero, "a device"), (pipe, "a named pipe"), (folder, "a folder")):
        with pytest.raises(ProgressFileError) as info:
            import_progress(target, path)
        assert info.value.problems == [(None, f"this is {kind}, not a progress file; give the path of a .csv or "
                                              ".json file written by export-progress")]


def test_a_file_over_the_size_limit_is_refused_before_reading(target: SQLiteProgressStore, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(import_source.MAX_IMPORT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ProgressFileError, match="the file is over the 1,000,000,000-byte limit for one import"):
        import_progress(target, path)


def test_a_file_with_more_rows_than_the_limit_is_refused_whole(course: Course, target: SQLiteProgressStore,
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = exported(tmp_path, [course_attempt(course, i) for i in range(4)], name="four.csv")
    monkeypatch.setattr(progress_import, "MAX_IMPORT_ROWS", 3)
    with pytest.raises(ProgressFileError, match="the file holds more than 3 attempts, the limit for one import"):
        import_progress(target, path)
    assert target.attempts() == []


def test_a_file_of_many_bad_rows_lists_the_first_and_counts_the_rest(target: SQLiteProgressStore,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([["x"] * len(COLUMNS)] * 1000)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(ProgressFileError) as info:
        import_progress(target, path)
    assert len(info.value.problems) == 200  # kept; the others are only counted
    # Per row: the answer, three numbers, two flags, the seed and the two times (9 problems).
    assert info.value.problems[:9] == [(2, p) for p in (
        "answer is not JSON text: 'x'", "score is not a number: 'x'", "points is not a number: 'x'",
        "max_points is not a number: 'x'", "correct must be true or false, got 'x'",
        "critical must be true or false, got 'x'", "seed must be empty or a whole number, got 'x'",
        "shown_at is not an ISO 8601 datetime: 'x'", "submitted_at is not an ISO 8601 datetime: 'x'")]
    assert str(info.value).splitlines()[-1] == f"  ... and {9 * 1000 - 20:,} more"


def test_a_file_edited_between_the_check_and_the_write_writes_nothing(course: Course, target: SQLiteProgressStore,
                                                                      tmp_path: Path) -> None:
    attempts = [course_attempt(course, i % 5, attempt_uid=uuid.uuid4().hex) for i in range(300)]
    path = exported(tmp_path, attempts, name="big.csv")
    calls = 0
    regrader = Regrader(course)

    def check(attempt: Attempt) -> Any:
        nonlocal calls
        calls += 1
        if calls == len(attempts) + 1:  # the first row of the second pass: damage the last row on disk
            raw = bytearray(path.read_bytes())
            at = raw.rindex(b",practice,")
            raw[at + 1:at + 9] = b"practise"
            with path.open("r+b") as file:
                file.write(bytes(raw))
        return regrader(attempt)

    with pytest.raises(ProgressFileError, match="mode must be one of practice, assessment, got 'practise'"):
        import_progress(target, path, check=check)
    assert target.attempts() == []
