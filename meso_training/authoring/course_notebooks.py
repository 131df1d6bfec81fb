"""Which notebook shows which module: read from the notebooks themselves, so the map cannot drift.

The dashboard links each module to the notebook a trainee opens to work on it. Module
notebooks are named by their authors (``20-suitability.ipynb``, ``60-assessment.ipynb``)
and only their code says which module and mode they show, so the code cells are parsed
(never run) for ``show_module("id")`` and ``show_module("id", mode="assessment")``. A call
given ``quizzes=`` previews some other course (the instructor notebook's draft) and is
not a home of the course's module. Nothing here raises: a notebook that cannot be read or
parsed, or a cell of shell escapes and magics, simply names no module.
"""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

from meso_training.model import Mode

log = logging.getLogger(__name__)

ModuleNotebooks = dict[tuple[str, Mode], Path]
"""(module id, mode) -> the notebook that shows it."""


def module_notebooks(folder: Path) -> ModuleNotebooks:
    """The notebooks in ``folder`` (not below it) by the module and mode each shows; the first by name wins."""
    found: ModuleNotebooks = {}
    try:
        notebooks = sorted(folder.glob("*.ipynb"))
    except OSError:
        return found
    for notebook in notebooks:
        for shown in shown_modules(notebook):
            found.setdefault(shown, notebook)
    return found


def shown_modules(notebook: Path) -> list[tuple[str, Mode]]:
    """Every course module ``notebook`` shows with ``show_module``, in cell order."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        log.info("notebook %s not read for module links: %s", notebook, exc)
        return []
    shown: list[tuple[str, Mode]] = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue  # magics, shell escapes: not a module call
        shown.extend(found for node in ast.walk(tree) if (found := _module_call(node)) is not None)
    return shown


def _module_call(node: ast.AST) -> tuple[str, Mode] | None:
    if not isinstance(node, ast.Call):
        return None
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    module_id = _text(node.args[0]) if node.args else None
    if name != "show_module" or module_id is None:
        return None
    keywords = {k.arg: k.value for k in node.keywords}
    if "quizzes" in keywords:
        return None
    mode = _text(keywords["mode"]) if "mode" in keywords else Mode.PRACTICE.value
    return (module_id, Mode(mode)) if mode in tuple(Mode) else None


def _text(node: ast.AST) -> str | None:
    """A string literal's value; anything computed is not read (the notebook is never run)."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
