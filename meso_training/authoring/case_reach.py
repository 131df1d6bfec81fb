"""Which steps of a case an answer can really lead to, from the branches' ``when`` alone.

A step listed after another is its default successor, but once that step's branches
catch every answer (a right one and a wrong one, say) the default is never taken, and a
remediation step placed there is never seen by anyone. Authoring does not grade (that is
the engine's), so this works from what the model says an answer can be: right or wrong,
and, for types with options, which of the options the branches name it chose.
"""

from __future__ import annotations

from collections import deque
from itertools import combinations

from meso_training.model import Branch, Case, MultipleResponse, QuestionType, SingleChoice

Outcome = tuple[bool, frozenset[str]]
"""What a branch can see of an answer: whether it was right, and the named options it chose."""


def _named_options(step: QuestionType) -> list[str]:
    return sorted({o for b in step.branches if isinstance(b.when, tuple) for o in b.when})


def answer_outcomes(step: QuestionType) -> list[Outcome]:
    """Every distinct thing a branch of ``step`` can see; more rather than fewer where the type is unknown."""
    if isinstance(step, SingleChoice):
        return [(o.correct, frozenset({o.id})) for o in step.options]
    named = _named_options(step)
    chosen = [frozenset(c) for size in range(len(named) + 1) for c in combinations(named, size)]
    if isinstance(step, MultipleResponse):
        keyed = frozenset(o.id for o in step.options if o.correct) & frozenset(named)
        others_unnamed = len(named) < len(step.options)
        return ([(True, keyed)] + [(False, c) for c in chosen if c != keyed or others_unnamed])
    if step.branch_option_ids() is None:
        return [(True, frozenset()), (False, frozenset())]
    return [(right, c) for c in chosen for right in (True, False)]


def _matches(branch: Branch, outcome: Outcome) -> bool:
    right, chosen = outcome
    if branch.when == "correct":
        return right
    if branch.when == "incorrect":
        return not right
    return bool(chosen & set(branch.when))


def successors(case: Case, step: QuestionType) -> set[str]:
    """The steps some answer at ``step`` leads to (the first matching branch decides, as in a session)."""
    ids = {s.id for s in case.steps}
    found: set[str] = set()
    for outcome in answer_outcomes(step):
        branch = next((b for b in step.branches if _matches(b, outcome)), None)
        target = case.default_next(step.id) if branch is None else branch.goto
        if target is not None and target in ids:
            found.add(target)
    return found


def reachable_steps(case: Case) -> set[str]:
    """Steps some run of answers from the first step arrives at."""
    first = case.steps[0].id
    seen, queue = {first}, deque([first])
    while queue:
        for target in successors(case, case.step(queue.popleft())):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def edges_to(case: Case, step_id: str) -> set[str]:
    """Steps whose flow fields name ``step_id``: a ``next``, a branch's ``goto``, or the list order."""
    return {s.id for s in case.steps if step_id in {s.next, *(b.goto for b in s.branches)}
            or (s.next is None and case.default_next(s.id) == step_id)}
