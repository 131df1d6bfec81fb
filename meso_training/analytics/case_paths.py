"""Case paths: how far a cohort got through each case, which way it went, and where it stopped.

Why it is worked out this way:

* **The route is replayed, not inferred from step order.** A wrong decision can lead to a
  remediation step listed anywhere, or end the case, so the list order says little. Each
  trainee's answer at a step is graded and routed by the engine, as the session routed it
  (the first matching branch decides). What the trainee then answered wins over that
  prediction: a step's branches are not part of its content hash, so a case whose flow was
  edited mid-cohort keeps its versions, and the answers show where trainees really went.
* **"Left unfinished"** is a trainee who answered a step but not the step the route goes on
  to; an ending (a branch's ``end:`` or the last step) is not unfinished.
* **Statistics are conditional on reaching a step**: a remediation step reached by a few
  weak trainees would look hard against the whole cohort and easy against nobody.
* **Only answers to the course's current version of a step count** (``""``, no version,
  counts too): an old version may have had other options, so its answers cannot be routed
  by today's case. They are counted in ``other_versions`` so the report can say so.

Responses are the first responses of one mode (``responses.first_responses``); in
practice, a restarted case mixes the first answer of each step from different runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from meso_training.analytics.responses import Response
from meso_training.engine.case_flow import keyed_path, next_step
from meso_training.engine.grading import grade, keyed_answer
from meso_training.errors import AnswerError
from meso_training.model import Case, Module

RouteKind = Literal["step", "end", "unfinished"]
COMPLETED = "end of the case"
"""The target of an ending without an outcome text (the last step, no ``end:`` branch)."""
UNFINISHED = "left unfinished"


@dataclass(frozen=True)
class Route:
    """How many trainees went one way after a step: to ``target``, a step id or an ending's outcome text."""

    kind: RouteKind
    target: str
    trainees: int
    keyed: bool
    """Whether a right answer at the step goes this way."""


@dataclass(frozen=True)
class StepPath:
    step_id: str
    prompt: str
    keyed: bool
    """On the keyed route (False: a remediation step, reached only after a wrong decision)."""
    reached: int
    correct: int
    critical: int
    """Trainees who made a harmful choice at this step."""
    mean_points: float | None
    max_points: float
    facility: float | None
    """Mean points of those who reached the step, % of its points; None if nobody reached it."""
    routes: tuple[Route, ...]
    """Where those who reached it went, most trainees first."""
    successors: tuple[str, ...] = ()
    """Every step a branch or the default may lead to, taken or not (to draw the case's shape)."""

    @property
    def left_unfinished(self) -> int:
        return sum(r.trainees for r in self.routes if r.kind == "unfinished")

    @property
    def dropout(self) -> float | None:
        """Share of those who reached the step who left the case unfinished here."""
        return self.left_unfinished / self.reached if self.reached else None


@dataclass(frozen=True)
class CasePaths:
    case_id: str
    title: str
    started: int
    """Trainees who answered the case's first step."""
    failed_for_safety: int
    """Trainees who started it and made any harmful choice in it."""
    steps: tuple[StepPath, ...]
    """In the case's order."""
    unplaced: int = 0
    """Answers of starters to steps off the route they were walked through (edited flow, mixed practice runs)."""
    other_versions: int = 0
    """Answers to other versions of the case's steps, left out."""

    def step(self, step_id: str) -> StepPath:
        return next(s for s in self.steps if s.step_id == step_id)

    @property
    def safety_share(self) -> float | None:
        return self.failed_for_safety / self.started if self.started else None

    @property
    def left_unfinished(self) -> int:
        return sum(s.left_unfinished for s in self.steps)

    def unfinished_share(self, step_id: str) -> float | None:
        """Share of the trainees who started the case who left it unfinished at ``step_id``."""
        return self.step(step_id).left_unfinished / self.started if self.started else None

    @property
    def endings(self) -> dict[str, int]:
        """Trainees per ending (outcome text, or ``COMPLETED``), from every step."""
        out: dict[str, int] = defaultdict(int)
        for s in self.steps:
            for r in s.routes:
                if r.kind == "end":
                    out[r.target] += r.trainees
        return dict(out)


