"""Execute a course notebook headless, as CI and instructors check it.

Each notebook gets a fresh kernel, a per-cell timeout (a widget waiting for a front end
that never answers fails fast instead of eating CI's time), its own progress database,
and stored widget state. After the notebook's own cells, extra code can run in the same
kernel: that is how a play-through answers every question through the widgets.
This module does not import pytest; the plugin and the CLI both call it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from meso_training.errors import NotebookRunError

DEFAULT_CELL_TIMEOUT = 90
RESULT_MARKER = "MESO-PLAY-RESULT:"
_MAX_SOCKET_PREFIX = 100  # sockaddr_un holds 107 bytes; jupyter_client adds "-<n>" to the prefix
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class CellFailure:
    """Which cell failed and how, in words a notebook author can act on."""

    index: int
    source: str
    error: str

    def __str__(self) -> str:
        return f"cell {self.index} failed:\n{self.source}\n---\n{self.error}"


@dataclass
class NotebookRun:
    path: Path
    seconds: float
    failure: CellFailure | None = None
    results: list[Any] = field(default_factory=list)
    notebook: Any = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def widget_state(self) -> dict[str, Any]:
        widgets = (self.notebook.metadata.get("widgets") or {}) if self.notebook is not None else {}
        state: dict[str, Any] = widgets.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        return state


def _cell_error(exc: Exception) -> str:
    if isinstance(exc, CellTimeoutError):
        return f"timed out: {exc}"
    if isinstance(exc, CellExecutionError):
        return _ANSI.sub("", f"{exc.ename}: {exc.evalue}\n{exc}")
    return f"{type(exc).__name__}: {exc}"


def _results_of(cell: Any) -> list[Any]:
    found = []
    for output in cell.get("outputs", []):
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(RESULT_MARKER):
                found.append(json.loads(line[len(RESULT_MARKER):]))
    return found


def run_notebook(path: Path, *, db_path: Path, extra_code: Sequence[str] = (),
                 cell_timeout: int = DEFAULT_CELL_TIMEOUT, workdir: Path | None = None) -> NotebookRun:
    """Run every cell, then ``extra_code`` in the same kernel; stop at the first failure.

    Extra code reports back by printing ``RESULT_MARKER`` followed by JSON on one line.
    """
    try:
        nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        msg = f"cannot read notebook {path}: {exc}"
        raise NotebookRunError(msg) from exc
    for code in extra_code:
        nb.cells.append(nbformat.v4.new_code_cell(code))  # type: ignore[no-untyped-call]
    env = {**os.environ, "MESO_TRAINING_DB": str(db_path), "MPLBACKEND": "Agg"}
    run = NotebookRun(path=path, seconds=0.0, notebook=nb)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="meso-kernel-") as sockets:
        client = NotebookClient(
            nb, km=_kernel_manager(Path(sockets)), timeout=cell_timeout, allow_errors=False,
            resources={"metadata": {"path": str(workdir or path.parent)}},
            store_widget_state=True, shutdown_kernel="immediate", startup_timeout=120,
        )
        _execute(client, nb, env, run)
    run.seconds = time.perf_counter() - start
    return run


def _kernel_manager(sockets: Path) -> AsyncKernelManager:
    """A python3 kernel talking over Unix sockets in ``sockets`` where the OS has them.

    Over TCP, jupyter_client picks free ports by opening and closing them before the kernel
    binds; two kernels started at once (two test workers) can pick the same port, and the
    loser never answers: a notebook failed after the 120 s start-up timeout with "Address
    already in use". Socket files in a folder of our own cannot collide. A socket path must
    fit in 107 bytes, so a very long temporary folder falls back to TCP.
    """
    prefix = str(sockets / "k")
    if os.name != "posix" or len(os.fsencode(prefix)) > _MAX_SOCKET_PREFIX:
        return AsyncKernelManager(kernel_name="python3")
    return AsyncKernelManager(kernel_name="python3", transport="ipc", ip=prefix)


def _execute(client: NotebookClient, nb: Any, env: dict[str, str], run: NotebookRun) -> None:
    """Every cell in order, stopping at the first failure, which ``run`` records."""
    try:
        with client.setup_kernel(env=env, cleanup_kc=True):  # shut the kernel down: we made its manager
            for index, cell in enumerate(nb.cells):
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                    run.failure = CellFailure(index, cell.source, _cell_error(exc))
                    break
                run.results.extend(_results_of(cell))
            client.set_widgets_metadata()
    except RuntimeError as exc:
        msg = f"the kernel for {run.path.name} did not start: {exc}"
        raise NotebookRunError(msg) from exc
