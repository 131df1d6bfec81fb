"""Who the trainee is, and what show_module shows when it cannot start."""

from __future__ import annotations

import getpass
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from meso_training import course_entry
from meso_training.authoring.loader import load_course
from meso_training.engine.grading import keyed_answer
from meso_training.errors import StoreLockedError
from meso_training.model import Mode
from meso_training.storage.sqlite_store import SQLiteProgressStore


def test_trainee_is_the_hub_user_then_the_remembered_name_then_the_os_user(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
        assert course_entry.trainee_name(store) == getpass.getuser()
        assert course_entry.trainee_name(store, "Ana") == "Ana"
        assert course_entry.trainee_name(store) == "Ana"
        monkeypatch.setenv("JUPYTERHUB_USER", "hub-ana")
        assert course_entry.trainee_name(store) == "hub-ana"


def test_an_unknown_module_is_shown_as_a_message_not_a_traceback(tmp_path: Path) -> None:
    before = len(course_entry._shown)
    course_entry.show_module("no-such-module", db=tmp_path / "p.sqlite3")
    shown = course_entry._shown[before:]
    assert len(shown) == 1
    assert "no module &#x27;no-such-module&#x27;" in shown[0].value
    assert "orientation" in shown[0].value


def test_a_user_without_a_login_name_is_still_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", no_login)
    with SQLiteProgressStore(tmp_path / "p.sqlite3") as store:
        assert course_entry.trainee_name(store) == "trainee"


FOREIGN_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # readers are shut out too, not only writers
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO settings (key, value) VALUES ('locker', 'here')")
print("locked", flush=True)
sys.stdin.readline()
"""


class CountingStore(SQLiteProgressStore):
    """Counts the operations that gave up waiting for a lock (each one a full wait)."""

    waits = 0

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._run(*args, **kwargs)
        except StoreLockedError:
            self.waits += 1
            raise


def test_opening_a_module_under_a_foreign_exclusive_lock_waits_once_and_names_the_holder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = tmp_path / "p.sqlite3"
    with SQLiteProgressStore(path) as store:
        store.set_setting("trainee", "Ann")
    locker = subprocess.Popen([sys.executable, "-c", FOREIGN_LOCK, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout is not None
        assert locker.stdout.readline() == "locked\n"
        course = load_course()
        store = CountingStore(path, timeout=0.3)
        runner = course_entry._runner(course, course.module("orientation"), store, Mode.PRACTICE, None, tmp_path)
        assert store.waits == 1  # the name and the answers were not each waited for
        assert runner.alert is not None
        assert runner.alert.startswith(f"Progress could not be read: The progress database {path} stayed locked by "
                                       f"pid {locker.pid} (")
        assert runner.name_form.layout.display == "none"  # unknown, not "never given": not asked again
        store.close()
    finally:
        locker.communicate("done\n", timeout=30)


def test_a_file_from_a_newer_release_does_not_promise_a_later_save(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE attempts (id INTEGER PRIMARY KEY)")
    conn.close()
    runner = course_entry.show_module("orientation", db=path, trainee="Ann")
    assert runner is not None
    view = runner.current_view
    assert view is not None
    runner.answer(keyed_answer(view.question))
    message = runner.message.value
    assert "was written by a newer meso-training" in message
    assert "cannot be saved there; tell your course team." in message
    assert "will be saved with your next answer" not in message
    assert runner.retry_button.layout.display == "none"  # a retry cannot help here
    assert runner.recorder.pending.kept == 1  # still kept (set aside) while the notebook is open
    runner.recorder.store.close()
