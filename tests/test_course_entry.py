"""Who the trainee is, and what show_module shows when it cannot start."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from meso_training import course_entry
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
