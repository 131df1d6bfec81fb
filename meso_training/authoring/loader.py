"""Load quiz files into the model, collecting every problem with its file and line.

The loader is the only way content enters the package: ``load_course`` either returns
a complete, checked ``Course`` or raises ``QuizFormatError`` listing all problems at
once, so an instructor can fix a file in one pass.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from meso_training.authoring import rules as _rules
from meso_training.authoring.quiz_files import REGISTRY_NAME, FilesInCourse, find_quiz_files, locate_course
from meso_training.authoring.yaml_source import PathKey, SourceFile, field_path, read_yaml
from meso_training.errors import Problem, QuizFormatError
from meso_training.model import (
    QUESTION_TAGS,
    QUESTION_TYPES,
    Case,
    Category,
    Course,
    Fact,
    MatchItem,
    Module,
    Objective,
    Option,
    OrderingStep,
    Patient,
    Reference,
    SourceRegistry,
)

_ALL_MODELS: tuple[type[BaseModel], ...] = (
    *QUESTION_TYPES, Case, Module, Option, Patient, Objective, Category, MatchItem,
    OrderingStep, Fact, Reference, SourceRegistry,
)
_KNOWN_FIELDS = sorted({name for m in _ALL_MODELS for name in m.model_fields})
# Beyond this a file is broken throughout; listing every one of 100,000s of errors took minutes and GBs.
MAX_PROBLEMS_PER_FILE = 200


_TAGS = {"case", *QUESTION_TAGS}


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Map pydantic's error location onto the data, dropping union and tag markers."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            node = node[part]
        elif isinstance(part, int) or part in _TAGS or any(c in str(part) for c in "[(,"):
            continue
        else:
            node = None
        path.append(part)
    return tuple(path)


def _echo_of_item_error(error: Any) -> bool:
    """Pydantic repeats a failed list item as 'list too short'; the item's own error says more."""
    given = error.get("input")
    minimum = (error.get("ctx") or {}).get("min_length", 0)
    return bool(error["type"] == "too_short" and isinstance(given, list) and len(given) >= minimum)


def _hint(error: Any) -> str:
    kind = error["type"]
    loc = error["loc"]
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"add a '{name}:' line"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, _KNOWN_FIELDS, n=1)
        return f"did you mean '{close[0]}'?" if close else "remove it; see docs/authoring.md for the fields"
    if kind == "string_type" and isinstance(error.get("input"), bool):
        return "put the text in quotes: YAML reads yes/no/on/off as true/false"
    if kind in {"string_too_short", "too_short"}:
        return "this must not be empty"
    if kind in {"union_tag_invalid", "union_tag_not_found"}:
        return "set 'type:' to one of: " + ", ".join(sorted(_TAGS))
    if kind.startswith("date"):
        return "year, month and day with dashes, as the other dates in the file"
    if (part := _plain_sentence_part(error)) is not None:
        return f"write it as {part[2]} (see docs/authoring.md)"
    return ""


# A part of a question written as a plain sentence where it needs fields of its own:
# (what it is, the fields it needs, how to write one).
_PARTS_WITH_FIELDS = {
    "OrderingStep": ("each ordering step", "an id and a text",
                     "'- id: cleanse' and, on the next line under it, 'text: Cleanse the skin'"),
    "Option": ("each option", "an id, a text and feedback",
               "'- id: dermis', then 'text: ...' and 'feedback: ...' on the lines under it"),
    "Category": ("each category", "an id and a text", "'- id: safe' and, under it, 'text: Safe to treat'"),
    "MatchItem": ("each item to match", "an id, a text, a category and feedback",
                  "'- id: warfarin', then 'text:', 'category:' and 'feedback:' on the lines under it"),
    "Objective": ("each objective", "an id and a text", "'- id: o1' and, under it, 'text: Screen the patient'"),
}


def _plain_sentence_part(error: Any) -> tuple[str, str, str] | None:
    """For a sentence given where a part with fields belongs: what the part is, what it needs, an example."""
    if error["type"] != "model_type" or not isinstance(error.get("input"), str | int | float):
        return None
    return _PARTS_WITH_FIELDS.get(str((error.get("ctx") or {}).get("class_name")))


_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*")


