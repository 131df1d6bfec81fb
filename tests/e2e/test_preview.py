"""``meso-training preview``: a module file opens in Voila as trainees see it, and nothing is recorded.

The command is started as an instructor would (from inside their course folder, with
``--no-browser``), Chromium opens the address it prints, and an answer gets its feedback.
The progress database the environment names, which already holds a trainee's setting, has
no attempt afterwards; Ctrl-C stops the preview and leaves no temporary files behind.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meso_training.authoring.course_starter import CourseFolder, new_course, new_module
from meso_training.storage import open_store

from . import servers
from .pages import Runner

pytestmark = pytest.mark.e2e

FIRST_PROMPT = "Example question: at which moment of a first visit is the patient's consent obtained?"
RECORD_PROMPT = "Example question: where is each follow-up call written down?"
KEY = "After the explanation of risks, before the first injection"
URL = re.compile(r"at (http://127\.0\.0\.1:\d+/\?token=\S+)")


@pytest.fixture
def course(tmp_path: Path) -> CourseFolder:
    new_course(tmp_path / "my-course")
    folder = CourseFolder(tmp_path / "my-course")
    new_module(folder, "scalp-hair", today=dt.date(2026, 12, 4))
    return folder


@contextmanager
def preview(course: CourseFolder, workspace: servers.Workspace, log: Path, *args: str,
            ) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """The preview command running in the course folder; yields it, the address it printed and its TMPDIR."""
    scratch = workspace.root / "preview-tmp"
    scratch.mkdir()
    env = {**workspace.env, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "meso_training", "preview", "quizzes/scalp-hair.yaml", "--no-browser", *args]
    process = subprocess.Popen(command, cwd=course.root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        printed, found = [], None
        assert process.stdout is not None
        for line in process.stdout:  # until the address is printed, or the command ends
            printed.append(line)
            if found := URL.search(line):
                break
        log.write_text("".join(printed), encoding="utf-8")
        assert found, f"the preview printed no address:\n{''.join(printed)}"
        yield process, found[1], scratch
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # as Ctrl-C in the instructor's terminal
        rest = process.communicate()[0]
        with log.open("a", encoding="utf-8") as out:
            out.write(rest)


def attempt_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])


def test_preview_shows_the_module_without_code_and_records_no_answer(
        course: CourseFolder, workspace: servers.Workspace, page: Page, artifacts: Path) -> None:
    with open_store(workspace.db) as store:  # a trainee's real database, already in use
        store.set_setting("trainee", "Real Trainee")
    log = artifacts / "preview.log"
    with preview(course, workspace, log) as (process, url, scratch):
        page.goto(url, timeout=120_000)
        runner = Runner(page)
        runner.wait_ready()
        expect(runner.question).to_contain_text(FIRST_PROMPT)
        expect(page.locator(".meso-preview-notice")).to_contain_text("not recorded in anyone's progress")
        expect(page.get_by_text("show_module(")).to_have_count(0)  # no code on screen
        expect(page.locator(".cm-editor, .CodeMirror, .jp-InputArea-editor")).to_have_count(0)
        runner.choose(KEY)
        runner.submit()
        expect(runner.feedback).to_contain_text("Right. Consent follows a full explanation")
        expect(runner.progress_text).to_have_text("1 of 7 items done")
        page.screenshot(path=artifacts / "preview-answered.png")
        process.send_signal(signal.SIGINT)
        assert process.wait() == 0
    assert "Preview stopped." in log.read_text(encoding="utf-8")
    assert list(scratch.iterdir()) == []  # the notebook, Voila's log and the kernels' scratch store are gone
    assert attempt_rows(workspace.db) == 0
    with open_store(workspace.db) as store:
        assert store.get_setting("trainee") == "Real Trainee"


def test_preview_opens_at_the_question_asked_for(course: CourseFolder, workspace: servers.Workspace, page: Page,
                                                 artifacts: Path) -> None:
    asked = ("--question", "scalp-hair-where-written")
    with preview(course, workspace, artifacts / "preview.log", *asked) as (_, url, _s):
        page.goto(url, timeout=120_000)
        runner = Runner(page)
        runner.wait_ready()
        expect(runner.question).to_contain_text(RECORD_PROMPT)
        runner.type_answer("the record")
        runner.submit()
        expect(runner.feedback).to_contain_text("Correct.")
    assert not workspace.db.exists() or attempt_rows(workspace.db) == 0
