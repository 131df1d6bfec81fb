"""Notebooks are committed as a trainee should first see them: no outputs, a pinned kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_the_course_has_a_start_page_modules_progress_and_instructor_notebooks() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {"00-start-here", "10-foundations", "20-suitability", "30-formulation", "40-side-effects",
            "44-emergencies", "46-safe-practice", "50-planning", "80-progress", "90-instructor"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs_and_a_pinned_python3_kernel(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, "stray metadata (widgets state?)"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem[:2].isdigit() and p.stem[0] in "12345"],
                         ids=lambda p: p.name)
def test_module_notebooks_are_thin(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert 1 <= len(code) <= 2
    assert "meso_training.show_module(" in code[-1].source