def _message(error: Any) -> str:
    """Pydantic's words where they are plain enough; the parser's words replaced where they are not."""
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if (part := _plain_sentence_part(error)) is not None:
        return f"{part[0]} needs {part[1]}, not just a sentence"
    if kind.startswith(("date", "datetime")) and isinstance(given, str | int | float):
        found = _DAY_MONTH_YEAR.fullmatch(str(given))
        example = f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}" if found else "2026-11-25"
        return f"{str(given)[:40]!r} is not a date in the form YYYY-MM-DD, such as {example}"
    if kind in {"float_parsing", "int_parsing", "float_type", "int_type"} and isinstance(given, str):
        return f"{given[:40]!r} is not a number; write a number such as 5 (a unit goes in its own field)"
    return str(error["msg"])


def validate_model(source: SourceFile, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Build ``model`` from a parsed file, turning schema errors into located problems."""
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        problems = []
        errors = [e for e in exc.errors(include_url=False) if not _echo_of_item_error(e)]
        for error in errors[:MAX_PROBLEMS_PER_FILE]:
            loc = _data_path(source.data, error["loc"])
            message = _message(error)
            problems.append(Problem(source.path, source.line_of(loc), field_path(loc, source.data), message,
                                    _hint(error)))
        if len(errors) > MAX_PROBLEMS_PER_FILE:
            last = problems[-1].line
            problems.append(Problem(source.path, last, "", f"{len(errors) - MAX_PROBLEMS_PER_FILE:,} more "
                                    "problems not shown", "fix the ones above first, then validate again"))
        return None, problems


def load_registry(path: Path | None) -> tuple[SourceRegistry | None, list[Problem]]:
    if path is None:
        return None, [Problem(Path(REGISTRY_NAME), 1, "", "no source registry found",
                              f"put {REGISTRY_NAME} beside the module files")]
    source, problems = read_yaml(path)
    if problems:
        return None, problems
    registry, problems = validate_model(source, SourceRegistry)
    return registry, problems


def _check(files: Sequence[Path], registry: SourceRegistry | None) -> tuple[list[tuple[SourceFile, Module]],
                                                                         list[Problem]]:
    """Every module file read and checked, with the rules across files applied in the order given."""
    problems: list[Problem] = []
    modules: list[tuple[SourceFile, Module]] = []
    for path in files:
        source, file_problems = read_yaml(path)
        if not file_problems:
            module, file_problems = validate_model(source, Module)
            if module is not None:
                modules.append((source, module))
        problems.extend(file_problems)
    known_sources = registry.known_ids() if registry is not None else None
    problems.extend(_rules.check_modules(modules, known_sources))
    return modules, problems


def _in_order(modules: Iterable[tuple[SourceFile, Module]]) -> tuple[Module, ...]:
    return tuple(sorted((m for _, m in modules), key=lambda m: (m.order, m.id)))


def load_course(paths: Sequence[Path] | Path | None = None, *, registry_path: Path | None = None) -> Course:
    """Load and check every module under ``paths``; raise with all problems if any."""
    if isinstance(paths, Path):
        paths = [paths]
    folders = locate_course(paths).paths
    files, found_registry = find_quiz_files(folders)
    registry, problems = load_registry(registry_path or found_registry)
    if not files:
        where = ", ".join(str(p) for p in folders)
        problems.append(Problem(Path(where), 1, "", "no module files (*.yaml) found", "check the path"))
    modules, module_problems = _check(files, registry)
    problems.extend(module_problems)
    if problems or registry is None:
        raise QuizFormatError(problems)
    return Course(modules=_in_order(modules), registry=registry)


def load_in_course(given: FilesInCourse) -> tuple[Course, int]:
    """The given module files checked with the other modules of their course folder and its registry.

    Returns a course of the given files' modules, and how many problems the folder's other
    files have (not this check's business, but worth a note); raises with the problems of
    the given files and of the registry. The other files are checked first, so an id used
    in both is reported in the given file, wherever it sorts.
    """
    mine = {p.resolve() for p in given.files}
    files, registry_path = find_quiz_files([given.folder])
    others = [p for p in files if p.resolve() not in mine]
    registry, problems = load_registry(registry_path)
    modules, module_problems = _check([*others, *given.files], registry)
    own = {*mine, *([registry_path.resolve()] if registry_path is not None else [])}
    problems += [p for p in module_problems if p.path.resolve() in own]
    if problems or registry is None:
        raise QuizFormatError(problems)
    elsewhere = len(module_problems)  # none of them is the given files' or the registry's, or it raised above
    return Course(modules=_in_order(m for m in modules if m[0].path.resolve() in mine), registry=registry), elsewhere
