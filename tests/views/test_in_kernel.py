"""Views in a real kernel executed by nbclient: what the saved notebook holds, and resume after a restart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from meso_training.model import Course, Matching, MultipleResponse, Numeric, Ordering, ShortText, SingleChoice
from meso_training.notebook_testing.run import RESULT_MARKER, run_notebook

pytestmark = pytest.mark.notebooks

VISIT_EVERY_ITEM = """
from meso_training.course_entry import shown_runners
runner = shown_runners()[-1]
for _ in range(len(runner.session.items)):
    runner.next_button.click()
"""


def notebook(tmp_path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "check.ipynb"
    nbformat.write(nb, path)
    return path


def secrets(course: Course) -> list[str]:
    """Text that would give an answer away if it reached the browser before the trainee answered."""
    found: list[str] = []
    for _, q in course.module("orientation").questions():
        found.append(q.rationale.strip()[:40])
        if isinstance(q, SingleChoice | MultipleResponse):
            found += [o.feedback.strip()[:40] for o in q.options]
        elif isinstance(q, Numeric | Ordering | ShortText | Matching):
            found += [q.feedback.correct[:40], q.feedback.incorrect[:40]]
        if isinstance(q, ShortText):
            found += list(q.accepted)
        if isinstance(q, Matching):
            found += [i.feedback[:40] for i in q.items]
    return found


def test_saved_widget_state_reveals_no_answer_of_unanswered_questions(course: Course, tmp_path: Path) -> None:
    path = notebook(tmp_path, 'import meso_training\nmeso_training.show_module("orientation")')
    run = run_notebook(path, db_path=tmp_path / "p.sqlite3", extra_code=[VISIT_EVERY_ITEM])
    assert run.ok, run.failure
    mime = "application/vnd.jupyter.widget-view+json"
    views = [o for o in run.notebook.cells[0].outputs if mime in o.get("data", {})]
    assert len(views) == 1, "a cell ending in show_module(...) must show the runner once, not twice"
    state = run.widget_state
    assert len(state) > 50  # every item's widgets were created and saved
    text = json.dumps(state, ensure_ascii=False)
    assert "The dermis, the middle layer of skin" in text  # what a trainee must see is there
    leaks = [s for s in secrets(course) if s in text]
    assert leaks == []
    assert not re.search(r"\b1950\b", text)  # the numeric key, not four digits inside a random widget id
    keys: set[str] = set()
    for model in state.values():
        keys |= set(model.get("state", {}))
    assert not {"correct", "answer", "accepted", "rationale"} & keys
    ordering = next(q for _, q in course.module("orientation").questions() if isinstance(q, Ordering))
    keyed = [s.text for s in ordering.steps]
    positions = [text.index(t) for t in keyed]
    assert positions != sorted(positions), "ordering steps were saved in the keyed order"


def test_resume_after_a_kernel_restart_continues_where_the_trainee_stopped(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    path = notebook(tmp_path, 'import meso_training\nmeso_training.show_module("orientation")')
    answer_three = """
from meso_training.course_entry import shown_runners
from meso_training.engine.grading import keyed_answer
runner = shown_runners()[-1]
for _ in range(3):
    runner.answer(keyed_answer(runner.current_view.question))
    runner.next_button.click()
"""
    first = run_notebook(path, db_path=db, extra_code=[answer_three])
    assert first.ok, first.failure
    report = f"""
import json
from meso_training.course_entry import shown_runners
runner = shown_runners()[-1]
print({RESULT_MARKER!r} + json.dumps({{"position": runner.session.position,
      "status": runner.status.value}}))
"""
    second = run_notebook(path, db_path=db, extra_code=[report])
    assert second.ok, second.failure
    (result,) = second.results
    assert result["position"] == 3
    assert "3 of 7 items done" in result["status"]
    assert "3 ✓" in result["status"]
    assert "4 ✓" not in result["status"]
