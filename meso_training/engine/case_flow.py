"""Where a case goes after an answer, and what a fully right trainee's path is worth.

Pure functions over the model and a grade: the session uses them to move through a case,
and a case's maximum points are those of the path the keyed answers take, so a case
ended early by a wrong decision loses the points of the steps it never reached.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from meso_training.engine.grading import GradeResult, grade, grader_for, keyed_answer, wrong_answer
from meso_training.model import Branch, Case, QuestionType


@dataclass(frozen=True)
class NextStep:
    """After a step: the next step's id, or the end of the case (with an outcome if a branch ended it)."""

    step_id: str | None
    outcome: str | None = None

    @property
    def ends_case(self) -> bool:
        return self.step_id is None


def _matches(branch: Branch, question: QuestionType, result: GradeResult) -> bool:
    if branch.when == "correct":
        return result.correct
    if branch.when == "incorrect":
        return not result.correct
    return bool(grader_for(question).chosen_options(question, result) & set(branch.when))


def next_step(case: Case, step_id: str, result: GradeResult) -> NextStep:
    """The first matching branch decides; otherwise the step's default successor."""
    step = case.step(step_id)
    for branch in step.branches:
        if _matches(branch, step, result):
            if branch.end is not None:
                return NextStep(None, branch.end)
            return NextStep(branch.goto)
    return NextStep(case.default_next(step_id))


@dataclass(frozen=True)
class KeyedRoute:
    """Where a right answer leads from each step of one case, worked out once per case.

    The session needs a case's maximum points and the view its "step n of m" after every
    answer; grading every step's keyed answer again each time was most of the CPU a
    play-through spent in our own code.
    """

    first: str
    successor: dict[str, str | None]

    @classmethod
    def of(cls, case: Case) -> KeyedRoute:
        return cls(case.steps[0].id,
                   {s.id: next_step(case, s.id, grade(s, keyed_answer(s))).step_id for s in case.steps})

    def path(self, start: str | None = None) -> list[str]:
        """Step ids from ``start`` (default: the first) to the end along right answers.

        Loops are rejected on load; the membership check only guards against an unchecked model.
        """
        path: list[str] = []
        current: str | None = start if start is not None else self.first
        while current is not None and current not in path:
            path.append(current)
            current = self.successor.get(current)
        return path


def keyed_path(case: Case, start: str | None = None) -> list[str]:
    """Step ids a trainee who answers every step right goes through from ``start`` (default: the first)."""
    return KeyedRoute.of(case).path(start)


def case_max_points(case: Case, route: KeyedRoute | None = None) -> float:
    return sum(case.step(step_id).points for step_id in (route or KeyedRoute.of(case)).path())


def branch_answer(question: QuestionType, branch: Branch) -> Any:
    """An answer that takes ``branch`` (if no earlier branch of the step catches it first)."""
    if branch.when == "correct":
        return keyed_answer(question)
    if branch.when == "incorrect":
        return wrong_answer(question)
    return grader_for(question).answer_choosing(question, branch.when)


def route_to(case: Case, step_id: str) -> list[tuple[str, Any]] | None:
    """The shortest run of (step, answer) from the first step that arrives at ``step_id``; None if none does.

    Right answers alone never reach a remediation step (only a wrong decision leads
    there), so a play-through that must try every branch needs the answers that lead
    to each step, not just the keyed ones. Every candidate answer is graded and routed
    as the session would route it, so the first matching branch decides here too.
    """
    first = case.steps[0].id
    came_from: dict[str, tuple[str, Any] | None] = {first: None}
    queue = deque([first])
    while queue:
        current = queue.popleft()
        if current == step_id:
            route: list[tuple[str, Any]] = []
            while (edge := came_from[current]) is not None:
                route.append(edge)
                current = edge[0]
            return route[::-1]
        step = case.step(current)
        for answer in [keyed_answer(step), *(branch_answer(step, b) for b in step.branches if b.goto)]:
            successor = next_step(case, current, grade(step, answer)).step_id
            if successor is not None and successor not in came_from:
                came_from[successor] = (current, answer)
                queue.append(successor)
    return None
