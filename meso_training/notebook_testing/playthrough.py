"""Play a shown module through its widgets, then check what the trainee was given and what was kept.

``play`` runs inside the notebook's kernel after the notebook's own cells: it finds the
module runners the notebook showed and answers every question by setting the widgets and
clicking Submit, as a trainee would. It reports the runner's state (the session's
summary, what the runner offered and showed), never its HTML; ``check_play`` runs in the
test process and compares that report with the attempts in the progress store.

Strategies: ``correct`` (keyed answers: the module must pass), ``wrong`` (a wrong answer
everywhere, harmful where possible: it must fail, with the critical errors counted), and
``branches`` (each case down each of its ending branches: the outcome must be reached).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from meso_training.engine.case_flow import branch_answer, route_to
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.model import Case, Mode

if TYPE_CHECKING:
    from meso_training.views.module_runner import ModuleRunner

STRATEGIES = ("correct", "wrong", "branches")
_SHOW = re.compile(r"show_module\(\s*[\"']([^\"']+)[\"']")
_MAX_ANSWERS_PER_ITEM = 50  # a case longer than this would be a loop the validator missed


class BranchOutcome(TypedDict):
    """One ending branch of a case, taken by a play-through."""

    case: str
    step: str
    reached: bool  # the step the branch starts from was reached (along the answers that lead there)
    ended: bool  # the case ended after the branch's answer
    outcome_recorded: bool  # the session holds the branch's outcome (in practice; in assessment, that it ended)


class PlayReport(TypedDict):
    """What a play-through of one runner did and what the runner's state was afterwards."""

    module_id: str
    mode: str
    trainee: str
    answered: int
    critical_made: int
    outcomes: list[BranchOutcome]
    complete: bool
    passed: bool
    score: float
    critical_errors: int
    items: int
    items_done: int
    progress: int
    alert: str | None
    certificate_offered: bool


def shown_module_ids(notebook: Path) -> list[str]:
    """Module ids a notebook's code cells pass to ``show_module``."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    code = "\n".join("".join(c.get("source", "")) for c in data.get("cells", []) if c.get("cell_type") == "code")
    return _SHOW.findall(code)


class KernelReport(TypedDict):
    """What the code run after a notebook's cells reports from its kernel."""

    not_started: list[str]  # messages shown instead of a module (the course could not start)
    plays: list[PlayReport]


def report_code(strategy: str | None) -> str:
    """Code for the notebook's kernel: play the shown modules (if ``strategy``), then print a ``KernelReport``."""
    from meso_training.notebook_testing.run import RESULT_MARKER

    return ("import json as _json\nfrom meso_training.notebook_testing.playthrough import kernel_report as _report\n"
            f"print({RESULT_MARKER!r} + _json.dumps(_report({strategy!r})))\n")


def kernel_report(strategy: str | None) -> KernelReport:
    """Run in the kernel: what could not start, and the play-throughs of what did."""
    from meso_training.views.shown import NOT_STARTED

    return KernelReport(not_started=list(NOT_STARTED), plays=play(strategy) if strategy else [])


def _go_to(runner: ModuleRunner, position: int) -> None:
    while runner.session.position > position:
        runner.prev_button.click()
    while runner.session.position < position:
        runner.next_button.click()


def _answer_item(runner: ModuleRunner, right: bool) -> tuple[int, int]:
    """Answer the current item once through; returns (answers given, critical choices made)."""
    answered = critical = 0
    while (view := runner.current_view) is not None and answered < _MAX_ANSWERS_PER_ITEM:
        question = view.question
        runner.answer(keyed_answer(question) if right else wrong_answer(question))
        answered += 1
        state = runner.session.item.steps.get(question.id)
        critical += bool(state is not None and state.result is not None and state.result.critical)
        if not right and runner.session.item.case is None:
            break
    return answered, critical


def _play_straight(runner: ModuleRunner, right: bool) -> tuple[int, int]:
    answered = critical = 0
    for position in range(len(runner.session.items)):
        _go_to(runner, position)
        a, c = _answer_item(runner, right)
        answered, critical = answered + a, critical + c
    runner.finish_button.click()
    return answered, critical


