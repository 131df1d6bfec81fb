"""Routes through a case that between them take every way on from every step a trainee can reach.

A play-through that only follows keyed answers, or only the answers that lead to an
ending, never sees a step that a wrong answer alone leads to (a remediation step, or a
step that a wrong answer reaches as the next in the list). Here every way on is found
with the engine's own routing: each candidate answer at a step (the keyed one, a wrong
one, one per option a branch names) is graded and routed as the session would, and the
routes are chosen so that each distinct way on from each reachable step is taken at
least once. Cases cannot loop (the loader rejects loops), and a route never visits a step
twice, so the number of routes is bounded by the number of ways on.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from meso_training.engine.case_flow import NextStep, branch_answer, next_step
from meso_training.engine.grading import grade, grader_for, keyed_answer, wrong_answer
from meso_training.model import Branch, Case, QuestionType

MAX_ROUTES = 200
"""More than any case of 20 steps needs; a guard against a model the loader did not check."""


@dataclass(frozen=True)
class Move:
    """One answer at one step, with where the engine sends the trainee after it."""

    step_id: str
    answer: Any
    label: str  # the answer in an instructor's words: "a wrong answer", "choosing option 'b'"
    goes_to: NextStep


@dataclass(frozen=True)
class CaseRoute:
    """Answers from the first step to an end of the case, each where the previous one leads."""

    moves: tuple[Move, ...]

    @property
    def steps(self) -> list[str]:
        return [m.step_id for m in self.moves]

    @property
    def outcome(self) -> str | None:
        """The ending branch's outcome the route arrives at (None: the case ran out of steps)."""
        return self.moves[-1].goes_to.outcome if self.moves else None


def branch_label(branch: Branch) -> str:
    """What a trainee does to take ``branch``, in the words of the quiz file."""
    if branch.when == "correct":
        return "a right answer"
    if branch.when == "incorrect":
        return "a wrong answer"
    if len(branch.when) == 1:
        return f"choosing option {branch.when[0]!r}"
    return "choosing any of options " + ", ".join(repr(o) for o in branch.when)


def _choosing(ids: list[str]) -> str:
    if len(ids) == 1:
        return f"choosing option {ids[0]!r}"
    return "choosing options " + ", ".join(repr(o) for o in ids)


def _option_candidates(step: QuestionType) -> list[tuple[Any, str]]:
    """For a type with options: each option alone, and the keyed choice with each option added or left out.

    A wrong answer chosen for harm (the grader's ``wrong_answer``) is caught by an ending
    branch for harmful choices before a ``when: incorrect`` branch sees it; a plainly wrong
    option is what takes the trainee to the remediation step, so every option is tried.
    """
    option_ids = step.branch_option_ids()
    if not option_ids:
        return []
    grader = grader_for(step)
    keyed = grader.chosen_options(step, grade(step, keyed_answer(step)))
    choices = [[o] for o in sorted(option_ids)] + [sorted(keyed ^ {o}) for o in sorted(option_ids)]
    return [(grader.answer_choosing(step, ids), _choosing(ids)) for ids in choices if ids]


def moves_from(case: Case, step_id: str) -> list[Move]:
    """Every distinct way on from ``step_id``: one move per place an answer there can lead.

    Branch answers come first so that a way on is named by the branch the author wrote.
    """
    step = case.step(step_id)
    candidates: list[tuple[Any, str]] = []
    for branch in step.branches:
        if isinstance(branch.when, tuple):
            candidates += [(branch_answer(step, branch.model_copy(update={"when": (option,)})),
                            f"choosing option {option!r}") for option in branch.when]
        candidates.append((branch_answer(step, branch), branch_label(branch)))
    candidates += [(keyed_answer(step), "the right answer"), (wrong_answer(step), "a wrong answer"),
                   *_option_candidates(step)]
    moves: dict[NextStep, Move] = {}
    for answer, label in candidates:
        goes_to = next_step(case, step_id, grade(step, answer))
        moves.setdefault(goes_to, Move(step_id, answer, label, goes_to))
    return list(moves.values())


def _keyed_move(case: Case, step_id: str) -> Move:
    step = case.step(step_id)
    answer = keyed_answer(step)
    return Move(step_id, answer, "the right answer", next_step(case, step_id, grade(step, answer)))


def _finish(case: Case, start: tuple[Move, ...]) -> tuple[Move, ...]:
    """``start`` carried on to an end of the case along right answers (stopping before any step seen twice)."""
    moves = list(start)
    seen = {m.step_id for m in moves}
    current = moves[-1].goes_to.step_id if moves else case.steps[0].id
    while current is not None and current not in seen:
        seen.add(current)
        moves.append(_keyed_move(case, current))
        current = moves[-1].goes_to.step_id
    return tuple(moves)


def _shortest_ways_in(case: Case) -> dict[str, tuple[Move, ...]]:
    """For each reachable step, the fewest moves from the first step that arrive at it."""
    first = case.steps[0].id
    ways_in: dict[str, tuple[Move, ...]] = {first: ()}
    queue = deque([first])
    while queue:
        current = queue.popleft()
        for move in moves_from(case, current):
            following = move.goes_to.step_id
            if following is not None and following not in ways_in:
                ways_in[following] = (*ways_in[current], move)
                queue.append(following)
    return ways_in


def case_routes(case: Case, limit: int = MAX_ROUTES) -> list[CaseRoute]:
    """Routes that together take every way on from every reachable step, the keyed route first."""
    ways_in = _shortest_ways_in(case)
    routes = [CaseRoute(_finish(case, ()))]
    taken = {(m.step_id, m.goes_to) for m in routes[0].moves}
    for step_id, way_in in ways_in.items():
        for move in moves_from(case, step_id):
            if (step_id, move.goes_to) in taken or len(routes) >= limit:
                continue
            route = CaseRoute(_finish(case, (*way_in, move)))
            taken.update((m.step_id, m.goes_to) for m in route.moves)
            routes.append(route)
    return routes


def unreached_steps(case: Case) -> list[str]:
    """Steps no answer anywhere leads to (the loader rejects them; a play-through reports them too)."""
    reachable = _shortest_ways_in(case)
    return [s.id for s in case.steps if s.id not in reachable]


def untaken_endings(case: Case, routes: list[CaseRoute]) -> list[tuple[str, Branch]]:
    """Ending branches at reachable steps that none of ``routes`` ends by (an earlier branch catches their answers)."""
    ends = {(r.moves[-1].step_id, r.outcome) for r in routes if r.moves and r.moves[-1].goes_to.ends_case}
    reachable = _shortest_ways_in(case)
    return [(s.id, b) for s in case.steps if s.id in reachable
            for b in s.branches if b.end is not None and (s.id, b.end) not in ends]