def _successors(case: Case, step_id: str) -> list[str]:
    """Every step a branch or the default may lead to from ``step_id``, in the order the engine tries them.

    The default is left out when a right and a wrong answer both have a branch: no answer reaches it.
    """
    step = case.step(step_id)
    out = [b.goto for b in step.branches if b.goto is not None]
    default = case.default_next(step_id)
    if default is None or default in out or {"correct", "incorrect"} <= {b.when for b in step.branches}:
        return out
    return [*out, default]


def _keyed_way(case: Case, step_id: str) -> tuple[RouteKind, str]:
    step = case.step(step_id)
    after = next_step(case, step_id, grade(step, keyed_answer(step)))
    return ("end", after.outcome or COMPLETED) if after.step_id is None else ("step", after.step_id)


def trainee_path(case: Case, answers: Mapping[str, Response]) -> tuple[list[str], tuple[RouteKind, str]] | None:
    """The steps one trainee went through and how they left the last; None if they never answered the first step."""
    path = [case.steps[0].id]
    if path[0] not in answers:
        return None
    while True:
        current = path[-1]
        step = case.step(current)
        try:
            after = next_step(case, current, grade(step, answers[current].answer))
            predicted: str | None = after.step_id
            ending: tuple[RouteKind, str] = ("end", after.outcome or COMPLETED) if predicted is None else (
                "unfinished", UNFINISHED)
        except AnswerError:  # an answer today's grader refuses: only the later answers can tell
            predicted = None
            ending = ("unfinished", UNFINISHED) if _successors(case, current) else ("end", COMPLETED)
        onward = [s for s in (predicted, *_successors(case, current)) if s is not None and s in answers
                  and s not in path]
        if not onward:
            return path, ending
        path.append(onward[0])


def analyse_case(case: Case, responses: Sequence[Response], module_id: str | None = None) -> CasePaths:
    """The paths of one case over ``responses`` (any mix of cases: those of other items are ignored)."""
    current = {s.id: s.content_hash() for s in case.steps}
    answers: dict[str, dict[str, Response]] = defaultdict(dict)
    other_versions = 0
    for r in responses:
        if r.item_id != case.id or r.question_id not in current or (
                module_id is not None and r.module_id not in (None, module_id)):
            continue
        if r.version not in ("", current[r.question_id]):
            other_versions += 1
        else:
            answers[r.trainee].setdefault(r.question_id, r)
    reached: dict[str, list[Response]] = defaultdict(list)
    ways: dict[str, dict[tuple[RouteKind, str], int]] = defaultdict(lambda: defaultdict(int))
    started = harmed = unplaced = 0
    for mine in answers.values():
        walked = trainee_path(case, mine)
        if walked is None:
            continue
        path, last_way = walked
        started += 1
        harmed += any(r.critical for r in mine.values())
        unplaced += len(set(mine) - set(path))
        for here, there in zip(path, [*path[1:], None], strict=True):
            reached[here].append(mine[here])
            ways[here][("step", there) if there is not None else last_way] += 1
    keyed_steps = set(keyed_path(case))
    steps = []
    for s in case.steps:
        got = reached[s.id]
        keyed_way = _keyed_way(case, s.id)
        routes = tuple(Route(kind, target, n, (kind, target) == keyed_way)
                       for (kind, target), n in sorted(ways[s.id].items(), key=lambda kv: (-kv[1], kv[0])))
        top = sum(r.max_points for r in got) or s.points * len(got)
        mean = sum(r.points for r in got) / len(got) if got else None
        steps.append(StepPath(s.id, s.prompt, s.id in keyed_steps, len(got), sum(bool(r.correct) for r in got),
                              sum(r.critical for r in got), mean, s.points,
                              100 * sum(r.points for r in got) / top if got and top else None, routes,
                              tuple(_successors(case, s.id))))
    return CasePaths(case.id, case.title, started, harmed, tuple(steps), unplaced, other_versions)


def case_paths(module: Module, responses: Sequence[Response]) -> list[CasePaths]:
    """Every case of ``module``, in the module's order, including those nobody started."""
    return [analyse_case(item, responses, module.id) for item in module.items if isinstance(item, Case)]
