"""Export and import of progress on real SQLite files: round trips, idempotency, filters, bad files.

A trainee moves machines or an instructor collects results: the copy must hold exactly what
the database held, importing twice must add nothing, and a damaged file must change nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meso_training.cli import main
from meso_training.errors import ProgressFileError
from meso_training.model.attempt import Attempt
from meso_training.storage.progress_import import ImportSummary, import_progress
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.storage.transfer import COLUMNS, export_progress

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def make_attempt(number: int, **changes: Any) -> Attempt:
    values: dict[str, Any] = {
        "trainee": "Ann", "module_id": "foundations", "item_id": f"case-{number}", "question_id": f"q{number}",
        "content_hash": "c0ffee", "answer": ["b", "d"], "score": 0.5, "points": 1.0, "max_points": 2.0,
        "correct": False, "critical": False, "mode": "practice", "seed": 42,
        "shown_at": T0 + dt.timedelta(minutes=number), "submitted_at": T0 + dt.timedelta(minutes=number, seconds=30),
        "attempt_uid": uuid.uuid4().hex,
    }
    values.update(changes)
    return Attempt(**values)


SAMPLE = [
    make_attempt(1),
    make_attempt(2, trainee="Zoë, \"Dr\" O'Brien\nline two", answer="acide tranexamique, 5 % =SUM(A1)",
                 score=1.0, points=2.0, correct=True, seed=None),
    make_attempt(3, content_hash="c0\rffee", answer={"p1": "defer", "p2": "proceed"}, critical=True,
                 mode="assessment", seed=-(2**63)),  # a lone "\r" split CSV rows before the writer quoted it
    make_attempt(4, trainee="Ben", answer=4.5, score=0.0, points=0.0,
                 submitted_at=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))),
    make_attempt(5, trainee="Ben", answer=["s3", "s1", "s2"], score=1 / 3, points=0.3333),
]


def open_store(path: Path) -> SQLiteProgressStore:
    return SQLiteProgressStore(path)


@pytest.fixture
def source_db(tmp_path: Path) -> Iterator[SQLiteProgressStore]:
    with open_store(tmp_path / "a" / "progress.sqlite3") as store:
        store.record_many(SAMPLE)
        yield store


@pytest.fixture
def target_db(tmp_path: Path) -> Iterator[SQLiteProgressStore]:
    with open_store(tmp_path / "b" / "progress.sqlite3") as store:
        yield store


# ---- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("out.csv", None), ("out.json", None), ("out.txt", "json"),
                                           ("out.dat", "csv"), ("out.txt", None)])
def test_export_then_import_into_another_database_keeps_every_field(source_db: SQLiteProgressStore,
                                                                    target_db: SQLiteProgressStore, tmp_path: Path,
                                                                    name: str, fmt: str | None) -> None:
    dest = tmp_path / name
    assert export_progress(source_db, dest, fmt=fmt) == len(SAMPLE)
    summary = import_progress(target_db, dest)
    assert summary == ImportSummary(read=len(SAMPLE), added=len(SAMPLE), skipped=0)
    assert target_db.attempts() == source_db.attempts()


def test_the_format_follows_the_suffix_unless_given(source_db: SQLiteProgressStore, tmp_path: Path) -> None:
    export_progress(source_db, tmp_path / "a.json")
    export_progress(source_db, tmp_path / "a.csv")
    export_progress(source_db, tmp_path / "b.csv", fmt="json")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["kind"] == "meso-training-progress"
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n")
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").startswith("{")


def test_reimporting_the_same_file_adds_nothing(source_db: SQLiteProgressStore, target_db: SQLiteProgressStore,
                                                tmp_path: Path) -> None:
    for name in ("out.csv", "out.json"):
        export_progress(source_db, tmp_path / name)
    import_progress(target_db, tmp_path / "out.csv")
    assert import_progress(target_db, tmp_path / "out.csv") == ImportSummary(read=5, added=0, skipped=5)
    assert import_progress(target_db, tmp_path / "out.json") == ImportSummary(read=5, added=0, skipped=5)
    assert len(target_db.attempts()) == len(SAMPLE)


def test_importing_into_the_database_it_came_from_adds_nothing(source_db: SQLiteProgressStore, tmp_path: Path) -> None:
    export_progress(source_db, tmp_path / "out.json")
    assert import_progress(source_db, tmp_path / "out.json").added == 0
    assert len(source_db.attempts()) == len(SAMPLE)


def test_an_overlapping_file_adds_only_the_new_attempts(source_db: SQLiteProgressStore, target_db: SQLiteProgressStore,
                                                        tmp_path: Path) -> None:
    target_db.record_many(SAMPLE[:2])
    export_progress(source_db, tmp_path / "out.csv")
    assert import_progress(target_db, tmp_path / "out.csv") == ImportSummary(read=5, added=3, skipped=2)


@pytest.mark.parametrize("name", ["ben.csv", "ben.json"])
def test_the_trainee_filter_exports_only_that_trainee(source_db: SQLiteProgressStore, target_db: SQLiteProgressStore,
                                                      tmp_path: Path, name: str) -> None:
    assert export_progress(source_db, tmp_path / name, trainee="Ben") == 2
    import_progress(target_db, tmp_path / name)
    assert target_db.trainees() == ["Ben"]
    assert target_db.attempts() == source_db.attempts(trainee="Ben")


def test_a_filter_that_matches_no_one_writes_an_empty_file_that_imports_nothing(
        source_db: SQLiteProgressStore, target_db: SQLiteProgressStore, tmp_path: Path) -> None:
    assert export_progress(source_db, tmp_path / "none.csv", trainee="Nobody") == 0
    assert import_progress(target_db, tmp_path / "none.csv") == ImportSummary(read=0, added=0, skipped=0)


# Prefixes that spreadsheets read as formulas, and apostrophes, which the CSV escape uses.
TEXT = st.tuples(st.sampled_from(["", "", "=", "'", "''", "+", "-", "@", "\t"]),
                 st.text(min_size=1, max_size=30)).map("".join).filter(str.strip)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ATTEMPTS = st.builds(
    Attempt, trainee=TEXT, module_id=TEXT, item_id=TEXT, question_id=TEXT, content_hash=TEXT, answer=JSON_VALUES,
    score=st.floats(0, 1), points=st.floats(-1e300, 1e300), max_points=st.floats(0, 1e300),
    correct=st.booleans(), critical=st.booleans(), mode=st.sampled_from(["practice", "assessment"]),
    seed=st.none() | st.integers(-(2**63), 2**63 - 1),
    shown_at=st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)),
    submitted_at=st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2200, 1, 1),
                              timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-11))])),
    attempt_uid=st.uuids().map(lambda u: u.hex),
)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(attempts=st.lists(ATTEMPTS, min_size=1, max_size=4, unique_by=lambda a: a.attempt_uid),
       fmt=st.sampled_from(["csv", "json"]))
def test_any_attempts_survive_the_round_trip_exactly(tmp_path: Path, attempts: list[Attempt], fmt: str) -> None:
    run = tmp_path / uuid.uuid4().hex
    with open_store(run / "a.sqlite3") as a, open_store(run / "b.sqlite3") as b:
        a.record_many(attempts)
        export_progress(a, run / f"out.{fmt}")
        assert import_progress(b, run / f"out.{fmt}").added == len(attempts)
        assert sorted(b.attempts(), key=lambda x: x.attempt_uid) == sorted(attempts, key=lambda x: x.attempt_uid)


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"click\")", "+1", "-2+3", "@SUM(A1)", "\tx", "'=quoted",
                                  "'plain", "O'Neil"])
def test_csv_cells_never_start_a_spreadsheet_formula_and_still_round_trip(
        tmp_path: Path, target_db: SQLiteProgressStore, name: str) -> None:
    with open_store(tmp_path / "a.sqlite3") as a:
        a.record(make_attempt(1, trainee=name))
        export_progress(a, tmp_path / "out.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert not rows[0]["trainee"].startswith(("=", "+", "-", "@", "\t"))
    assert rows[0]["trainee"] == (name if name == "O'Neil" else "'" + name)
    import_progress(target_db, tmp_path / "out.csv")
    assert [a.trainee for a in target_db.attempts()] == [name]


# ---- bad files: every bad row named, nothing written ------------------------------------------


def exported_csv(source_db: SQLiteProgressStore, tmp_path: Path, edits: dict[int, dict[str, str]],
                 extra: int | None = None) -> Path:
    """Export to CSV, then change cells as a person in a spreadsheet would: ``{row: {column: text}}``.

    Row 1 is the header, as a spreadsheet numbers them; ``extra`` first appends a copy of that row.
    """
    path = tmp_path / "out.csv"
    export_progress(source_db, path)
    records = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    if extra is not None:
        records.append(list(records[extra - 1]))
    for row, cells in edits.items():
        for column, text in cells.items():
            records[row - 1][COLUMNS.index(column)] = text
    out = io.StringIO()
    csv.writer(out).writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def test_bad_csv_rows_are_each_named_with_the_file_and_nothing_is_written(source_db: SQLiteProgressStore,
                                                                          target_db: SQLiteProgressStore,
                                                                          tmp_path: Path) -> None:
    target_db.record(make_attempt(9, trainee="Cleo"))
    path = exported_csv(source_db, tmp_path, {2: {"score": "half"}, 4: {"mode": "exam", "correct": "yes"}})
    expected = (f"cannot import {path} (nothing was imported):\n"
                "  row 2: score is not a number: 'half'\n"
                "  row 4: correct must be true or false, got 'yes'\n"
                "  row 4: mode must be one of practice, assessment, got 'exam'")
    with pytest.raises(ProgressFileError, match=f"^{re.escape(expected)}$") as info:
        import_progress(target_db, path)
    assert info.value.path == path
    assert [row for row, _ in info.value.problems] == [2, 4, 4]
    assert [a.trainee for a in target_db.attempts()] == ["Cleo"]


def test_bad_json_entries_are_each_named_and_nothing_is_written(source_db: SQLiteProgressStore,
                                                                target_db: SQLiteProgressStore,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    export_progress(source_db, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["attempts"][1]["question_id"]
    document["attempts"][2]["submitted_at"] = "yesterday"
    document["attempts"][3] = ["not", "an", "object"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProgressFileError) as info:
        import_progress(target_db, path)
    assert info.value.problems == [
        (2, "missing key 'question_id'"),
        (3, "submitted_at is not an ISO 8601 datetime: 'yesterday'"),
        (4, "expected an object with the attempt's fields, got list"),
    ]
    assert not target_db.path.exists()


def test_one_attempt_uid_with_two_versions_is_refused(source_db: SQLiteProgressStore, target_db: SQLiteProgressStore,
                                                      tmp_path: Path) -> None:
    path = exported_csv(source_db, tmp_path, {7: {"score": "0.75"}}, extra=2)
    uid = source_db.attempts()[0].attempt_uid
    with pytest.raises(ProgressFileError, match=re.escape(f"row 7: attempt_uid {uid!r} is also row 2, with other")):
        import_progress(target_db, path)
    assert target_db.attempts() == []


def test_the_same_row_twice_is_imported_once(source_db: SQLiteProgressStore, target_db: SQLiteProgressStore,
                                             tmp_path: Path) -> None:
    path = exported_csv(source_db, tmp_path, {}, extra=2)
    assert import_progress(target_db, path) == ImportSummary(read=6, added=5, skipped=1)
    assert target_db.attempts() == source_db.attempts()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.csv", "trainee,score\nAnn,1\n", "row 1: the header must be the columns"),
    ("x.csv", "", "row 1: the header must be the columns"),
    ("x.csv", b"\xff\xfe", "file: not UTF-8 text (line 1)"),
    ("x.json", "{\"attempts\": []}", "file: not a meso-training progress file"),
    ("x.json", "{\"kind\": \"meso-training-progress\", \"version\": 99, \"attempts\": []}",
     "file: progress file version 99 is not 1"),
    ("x.json", "[1, 2", "file: not valid JSON (at or before line 1)"),
    ("x.json", "{\"kind\": \"meso-training-progress\", \"version\": 1, \"attempts\": [{\"score\": NaN}]}",
     "file: not valid JSON"),
    ("x.json", "[" * 100_000, "file: line 1 nests lists and objects more than 24 levels deep"),
])
def test_files_that_are_not_progress_exports_are_refused_with_the_reason(target_db: SQLiteProgressStore, tmp_path: Path,
                                                                         name: str, content: str | bytes,
                                                                         message: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    expected = f"cannot import {path} (nothing was imported):\n  {message}"
    with pytest.raises(ProgressFileError, match=re.escape(expected)):
        import_progress(target_db, path)
    assert not target_db.path.exists()


def test_a_missing_file_is_named(target_db: SQLiteProgressStore, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(ProgressFileError, match=re.escape(f"cannot import {missing}")):
        import_progress(target_db, missing)


def test_exporting_from_a_database_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "typo.sqlite3") as store, pytest.raises(
            ProgressFileError, match=re.escape("there is no progress database at this path; check --db")):
        export_progress(store, tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def test_an_export_that_cannot_be_written_leaves_no_partial_file(source_db: SQLiteProgressStore,
                                                                 tmp_path: Path) -> None:
    dest = tmp_path / "missing-folder" / "out.csv"
    with pytest.raises(ProgressFileError, match=re.escape(f"cannot export to {dest} (nothing was written)")):
        export_progress(source_db, dest)
    existing = tmp_path / "out.csv"
    existing.write_text("old", encoding="utf-8")
    export_progress(source_db, existing)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ---- the command line ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_export_then_import_then_import_again(source_db: SQLiteProgressStore, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # SAMPLE's questions are not in the course: --keep-unknown keeps them (tests/storage/test_progress_import.py
    # imports real course attempts without it).
    out, target = tmp_path / "all.json", tmp_path / "b" / "progress.sqlite3"
    assert run(capsys, "export-progress", "--db", str(source_db.path), "--output", str(out)) == (
        0, f"Exported 5 attempts to {out}\n", "")
    code, printed, err = run(capsys, "import-progress", str(out), "--db", str(target), "--keep-unknown")
    assert (code, err.startswith("Course: ")) == (0, True)
    assert printed.splitlines()[:2] == [
        f"Read 5 attempts from {out}: 5 added, 0 already in {target}",
        "  5 attempts for questions this course does not have: kept (--keep-unknown)"]
    code, printed, _ = run(capsys, "import-progress", str(out), "--db", str(target), "--keep-unknown")
    assert printed.splitlines()[0] == f"Read 5 attempts from {out}: 0 added, 5 already in {target}"
    with open_store(target) as store:
        assert store.attempts() == source_db.attempts()


def test_cli_trainee_and_format_options(source_db: SQLiteProgressStore, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ben.txt"
    code, printed, _ = run(capsys, "export-progress", "--db", str(source_db.path), "--trainee", "Ben",
                           "--format", "json", "--output", str(out))
    assert (code, printed) == (0, f"Exported 2 attempts to {out}\n")
    assert {a["trainee"] for a in json.loads(out.read_text(encoding="utf-8"))["attempts"]} == {"Ben"}
    code, _, err = run(capsys, "export-progress", "--db", str(source_db.path), "--trainee", "Nobody",
                       "--output", str(out))
    assert code == 0
    assert err == "note: no attempts for trainee 'Nobody'; this database has: Ann, Ben, Zoë, \"Dr\" O'Brien\nline two\n"


def test_cli_uses_the_default_database_when_no_db_is_given(source_db: SQLiteProgressStore, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESO_TRAINING_DB", str(source_db.path))
    assert run(capsys, "export-progress", "--output", str(tmp_path / "x.csv"))[0] == 0
    assert (tmp_path / "x.csv").exists()


def test_cli_reports_a_bad_file_with_its_rows_and_exits_2(source_db: SQLiteProgressStore, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = exported_csv(source_db, tmp_path, {2: {"score": "half"}})
    target = tmp_path / "b.sqlite3"
    code, printed, err = run(capsys, "import-progress", str(path), "--db", str(target))
    assert (code, printed) == (2, "")
    assert err.splitlines()[1:] == [f"error: cannot import {path} (nothing was imported):",
                                    "  row 2: score is not a number: 'half'"]
    assert not target.exists()


def test_cli_requires_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export-progress"])
    assert info.value.code == 2
    assert "the following arguments are required: --output" in capsys.readouterr().err
