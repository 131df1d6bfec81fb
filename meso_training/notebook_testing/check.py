"""One check of one notebook: execute it, optionally play it through, and list what went wrong.

Shared by the pytest plugin and ``meso-training check-notebooks`` so both apply exactly
the same rules. Each check gets its own fresh kernel and progress database.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from meso_training.notebook_testing.playthrough import (
    STRATEGIES,
    KernelReport,
    check_play,
    report_code,
    shown_module_ids,
)
from meso_training.notebook_testing.run import DEFAULT_CELL_TIMEOUT, run_notebook


@dataclass(frozen=True)
class NotebookCheck:
    path: Path
    name: str  # "execute" or "play-<strategy>"
    problems: tuple[str, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.problems


def checks_for(path: Path) -> list[str | None]:
    """The strategies to run for ``path``: plain execution, plus play-throughs if it shows a module."""
    return [None, *STRATEGIES] if shown_module_ids(path) else [None]


def check_notebook(path: Path, strategy: str | None, *, cell_timeout: int = DEFAULT_CELL_TIMEOUT) -> NotebookCheck:
    with tempfile.TemporaryDirectory(prefix="meso-nb-") as tmp:
        db_path = Path(tmp) / "progress.sqlite3"
        run = run_notebook(path, db_path=db_path, extra_code=[report_code(strategy)], cell_timeout=cell_timeout)
        report: KernelReport | None = run.results[-1] if run.results else None
        if run.failure is not None:
            problems: list[str] = [str(run.failure)]
        elif report is None:
            problems = ["the notebook's kernel sent no report after its cells ran"]
        elif report["not_started"]:
            problems = [f"the notebook showed the trainee an error: {text}" for text in report["not_started"]]
        elif strategy:
            problems = check_play(strategy, report["plays"], db_path)
        else:
            problems = []
    return NotebookCheck(path, f"play-{strategy}" if strategy else "execute", tuple(problems), run.seconds)
