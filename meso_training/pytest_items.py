"""What ``--meso-notebooks`` collects: per notebook, one execution and the play-throughs.

Every item runs the notebook in its own fresh kernel with its own progress database, so
nothing one item did can hide a failure in another.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meso_training.notebook_run import NotebookRun, run_notebook
from meso_training.playthrough import STRATEGIES, check_play, play_code, shown_module_ids


class NotebookFailedError(Exception):
    """Raised inside an item so pytest reports the notebook's own words."""


class NotebookFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield NotebookItem.from_parent(self, name="execute", strategy=None)
        if shown_module_ids(self.path):
            for strategy in STRATEGIES:
                yield NotebookItem.from_parent(self, name=f"play-{strategy}", strategy=strategy)


class NotebookItem(pytest.Item):
    def __init__(self, *, strategy: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.strategy = strategy
        self.add_marker(pytest.mark.notebooks)

    def runtest(self) -> None:
        timeout = int(self.config.getoption("meso_cell_timeout"))
        with tempfile.TemporaryDirectory(prefix="meso-nb-") as tmp:
            db_path = Path(tmp) / "progress.sqlite3"
            extra = [play_code(self.strategy)] if self.strategy else []
            run = run_notebook(self.path, db_path=db_path, extra_code=extra, cell_timeout=timeout)
            if run.failure is not None:
                raise NotebookFailedError(str(run.failure))
            if self.strategy:
                problems = check_play(self.strategy, run.results, db_path)
                if problems:
                    raise NotebookFailedError("\n".join(problems))
            self.user_properties.append(("seconds", round(run.seconds, 2)))
            self._last_run: NotebookRun = run

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, NotebookFailedError):
            return f"{self.path.name} [{self.name}]:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.path.name}::{self.name}"
