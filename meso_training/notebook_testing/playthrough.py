"""Play a shown module through its widgets, then check what the trainee was given and what was kept.

``play`` runs inside the notebook's kernel after the notebook's own cells: it finds the
module runners the notebook showed and answers every question by setting the widgets and
clicking Submit, as a trainee would. It reports the runner's state (the session's
summary, what the runner offered and showed), never its HTML; ``check_play`` runs in the
test process and compares that report with the attempts in the progress store.

Strategies: ``correct`` (keyed answers: the module must pass), ``wrong`` (a wrong answer
everywhere, harmful where possible: it must fail, with the critical errors counted), and
``branches`` (each case down routes that between them take every way on from every step
an answer can reach, remediation steps and wrong-answer steps included: the runner must go
where the engine routes, and each ending branch must end the case with its outcome).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from meso_training.engine.case_routes import CaseRoute, branch_label, case_routes, unreached_steps, untaken_endings
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.model import Case, Mode

if TYPE_CHECKING:
    from meso_training.views.module_runner import ModuleRunner

STRATEGIES = ("correct", "wrong", "branches")
_SHOW = re.compile(r"show_module\(\s*[\"']([^\"']+)[\"']")
_MAX_ANSWERS_PER_ITEM = 50  # a case longer than this would be a loop the validator missed


class BranchOutcome(TypedDict):
    """One route through a case, as a play-through took it, or a part of the case no route can take."""

    case: str
    route: list[str]  # the steps the route answers, in order (empty for a step nothing leads to)
    problem: str | None  # one plain sentence naming the case, the step and the answer; None when all went as routed


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


def _shown(runner: ModuleRunner) -> str:
    view = runner.current_view
    return "the case ended" if view is None else f"the trainee was shown step {view.question.id!r}"


def _short(text: str | None) -> str:
    if text is None:
        return "no outcome"
    words = " ".join(text.split())
    return repr(words if len(words) <= 60 else words[:57] + "...")


def _follow(runner: ModuleRunner, case: Case, route: CaseRoute) -> tuple[int, str | None]:
    """Answer along ``route``; (answers given, the first place the runner went elsewhere, in one sentence)."""
    given, before = 0, None
    for move in route.moves:
        view = runner.current_view
        if view is None or view.question.id != move.step_id:
            if before is None:
                return given, f"Case {case.id!r}: the case should open at step {move.step_id!r}, but {_shown(runner)}"
            return given, (f"Case {case.id!r}, step {before.step_id!r}: {before.label} should lead to step "
                           f"{move.step_id!r}, but {_shown(runner)}")
        runner.answer(move.answer)
        given, before = given + 1, move
    item = runner.session.item
    if before is None or not before.goes_to.ends_case:
        return given, None
    if not item.done:
        return given, (f"Case {case.id!r}, step {before.step_id!r}: {before.label} should end the case, "
                       f"but {_shown(runner)}")
    if item.outcome != before.goes_to.outcome:
        return given, (f"Case {case.id!r}, step {before.step_id!r}: {before.label} should end the case with "
                       f"{_short(before.goes_to.outcome)}, but it ended with {_short(item.outcome)}")
    return given, None


def _unplayable(case: Case, routes: list[CaseRoute]) -> list[BranchOutcome]:
    """What no route can take at all: steps nothing leads to, ending branches an earlier branch shadows."""
    found = [BranchOutcome(case=case.id, route=[], problem=(
        f"Case {case.id!r}: step {step_id!r} is never reached, whatever is answered at the steps before it"))
        for step_id in unreached_steps(case)]
    found += [BranchOutcome(case=case.id, route=[step_id], problem=(
        f"Case {case.id!r}, step {step_id!r}: the ending branch for {branch_label(branch)} is never taken, "
        "because an earlier branch of the step catches the same answers"))
        for step_id, branch in untaken_endings(case, routes)]
    return found


def _play_branches(runner: ModuleRunner) -> tuple[int, list[BranchOutcome]]:
    """Every case down each of its routes (in assessment, where no restart is allowed, its keyed route only)."""
    answered, outcomes = 0, []
    assessment = runner.session.mode == Mode.ASSESSMENT
    for position, item in enumerate(runner.session.items):
        if item.case is None:
            continue
        case: Case = item.case
        routes = case_routes(case)
        outcomes += _unplayable(case, routes)
        for route in routes[:1] if assessment else routes:
            _go_to(runner, position)
            restart = getattr(runner.item_view, "restart", None)
            if item.answered and not assessment and restart is not None:
                restart.click()
            given, problem = _follow(runner, case, route)
            answered += given
            outcomes.append(BranchOutcome(case=case.id, route=route.steps, problem=problem))
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
                # Routes that share a way in fail at the same place: each problem is said once.
                problems += dict.fromkeys(f"{where}: {o['problem']}" for o in r["outcomes"] if o["problem"])
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
