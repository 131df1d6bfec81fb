"""What a notebook calls: ``show_module``, ``show_progress`` and, for instructors, ``show_cohort_report``.

They only wire the parts together (load the course, open the store, resume the session,
build the view) and show problems as a message in the notebook instead of a traceback.
"""

from __future__ import annotations

import logging
import os
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import ipywidgets as widgets
from IPython.display import display

from meso_training.authoring.course_cache import cached_course
from meso_training.authoring.course_notebooks import module_notebooks
from meso_training.engine.session import ModuleSession
from meso_training.errors import MesoTrainingError, QuizFormatError
from meso_training.model import Case, Course, Mode, Module
from meso_training.storage import (
    ProgressStore,
    default_db_path,
    is_database_url,
    is_service_url,
    open_store,
    store_location,
)
from meso_training.storage.trainee import current_trainee, os_user
from meso_training.views.module_runner import ModuleRunner, utc_now
from meso_training.views.recorder import AttemptRecorder
from meso_training.views.rendering import escape
from meso_training.views.shown import NOT_STARTED, SHOWN, shown_runners

if TYPE_CHECKING:
    from meso_training.views.progress_view import ProgressView

log = logging.getLogger(__name__)
_shown = SHOWN  # what this module displayed, for tests to look at
__all__ = ["show_cohort_report", "show_module", "show_progress", "shown_runners", "trainee_name"]


def trainee_name(store: ProgressStore, entered: str | None = None) -> str:
    """JupyterHub's user, else the name entered once (remembered), else the OS user."""
    return _trainee(store, entered)[0]


def _trainee(store: ProgressStore, entered: str | None) -> tuple[str, bool]:
    return current_trainee(store, entered)


def _problem(text: str) -> widgets.HTML:
    box = widgets.HTML(f"<div role='alert' style='color:#a00'><strong>The course could not start.</strong> "
                       f"<pre style='white-space:pre-wrap'>{escape(text)}</pre></div>", _dom_classes=("meso-error",))
    _shown.append(box)
    NOT_STARTED.append(text)
    display(box)
    return box


def _course(quizzes: Sequence[Path | str] | None) -> Course:
    return cached_course([Path(q) for q in quizzes] if quizzes else None)


def show_module(module_id: str, *, mode: Mode | str = Mode.PRACTICE, db: Path | str | None = None,
                quizzes: Sequence[Path | str] | None = None, trainee: str | None = None, preview: bool = False,
                start_at: str | None = None) -> ModuleRunner | None:
    """Show a module for the trainee to work through; answers are saved as they go.

    ``preview`` is the author's look at a module (``meso-training preview``): the answers go
    to a scratch store of its own, deleted when the kernel ends, never to ``db`` or anyone's
    progress, so every visit starts afresh. ``start_at`` opens the module at the item holding
    that question (a case at its first step).

    Returns the runner it displayed (tests and play-throughs drive it), or None when the
    course cannot start: then a message says why, and nothing raises into the notebook.
    """
    if mode not in tuple(Mode):
        _problem(f"mode must be 'practice' or 'assessment', not {mode!r}.")
        return None
    mode = Mode(mode)
    if mode == Mode.ASSESSMENT and not preview and _graded_by_service(db):
        return _show_served(module_id, db, start_at)
    try:
        course = _course(quizzes)
        module = course.module(module_id)
        position = _position_of(module, start_at) if start_at else None
    except QuizFormatError as exc:
        _problem(f"The quiz files have problems; ask your instructor to run 'meso-training validate'.\n{exc}")
        return None
    except KeyError as exc:
        _problem(str(exc.args[0]))
        return None
    except Exception:
        log.exception("the course could not be loaded")
        _problem(_UNEXPECTED)
        return None
    if preview:
        store, certificates = _scratch_store()
        trainee = trainee or "Instructor preview"
        _notice(f"<strong>Preview</strong> of module {escape(module.title)}: answers are kept only while this page "
                "is open and are not recorded in anyone's progress.", "meso-preview-notice")
    else:
        store, certificates = open_store(db), _certificate_dir(db)
    try:
        runner = _runner(course, module, store, mode, trainee, certificates, position)
    except Exception:
        log.exception("module %s could not be shown", module_id)
        store.close()
        _problem(_UNEXPECTED)
        return None
    return _displayed(runner)


