"""Play a shown module through its widgets, then check what the trainee saw and what was kept.

``play`` runs inside the notebook's kernel after the notebook's own cells: it finds the
module runners the notebook showed and answers every question by setting the widgets and
clicking Submit, as a trainee would. ``check_play`` runs in the test process and compares
what ``play`` reported with the attempts in the SQLite file.

Strategies: ``correct`` (keyed answers: the module must pass), ``wrong`` (a wrong answer
everywhere, harmful where possible: it must fail, with the critical errors counted), and
``branches`` (each case down each of its ending branches: the outcome must be shown).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from meso_training.grading import keyed_answer, wrong_answer
from meso_training.model import Case, MultipleResponse, QuestionType, SingleChoice

STRATEGIES = ("correct", "wrong", "branches")
_SHOW = re.compile(r"show_module\(\s*[\"']([^\"']+)[\"']")


def shown_module_ids(notebook: Path) -> list[str]:
    """Module ids a notebook's code cells pass to ``show_module``."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    code = "\n".join("".join(c.get("source", "")) for c in data.get("cells", []) if c.get("cell_type") == "code")
    return _SHOW.findall(code)


def play_code(strategy: str) -> str:
    from meso_training.notebook_run import RESULT_MARKER

    return ("import json as _json\nfrom meso_training.playthrough import play as _play\n"
            f"for _r in _play({strategy!r}):\n    print({RESULT_MARKER!r} + _json.dumps(_r))\n")


def _branch_answer(question: QuestionType, when: Any) -> Any:
    if when == "correct":
        return keyed_answer(question)
    if when == "incorrect":
        return wrong_answer(question)
    if isinstance(question, SingleChoice):
        return when[0]
    if isinstance(question, MultipleResponse):
        return list(when)
    return wrong_answer(question)


def _go_to(runner: Any, position: int) -> None:
    while runner.session.position > position:
        runner.prev_button.click()
    while runner.session.position < position:
        runner.next_button.click()


def _answer_item(runner: Any, right: bool) -> tuple[int, int]:
    """Answer the current item once through; returns (answers given, critical choices made)."""
    answered = critical = 0
    while (view := runner.current_view) is not None and answered < 50:
        runner.answer(keyed_answer(view.question) if right else wrong_answer(view.question))
        answered += 1
        state = view.question
        result = next((s.result for s in runner.session.item.steps.values() if s.question is state), None)
        critical += bool(result is not None and result.critical)
        if not right and runner.session.item.case is None:
            break
    return answered, critical


def _play_straight(runner: Any, right: bool) -> dict[str, Any]:
    answered = critical = 0
    for position in range(len(runner.session.items)):
        _go_to(runner, position)
        a, c = _answer_item(runner, right)
        answered, critical = answered + a, critical + c
    runner.finish_button.click()
    return {"answered": answered, "critical_made": critical}


def _play_branches(runner: Any) -> dict[str, Any]:
    answered, outcomes = 0, []
    for position, item in enumerate(runner.session.items):
        if item.case is None:
            continue
        case: Case = item.case
        endings = [(s.id, b) for s in case.steps for b in s.branches if b.end is not None]
        for step_id, branch in endings:
            _go_to(runner, position)
            if runner.session.item.done and runner.session.mode == "practice":
                runner.item_view.restart.click()
            reached = True
            while (view := runner.current_view) is not None and view.question.id != step_id:
                runner.answer(keyed_answer(view.question))
                answered += 1
            view = runner.current_view
            if view is None:
                reached = False
            else:
                runner.answer(_branch_answer(view.question, branch.when))
                answered += 1
            shown = runner.item_view.outcome.value
            visible = html.escape((branch.end or "").strip()[:60]) in shown or (
                runner.session.mode == "assessment" and "Case finished" in shown)
            outcomes.append({"case": case.id, "step": step_id, "reached": reached,
                             "ended": runner.session.item.done, "outcome_shown": visible})
            if runner.session.mode == "assessment":
                break
    runner.finish_button.click()
    return {"answered": answered, "outcomes": outcomes}


def play(strategy: str) -> list[dict[str, Any]]:
    """Play every module runner shown in this kernel; one report per runner."""
    from meso_training.course_entry import shown_runners

    reports = []
    for runner in shown_runners():
        if strategy == "branches":
            report = _play_branches(runner)
        else:
            report = _play_straight(runner, right=strategy == "correct")
        summary = runner.session.summary()
        report.update({
            "module_id": runner.session.module.id, "mode": runner.session.mode,
            "trainee": runner.session.trainee, "summary_html": runner.summary.value,
            "status_html": runner.status.value, "progress": runner.progress.value,
            "progress_max": runner.progress.max, "message_html": runner.message.value,
            "passed": summary.passed, "score": summary.score, "critical_errors": len(summary.critical_errors),
        })
        reports.append(report)
    return reports


def check_play(strategy: str, results: list[dict[str, Any]], db_path: Path) -> list[str]:
    """Problems found in a play-through's reports and the stored attempts; empty when all is well."""
    from meso_training.store import ProgressStore

    if not results:
        return ["the notebook showed no module runner to play through"]
    problems: list[str] = []
    with ProgressStore(db_path) as store:
        for r in results:
            where = f"{r['module_id']} ({strategy})"
            stored = store.attempts(module_id=r["module_id"])
            if len(stored) != r["answered"]:
                problems.append(f"{where}: {r['answered']} answers given but {len(stored)} attempts stored")
            if "alert" in r["message_html"]:
                problems.append(f"{where}: the trainee was shown an error: {r['message_html']}")
            if strategy == "correct":
                if not r["passed"] or r["critical_errors"] or "Summary: Passed" not in r["summary_html"]:
                    problems.append(f"{where}: keyed answers did not pass: {r['summary_html'][:300]}")
                if any(a.score != 1.0 for a in stored):
                    problems.append(f"{where}: a keyed answer was stored with a score below 1")
                if r["progress"] != r["progress_max"]:
                    problems.append(f"{where}: progress bar at {r['progress']} of {r['progress_max']}")
                shown = f"{r['progress_max']} of {r['progress_max']} items done"
                if shown not in r["status_html"] or (r["mode"] == "practice" and "(100%)" not in r["status_html"]):
                    problems.append(f"{where}: the status line does not show all items done at 100%: "
                                    f"{r['status_html'][:300]}")
                if r["mode"] == "assessment" and "meso-certificate" not in r["summary_html"]:
                    problems.append(f"{where}: no certificate offered after passing")
            elif strategy == "wrong":
                if r["passed"] or "Summary: Passed" in r["summary_html"]:
                    problems.append(f"{where}: wrong answers passed the module")
                if any(a.score >= 1.0 for a in stored):
                    problems.append(f"{where}: a wrong answer was stored with full marks")
                listed = f"Critical errors: {r['critical_made']}" in r["summary_html"]
                if r["critical_errors"] != r["critical_made"] or (r["critical_made"] and not listed):
                    problems.append(f"{where}: {r['critical_made']} harmful choices made, summary lists "
                                    f"{r['critical_errors']}")
            else:
                for outcome in r["outcomes"]:
                    if not (outcome["reached"] and outcome["ended"] and outcome["outcome_shown"]):
                        problems.append(f"{where}: case {outcome['case']} branch at {outcome['step']}: {outcome}")
    return problems
