"""Import cost of ``import meso_training`` against ``import ipywidgets``, in fresh interpreters.

Target: at most 1.3x. Each import runs in its own new process (best of several runs,
measured in one session so machine noise hits both alike); a bare interpreter's start-up
is measured too and subtracted.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 9


def cost(statement: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    bare = cost("pass")
    widgets = cost("import ipywidgets") - bare
    ours = cost("import meso_training") - bare
    shown = cost("import meso_training; meso_training.show_module") - bare
    print(f"python start-up: {bare * 1000:.0f} ms (subtracted below)")
    print(f"import ipywidgets: {widgets * 1000:.0f} ms")
    print(f"import meso_training: {ours * 1000:.0f} ms")
    print(f"ratio: {ours / widgets:.2f}x (target <= 1.3x)")
    print(f"first use (loads the views, widgets, store): {shown * 1000:.0f} ms")


if __name__ == "__main__":
    main()