_UNEXPECTED = "Something went wrong on our side; the details are in the log. Please reload the notebook."


def _displayed(runner: ModuleRunner) -> ModuleRunner:
    """Show the runner and keep it where tests look (``SHOWN``); marked, so the cell's result does not show it twice."""
    _shown.append(runner)
    display(runner)
    runner.mark_shown()
    return runner


def _graded_by_service(db: Path | str | None) -> bool:
    """Whether the store is the records service: then it grades assessments, and the quiz files are not read here."""
    return is_service_url(store_location(db))


def _show_served(module_id: str, db: Path | str | None, start_at: str | None) -> ModuleRunner | None:
    from meso_training.views.served_assessment import served_runner

    try:
        runner = served_runner(str(store_location(db)), module_id, _certificate_dir(db), start_at)
    except (MesoTrainingError, KeyError) as exc:
        _problem(f"The assessment could not be started: {exc.args[0] if isinstance(exc, KeyError) else exc}")
        return None
    except Exception:
        log.exception("assessment %s could not be shown", module_id)
        _problem(_UNEXPECTED)
        return None
    return _displayed(runner)


def _certificate_dir(db: Path | str | None) -> Path:
    """Certificates are kept beside the progress file, where the trainee's record already is."""
    local = db if db is not None and not is_database_url(db) else default_db_path()  # a server: the user data folder
    return Path(local).expanduser().absolute().parent


def _position_of(module: Module, question_id: str) -> int:
    """The index of the item that is, or holds, the question ``question_id``."""
    for index, item in enumerate(module.items):
        if item.id == question_id or (isinstance(item, Case) and any(s.id == question_id for s in item.steps)):
            return index
    known = ", ".join(q.id for _, q in module.questions())
    msg = f"module {module.id!r} has no question {question_id!r}; it has: {known}"
    raise KeyError(msg)


_SCRATCH: list[tempfile.TemporaryDirectory[str]] = []  # kept until the kernel exits, which deletes them


def _scratch_store() -> tuple[ProgressStore, Path]:
    """A store (and a certificate folder) in a private temporary folder, deleted when the kernel exits."""
    folder = tempfile.TemporaryDirectory(prefix="meso-preview-")
    _SCRATCH.append(folder)
    return open_store(Path(folder.name) / "preview.sqlite3"), Path(folder.name)


def _runner(course: Course, module: Module, store: ProgressStore, mode: Mode, trainee: str | None,
            certificate_dir: Path, position: int | None = None) -> ModuleRunner:
    notices = []
    try:
        name, ask_name = _trainee(store, trainee)
        previous = store.attempts(trainee=name, module_id=module.id)
    except MesoTrainingError as exc:
        log.warning("progress not read: %s", exc)
        name, previous, ask_name = trainee or os.environ.get("JUPYTERHUB_USER") or os_user(), [], False
        notices.append(f"Progress could not be read: {exc} You can still answer; answers are kept in memory.")
    if store.startup_notice:
        notices.insert(0, store.startup_notice)
    session = ModuleSession(module, trainee=name, mode=mode, rng=random.Random(), now=utc_now())
    session.resume(previous)
    if position is not None:
        session.go_to(position, utc_now())
    return ModuleRunner(session, course.registry, AttemptRecorder(store), notice=" ".join(notices),
                        certificate_dir=certificate_dir, ask_name=ask_name)


def module_links(folder: Path | None = None) -> dict[tuple[str, Mode], str]:
    """Links from the dashboard to the module notebooks in its own folder, relative to it.

    The kernel runs in the folder of the notebook it serves (JupyterLab, Voila, nbclient),
    so the notebooks found there are the dashboard's neighbours and a bare file name is a
    link that resolves beside it. Voila serving a single notebook answers every path with
    that same notebook, so there a link would only reload the dashboard: none are offered.
    """
    if os.environ.get("VOILA_KERNEL_ID") and "/voila/render/" not in os.environ.get("SCRIPT_NAME", ""):
        return {}
    found = module_notebooks(Path.cwd() if folder is None else folder)
    return {shown: quote(path.name) for shown, path in found.items()}


