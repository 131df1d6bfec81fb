"""The core never pulls in the UI: loading and grading work without ipywidgets."""

from __future__ import annotations

import subprocess
import sys

CORE = ["meso_training", "meso_training.loader", "meso_training.course_cache", "meso_training.model",
        "meso_training.grading", "meso_training.lint", "meso_training.fact_coverage", "meso_training.cli"]


def test_core_modules_do_not_import_widgets_or_plots() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE)
        + "from meso_training.loader import load_course\n"
        + "from meso_training.grading import grade, keyed_answer\n"
        + "course = load_course()\n"
        + "q = course.modules[0].questions()[0][1]\n"
        + "assert grade(q, keyed_answer(q)).score == 1.0\n"
        + "bad = sorted(m for m in ('ipywidgets', 'matplotlib', 'IPython') if m in sys.modules)\n"
        + "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == ""
