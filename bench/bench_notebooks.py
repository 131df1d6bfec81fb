"""Notebook stage benchmark: the real stage next to its floor, in one run.

The stage is ``pytest --meso-notebooks notebooks/ -n 2`` (every notebook executed and
played through, one fresh kernel per item). The floor is the same command over as many
notebooks with one empty code cell, so it starts the same number of kernels through the
same harness: pytest, its two xdist workers, the plugin, the runner. Target: the ratio at
most 1.5.

Two more lines help read the gap. A second floor's notebooks import only the third-party
libraries every course kernel needs (how much of the gap is theirs, how much ours). And the
kernels alone, run from threads in this process with one ``pytest --collect-only`` added for
pytest's start: how this benchmark measured its floor until 2026-11-25. xdist starts no
workers under ``--collect-only``, so that floor left out the workers' start and teardown
that any ``-n 2`` stage pays; it is printed to compare with earlier figures.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from meso_training.notebook_testing.run import run_notebook

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
PYTEST = [sys.executable, "-m", "pytest", "-n", str(WORKERS), "-q", "-p", "no:cacheprovider"]

# What every course kernel imports from other projects before any of our code runs.
# (One model class: pydantic loads most of itself only when the first one is built.)
DEPENDENCIES = """import ipywidgets, markdown_it, pydantic, yaml
class _Model(pydantic.BaseModel):
    x: int
"""


def count_items() -> int:
    done = subprocess.run([*PYTEST, "--meso-notebooks", "notebooks", "--collect-only"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return sum(1 for line in done.stdout.splitlines() if ".ipynb::" in line)


def _timed_stage(path: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*PYTEST, "--meso-notebooks", str(path)], cwd=ROOT, capture_output=True, text=True,
                          check=False)  # a failure is reported below with its output
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"pytest --meso-notebooks {path} failed:\n{done.stdout[-4000:]}")
    return seconds


def _one_cell_notebook(code: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def floor_seconds(kernels: int, code: str = "") -> float:
    """The stage's command over ``kernels`` one-cell notebooks: one execute item, one kernel each."""
    # Inside the project, so pytest reads the same configuration (pyproject.toml) as the stage.
    with tempfile.TemporaryDirectory(dir=ROOT, prefix=".bench-floor-") as tmp:
        nb = _one_cell_notebook(code)
        for i in range(kernels):
            nbformat.write(nb, Path(tmp) / f"empty-{i:02d}.ipynb")  # type: ignore[no-untyped-call]
        return _timed_stage(Path(tmp))


def threads_floor_seconds(kernels: int) -> float:
    """The earlier floor: kernels from threads in this process, plus one pytest --collect-only."""
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.ipynb"
        nbformat.write(_one_cell_notebook(""), empty)  # type: ignore[no-untyped-call]

        def one(i: int) -> None:
            run = run_notebook(empty, db_path=Path(tmp) / f"{i}.sqlite3")
            assert run.ok, run.failure

        start = time.perf_counter()
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(one, range(kernels)))
        subprocess.run([*PYTEST, "--collect-only", "tests/test_layering.py"], cwd=ROOT, check=True,
                       capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    kernels = count_items()
    floor = floor_seconds(kernels)
    with_dependencies = floor_seconds(kernels, DEPENDENCIES)
    stage = _timed_stage(ROOT / "notebooks")
    threads_floor = threads_floor_seconds(kernels)
    print(f"notebook items (one kernel each): {kernels}")
    print(f"floor, {kernels} empty notebooks through the same command ({WORKERS} workers): {floor:.1f} s")
    print(f"the same, each importing only our dependencies (ipywidgets, pydantic, yaml, markdown-it): "
          f"{with_dependencies:.1f} s ({with_dependencies / floor:.2f} x floor)")
    print(f"notebook stage (execute + play-through): {stage:.1f} s")
    print(f"ratio: {stage / floor:.2f} (target <= 1.5); stage over the dependency floor: "
          f"{stage / with_dependencies:.2f}")
    print(f"for comparison with figures before 2026-11-25: kernels from threads + pytest --collect-only "
          f"{threads_floor:.1f} s, ratio {stage / threads_floor:.2f}")


if __name__ == "__main__":
    main()
