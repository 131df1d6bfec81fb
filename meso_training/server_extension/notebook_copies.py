"""A module notebook the trainee can run and save: the one in the server's folder, or a copy of it.

The shipped notebooks may sit where the trainee cannot write (inside the installed package,
or a read-only course folder a hub mounts for everyone). Answers live in the progress
store, not the notebook, but JupyterLab still saves the notebook as it runs, and a
read-only one nags on every save. So such a notebook is copied once into a
``mesotherapy-course/`` folder in the server's root, and that copy is what opens from then
on: it is never overwritten, so a trainee's own notes in it are kept.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from meso_training.authoring.course_notebooks import module_notebooks
from meso_training.authoring.quiz_files import shipped_course_dir
from meso_training.errors import CourseFolderError
from meso_training.model import Mode
from meso_training.server_extension.course_api import Notebooks

COPIES_FOLDER = "mesotherapy-course"


def shipped_notebooks() -> Notebooks:
    """The module notebooks that ship with the course, beside its quizzes (in the package or a checkout)."""
    return module_notebooks(shipped_course_dir().parent / "notebooks")


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _writable(path: Path) -> bool:
    """Whether saving it can work; the permission bits count as well, since root passes every access check."""
    if not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def writable_notebook(module_id: str, mode: Mode, notebooks: Notebooks, root: Path,
                      shipped: Notebooks) -> tuple[Path, bool] | None:
    """The notebook to open for the module and mode, relative to ``root``, and whether it was copied just now.

    None when neither the server's folder nor the shipped course has a notebook for it.
    """
    found = notebooks.get((module_id, mode))
    if found is not None and _inside(found, root) and _writable(found):
        return found.resolve().relative_to(root.resolve()), False
    source = found or shipped.get((module_id, mode))
    if source is None:
        return None
    copy = root / COPIES_FOLDER / source.name
    if copy.exists():
        return copy.resolve().relative_to(root.resolve()), False
    try:
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, copy)  # the content only: the copy gets the trainee's own permissions
    except OSError as exc:
        msg = (f"The notebook {source.name} cannot be opened for writing, and a copy of it could not be made in "
               f"{copy.parent} ({exc.strerror or exc}). Make that folder writable, or ask your instructor to "
               "give you a writable copy of the course notebooks.")
        raise CourseFolderError(msg) from exc
    return copy.resolve().relative_to(root.resolve()), True
