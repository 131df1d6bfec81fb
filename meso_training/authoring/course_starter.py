"""An instructor's own course folder: the starter files of ``new-course`` and the example module of ``new-module``.

A new instructor learns the format fastest from a module that already works: so the
starter writes one filled-in example of every question type and a branching case, which
passes ``validate``, ``lint`` and ``check-notebooks`` as written, citing the example
sources of the starter's registry. The templates are package data beside this module
(``starter/``), filled with ``string.Template`` (``$name``), so an instructor reading them
sees plain YAML. Nothing already there is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from meso_training.authoring.notebook_files import module_notebook, thin_notebook
from meso_training.authoring.quiz_files import REGISTRY_NAME, find_quiz_files
from meso_training.authoring.yaml_source import read_yaml
from meso_training.errors import CourseFolderError

STARTER_DIR = Path(__file__).resolve().parent / "starter"
MODULE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,49}")
"""Lower-case letters, digits and dashes: the id names the file, the notebook and every question id."""
START_PAGE = "00-start-here.ipynb"
_NOTEBOOK_NUMBER = re.compile(r"(\d+)-")


@dataclass(frozen=True)
class CourseFolder:
    """Where a course folder keeps its parts."""

    root: Path

    @property
    def quizzes(self) -> Path:
        return self.root / "quizzes"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"


def _template(name: str) -> Template:
    return Template((STARTER_DIR / name).read_text(encoding="utf-8"))


def _start_page() -> str:
    markdown = (
        "# Start here\n\n"
        "Welcome to the course. Each module is a notebook in this folder: open it, run it "
        "(**Run > Run All Cells**) and answer in the widgets. Your answers are saved as you go.\n\n"
        "Below is where you stand in each module, with a link that opens it where you left off; "
        "run this notebook again to see the latest.\n\n"
        "*Example: replace this text with your own welcome to the course.*"
    )
    return thin_notebook("00-start-here", markdown, "import meso_training\n\nmeso_training.show_progress()")


def new_course(root: Path) -> list[Path]:
    """Write a course folder's registry, start page and README at ``root``; returns the files written.

    Refuses a folder that exists and is not empty, so nobody's work is overwritten.
    """
    try:
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            msg = (f"{root} already exists and is not empty; nothing was written. Give the name of a new "
                   "folder (it is created), or of an empty one.")
            raise CourseFolderError(msg)
        folder = CourseFolder(root)
        folder.quizzes.mkdir(parents=True, exist_ok=True)
        folder.notebooks.mkdir(exist_ok=True)
        written = [folder.quizzes / REGISTRY_NAME, folder.notebooks / START_PAGE, root / "README.md"]
        written[0].write_text((STARTER_DIR / REGISTRY_NAME).read_text(encoding="utf-8"), encoding="utf-8")
        written[1].write_text(_start_page(), encoding="utf-8")
        written[2].write_text(_template("README.md").substitute(title=root.absolute().name), encoding="utf-8")
    except OSError as exc:
        msg = f"could not write the course folder {root}: {exc.strerror or exc}. Check the path and its permissions."
        raise CourseFolderError(msg) from exc
    return written


def find_course_folder(start: Path) -> CourseFolder:
    """The course folder holding ``start``: itself or the first folder above it with a ``quizzes/`` registry."""
    here = start.absolute()
    for candidate in (here, *here.parents):
        if (candidate / "quizzes" / REGISTRY_NAME).is_file():
            return CourseFolder(candidate)
    msg = (f"{here} is not inside a course folder (no quizzes/{REGISTRY_NAME} here or above). Run this inside the "
           "folder `meso-training new-course` made, or give it with --course.")
    raise CourseFolderError(msg)


def _existing_module_ids(folder: CourseFolder) -> dict[str, Path]:
    """Module ids already used, read from each file's top-level ``id`` (a broken file is skipped, not fatal)."""
    files, _ = find_quiz_files([folder.quizzes])
    found: dict[str, Path] = {}
    for path in files:
        source, problems = read_yaml(path)
        if not problems and isinstance(source.data, dict) and isinstance(source.data.get("id"), str):
            found[source.data["id"]] = path
    return found


def _next_number(notebooks: Path) -> int:
    """The next free multiple of ten after the numbered notebooks already there (the start page is 00)."""
    numbers = [int(m[1]) for p in notebooks.glob("*.ipynb") if (m := _NOTEBOOK_NUMBER.match(p.name))]
    return (max(numbers, default=0) // 10 + 1) * 10


def new_module(folder: CourseFolder, module_id: str, *, today: dt.date | None = None) -> list[Path]:
    """Write ``quizzes/<id>.yaml`` (the example module) and its notebook; returns the two files."""
    if not MODULE_ID.fullmatch(module_id):
        msg = (f"{module_id!r} is not a valid module id: use lower-case letters, digits and dashes, starting with "
               "a letter or digit, at most 50 characters (for example: scalp-hair).")
        raise CourseFolderError(msg)
    module_file = folder.quizzes / f"{module_id}.yaml"
    used = _existing_module_ids(folder)
    if module_id in used or module_file.exists():
        where = used.get(module_id, module_file)
        msg = f"the course already has a module {module_id!r} ({where}); choose another id, or edit that file."
        raise CourseFolderError(msg)
    today = today or dt.date.today()
    number = _next_number(folder.notebooks)
    notebook = folder.notebooks / f"{number:02d}-{module_id}.ipynb"
    text = _template("module.yaml").substitute(
        module_id=module_id, version=f"{today:%Y.%m}", order=number, today=today.isoformat(),
        review_by=(today + dt.timedelta(days=365)).isoformat())
    try:
        folder.notebooks.mkdir(exist_ok=True)
        module_file.write_text(text, encoding="utf-8")
        notebook.write_text(module_notebook(notebook.stem, module_id, f"Example module: {module_id}"),
                            encoding="utf-8")
    except OSError as exc:
        msg = f"could not write module {module_id!r} in {folder.root}: {exc.strerror or exc}. Check its permissions."
        raise CourseFolderError(msg) from exc
    return [module_file, notebook]
