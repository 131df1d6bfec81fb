"""An instructor's own course folder on the command line: ``new-course``, ``new-module`` and ``preview``.

Kept apart from ``cli`` because the preview runs a server: it writes a notebook showing one
module in preview mode to a temporary folder, serves it with Voila on 127.0.0.1 (the
course's template, no code on screen) until Ctrl-C, then stops Voila and deletes the
folder with everything the preview's kernels kept in it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from meso_training.authoring.course_starter import CourseFolder, find_course_folder, new_course, new_module
from meso_training.authoring.loader import load_course, load_in_course
from meso_training.authoring.notebook_files import preview_notebook
from meso_training.authoring.quiz_files import files_in_course
from meso_training.errors import CourseFolderError
from meso_training.model import Case, Course

_CHECKOUT_VOILA_JSON = Path(__file__).resolve().parents[1] / "voila.json"
_DEFAULT_VOILA_CONFIG: dict[str, Any] = {"VoilaConfiguration": {"template": "meso"}}
VOILA_START_TIMEOUT = 120.0
_STOP_TIMEOUT = 10.0


def cmd_new_course(args: argparse.Namespace) -> int:
    root = Path(args.folder)
    written = new_course(root)
    print(f"Created the course folder {root.absolute()}:")
    for path in written:
        print(f"  {path.relative_to(root)}")
    print(f"Next: cd {root} && meso-training new-module my-first-module")
    return 0


def cmd_new_module(args: argparse.Namespace) -> int:
    folder = CourseFolder(Path(args.course)) if args.course else find_course_folder(Path.cwd())
    print(f"Course: {folder.root.absolute()}", file=sys.stderr)
    written = new_module(folder, args.id)
    for path in written:
        print(f"Wrote {path.relative_to(folder.root)}")
    print(f"Edit {written[0].relative_to(folder.root)}, then run: meso-training validate, meso-training preview "
          f"{written[0].relative_to(folder.root)}")
    return 0


def _checked_module(file: Path) -> Course:
    """The module in ``file``, checked against its course folder when it sits in one."""
    if not file.is_file():
        msg = f"there is no module file {file}; give the path of a .yaml file in the course's quizzes/ folder."
        raise CourseFolderError(msg)
    context = files_in_course([file])
    if context is None:
        print(f"Course: {file} (as given)", file=sys.stderr)
        return load_course([file])
    print(f"Course: {context.describe()}", file=sys.stderr)
    return load_in_course(context)[0]


def _question_ids(course: Course) -> list[str]:
    ids: list[str] = []
    for item in course.modules[0].items:
        ids += [item.id, *(s.id for s in item.steps)] if isinstance(item, Case) else [item.id]
    return ids


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _voila_config() -> dict[str, Any]:
    """The course's Voila settings (template, kernel culling): the checkout's voila.json, else the template alone."""
    try:
        config: dict[str, Any] = json.loads(_CHECKOUT_VOILA_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _DEFAULT_VOILA_CONFIG
    return config


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill, Voila's process group (its kernels with it)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=_STOP_TIMEOUT)
            return
        except subprocess.TimeoutExpired:
            continue


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _voila(folder: Path, notebook: Path, port: int, token: str) -> Iterator[subprocess.Popen[bytes]]:
    """Voila serving ``notebook`` from ``folder`` until the block ends; its kernels keep their files in ``folder``."""
    (folder / "voila.json").write_text(json.dumps(_voila_config(), indent=2), encoding="utf-8")
    kernels_tmp = folder / "tmp"
    kernels_tmp.mkdir()
    command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
               "--Voila.port_retries=0", f"--Voila.token={token}", "--template=meso", str(notebook)]
    env = {**os.environ, "TMPDIR": str(kernels_tmp)}  # the kernels' scratch stores go with the folder
    log = folder / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + VOILA_START_TIMEOUT
            while not _port_open(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
                    msg = f"Voila did not start (is voila installed in this environment?). Its last words:\n{tail}"
                    raise CourseFolderError(msg)
                time.sleep(0.2)
            yield process
        finally:
            _stop(process)


def cmd_preview(args: argparse.Namespace) -> int:
    file = Path(args.file)
    course = _checked_module(file)
    if args.question and args.question not in _question_ids(course):
        msg = (f"{file.name} has no question {args.question!r}; its questions are: "
               f"{', '.join(_question_ids(course))}")
        raise CourseFolderError(msg)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: clean up as on Ctrl-C
    port, token = args.port or _free_port(), secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="meso-preview-") as tmp:
        notebook = Path(tmp) / "preview.ipynb"
        notebook.write_text(preview_notebook(file, course.modules[0].id, start_at=args.question), encoding="utf-8")
        try:
            with _voila(Path(tmp), notebook, port, token) as process:
                url = f"http://127.0.0.1:{port}/?token={token}"
                print(f"Previewing {file} at {url}\nAnswers are not recorded. Press Ctrl-C to stop.", flush=True)
                if not args.no_browser:
                    webbrowser.open(url)
                code = process.wait()
                print(f"Voila stopped by itself (exit code {code}).", file=sys.stderr)
                return 1
        except KeyboardInterrupt:
            print("Preview stopped.", flush=True)
            return 0


def add_course_folder_commands(sub: Any) -> None:
    """Register ``new-course``, ``new-module`` and ``preview`` on the CLI's subparsers."""
    def add(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(func=func)
        return parser

    add("new-course", cmd_new_course, "Start your own course folder: quizzes/ with an example source registry, "
        "notebooks/ with a start page, and a README of the commands.").add_argument(
        "folder", help="the folder to create (it must not exist yet, or be empty)")
    module = add("new-module", cmd_new_module, "Add a module to your course folder: a filled-in example of every "
                 "question type and a branching case, and the notebook that shows it.")
    module.add_argument("id", help="the module's id, e.g. scalp-hair (lower-case letters, digits, dashes)")
    module.add_argument("--course", help="the course folder (default: the one you are in)")
    preview = add("preview", cmd_preview, "Open one module file in Voila as trainees see it, with no code on "
                  "screen; answers are not recorded anywhere. Runs until Ctrl-C.")
    preview.add_argument("file", help="the module file, e.g. quizzes/scalp-hair.yaml")
    preview.add_argument("--question", help="open at the item holding this question id")
    preview.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: a free one)")
    preview.add_argument("--no-browser", action="store_true", help="print the address but open no browser")
