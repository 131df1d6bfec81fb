"""One damaged row never hides a trainee's other answers (issue 13, item 1).

Each test damages a real row of a real file the way a tester did (a byte changed inside
an answer, so that SQLite's ``quick_check`` still passes; text that is not UTF-8; an
answer nested too deep; a timestamp that is not one) and checks that every other answer
is still read, the damaged row is kept byte for byte in ``quarantined_attempts``, and
one notice says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from attempt_factory import make_attempt
from test_store_faults import _mechanism_available, integrity, read_only

from meso_training.model import Attempt
from meso_training.model.attempt import ATTEMPT_FIELDS
from meso_training.storage.sqlite_store import SQLiteProgressStore

ROWS = 400
DAMAGED = 123
RAW = ", ".join(f"CAST({name} AS BLOB)" for name in ATTEMPT_FIELDS)


def fill(path: Path) -> list[Attempt]:
    attempts = [make_attempt(item_id=f"case-{i}", answer=f"row-{i:03d}-answer") for i in range(ROWS)]
    with SQLiteProgressStore(path) as store:
        store.record_many(attempts)
    return attempts


def change_one_byte(path: Path) -> None:
    """The opening quote of one answer's JSON becomes a brace, in the file itself."""
    data = bytearray(path.read_bytes())
    at = data.index(f'"row-{DAMAGED:03d}-answer"'.encode())
    data[at] = ord("{")
    path.write_bytes(bytes(data))


def by_sql(assignment: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(f"UPDATE attempts SET {assignment} WHERE item_id = ?", (f"case-{DAMAGED}",))  # noqa: S608
        conn.close()
    return damage


DAMAGE = {
    "one byte changed in the file": change_one_byte,
    "answer not UTF-8": by_sql("answer = CAST(X'22FF22' AS TEXT)"),
    "trainee not UTF-8": by_sql("trainee = CAST(X'416EFF' AS TEXT)"),
    "answer nested 982 deep": by_sql(f"answer = '{'[' * 982}{']' * 982}'"),
    "answer nested 100,000 deep": by_sql(f"answer = '{'[' * 100_000}{']' * 100_000}'"),
    "time not a time": by_sql("submitted_at = 'yesterday'"),
}


def raw_row(path: Path, table: str, id_column: str, row_id: int) -> tuple[object, ...]:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(f"SELECT {RAW} FROM {table} WHERE {id_column} = ?", (row_id,)).fetchone()  # noqa: S608
    finally:
        conn.close()
    assert row is not None
    return tuple(row)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_one_damaged_row_is_set_aside_byte_for_byte_and_every_other_answer_is_read(
        tmp_path: Path, damage: str) -> None:
    path = tmp_path / "progress.sqlite3"
    attempts = fill(path)
    DAMAGE[damage](path)
    assert integrity(path) == [("ok",)]  # SQLite itself sees nothing wrong
    row_id = DAMAGED + 1
    before = raw_row(path, "attempts", "id", row_id)

    with SQLiteProgressStore(path) as store:
        others = [a for a in attempts if a.item_id != f"case-{DAMAGED}"]
        assert store.attempts() == others
        notice = store.startup_notice
        assert notice is not None
        assert notice.startswith(f"1 saved answer in your progress file {path} could not be read (")
        assert notice.endswith(f"was set aside, unchanged, in the file's quarantined_attempts table. Your other "
                               f"{ROWS - 1} answers are all here; nothing is needed from you, and your course "
                               "team can look at the damaged one there.")
        assert store.set_aside_count() == 1
    assert raw_row(path, "quarantined_attempts", "attempt_id", row_id) == before
    assert integrity(path) == [("ok",)]

    with SQLiteProgressStore(path) as store:  # the next session: clean, nothing more to say
        assert store.attempts(trainee="Ann") == others
        assert store.trainees() == ["Ann"]
        assert store.startup_notice is None


def test_several_damaged_rows_are_named_in_one_notice(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    attempts = fill(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE attempts SET answer = '{' WHERE id IN (1, 2, 3)")
    conn.close()
    with SQLiteProgressStore(path) as store:
        assert store.attempts(trainee="Ann") == attempts[3:]
        notice = store.startup_notice or ""
        assert notice.startswith("3 saved answers in your progress file")
        assert " and others) and were set aside, unchanged," in notice


def test_a_damaged_row_in_a_read_only_folder_is_skipped_and_left_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    reason = _mechanism_available("chattr", folder)
    if reason:
        pytest.skip(reason)
    path = folder / "progress.sqlite3"
    attempts = fill(path)
    change_one_byte(path)
    original = path.read_bytes()
    with read_only("chattr", [folder]), SQLiteProgressStore(path) as store:
        assert store.attempts() == [a for a in attempts if a.item_id != f"case-{DAMAGED}"]
        notice = store.startup_notice or ""
        assert "was skipped, and left in the file unchanged." in notice
        assert "cannot be written (the file or its folder is read-only)" in notice
    assert path.read_bytes() == original


def test_a_setting_that_is_not_utf8_reads_as_unset(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with SQLiteProgressStore(path) as store:
        store.set_setting("trainee", "Ann")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE settings SET value = CAST(X'416EFF' AS TEXT)")
    conn.close()
    with SQLiteProgressStore(path) as store:
        assert store.get_setting("trainee") is None


def test_the_module_the_dashboard_and_the_export_all_go_on_without_the_damaged_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from meso_training import course_entry
    from meso_training.cli import main
    from meso_training.engine.grading import keyed_answer

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    db = tmp_path / "progress.sqlite3"
    runner = course_entry.show_module("orientation", db=db, trainee="Ann")
    assert runner is not None
    for _ in range(5):
        view = runner.current_view
        assert view is not None
        runner.answer(keyed_answer(view.question))
        runner.next_button.click()
    runner.recorder.store.close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE attempts SET answer = CAST(X'5B22FF' AS TEXT) WHERE id = 2")
    conn.close()

    runner = course_entry.show_module("orientation", db=db, trainee="Ann")
    assert runner is not None
    assert sum(item.done for item in runner.session.items) == 4  # the other four answers resume
    assert runner.alert is not None
    assert "1 saved answer in your progress file" in runner.alert
    assert "Something went wrong" not in runner.alert
    runner.recorder.store.close()

    view = course_entry.show_progress(db=db, trainee="Ann")
    assert view is not None
    assert view.report.attempts == 4

    out = tmp_path / "export.csv"
    assert main(["export-progress", "--db", str(db), "--output", str(out)]) == 0
    printed = capsys.readouterr()
    assert "Exported 4 attempts" in printed.out
    assert (f"note: 1 stored answer could not be read and is not in the export; kept unchanged in the table "
            f"quarantined_attempts of {db}") in printed.err
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 5  # the header and four rows
