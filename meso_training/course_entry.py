"""What a notebook calls: ``show_module`` and ``show_progress``.

They only wire the parts together (load the course, open the store, resume the session,
build the view) and show problems as a message in the notebook instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import display

from meso_training.errors import MesoTrainingError, QuizFormatError
from meso_training.loader import load_course
from meso_training.model import Course
from meso_training.session import ModuleSession
from meso_training.store import ProgressStore
from meso_training.views.module_runner import ModuleRunner, utc_now
from meso_training.views.recorder import AttemptRecorder
from meso_training.views.rendering import escape

log = logging.getLogger(__name__)
_shown: list[widgets.Widget] = []


def shown_runners() -> list[ModuleRunner]:
    """The module runners shown in this kernel, oldest first: how a play-through finds them."""
    return [w for w in _shown if isinstance(w, ModuleRunner)]


def trainee_name(store: ProgressStore, entered: str | None = None) -> str:
    """JupyterHub's user, else the name entered once (remembered), else the OS user."""
    hub = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub:
        return hub
    if entered and entered.strip():
        store.set_setting("trainee", entered.strip())
        return entered.strip()
    stored = store.get_setting("trainee")
    return stored or getpass.getuser()


def _no_stored_name(store: ProgressStore) -> bool:
    try:
        return store.get_setting("trainee") is None
    except MesoTrainingError:
        return False


def _problem(text: str) -> widgets.HTML:
    box = widgets.HTML(f"<div role='alert' style='color:#a00'><strong>The course could not start.</strong> "
                       f"<pre style='white-space:pre-wrap'>{escape(text)}</pre></div>").add_class("meso-error")
    _shown.append(box)
    display(box)
    return box


def _course(quizzes: Sequence[Path | str] | None) -> Course:
    return load_course([Path(q) for q in quizzes] if quizzes else None)


def show_module(module_id: str, *, mode: str = "practice", db: Path | str | None = None,
                quizzes: Sequence[Path | str] | None = None, trainee: str | None = None) -> None:
    """Show a module for the trainee to work through; answers are saved as they go."""
    try:
        course = _course(quizzes)
        module = course.module(module_id)
    except QuizFormatError as exc:
        _problem(f"The quiz files have problems; ask your instructor to run 'meso-training validate'.\n{exc}")
        return
    except KeyError as exc:
        _problem(str(exc.args[0]))
        return
    store = ProgressStore(db)
    notices = []
    try:
        name = trainee_name(store, trainee)
        previous = store.attempts(trainee=name, module_id=module.id)
        if store.recovered_from is not None:
            notices.append(f"Your progress file was damaged and was moved aside to {store.recovered_from}; "
                           "a new one was started. Keep the old file for your instructor.")
    except MesoTrainingError as exc:
        name, previous = trainee or os.environ.get("JUPYTERHUB_USER") or getpass.getuser(), []
        notices.append(f"Progress could not be read: {exc} You can still answer; answers are kept in memory.")
    now = utc_now()
    session = ModuleSession(module, trainee=name, mode=mode,  # type: ignore[arg-type]
                            rng=random.Random(), now=now)
    session.resume(previous)
    ask_name = not os.environ.get("JUPYTERHUB_USER") and not trainee and _no_stored_name(store)
    runner = ModuleRunner(session, course.registry, AttemptRecorder(store), notice=" ".join(notices),
                          certificate_dir=store.path.parent, ask_name=ask_name)
    _shown.append(runner)
    display(runner)


def show_progress(*, db: Path | str | None = None, quizzes: Sequence[Path | str] | None = None,
                  trainee: str | None = None, today: dt.date | None = None) -> None:
    """Show mastery per topic, score over time, weakest objectives and what to review next."""
    from meso_training.views.progress_view import ProgressView

    try:
        course = _course(quizzes)
        store = ProgressStore(db)
        name = trainee_name(store, trainee)
        attempts = store.attempts(trainee=name)
    except MesoTrainingError as exc:
        _problem(str(exc))
        return
    view: Any = ProgressView(course, name, attempts)
    _shown.append(view)
    display(view)
