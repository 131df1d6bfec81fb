"""Notebooks the package writes itself: a module's thin notebook, a course's start page, a module's preview.

They take the form of the shipped notebooks (a markdown cell for the trainee, one code cell
that imports the package and shows something, no outputs, the python3 kernel pinned), so
``check-notebooks``, the clean-notebook checks and the dashboard's links treat them alike.
Written as plain JSON rather than through nbformat: authoring stays free of Jupyter's
libraries, and the text is the same byte for byte on every run.
"""

from __future__ import annotations

import json
from pathlib import Path

_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _lines(text: str) -> list[str]:
    """A cell's source as Jupyter stores it: lines keeping their newline, the last without one."""
    lines = text.strip("\n").split("\n")
    return [line + "\n" for line in lines[:-1]] + lines[-1:]


def thin_notebook(name: str, markdown: str, code: str) -> str:
    """The text of a notebook named ``name`` (its cells' ids start with it): ``markdown``, then ``code``."""
    cells = [
        {"cell_type": "markdown", "id": f"{name}-0", "metadata": {}, "source": _lines(markdown)},
        {"cell_type": "code", "execution_count": None, "id": f"{name}-1", "metadata": {}, "outputs": [],
         "source": _lines(code)},
    ]
    notebook = {"cells": cells, "metadata": _METADATA, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def module_notebook(name: str, module_id: str, title: str) -> str:
    """The notebook a trainee opens to work through one module, as the shipped module notebooks are."""
    markdown = (f"# {title}\n\nAnswer each question in the widgets and press **Submit**; your answers are "
                "saved as you go, and the module continues where you stopped when you open it again.")
    return thin_notebook(name, markdown, f"import meso_training\n\nmeso_training.show_module({json.dumps(module_id)})")


def preview_notebook(module_file: Path, module_id: str, *, start_at: str | None = None) -> str:
    """A notebook that shows one module file in preview mode: every item, nothing recorded."""
    arguments = [json.dumps(module_id), f"quizzes=[{json.dumps(str(module_file.absolute()))}]", "preview=True"]
    if start_at is not None:
        arguments.append(f"start_at={json.dumps(start_at)}")
    markdown = (f"# Preview: {module_file.name}\n\nThis is how trainees see the module. Use Next and Previous to "
                "reach every item, and restart a case to take its other branches.")
    code = f"import meso_training\n\nmeso_training.show_module({', '.join(arguments)})"
    return thin_notebook("preview", markdown, code)