def show_progress(*, db: Path | str | None = None, quizzes: Sequence[Path | str] | None = None,
                  trainee: str | None = None, notebooks: Path | str | None = None) -> ProgressView | None:
    """Show each module's standing with a link to continue it, mastery, practice over time and what to review.

    Reads the attempts once and closes the database; returns the view it displayed, or
    None (with a message shown) when the course or the progress cannot be read. The
    module notebooks are looked for in ``notebooks``, else in the working folder (the
    dashboard notebook's own).
    """
    from meso_training.views.progress_view import ProgressView

    try:
        course = _course(quizzes)
        with open_store(db) as store:
            name = trainee_name(store, trainee)
            attempts = store.attempts(trainee=name)
            certificates = store.certificates(trainee=name)
            notice = store.startup_notice or ""
        links = module_links(Path(notebooks) if notebooks is not None else None)
        view = ProgressView(course, name, attempts, notice=notice, links=links, certificates=certificates)
    except MesoTrainingError as exc:
        _problem(str(exc))
        return None
    except Exception:
        log.exception("the progress dashboard could not be shown")
        _problem(_UNEXPECTED)
        return None
    _shown.append(view)
    display(view)
    view.mark_shown()
    return view


def _notice(html: str, css_class: str = "meso-cohort-notice") -> widgets.HTML:
    box = widgets.HTML(f"<div role='status' class='{css_class}'>{html}</div>")
    _shown.append(box)
    display(box)
    return box


def show_cohort_report(sources: Sequence[Path | str] | None = None, *, mode: Mode | str = Mode.ASSESSMENT,
                       module: str | None = None, quizzes: Sequence[Path | str] | None = None) -> widgets.HTML | None:
    """Show the cohort report (as ``meso-training report`` writes it) inside the notebook.

    ``sources`` are progress databases, exports or long-form tables; by default the file named
    by ``$MESO_TRAINING_COHORT``, else this machine's progress database. The report sits in
    a frame of its own, so its styles cannot restyle the notebook and its tables still sort.
    Returns the widget shown, or None when there is nothing to analyse (a message says why).
    """
    from meso_training.analytics.cohort_report import cohort_report
    from meso_training.analytics.cohort_sources import read_cohort

    cohort = os.environ.get("MESO_TRAINING_COHORT", "").strip()
    paths = [store_location(s) for s in sources] if sources else [store_location(cohort or None)]
    chosen = Mode(mode)
    try:
        course = _course(quizzes)
        if not sources and isinstance(paths[0], Path) and not paths[0].exists():
            _notice(f"No cohort to analyse yet: there is no progress database at {escape(str(paths[0]))}. Pass the "
                    "cohort's databases or exports: <code>show_cohort_report(['cohort.sqlite3'])</code>, or set "
                    "<code>MESO_TRAINING_COHORT</code>.")
            return None
        responses = read_cohort(paths, chosen)
        html, analyses = cohort_report(course, responses, sources=[str(p) for p in paths], mode=chosen.value,
                                       module_id=module)
    except MesoTrainingError as exc:
        _notice(f"The cohort report could not be made: <pre style='white-space:pre-wrap'>{escape(str(exc))}</pre>")
        return None
    except Exception:
        log.exception("the cohort report could not be shown")
        _notice(escape(_UNEXPECTED))
        return None
    if not analyses:
        other = Mode.PRACTICE if chosen == Mode.ASSESSMENT else Mode.ASSESSMENT
        _notice(f"No {chosen.value} answers{f' to module {escape(module)}' if module else ''} in "
                f"{escape(', '.join(str(p) for p in paths))} yet; try <code>mode='{other.value}'</code>.")
        return None
    frame = widgets.HTML(f"<iframe title='Cohort report' class='meso-cohort-report' srcdoc=\"{escape(html)}\" "
                         "style='width:100%;height:85vh;border:1px solid #bdbdbd'></iframe>",
                         layout=widgets.Layout(width="100%"))
    _shown.append(frame)
    display(frame)
    return frame
