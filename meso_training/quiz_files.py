"""Where a course's files are: the module files under some paths and the source registry beside them.

Kept apart from the loader so that finding the files (all the course cache needs to
tell whether anything changed) does not import the YAML parser or the validators.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

REGISTRY_NAME = "sources.yaml"


def default_quiz_dir() -> Path:
    """The course's own quizzes: ``$MESO_TRAINING_QUIZZES`` or the checkout's ``quizzes/``."""
    override = os.environ.get("MESO_TRAINING_QUIZZES")
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parent.parent / "quizzes"


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
