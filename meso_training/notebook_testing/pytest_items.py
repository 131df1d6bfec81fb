"""What ``--meso-notebooks`` collects: per notebook, one execution and the play-throughs.

Every item runs the notebook in its own fresh kernel with its own progress database, so
nothing one item did can hide a failure in another.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from meso_training.notebook_testing.check import check_notebook, checks_for


class NotebookFailedError(Exception):
    """Raised inside an item so pytest reports the notebook's own words."""


class NotebookFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        for strategy in checks_for(self.path):
            name = f"play-{strategy}" if strategy else "execute"
            yield NotebookItem.from_parent(self, name=name, strategy=strategy)


class NotebookItem(pytest.Item):
    def __init__(self, *, strategy: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.strategy = strategy
        self.add_marker(pytest.mark.notebooks)

    def runtest(self) -> None:
        timeout = int(self.config.getoption("meso_cell_timeout"))
        result = check_notebook(self.path, self.strategy, cell_timeout=timeout)
        self.user_properties.append(("seconds", round(result.seconds, 2)))
        if not result.ok:
            raise NotebookFailedError("\n".join(result.problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, NotebookFailedError):
            return f"{self.path.name} [{self.name}]:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))
