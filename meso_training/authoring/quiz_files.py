"""Which course to use, and its files: the module files under some paths and the source registry beside them.

A course is looked for in this order, and the first found is used:

1. paths given explicitly (a command's arguments, ``show_module(quizzes=...)``);
2. ``$MESO_TRAINING_QUIZZES``;
3. a ``quizzes/`` folder holding quiz files in the working folder or one above it (an
   instructor's own course folder, or this repository's checkout);
4. the course shipped inside the package (``meso_training/course/quizzes`` in a wheel,
   or the checkout's top-level ``quizzes/`` in an editable install).

Kept apart from the loader so that finding the files (all the course cache needs to tell
whether anything changed) does not import the YAML parser or the validators.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REGISTRY_NAME = "sources.yaml"
QUIZZES_ENV = "MESO_TRAINING_QUIZZES"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class CourseLocation:
    """The folders or files a course is read from, and why those were chosen."""

    paths: tuple[Path, ...]
    origin: str  # "given", "environment", "working folder" or "shipped"

    def describe(self) -> str:
        where = ", ".join(str(p) for p in self.paths)
        reason = {
            "given": "as given",
            "environment": f"from ${QUIZZES_ENV}",
            "working folder": "found in the working folder",
            "shipped": "the course shipped with meso-training",
        }[self.origin]
        return f"{where} ({reason})"


def shipped_course_dir() -> Path:
    """The course inside the installed package, or the source checkout's ``quizzes/`` when run from one."""
    packaged = _PACKAGE_DIR / "course" / "quizzes"
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / "quizzes"


def _holds_quiz_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.suffix in {".yaml", ".yml"} for p in folder.iterdir())


def locate_course(paths: Sequence[Path] | None = None, *, cwd: Path | None = None) -> CourseLocation:
    """Where the course is, in the order the module docstring gives."""
    if paths:
        return CourseLocation(tuple(paths), "given")
    override = os.environ.get(QUIZZES_ENV, "").strip()
    if override:
        return CourseLocation((Path(override).expanduser(),), "environment")
    here = (cwd or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        candidate = folder / "quizzes"
        try:
            if _holds_quiz_files(candidate):
                return CourseLocation((candidate,), "working folder")
        except OSError:
            continue  # an unreadable folder on the way up is not a course
    return CourseLocation((shipped_course_dir(),), "shipped")


def default_quiz_dir() -> Path:
    """The folder of the course used when none is given."""
    return locate_course().paths[0]


def find_quiz_files(paths: Iterable[Path]) -> tuple[list[Path], Path | None]:
    """Module files under ``paths`` and the registry beside them (if any)."""
    modules: list[Path] = []
    registry: Path | None = None
    for path in paths:
        candidates = sorted([*path.glob("*.yaml"), *path.glob("*.yml")]) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.name == REGISTRY_NAME:
                registry = registry or candidate
            else:
                modules.append(candidate)
                sibling = candidate.parent / REGISTRY_NAME
                if registry is None and sibling.is_file():
                    registry = sibling
    return modules, registry


@dataclass(frozen=True)
class FilesInCourse:
    """Module files given on their own, and the course folder around them that they are checked against."""

    files: tuple[Path, ...]
    folder: Path
    module_files: int  # every module file of the folder, the given ones included

    def describe(self) -> str:
        names = ", ".join(p.name for p in self.files)
        return (f"checked {names} against the course in {self.folder.absolute()} "
                f"({self.module_files} module{'s' if self.module_files != 1 else ''})")


def files_in_course(paths: Sequence[Path]) -> FilesInCourse | None:
    """The course folder of ``paths`` when they are module files of one folder that holds a registry, else None.

    A file validated alone would miss an id another module already uses and a source the
    registry lacks; beside its course's registry it is checked with the whole course.
    """
    if not paths or any(not p.is_file() or p.name == REGISTRY_NAME for p in paths):
        return None
    folders = {p.absolute().parent for p in paths}
    if len(folders) != 1:
        return None
    folder = paths[0].parent
    if not (folder / REGISTRY_NAME).is_file():
        return None
    modules, _ = find_quiz_files([folder])
    return FilesInCourse(tuple(paths), folder, len(modules))
