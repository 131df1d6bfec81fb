"""Notebook stage benchmark: the real stage next to its floor, in one run.

The stage is ``pytest --meso-notebooks notebooks/ -n 2`` (every notebook executed and
played through, one fresh kernel per item). The floor is the same number of kernels,
two at a time, each executing an empty notebook through the same runner. Target: the
ratio at most 1.5. A second floor imports only the third-party libraries every course
kernel needs, to show how much of the gap is theirs and how much is ours.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from meso_training.notebook_run import run_notebook

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def count_items() -> int:
    done = subprocess.run([sys.executable, "-m", "pytest", "--meso-notebooks", "notebooks", "--collect-only", "-q",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, check=True)
    return sum(1 for line in done.stdout.splitlines() if ".ipynb::" in line)


def stage_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--meso-notebooks", "notebooks", "-n", str(WORKERS), "-q",
                    "-p", "no:cacheprovider"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


# What every course kernel imports from other projects before any of our code runs.
# (One model class: pydantic loads most of itself only when the first one is built.)
DEPENDENCIES = """import ipywidgets, markdown_it, pydantic, yaml
class _Model(pydantic.BaseModel):
    x: int
"""


def floor_seconds(kernels: int, code: str = "") -> float:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, empty)

        def one(i: int) -> None:
            run = run_notebook(empty, db_path=Path(tmp) / f"{i}.sqlite3")
            assert run.ok, run.failure

        start = time.perf_counter()
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(one, range(kernels)))
        # pytest itself starts its workers too; count that overhead into the floor once.
        subprocess.run([sys.executable, "-m", "pytest", "-n", str(WORKERS), "--collect-only", "-q",
                        "-p", "no:cacheprovider", "tests/test_layering.py"], cwd=ROOT, check=True,
                       capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    kernels = count_items()
    floor = floor_seconds(kernels)
    with_dependencies = floor_seconds(kernels, DEPENDENCIES)
    stage = stage_seconds()
    print(f"notebook items (one kernel each): {kernels}")
    print(f"floor, {kernels} empty notebooks, {WORKERS} at a time: {floor:.1f} s")
    print(f"the same kernels importing only our dependencies (ipywidgets, pydantic, yaml, markdown-it): "
          f"{with_dependencies:.1f} s ({with_dependencies / floor:.2f} x floor)")
    print(f"notebook stage (execute + play-through): {stage:.1f} s")
    print(f"ratio: {stage / floor:.2f} (target <= 1.5); stage over the dependency floor: "
          f"{stage / with_dependencies:.2f}")


if __name__ == "__main__":
    main()