def _play_branches(runner: ModuleRunner) -> tuple[int, list[BranchOutcome]]:
    answered, outcomes = 0, []
    assessment = runner.session.mode == Mode.ASSESSMENT
    for position, item in enumerate(runner.session.items):
        if item.case is None:
            continue
        case: Case = item.case
        endings = [(s.id, b) for s in case.steps for b in s.branches if b.end is not None]
        for step_id, branch in endings:
            _go_to(runner, position)
            restart = getattr(runner.item_view, "restart", None)
            if item.done and not assessment and restart is not None:
                restart.click()
            for planned_step, answer in route_to(case, step_id) or []:
                if (view := runner.current_view) is None or view.question.id != planned_step:
                    break
                runner.answer(answer)
                answered += 1
            view = runner.current_view
            reached = view is not None and view.question.id == step_id
            if view is not None and reached:
                runner.answer(branch_answer(view.question, branch))
                answered += 1
            outcomes.append(BranchOutcome(case=case.id, step=step_id, reached=reached, ended=item.done,
                                          outcome_recorded=item.done and item.outcome == branch.end))
            if assessment:
                break
    runner.finish_button.click()
    return answered, outcomes


def play(strategy: str) -> list[PlayReport]:
    """Play every module runner shown in this kernel; one report per runner."""
    from meso_training.views.shown import shown_runners

    reports = []
    for runner in shown_runners():
        outcomes: list[BranchOutcome] = []
        if strategy == "branches":
            answered, outcomes = _play_branches(runner)
            critical = 0
        else:
            answered, critical = _play_straight(runner, right=strategy == "correct")
        session = runner.session
        summary = session.summary()
        reports.append(PlayReport(
            module_id=session.module.id, mode=session.mode.value, trainee=session.trainee, answered=answered,
            critical_made=critical, outcomes=outcomes, complete=summary.complete, passed=summary.passed,
            score=summary.score, critical_errors=len(summary.critical_errors), items=len(session.items),
            items_done=sum(1 for i in session.items if i.done), progress=int(runner.progress.value),
            alert=runner.alert, certificate_offered=runner.certificate_offered,
        ))
    return reports


def check_play(strategy: str, reports: list[PlayReport], db_path: Path) -> list[str]:
    """Problems found in a play-through's reports and the stored attempts; empty when all is well."""
    from meso_training.storage import open_store

    if not reports:
        return ["the notebook showed no module runner to play through"]
    problems: list[str] = []
    with open_store(db_path) as store:
        for r in reports:
            where = f"{r['module_id']} ({strategy})"
            stored = store.attempts(module_id=r["module_id"])
            if len(stored) != r["answered"]:
                problems.append(f"{where}: {r['answered']} answers given but {len(stored)} attempts stored")
            if r["alert"]:
                problems.append(f"{where}: the trainee was shown an error: {r['alert']}")
            if strategy == "correct":
                problems += _check_keyed(where, r, [a.score for a in stored])
            elif strategy == "wrong":
                if r["passed"]:
                    problems.append(f"{where}: wrong answers passed the module")
                if any(a.score >= 1.0 for a in stored):
                    problems.append(f"{where}: a wrong answer was stored with full marks")
                if r["critical_errors"] != r["critical_made"]:
                    problems.append(f"{where}: {r['critical_made']} harmful choices made, summary lists "
                                    f"{r['critical_errors']}")
            else:
                problems += [_branch_problem(where, o) for o in r["outcomes"]
                             if not (o["reached"] and o["ended"] and o["outcome_recorded"])]
    return problems


def _check_keyed(where: str, r: PlayReport, scores: list[float]) -> list[str]:
    problems = []
    if not r["passed"] or r["critical_errors"]:
        problems.append(f"{where}: keyed answers did not pass (score {r['score']:.0%}, "
                        f"{r['critical_errors']} critical errors, complete: {r['complete']})")
    if any(score != 1.0 for score in scores):
        problems.append(f"{where}: a keyed answer was stored with a score below 1")
    if r["items_done"] != r["items"] or r["progress"] != r["items"]:
        problems.append(f"{where}: {r['items_done']} of {r['items']} items done, progress bar at {r['progress']}")
    if r["mode"] == Mode.PRACTICE and r["score"] != 1.0:
        problems.append(f"{where}: keyed answers scored {r['score']:.0%}, not 100%")
    if r["mode"] == Mode.ASSESSMENT and not r["certificate_offered"]:
        problems.append(f"{where}: no certificate offered after passing")
    return problems


def _branch_problem(where: str, o: BranchOutcome) -> str:
    if not o["reached"]:
        return (f"{where}: case {o['case']}: the step {o['step']!r} that ends the case is never reached, "
                "whatever is answered at the steps before it")
    if not o["ended"]:
        return f"{where}: case {o['case']}: the ending branch at step {o['step']!r} did not end the case"
    return f"{where}: case {o['case']}: the case ended at step {o['step']!r} without that branch's outcome"
