"""pytest hooks: ``pytest --meso-notebooks notebooks/`` checks course notebooks.

Only the hooks live here; the collected items are in ``pytest_items`` and the runner,
which does not import pytest, is ``notebook_run``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from meso_training.notebook_testing.run import DEFAULT_CELL_TIMEOUT


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("meso-training")
    group.addoption("--meso-notebooks", action="store_true", default=False,
                    help="execute and play through every .ipynb given or found under the paths")
    group.addoption("--meso-cell-timeout", type=int, default=DEFAULT_CELL_TIMEOUT,
                    help=f"seconds a notebook cell may run (default {DEFAULT_CELL_TIMEOUT})")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "notebooks: executes course notebooks in real kernels")


def pytest_report_header(config: pytest.Config) -> str | None:
    """Which course the notebooks will read: the one found from the folder pytest was started in."""
    if not config.getoption("meso_notebooks"):
        return None
    from meso_training.authoring.quiz_files import locate_course

    return f"meso-training course: {locate_course(cwd=config.invocation_params.dir).describe()}"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".ipynb" and parent.config.getoption("meso_notebooks") \
            and ".ipynb_checkpoints" not in file_path.parts:
        from meso_training.notebook_testing.pytest_items import NotebookFile

        collector: pytest.Collector = NotebookFile.from_parent(parent, path=file_path)
        return collector
    return None
