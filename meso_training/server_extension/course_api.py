"""What the JupyterLab extension shows, as plain JSON: the course, the trainee's standing, where to continue.

The figures are the dashboard's own (``module_status`` replays the module session), so the
side panel, the launcher's rings and ``show_progress`` can never disagree. Notebook paths
are relative to the server's root folder, as JupyterLab opens them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from meso_training.model import Course, Mode, Module
from meso_training.reports.module_status import ModuleStatus, continue_point, module_status
from meso_training.storage.interface import ProgressStore
from meso_training.storage.trainee import current_trainee

Notebooks = Mapping[tuple[str, Mode], Path]


def _notebook(notebooks: Notebooks, module_id: str, mode: Mode, root: Path) -> str | None:
    found = notebooks.get((module_id, mode))
    if found is None:
        return None
    try:
        return found.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None  # outside the server's root: JupyterLab could not open it


def course_json(course: Course, notebooks: Notebooks, root: Path) -> dict[str, Any]:
    """The course as the launcher draws it: one card per module, in course order."""
    return {"title": course.title, "modules": [_module_json(m, notebooks, root) for m in _ordered(course)]}


def _ordered(course: Course) -> list[Module]:
    return sorted(course.modules, key=lambda m: m.order)


def _module_json(module: Module, notebooks: Notebooks, root: Path) -> dict[str, Any]:
    return {"id": module.id, "title": module.title, "description": module.description,
            "objectives": [o.text for o in module.objectives], "items": len(module.items),
            "questions": len(module.questions()),
            "notebook": _notebook(notebooks, module.id, Mode.PRACTICE, root),
            "assessment_notebook": _notebook(notebooks, module.id, Mode.ASSESSMENT, root)}


def statuses(course: Course, store: ProgressStore, trainee: str) -> list[ModuleStatus]:
    attempts = store.attempts(trainee=trainee)
    certificates = store.certificates(trainee=trainee)
    return [module_status(m, attempts, certificates) for m in _ordered(course)]


def progress_json(course: Course, store: ProgressStore) -> dict[str, Any]:
    """The trainee's standing per module: practice done and mastery, the assessment, the certificate."""
    trainee, _ = current_trainee(store)
    return {"trainee": trainee, "modules": [_status_json(s) for s in statuses(course, store, trainee)]}


def _status_json(s: ModuleStatus) -> dict[str, Any]:
    a = s.assessment
    return {"id": s.module_id, "title": s.title, "started": s.started,
            "practice": {"done": s.practice.items_done, "items": s.practice.items, "finished": s.practice.finished,
                         "answered": s.practice.answered, "questions": s.practice.questions,
                         "mastery": s.practice.mastery, "next_item": s.practice.next_item},
            "assessment": None if a is None else {
                "done": a.items_done, "items": a.items, "complete": a.complete, "passed": a.passed,
                "score": a.score, "pass_mark": a.pass_mark, "critical_errors": a.critical_errors,
                "finished_at": a.finished_at.isoformat() if a.finished_at else None},
            "certificate": None if s.certificate is None else {
                "code": s.certificate.code, "issued_at": s.certificate.issued_at.isoformat(),
                "score": s.certificate.score}}


def continue_json(course: Course, store: ProgressStore, notebooks: Notebooks, root: Path) -> dict[str, Any]:
    """The next unanswered item, and the notebook that shows its module; ``done`` once there is none."""
    trainee, _ = current_trainee(store)
    found = continue_point(statuses(course, store, trainee))
    if found is None:
        return {"trainee": trainee, "done": True, "module": None, "item": None, "notebook": None}
    status, item = found
    return {"trainee": trainee, "done": False, "module": status.module_id, "title": status.title, "item": item,
            "notebook": _notebook(notebooks, status.module_id, Mode.PRACTICE, root)}
