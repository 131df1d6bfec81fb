"""The package's layers, as docs/architecture.md lists them, are the package's folders, and imports follow them."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "meso_training"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
ENTRY_POINTS = "entry points"
ROW = re.compile(r"^\| (?P<layer>[\w ]+) \| `(?P<folder>[^`]+)` \| (?P<imports>[^|]+) \|", re.MULTILINE)


def documented_layers() -> dict[str, tuple[str, set[str]]]:
    """Layer name -> (folder as documented, layers it may import)."""
    layers = {}
    for row in ROW.finditer(ARCHITECTURE.read_text(encoding="utf-8")):
        allowed = row["imports"].strip()
        names = set() if allowed.startswith("(") else {name.strip() for name in allowed.split(",")}
        layers[row["layer"].strip()] = (row["folder"], names)
    return layers


LAYERS = documented_layers()


def layer_of(module: str) -> str:
    """``meso_training.engine.session`` -> ``engine``; a root module other than ``errors`` is an entry point."""
    parts = module.split(".")
    if len(parts) == 1:
        return ENTRY_POINTS
    if parts[1] in LAYERS:
        return parts[1]
    return ENTRY_POINTS


def imported_modules(path: Path) -> set[str]:
    """Every ``meso_training`` module ``path`` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("meso_training"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if (PACKAGE / Path(*f"{node.module}.{alias.name}".split(".")[1:])).exists()
                         or (PACKAGE / Path(*f"{node.module}.{alias.name}".split(".")[1:])).with_suffix(".py").exists())
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("meso_training"))
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_documented_layers_are_the_package_folders() -> None:
    documented = {folder.rstrip("/") for name, (folder, _) in LAYERS.items() if name != ENTRY_POINTS}
    actual = {f"meso_training/{p.name}" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    actual.add("meso_training/errors.py")
    assert documented == actual


def test_the_package_root_holds_only_entry_points() -> None:
    root_modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert root_modules == ["__init__.py", "__main__.py", "cli.py", "cli_analysis.py", "cli_course_folder.py",
                            "cli_records.py", "course_entry.py", "errors.py",
                            "pytest_plugin.py"]


def test_every_module_is_readable_in_one_sitting() -> None:
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_layers_its_layer_may_import(path: Path) -> None:
    me = module_name(path)
    mine = "errors" if me == "meso_training.errors" else layer_of(me)
    if mine == ENTRY_POINTS:
        return  # the wiring may import every layer
    allowed = LAYERS[mine][1] | {mine}
    wrong = sorted(m for m in imported_modules(path)
                   if ("errors" if m == "meso_training.errors" else layer_of(m)) not in allowed)
    assert wrong == [], f"{me} ({mine}) may import only {sorted(allowed)}"


def test_the_import_check_sees_a_view_imported_from_the_engine(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from meso_training.views.rendering import escape\n", encoding="utf-8")
    assert {layer_of(m) for m in imported_modules(bad)} == {"views"}


CORE = ["meso_training", "meso_training.authoring.loader", "meso_training.authoring.course_cache",
        "meso_training.model", "meso_training.engine.grading", "meso_training.engine.session",
        "meso_training.authoring.lint", "meso_training.authoring.coverage", "meso_training.cli",
        "meso_training.storage"]


def test_core_modules_do_not_import_widgets_or_plots() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE)
        + "from meso_training.authoring.loader import load_course\n"
        + "from meso_training.engine.grading import grade, keyed_answer\n"
        + "course = load_course()\n"
        + "q = course.modules[0].questions()[0][1]\n"
        + "assert grade(q, keyed_answer(q)).score == 1.0\n"
        + "heavy = ('ipywidgets', 'matplotlib', 'IPython', 'sqlite3', 'sqlalchemy', 'psycopg', 'alembic')\n"
        + "bad = sorted(m for m in heavy if m in sys.modules)\n"
        + "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == ""
